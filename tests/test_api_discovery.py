"""Where the site answers the WordPress API, its list of posts names every
article, and sitemaps and listings are not read; where it stops answering,
the crawl reads them after all, and finds every article."""

import pytest

from replica import SNAPSHOT_300_DIR
from replica.behaviour import Response
from sulsel_crawler.urls import ARTICLE_PATH
from tests.support.crawl import run_crawl
from tests.support.gold import assert_records_exact, gold_by_url

pytestmark = pytest.mark.crawl

GOLD = gold_by_url(SNAPSHOT_300_DIR)


def other_requests(server) -> list[str]:
    """Every request but those of article pages (their continuation pages included)."""
    return [r["path"] for r in server.requests if not ARTICLE_PATH.match(r["path"])]


def fail_api_pages_after_the_first(server) -> None:
    api = server._httpd.behaviour.api  # the replica has no option for a failing API
    answer = api.answer

    def failing(path, query):
        response = answer(path, query)
        if response is not None and "page=" in query and "page=1&" not in query:
            return Response(500, "text/plain", b"Internal Server Error")
        return response

    api.answer = failing


def test_where_the_api_answers_it_replaces_sitemaps_and_listings(make_replica, tmp_path):
    server = make_replica(SNAPSHOT_300_DIR, api=True)
    run = run_crawl(server.base_url, tmp_path)
    assert run.returncode == 0, run.log[-3000:]
    assert sorted(run.urls()) == sorted(GOLD)
    assert_records_exact(run.records, GOLD)
    api_pages = -(-len(GOLD) // 100)
    assert sorted(other_requests(server)) == sorted(
        ["/robots.txt", "/", "/feed/"] + ["/wp-json/wp/v2/posts"] * api_pages
    )
    assert run.stats["sulselsatu/api/sources_skipped"] > 0
    assert "sulselsatu/api/unavailable" not in run.stats


def test_an_api_that_stops_answering_leaves_the_crawl_to_every_other_source(make_replica, tmp_path):
    without_api = make_replica(SNAPSHOT_300_DIR)
    (tmp_path / "without-api").mkdir()
    (tmp_path / "failing-api").mkdir()
    assert run_crawl(without_api.base_url, tmp_path / "without-api").returncode == 0
    server = make_replica(SNAPSHOT_300_DIR, api=True)
    fail_api_pages_after_the_first(server)
    run = run_crawl(server.base_url, tmp_path / "failing-api")
    assert run.returncode == 0, run.log[-3000:]
    assert sorted(run.urls()) == sorted(GOLD)
    assert_records_exact(run.records, GOLD)
    # Every sitemap and listing, those held while the API answered included
    # (robots.txt's sitemap, a tag linked from the homepage only).
    assert set(other_requests(without_api)) <= set(other_requests(server))
    assert run.stats["sulselsatu/api/unavailable"] == 1
    assert run.stats["sulselsatu/api/sources_read_after_all"] > 1
    assert "sulselsatu/api/sources_skipped" not in run.stats
