"""Distributed mode: two ``scrapy crawl`` workers share one frontier and one
crawl state on a real redis-server, against the 300-article replica: a full
crawl, an update after the site changed, and workers killed and started again."""

import os
import signal
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest

from replica import SNAPSHOT_300_DIR, SNAPSHOT_DIR, ReplicaServer, load_manifest
from replica.evolve import evolve
from replica.requests_log import (
    asset_requests,
    disallowed_requests,
    repeated_page_keys,
    unlinked_requests,
)
from sulsel_crawler.distributed import frontier_key_prefix
from sulsel_crawler.urls import ARTICLE_PATH
from tests.support.components import free_port
from tests.support.crawl import read_jsonl, start_worker
from tests.support.gold import assert_records_exact, gold_by_url

# Unthrottled, the whole crawl takes about one engine heartbeat (5 s), the
# interval at which an idle worker looks at the shared queue again: a worker
# that found the queue empty at its start could miss the crawl entirely. A
# small delay makes the crawl last long enough for both workers to share it.
PACED = {"DOWNLOAD_DELAY": "0.015"}


@pytest.fixture(scope="module")
def crawls(redis_url, tmp_path_factory):
    """Crawl ``first`` with two workers at once; after it has finished, crawl
    ``second`` of the same replica with one worker; then, once the site has
    gained new and modified articles (served at the same address, so the
    same crawl state), update it with two workers, under the id ``first``
    again."""
    workdir = tmp_path_factory.mktemp("distributed")
    evolved = evolve(SNAPSHOT_300_DIR, workdir / "evolved", new=12, modified=6, seed=5)
    with ReplicaServer(SNAPSHOT_300_DIR, log_path=workdir / "requests.jsonl") as server:
        workers = [
            start_worker(server.base_url, redis_url, "first", workdir / name, PACED)
            for name in ["worker-1", "worker-2"]
        ]
        first = [worker.finish() for worker in workers]
        first_requests = server.requests
        second = start_worker(server.base_url, redis_url, "second", workdir / "second").finish()
        second_requests = server.requests[len(first_requests):]
        manifest, base_url = server.manifest, server.base_url
    with ReplicaServer(evolved, port=urlsplit(base_url).port, api=True) as server:
        workers = [
            start_worker(base_url, redis_url, "first", workdir / name, PACED, ("-a", "mode=update"))
            for name in ["update-1", "update-2"]
        ]
        update = [worker.finish() for worker in workers]
        update_requests = server.requests
    return {
        "first": first,
        "first_requests": first_requests,
        "second": second,
        "second_requests": second_requests,
        "update": update,
        "update_requests": update_requests,
        "evolved": evolved,
        "manifest": manifest,
        "base_url": base_url,
    }


@pytest.mark.crawl
@pytest.mark.browser
@pytest.mark.redis
def test_both_workers_finish_cleanly(crawls):
    for run in crawls["first"]:
        assert run.returncode == 0, run.log[-3000:]
        assert run.stats["finish_reason"] == "finished"
        # By itself, once the cluster ran out of work: not after FRONTIER_MAX_IDLE_SECONDS.
        assert "Shared queue empty and no worker busy: this worker closes" in run.log
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
def test_one_browser_render_passes_the_challenge_for_both_workers(crawls):
    runs = crawls["first"]
    assert sum(run.stats.get("sulselsatu/browser/renders", 0) for run in runs) == 1
    met = [run for run in runs if run.stats.get("sulselsatu/challenge/met")]
    took_it = [run for run in runs if run.stats.get("sulselsatu/challenge/cookie_from_another_worker")]
    assert len(took_it) == len(met) - 1


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
    # The challenge's render shows the page the crawl received: it asks the site for nothing.
    renders = sum(run.stats.get("sulselsatu/browser/renders", 0) for run in crawls["first"])
    assert sum(run.stats["downloader/request_count"] for run in crawls["first"]) == len(requests) + renders


@pytest.mark.crawl
@pytest.mark.browser
@pytest.mark.redis
def test_a_crawl_after_a_finished_one_is_a_new_full_crawl(crawls):
    second, requests = crawls["second"], crawls["second_requests"]
    assert second.returncode == 0, second.log[-3000:]
    assert second.stats["finish_reason"] == "finished"
    first_crawl = {run.stats["sulselsatu/state/crawl"] for run in crawls["first"]}
    assert len(first_crawl) == 1, "the two workers of the first crawl were in different crawls"
    assert second.stats["sulselsatu/state/crawl"] not in first_crawl
    assert (second.stats["sulselsatu/state/resumed"], second.stats["sulselsatu/state/joined"]) == (False, False)
    assert sorted(record["url"] for record in second.records) == sorted(gold_by_url(SNAPSHOT_300_DIR))
    assert repeated_page_keys(requests) == {}


@pytest.mark.crawl
@pytest.mark.browser
@pytest.mark.redis
def test_an_update_with_two_workers_writes_exactly_the_new_and_changed_articles(crawls):
    evolution = load_manifest(crawls["evolved"])["evolution"]
    changed = set(evolution["new"]) | set(evolution["modified"])
    runs, requests = crawls["update"], crawls["update_requests"]
    for run in runs:
        assert run.returncode == 0, run.log[-3000:]
        assert run.stats["sulselsatu/state/mode"] == "update"
    # Whichever started first starts the update; the other joins it.
    starter, joiner = sorted(runs, key=lambda run: run.stats["sulselsatu/state/joined"])
    assert (starter.stats["sulselsatu/state/joined"], joiner.stats["sulselsatu/state/joined"]) == (False, True)
    assert "The frontier that earlier runs left in Redis is stale: cleared" in starter.log
    assert "joining the update crawl that other workers are running" in joiner.log
    records = [record for run in runs for record in run.records]
    assert sorted(record["url"] for record in records) == sorted(changed)
    gold = gold_by_url(crawls["evolved"])
    assert_records_exact(records, {url: gold[url] for url in changed})
    assert repeated_page_keys([r for r in requests if r["path"] != "/robots.txt"]) == {}
    articles = {r["path"] for r in requests if ARTICLE_PATH.match(r["path"])}
    assert articles - {urlsplit(url).path for url in changed} == set(), "unchanged articles fetched"
    assert len(requests) <= len(changed) + 40, len(requests)


@pytest.mark.crawl
@pytest.mark.browser
@pytest.mark.redis
def test_workers_killed_with_kill_9_continue_when_started_again(redis_url, tmp_path):
    """Both workers killed mid-crawl, then the same two commands again: the
    first to start resumes the crawl, the other joins it, and the datasets
    of all runs hold every article once."""
    gold = gold_by_url(SNAPSHOT_DIR)
    slow = {"DOWNLOAD_DELAY": "0.05", "CONCURRENT_REQUESTS_PER_DOMAIN": "2"}
    names = ["worker-1", "worker-2"]

    def records():
        return [record for name in names if (tmp_path / name / "articles.jsonl").exists()
                for record in read_jsonl(tmp_path / name / "articles.jsonl")]

    with ReplicaServer(SNAPSHOT_DIR) as server:
        killed = [start_worker(server.base_url, redis_url, "killed", tmp_path / name, slow) for name in names]
        deadline = time.monotonic() + 120
        while len(records()) < 12 and time.monotonic() < deadline:
            time.sleep(0.05)
        for worker in killed:
            os.killpg(worker.process.pid, signal.SIGKILL)
            worker.process.wait(timeout=30)
        written = len(records())
        again = [start_worker(server.base_url, redis_url, "killed", tmp_path / name, slow) for name in names]
        final = [worker.finish() for worker in again]
    assert 12 <= written < len(gold)
    for run in final:
        assert run.returncode == 0, run.log[-3000:]
        assert run.stats["finish_reason"] == "finished"
    logs = "".join(run.log for run in final)
    assert "resuming the unfinished full crawl" in logs
    assert "joining the full crawl that other workers are running" in logs
    urls = [record["url"] for record in records()]
    assert {url: n for url, n in Counter(urls).items() if n > 1} == {}, "an article written twice"
    assert sorted(urls) == sorted(gold)
    assert_records_exact(records(), gold)


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
    assert run.returncode == 2
    assert run.log.splitlines()[-1].endswith(
        "ERROR: REDIS_URL needs FRONTIER_CRAWL_ID: one id shared by every worker of a crawl, "
        "1-64 of A-Z a-z 0-9 . _ - (got '')"
    )
    assert "Traceback" not in run.log
    assert replica.requests == []


@pytest.mark.crawl
@pytest.mark.redis
def test_a_worker_whose_redis_does_not_answer_does_not_start(replica, tmp_path):
    run = start_worker(replica.base_url, f"redis://127.0.0.1:{free_port()}/0", "c", tmp_path / "worker").finish()
    assert run.returncode == 9
    (error,) = [line for line in run.log.splitlines() if " ERROR: " in line]
    assert "ERROR: the Redis server of REDIS_URL does not answer: " in error
    assert "Traceback" not in run.log
    assert replica.requests == []
