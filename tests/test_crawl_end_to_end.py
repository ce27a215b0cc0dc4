"""The whole crawl, as a user runs it, against the replica of the site."""

from collections import Counter

import pytest

from tests.crawl_run import assert_records_exact, expected_records, run_crawl
from tests.replica import SNAPSHOT_300_DIR, SNAPSHOT_DIR, ReplicaServer
from tests.replica.requests_log import (
    asset_requests,
    disallowed_requests,
    repeated_page_keys,
    unlinked_requests,
)


@pytest.fixture(scope="module", params=[SNAPSHOT_DIR, SNAPSHOT_300_DIR], ids=["40-articles", "300-articles"])
def crawl(request, tmp_path_factory):
    """One crawl per sample site, shared by the checks below."""
    workdir = tmp_path_factory.mktemp("crawl")
    with ReplicaServer(request.param, log_path=workdir / "requests.jsonl") as server:
        run = run_crawl(server.base_url, workdir)
        return run, server.requests, server.manifest, expected_records(request.param)


def test_crawl_finishes_cleanly(crawl):
    run, _, _, _ = crawl
    assert run.returncode == 0, run.log[-3000:]
    assert run.stats["finish_reason"] == "finished"
    assert run.stats.get("log_count/ERROR", 0) == 0, run.log[-3000:]


def test_every_article_is_found_and_nothing_else(crawl):
    run, _, _, expected = crawl
    found = set(run.urls())
    assert sorted(set(expected) - found) == [], "articles missing"
    assert sorted(found - set(expected)) == [], "records that are not articles"


def test_no_duplicate_records(crawl):
    run, _, _, _ = crawl
    repeated = {url: n for url, n in Counter(run.urls()).items() if n > 1}
    assert repeated == {}
    assert len({record["content_hash"] for record in run.records}) == len(run.records)


def test_every_field_matches_the_gold_records(crawl):
    run, _, _, expected = crawl
    assert all(record["crawled_at"].endswith("Z") for record in run.records)
    assert_records_exact(run.records, expected)


def test_nothing_was_rejected(crawl):
    run, _, _, _ = crawl
    assert run.rejects == []


def test_no_disallowed_unlinked_or_asset_request(crawl):
    _, requests, manifest, _ = crawl
    assert disallowed_requests(requests, manifest) == []
    assert unlinked_requests(requests, manifest) == []
    assert asset_requests(requests, manifest) == []


def test_no_page_requested_twice(crawl):
    _, requests, _, _ = crawl
    assert repeated_page_keys(requests) == {}
    assert Counter(r["path"] for r in requests)["/robots.txt"] == 1


def test_every_request_went_to_the_replica(crawl):
    run, requests, _, _ = crawl
    assert run.stats["downloader/request_count"] == len(requests)
