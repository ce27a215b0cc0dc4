#!/usr/bin/env python3
"""Schedules a crawl on Scrapyd through its schedule.json API.

With --wait, follows the job to its end and exits with the crawl's own exit
status, as `scrapy crawl` would have.

    scripts/schedule.py [--url URL] [-a NAME=VALUE]... [-s NAME=VALUE]... [--wait]

Scrapyd lists every job that ended as "finished", even one whose spider could
not start, so --wait judges the job by its log: the line in which the crawl
names its outcome and exit status (sulsel_crawler/outcome.py; the table is in
docs/crawling.md#exit-status).

Credentials come from SCRAPYD_USERNAME and SCRAPYD_PASSWORD.
Exit status: 0 scheduled (with --wait: the crawl did its job); 1 failed (with
--wait: the job did not run to its end, or a monitor failed); with --wait,
any other status of the crawl's own.
"""

import argparse
import base64
import json
import os
import re
import sys
import time
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urljoin
from urllib.request import Request, urlopen

EXIT_FAILED = 1

# From the stats that Scrapy dumps into the log when a crawl closes.
FINISH_REASON = re.compile(r"'finish_reason': '([^']*)'")
ITEM_SCRAPED_COUNT = re.compile(r"'item_scraped_count': (\d+)")
# The last line the crawl logs about itself (sulsel_crawler/extensions/outcome.py).
OUTCOME_LINE = re.compile(r"Crawl outcome: (\S+) \(exit status (\d+)\): (.*)$", re.MULTILINE)


class ScrapydError(Exception):
    pass


class Scrapyd:
    def __init__(self, url: str, username: str, password: str):
        self.url = url if url.endswith("/") else url + "/"
        self.headers = {}
        if username:
            token = base64.b64encode(f"{username}:{password}".encode()).decode()
            self.headers["Authorization"] = f"Basic {token}"

    def fetch(self, path: str, form: list[tuple[str, str]] | None = None, missing_ok: bool = False) -> bytes:
        data = urlencode(form).encode() if form is not None else None
        request = Request(urljoin(self.url, path), data=data, headers=self.headers)
        try:
            with urlopen(request, timeout=60) as response:
                return response.read()
        except HTTPError as error:
            if error.code == 404 and missing_ok:
                return b""
            if error.code == 401:
                raise ScrapydError(
                    f"Scrapyd at {self.url} refused the credentials (401): "
                    "set SCRAPYD_USERNAME and SCRAPYD_PASSWORD"
                ) from None
            raise ScrapydError(f"{request.full_url}: HTTP {error.code}") from None
        except URLError as error:
            raise ScrapydError(f"cannot reach Scrapyd at {self.url}: {error.reason}") from None

    def call(self, endpoint: str, form: list[tuple[str, str]] | None = None, **query) -> dict:
        path = f"{endpoint}?{urlencode(query)}" if query else endpoint
        answer = json.loads(self.fetch(path, form))
        if answer.get("status") != "ok":
            raise ScrapydError(f"{endpoint}: {answer.get('message', answer)}")
        return answer


def name_value(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url",
        default=os.environ.get("SCRAPYD_URL", "http://127.0.0.1:6800/"),
        help="Scrapyd's address (default: $SCRAPYD_URL or http://127.0.0.1:6800/)",
    )
    parser.add_argument("--project", default="sulsel_crawler")
    parser.add_argument("--spider", default="sulselsatu")
    parser.add_argument(
        "-a", dest="arguments", metavar="NAME=VALUE", type=name_value, action="append", default=[],
        help="spider argument, e.g. -a base_url=http://127.0.0.1:8765",
    )
    parser.add_argument(
        "-s", dest="settings", metavar="NAME=VALUE", type=name_value, action="append", default=[],
        help="Scrapy setting for this job, e.g. -s DOWNLOAD_DELAY=0",
    )
    parser.add_argument("--wait", action="store_true", help="follow the job to its end and check its log")
    parser.add_argument("--poll", type=float, default=10.0, metavar="SECONDS", help="listjobs.json interval")
    parser.add_argument(
        "--timeout", type=float, default=0, metavar="SECONDS",
        help="with --wait: give up after this long (the job keeps running); 0: never",
    )
    return parser.parse_args(argv)


def schedule(scrapyd: Scrapyd, args: argparse.Namespace) -> str:
    form = [("project", args.project), ("spider", args.spider)]
    form += [("setting", f"{name}={value}") for name, value in args.settings]
    form += args.arguments
    return scrapyd.call("schedule.json", form)["jobid"]


def wait_until_finished(scrapyd: Scrapyd, args: argparse.Namespace, job_id: str) -> dict:
    deadline = time.monotonic() + args.timeout if args.timeout else None
    while True:
        jobs = scrapyd.call("listjobs.json", project=args.project)
        for job in jobs["finished"]:
            if job["id"] == job_id:
                return job
        if deadline is not None and time.monotonic() > deadline:
            raise ScrapydError(f"job {job_id} still not finished after {args.timeout:g} s")
        time.sleep(args.poll)


def judge(log: str) -> tuple[int, str]:
    """The exit status and a one-line verdict for a finished job's log."""
    if FINISH_REASON.search(log) is None:
        return EXIT_FAILED, (
            "the crawl did not run to its end (no stats in its log); "
            "errors before the log started are in Scrapyd's own log"
        )
    outcomes = OUTCOME_LINE.findall(log)
    if not outcomes:
        return EXIT_FAILED, "the crawl named no outcome in its log (is the egg this project's?)"
    name, status, cause = outcomes[-1]
    item_count = ITEM_SCRAPED_COUNT.search(log)
    items = int(item_count[1]) if item_count else 0
    return int(status), f"{name} (exit status {status}), {items} items: {cause}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    scrapyd = Scrapyd(args.url, os.environ.get("SCRAPYD_USERNAME", ""), os.environ.get("SCRAPYD_PASSWORD", ""))
    try:
        job_id = schedule(scrapyd, args)
        print(f"scheduled {args.project}/{args.spider} job {job_id}", flush=True)
        if not args.wait:
            return 0
        job = wait_until_finished(scrapyd, args, job_id)
        if not job.get("log_url"):
            raise ScrapydError(f"job {job_id} finished, but Scrapyd keeps no logs (logs_dir): cannot check it")
        # A crawl that failed before its log started leaves no log file.
        log = scrapyd.fetch(job["log_url"], missing_ok=True).decode("utf-8", "replace")
    except ScrapydError as error:
        print(f"schedule: {error}", file=sys.stderr)
        return EXIT_FAILED
    status, verdict = judge(log)
    print(f"job {job_id}: {verdict}")
    print(f"  log:   {urljoin(scrapyd.url, job['log_url'])}")
    if job.get("items_url"):
        print(f"  items: {urljoin(scrapyd.url, job['items_url'])}")
    return status


if __name__ == "__main__":
    sys.exit(main())
