"""Distributed mode: two ``scrapy crawl`` workers share one frontier on a
real redis-server, against the 300-article replica."""

import json
import shutil
import socket
import subprocess
import time
from collections import Counter

import pytest
import redis

from sulsel_crawler.distributed import frontier_key_prefix
from tests.crawl_run import (
    REPO_ROOT,
    SCRAPY,
    UNTHROTTLED,
    CrawlRun,
    assert_records_exact,
    expected_records,
    read_jsonl,
)
from tests.replica import SNAPSHOT_300_DIR, ReplicaServer
from tests.replica.requests_log import (
    asset_requests,
    disallowed_requests,
    repeated_page_keys,
    unlinked_requests,
)

REDIS_SERVER = shutil.which("redis-server")

# Unthrottled, the whole crawl takes about one engine heartbeat (5 s), the
# interval at which an idle worker looks at the shared queue again: a worker
# that found the queue empty at its start could miss the crawl entirely. A
# small delay makes the crawl last long enough for both workers to share it.
PACED = ("-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0.015")
MAX_IDLE = ("-s", "FRONTIER_MAX_IDLE_SECONDS=3")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A real, throw-away redis-server: no persistence, its own folder and port."""
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run installs it)")
    port = free_port()
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path_factory.mktemp("redis"),
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(timeout=10)


def start_worker(base_url, redis_url, crawl_id, workdir, name, *extra) -> subprocess.Popen:
    command = [
        *SCRAPY, "crawl", "sulselsatu",
        "-a", f"base_url={base_url}",
        "-O", str(workdir / f"{name}.jsonl"),
        "-s", f"STATS_FILE={workdir / f'{name}.stats.json'}",
        "-s", f"REDIS_URL={redis_url}",
        "-s", f"FRONTIER_CRAWL_ID={crawl_id}",
        *extra,
    ]
    return subprocess.Popen(
        command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def finish(worker: subprocess.Popen, workdir, name) -> CrawlRun:
    try:
        log = worker.communicate(timeout=120)[1]
    except subprocess.TimeoutExpired:
        worker.kill()
        raise
    stats_file = workdir / f"{name}.stats.json"
    return CrawlRun(
        returncode=worker.returncode,
        log=log,
        records=read_jsonl(workdir / f"{name}.jsonl"),
        rejects=read_jsonl(workdir / f"{name}.rejects.jsonl"),
        stats=json.loads(stats_file.read_text()) if stats_file.exists() else {},
    )


@pytest.fixture(scope="module")
def crawls(redis_url, tmp_path_factory):
    """Crawl ``first`` with two workers at once; after it has finished, crawl
    ``second`` of the same replica with one worker."""
    workdir = tmp_path_factory.mktemp("distributed")
    with ReplicaServer(SNAPSHOT_300_DIR, log_path=workdir / "requests.jsonl") as server:
        names = ["worker-1", "worker-2"]
        workers = [
            start_worker(server.base_url, redis_url, "first", workdir, name, *PACED, *MAX_IDLE)
            for name in names
        ]
        first = [finish(worker, workdir, name) for worker, name in zip(workers, names, strict=True)]
        first_requests = server.requests
        second_worker = start_worker(
            server.base_url, redis_url, "second", workdir, "second", *UNTHROTTLED, *MAX_IDLE
        )
        second = finish(second_worker, workdir, "second")
        second_requests = server.requests[len(first_requests):]
        return {
            "first": first,
            "first_requests": first_requests,
            "second": second,
            "second_requests": second_requests,
            "manifest": server.manifest,
            "base_url": server.base_url,
        }


def test_both_workers_finish_cleanly(crawls):
    for run in crawls["first"]:
        assert run.returncode == 0, run.log[-3000:]
        assert run.stats["finish_reason"] == "finished"
        assert run.stats.get("log_count/ERROR", 0) == 0, run.log[-3000:]
        assert run.rejects == []


def test_both_workers_did_real_work(crawls):
    for run in crawls["first"]:
        assert len(run.records) > 0, run.log[-3000:]
        assert run.stats["scheduler/dequeued/redis"] > 0


def test_union_of_the_outputs_is_the_dataset(crawls):
    expected = expected_records(SNAPSHOT_300_DIR)
    records = [record for run in crawls["first"] for record in run.records]
    urls = [record["url"] for record in records]
    assert {url: n for url, n in Counter(urls).items() if n > 1} == {}, "an article in both outputs"
    assert sorted(set(expected) - set(urls)) == [], "articles missing"
    assert sorted(set(urls) - set(expected)) == [], "records that are not articles"
    assert all(record["crawled_at"].endswith("Z") for record in records)
    assert_records_exact(records, expected)


def test_no_page_requested_twice_across_workers(crawls):
    requests, manifest = crawls["first_requests"], crawls["manifest"]
    # Each worker reads robots.txt itself (Scrapy's robots middleware); every
    # other page goes through the shared duplicate filter.
    assert Counter(r["path"] for r in requests)["/robots.txt"] == 2
    pages = [r for r in requests if r["path"] != "/robots.txt"]
    assert repeated_page_keys(pages) == {}
    assert disallowed_requests(requests, manifest) == []
    assert unlinked_requests(requests, manifest) == []
    assert asset_requests(requests, manifest) == []
    assert sum(run.stats["downloader/request_count"] for run in crawls["first"]) == len(requests)


def test_a_new_crawl_id_starts_a_fresh_crawl(crawls, redis_url):
    second, requests = crawls["second"], crawls["second_requests"]
    # The first crawl's frontier is still in Redis (SCHEDULER_PERSIST)...
    first_keys = frontier_key_prefix("sulselsatu", crawls["base_url"], "first")
    assert redis.Redis.from_url(redis_url).scard(f"{first_keys}:dupefilter") > 300
    # ...yet the crawl under a new id fetches and writes every article again.
    assert second.returncode == 0, second.log[-3000:]
    assert second.stats["finish_reason"] == "finished"
    assert sorted(record["url"] for record in second.records) == sorted(expected_records(SNAPSHOT_300_DIR))
    assert repeated_page_keys(requests) == {}


def test_frontier_keys_are_per_spider_site_and_crawl():
    assert frontier_key_prefix("sulselsatu", None, "2026-11-28") == "sulselsatu:www.sulselsatu.com:2026-11-28"
    assert frontier_key_prefix("sulselsatu", "http://127.0.0.1:8765", "2026-11-28") == (
        "sulselsatu:127.0.0.1_8765:2026-11-28"
    )
    assert frontier_key_prefix("sulselsatu", "https://archive.example.org/sulselsatu", "x") == (
        "sulselsatu:archive.example.org_sulselsatu:x"
    )


def test_a_worker_without_crawl_id_does_not_start(redis_url, replica, tmp_path):
    worker = start_worker(replica.base_url, redis_url, "", tmp_path, "worker")
    run = finish(worker, tmp_path, "worker")
    assert run.returncode == 1
    assert "REDIS_URL needs FRONTIER_CRAWL_ID" in run.log
    assert replica.requests == []
