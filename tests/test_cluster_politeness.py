"""Three workers against a replica that takes 50 ms an answer: with the
shared politeness budget the site sees the rate of one crawl (a request
start every DOWNLOAD_DELAY at most, CONCURRENT_REQUESTS_PER_DOMAIN in
flight), the cookie challenge is rendered once for the cluster, and the
cluster still writes every article once."""

from collections import Counter

import pytest

from replica import SNAPSHOT_DIR, ReplicaServer
from replica.requests_log import most_in_flight, most_starts_in_a_second, repeated_page_keys
from tests.support.crawl import start_worker
from tests.support.gold import assert_records_exact, gold_by_url

pytestmark = [pytest.mark.crawl, pytest.mark.browser, pytest.mark.redis]

DELAY = 0.1
IN_FLIGHT = 2
BUDGET = {"DOWNLOAD_DELAY": str(DELAY), "CONCURRENT_REQUESTS_PER_DOMAIN": str(IN_FLIGHT)}


@pytest.fixture(scope="module")
def cluster(redis_url, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("politeness")
    with ReplicaServer(SNAPSHOT_DIR, latency=0.05) as server:
        workers = [
            start_worker(server.base_url, redis_url, "polite", workdir / f"worker-{n}", BUDGET) for n in range(3)
        ]
        runs = [worker.finish(timeout=300) for worker in workers]
        return runs, server.requests


def test_the_site_sees_the_rate_of_one_crawl(cluster):
    runs, requests = cluster
    for run in runs:
        assert run.returncode == 0, run.log[-3000:]
    assert sum(run.stats.get("downloader/request_count", 0) > 0 for run in runs) >= 2, "workers did not share"
    assert most_in_flight(requests) <= IN_FLIGHT
    starts = sorted(r["received"] for r in requests)
    # On average one start every 0.1 s (the span between the first and the
    # last start, as the site saw them, may be a few ms short).
    assert (len(starts) - 1) / (starts[-1] - starts[0]) <= 1.02 / DELAY
    # Starts leave the workers 0.1 s apart; they reach the site a few ms
    # early or late (a new connection, a busy worker). Without the shared
    # budget, three workers start up to 30 requests a second.
    assert most_starts_in_a_second(requests) <= 1 / DELAY + 3


def test_one_browser_render_for_the_whole_cluster(cluster):
    runs, requests = cluster
    renders = sum(run.stats.get("sulselsatu/browser/renders", 0) for run in runs)
    shared = sum(run.stats.get("sulselsatu/challenge/cookie_from_another_worker", 0) for run in runs)
    assert renders == 1
    assert shared == sum(1 for run in runs if run.stats.get("sulselsatu/challenge/met")) - 1


def test_the_polite_cluster_writes_every_article_once(cluster):
    runs, requests = cluster
    # Each worker reads robots.txt; no other page is fetched twice.
    assert repeated_page_keys([r for r in requests if r["path"] != "/robots.txt"]) == {}
    for run in runs:
        assert "Shared queue empty and no worker busy: this worker closes" in run.log
    records = [record for run in runs for record in run.records]
    urls = [record["url"] for record in records]
    assert {url: n for url, n in Counter(urls).items() if n > 1} == {}
    gold = gold_by_url(SNAPSHOT_DIR)
    assert sorted(urls) == sorted(gold)
    assert_records_exact(records, gold)
