"""The whole crawl, as a user runs it, against the replica of the site."""

from collections import Counter

import pytest

from replica.requests_log import (
    asset_requests,
    disallowed_requests,
    repeated_page_keys,
    unlinked_requests,
)
from tests.support.gold import assert_records_exact

pytestmark = [pytest.mark.crawl, pytest.mark.browser]


def test_crawl_finishes_cleanly(default_crawl):
    run, _, _, _ = default_crawl
    assert run.returncode == 0, run.log[-3000:]
    assert run.stats["finish_reason"] == "finished"
    assert run.stats.get("log_count/ERROR", 0) == 0, run.log[-3000:]


def test_every_article_is_found_and_nothing_else(default_crawl):
    run, _, _, expected = default_crawl
    found = set(run.urls())
    assert sorted(set(expected) - found) == [], "articles missing"
    assert sorted(found - set(expected)) == [], "records that are not articles"


def test_no_duplicate_records(default_crawl):
    run, _, _, _ = default_crawl
    repeated = {url: n for url, n in Counter(run.urls()).items() if n > 1}
    assert repeated == {}
    assert len({record["content_hash"] for record in run.records}) == len(run.records)


def test_every_field_matches_the_gold_records(default_crawl):
    run, _, _, expected = default_crawl
    assert run.records and all(record["crawled_at"].endswith("Z") for record in run.records)
    assert_records_exact(run.records, expected)


def test_nothing_was_rejected(default_crawl):
    run, _, _, _ = default_crawl
    assert run.rejects == []


def test_no_disallowed_unlinked_or_asset_request(default_crawl):
    _, requests, manifest, _ = default_crawl
    assert disallowed_requests(requests, manifest) == []
    assert unlinked_requests(requests, manifest) == []
    assert asset_requests(requests, manifest) == []


def test_no_page_requested_twice(default_crawl):
    _, requests, _, _ = default_crawl
    assert repeated_page_keys(requests) == {}
    assert Counter(r["path"] for r in requests)["/robots.txt"] == 1


def test_links_to_pages_asked_for_already_make_no_request(default_crawl):
    """Each page links to many pages the crawl asked for already: the spider
    drops those links before building a request, so Scrapy's duplicate
    filter has next to nothing left to drop."""
    run, _, _, _ = default_crawl
    assert run.stats["sulselsatu/links_already_requested"] > run.stats["scheduler/enqueued"]
    assert run.stats.get("dupefilter/filtered", 0) <= 5


def test_one_playwright_driver_for_the_crawl(default_crawl):
    """The http and https download handlers share one scrapy-playwright
    handler, which starts one Playwright driver (a Node.js process)."""
    run, _, _, _ = default_crawl
    assert run.log.count("[scrapy-playwright] INFO: Starting download handler") == 1
    assert run.log.count("[scrapy-playwright] INFO: Closing download handler") == 1


def test_every_request_went_to_the_replica(default_crawl):
    """Every request but the challenge's render, which shows the browser the
    page the crawl received."""
    run, requests, _, _ = default_crawl
    assert run.stats["downloader/request_count"] == len(requests) + run.stats["sulselsatu/browser/renders"]
