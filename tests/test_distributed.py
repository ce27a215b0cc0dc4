"""Distributed mode: two ``scrapy crawl`` workers share one frontier on a
real redis-server, against the 300-article replica."""

import subprocess
import time
from collections import Counter

import pytest
import redis

from replica import SNAPSHOT_300_DIR, ReplicaServer
from replica.requests_log import (
    asset_requests,
    disallowed_requests,
    repeated_page_keys,
    unlinked_requests,
)
from sulsel_crawler.distributed import frontier_key_prefix
from tests.support.components import free_port, require_component
from tests.support.crawl import start_crawl
from tests.support.gold import assert_records_exact, gold_by_url

# Unthrottled, the whole crawl takes about one engine heartbeat (5 s), the
# interval at which an idle worker looks at the shared queue again: a worker
# that found the queue empty at its start could miss the crawl entirely. A
# small delay makes the crawl last long enough for both workers to share it.
PACED = {"DOWNLOAD_DELAY": "0.015"}
MAX_IDLE = {"FRONTIER_MAX_IDLE_SECONDS": "3"}


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A real, throw-away redis-server: no persistence, its own folder and port."""
    port = free_port()
    options = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen(
        [require_component("redis-server"), *options],
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


def start_worker(base_url, redis_url, crawl_id, workdir, settings=None):
    """One worker of crawl *crawl_id*, in *workdir*; the workers of a test share one lock folder."""
    workdir.mkdir()
    return start_crawl(
        base_url, workdir,
        settings={
            "REDIS_URL": redis_url,
            "FRONTIER_CRAWL_ID": crawl_id,
            "SINGLE_RUN_LOCK_DIR": workdir.parent / "locks",
            **(settings or {}),
        },
    )


@pytest.fixture(scope="module")
def crawls(redis_url, tmp_path_factory):
    """Crawl ``first`` with two workers at once; after it has finished, crawl
    ``second`` of the same replica with one worker."""
    workdir = tmp_path_factory.mktemp("distributed")
    with ReplicaServer(SNAPSHOT_300_DIR, log_path=workdir / "requests.jsonl") as server:
        workers = [
            start_worker(server.base_url, redis_url, "first", workdir / name, {**PACED, **MAX_IDLE})
            for name in ["worker-1", "worker-2"]
        ]
        first = [worker.finish() for worker in workers]
        first_requests = server.requests
        second = start_worker(server.base_url, redis_url, "second", workdir / "second", MAX_IDLE).finish()
        second_requests = server.requests[len(first_requests):]
        return {
            "first": first,
            "first_requests": first_requests,
            "second": second,
            "second_requests": second_requests,
            "manifest": server.manifest,
            "base_url": server.base_url,
        }


@pytest.mark.crawl
@pytest.mark.browser
@pytest.mark.redis
def test_both_workers_finish_cleanly(crawls):
    for run in crawls["first"]:
        assert run.returncode == 0, run.log[-3000:]
        assert run.stats["finish_reason"] == "finished"
        assert run.stats.get("log_count/ERROR", 0) == 0, run.log[-3000:]
        assert run.rejects == []


@pytest.mark.crawl
@pytest.mark.browser
@pytest.mark.redis
def test_both_workers_did_real_work(crawls):
    for run in crawls["first"]:
        assert len(run.records) > 0, run.log[-3000:]
        assert run.stats["scheduler/dequeued/redis"] > 0


@pytest.mark.crawl
@pytest.mark.browser
@pytest.mark.redis
def test_union_of_the_outputs_is_the_dataset(crawls):
    expected = gold_by_url(SNAPSHOT_300_DIR)
    records = [record for run in crawls["first"] for record in run.records]
    urls = [record["url"] for record in records]
    assert {url: n for url, n in Counter(urls).items() if n > 1} == {}, "an article in both outputs"
    assert sorted(set(expected) - set(urls)) == [], "articles missing"
    assert sorted(set(urls) - set(expected)) == [], "records that are not articles"
    assert records and all(record["crawled_at"].endswith("Z") for record in records)
    assert_records_exact(records, expected)


@pytest.mark.crawl
@pytest.mark.browser
@pytest.mark.redis
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


@pytest.mark.crawl
@pytest.mark.browser
@pytest.mark.redis
def test_a_new_crawl_id_starts_a_fresh_crawl(crawls, redis_url):
    second, requests = crawls["second"], crawls["second_requests"]
    # The first crawl's frontier is still in Redis (SCHEDULER_PERSIST)...
    first_keys = frontier_key_prefix("sulselsatu", crawls["base_url"], "first")
    assert redis.Redis.from_url(redis_url).scard(f"{first_keys}:dupefilter") > 300
    # ...yet the crawl under a new id fetches and writes every article again.
    assert second.returncode == 0, second.log[-3000:]
    assert second.stats["finish_reason"] == "finished"
    assert sorted(record["url"] for record in second.records) == sorted(gold_by_url(SNAPSHOT_300_DIR))
    assert repeated_page_keys(requests) == {}


@pytest.mark.unit
def test_frontier_keys_are_per_spider_site_and_crawl():
    assert frontier_key_prefix("sulselsatu", None, "2026-11-28") == "sulselsatu:www.sulselsatu.com:2026-11-28"
    assert frontier_key_prefix("sulselsatu", "http://127.0.0.1:8765", "2026-11-28") == (
        "sulselsatu:127.0.0.1_8765:2026-11-28"
    )
    assert frontier_key_prefix("sulselsatu", "https://archive.example.org/sulselsatu", "x") == (
        "sulselsatu:archive.example.org_sulselsatu:x"
    )


@pytest.mark.crawl
@pytest.mark.redis
def test_a_worker_without_crawl_id_does_not_start(redis_url, replica, tmp_path):
    run = start_worker(replica.base_url, redis_url, "", tmp_path / "worker").finish()
    assert run.returncode == 1
    assert "REDIS_URL needs FRONTIER_CRAWL_ID" in run.log
    assert replica.requests == []
