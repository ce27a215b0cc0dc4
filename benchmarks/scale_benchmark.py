"""Full and update crawls of replicas at the site's scale: speed, CPU, memory, requests.

Each case crawls a replica of that many articles (`benchmarks/large_replica.py`)
with the tests' command line (`tests/support/crawl.py`: `scrapy crawl` in a
subprocess), unthrottled (no delay, no AutoThrottle), 16 requests in flight
(`CONCURRENT_REQUESTS=16`, `CONCURRENT_REQUESTS_PER_DOMAIN=16`) and
`-a render=auto`; once without the site's WordPress REST API and once with
it, each followed by an update crawl (`-a mode=update`, the full crawl's
state) of the same site a day later with 1% more articles. The replica runs
in a process of its own (`python -m replica`), whose CPU is measured apart.
`scrapy bench` runs once, first, on the same machine.

Prints one JSON object per case, then a summary table (markdown):

    .venv/bin/python benchmarks/scale_benchmark.py             # 2000 and 20000
    .venv/bin/python benchmarks/scale_benchmark.py 300         # a quick check
    .venv/bin/python benchmarks/scale_benchmark.py 300 2000 20000

Measuring only: nothing here fails on a figure.
"""

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from large_replica import CACHE_DIR, cached_replica, updated_replica
from process_tree import TreeSampler
from replica_process import REPO_ROOT, ReplicaProcess

from replica import load_manifest, page_key  # on the path: replica_process puts the repository there
from tests.support.crawl import read_jsonl, start_crawl

DEFAULT_CASES = ("2000", "20000")
CONCURRENCY = {"CONCURRENT_REQUESTS": "16", "CONCURRENT_REQUESTS_PER_DOMAIN": "16"}
CRAWL_TIMEOUT = 3600
LOG_DIR = CACHE_DIR / "logs"  # each crawl's log, kept until the next run of its case
LISTING_PREFIXES = {"/kanal/": "category listings", "/tag/": "tag listings", "/penulis/": "author listings"}


def scrapy_bench() -> dict:
    """`scrapy bench`, run outside the project so that no project setting applies."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("SCRAPY_")}
    with tempfile.TemporaryDirectory() as folder:
        log = subprocess.run(
            [sys.executable, "-m", "scrapy", "bench"], cwd=folder, env=env, capture_output=True, text=True,
        ).stderr
    pages = int(re.search(r"'response_received_count': (\d+)", log)[1])
    seconds = float(re.search(r"'elapsed_time_seconds': ([\d.]+)", log)[1])
    per_minute = sorted(int(rate) for rate in re.findall(r"\(at (\d+) pages/min\)", log)[1:])
    return {
        "pages": pages,
        "seconds": round(seconds, 2),
        "pages_per_second": round(pages / seconds, 1),
        "median_pages_per_minute": per_minute[len(per_minute) // 2] if per_minute else None,
    }


def article_paths(site: Path) -> set[str]:
    """The path of every article of the replica."""
    origin = load_manifest(site)["public_origin"]
    return {record["url"].removeprefix(origin) for record in read_jsonl(site / "expected.jsonl")}


def request_kinds(requests: list[dict], articles: set[str]) -> Counter:
    """Requests by kind: `article` for the first request of each article page
    or continuation page (`?page=N`), everything else overhead by where it went."""
    kinds: Counter = Counter()
    seen = set()
    for request in sorted(requests, key=lambda request: request["t"]):
        key, path = page_key(request["path"], request["query"]), request["path"]
        if path in articles:
            kinds["article" if key not in seen else "article repeats"] += 1
            seen.add(key)
        elif path.startswith("/wp-json"):
            kinds["api"] += 1
        elif path.startswith("/sitemap"):
            kinds["sitemaps"] += 1
        elif path in ("/", "/feed/", "/robots.txt"):
            kinds[{"/": "homepage", "/feed/": "feed", "/robots.txt": "robots.txt"}[path]] += 1
        else:
            kinds[next((kind for prefix, kind in LISTING_PREFIXES.items() if path.startswith(prefix)), "other")] += 1
    return kinds


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def crawl(site: Path, workdir: Path, output: str, api: bool, expected: set[str], *options: str) -> dict:
    """One crawl of `site` into `workdir/output`, measured; `expected`: the
    article URLs it should export. Its log goes to LOG_DIR."""
    with ReplicaProcess(site, workdir / f"{output}.requests.jsonl", api=api) as server:
        cpu_before, started = children_cpu_seconds(), time.perf_counter()
        running = start_crawl(server.base_url, workdir, "-a", "render=auto", *options, output=output, settings=CONCURRENCY)
        sampler = TreeSampler(running.process.pid).start()
        run = running.finish(timeout=CRAWL_TIMEOUT)
        seconds, cpu = time.perf_counter() - started, children_cpu_seconds() - cpu_before
        sampler.stop()
    log = LOG_DIR / f"{len(article_paths(site))}-{Path(output).stem}{'-api' if api else ''}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(run.log, encoding="utf-8")
    requests = server.requests()
    kinds = request_kinds(requests, article_paths(site))
    exported = {record["url"] for record in run.records}
    overhead = len(requests) - kinds["article"]
    pages = len(requests) / 1000
    return {
        "exit_code": run.returncode,
        "expected_articles": len(expected),
        "exported_articles": len(exported),
        "recall": round(len(exported & expected) / len(expected), 4) if expected else None,
        "seconds": round(seconds, 1),
        "requests": len(requests),
        "pages_per_second": round(len(requests) / seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "cpu_s_per_1000_pages": round(cpu / pages, 2),
        **sampler.summary(),
        "requests_per_exported_article": round(len(requests) / len(exported), 3) if exported else None,
        "overhead_requests": overhead,
        "overhead_share_of_exported": round(overhead / len(exported), 4) if exported else None,
        "requests_by_kind": dict(kinds.most_common()),
        "challenge_503s": sum(1 for request in requests if request["status"] == 503),
        "browser_renders": run.stats.get("sulselsatu/browser/renders", 0),
        "replica_cpu_s_per_1000_requests": round(server.cpu_seconds / pages, 2),
        "log": str(log.relative_to(REPO_ROOT)),
    }


def full_and_update(articles: int, api: bool) -> tuple[dict, dict]:
    site, updated = cached_replica(articles), updated_replica(articles)
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        all_urls = {record["url"] for record in read_jsonl(site / "expected.jsonl")}
        full = crawl(site, workdir, "full.jsonl", api, all_urls)
        new_urls = set(load_manifest(updated)["evolution"]["new"])
        update = crawl(updated, workdir, "update.jsonl", api, new_urls, "-a", "mode=update")
    update["requests_vs_full_crawl"] = round(update["requests"] / full["requests"], 4)
    return full, update


def measure(case: str, bench: dict) -> dict:
    articles = int(case)
    result = {
        "case": case,
        "articles": articles,
        "settings": {**CONCURRENCY, "AUTOTHROTTLE_ENABLED": "0", "DOWNLOAD_DELAY": "0", "render": "auto"},
    }
    for api in (False, True):
        suffix = "_api" if api else ""
        result[f"full{suffix}"], result[f"update{suffix}"] = full_and_update(articles, api)
    result["scrapy_bench_pages_per_second"] = bench["pages_per_second"]
    result["pages_per_second_vs_bench"] = round(result["full"]["pages_per_second"] / bench["pages_per_second"], 2)
    return result


ROWS = (
    ("wall time, s", lambda r: r["full"]["seconds"]),
    ("pages/s", lambda r: r["full"]["pages_per_second"]),
    ("pages/s ÷ scrapy bench (target ≥ 1.5)", lambda r: r["pages_per_second_vs_bench"]),
    ("CPU s per 1,000 pages", lambda r: r["full"]["cpu_s_per_1000_pages"]),
    ("crawler RSS MiB, median / peak", lambda r: _pair(r["full"]["crawler_rss_mib"])),
    ("crawler PSS MiB, median / peak", lambda r: _pair(r["full"]["crawler_pss_mib"])),
    ("whole crawl PSS MiB, median / peak (target ≤ 250 / 500)", lambda r: _pair(r["full"]["tree_pss_mib"])),
    ("recall, without / with API (target 100%)", lambda r: f"{r['full']['recall']:.2%} / {r['full_api']['recall']:.2%}"),
    ("requests per exported article", lambda r: r["full"]["requests_per_exported_article"]),
    ("overhead, share of exported: without API (≤ 3%)", lambda r: f"{r['full']['overhead_share_of_exported']:.2%}"),
    ("overhead, share of exported: with API (≤ 1.5%)", lambda r: f"{r['full_api']['overhead_share_of_exported']:.2%}"),
    ("challenge 503s, without / with API (target ≤ 2)", lambda r: f"{r['full']['challenge_503s']} / {r['full_api']['challenge_503s']}"),
    ("browser renders", lambda r: r["full"]["browser_renders"]),
    ("update after +1%: requests, without / with API", lambda r: f"{r['update']['requests']} / {r['update_api']['requests']}"),
    ("update requests ÷ full crawl's", lambda r: f"{r['update']['requests_vs_full_crawl']:.2%} / {r['update_api']['requests_vs_full_crawl']:.2%}"),
    ("replica CPU s per 1,000 requests", lambda r: r["full"]["replica_cpu_s_per_1000_requests"]),
)
GROWTH = (
    ("pages/s", lambda r: r["full"]["pages_per_second"]),
    ("CPU s per 1,000 pages (target ≤ 1.1)", lambda r: r["full"]["cpu_s_per_1000_pages"]),
    ("whole crawl PSS, median", lambda r: r["full"]["tree_pss_mib"]["median"]),
    ("whole crawl PSS, peak", lambda r: r["full"]["tree_pss_mib"]["peak"]),
    ("requests per exported article", lambda r: r["full"]["requests_per_exported_article"]),
)


def _pair(figures: dict) -> str:
    return f"{figures['median']} / {figures['peak']}"


def summary(results: list[dict], bench: dict) -> str:
    """The figures of every case side by side, then how each grows from the smallest case to the largest."""
    cases = [f"{r['articles']:,} articles" for r in results]
    lines = ["| figure | " + " | ".join(cases) + " |", "|---" * (len(cases) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(str(value(r)) for r in results) + " |" for name, value in ROWS]
    lines.append(f"\n`scrapy bench`: {bench['pages_per_second']} pages/s ({bench['pages']} pages in {bench['seconds']} s).")
    if len(results) > 1:
        small, large = results[0], results[-1]
        lines.append(f"\nGrowth, {large['articles']:,} ÷ {small['articles']:,} articles:\n")
        lines += ["| figure | ratio |", "|---|---|"]
        lines += [f"| {name} | {value(large) / value(small):.2f} |" for name, value in GROWTH]
    return "\n".join(lines)


def main(cases: list[str]) -> None:
    print(f"Crawls unthrottled with {CONCURRENCY}, render=auto; scrapy bench first.", flush=True)
    bench = scrapy_bench()
    print(json.dumps({"case": "scrapy bench", **bench}), flush=True)
    results = []
    for case in sorted(cases, key=int):
        started = time.perf_counter()
        results.append(measure(case, bench))
        results[-1]["case_seconds"] = round(time.perf_counter() - started, 1)
        print(json.dumps(results[-1]), flush=True)
    print(summary(results, bench), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or list(DEFAULT_CASES))
