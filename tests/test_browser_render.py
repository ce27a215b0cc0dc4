"""``-a render=…``, how the browser is found and launched, and a crawl that
sends every HTML page through the real Chromium."""

import os
from collections import Counter

import pytest

from replica import SNAPSHOT_DIR, ReplicaServer, page_key
from replica.api import is_api_path
from replica.requests_log import asset_requests, unlinked_requests
from sulsel_crawler.arguments import ArgumentError, CrawlArguments
from sulsel_crawler.browser import chromium_launch_options, system_chromium
from tests.support.crawl import run_crawl
from tests.support.gold import assert_records_exact, gold_by_url


@pytest.mark.unit
@pytest.mark.parametrize("mode", ["auto", "always", "never"])
def test_render_argument(mode):
    assert CrawlArguments.parse({"render": mode}).render == mode


@pytest.mark.unit
def test_render_argument_defaults_to_the_setting():
    assert CrawlArguments.parse({}).render is None


@pytest.mark.unit
def test_unknown_render_mode_is_refused():
    with pytest.raises(ArgumentError, match=r"render 'sometimes' is not one of auto, always, never"):
        CrawlArguments.parse({"render": "sometimes"})


@pytest.mark.crawl
def test_scrapy_crawl_refuses_an_unknown_render_mode_before_crawling(tmp_path):
    run = run_crawl(None, tmp_path, "-a", "render=sometimes", output="out.jsonl", timeout=60)
    assert run.returncode == 2
    assert "error: render 'sometimes' is not one of auto, always, never" in run.log
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.unit
def test_launch_options_use_the_system_chromium_when_installed():
    options = chromium_launch_options()
    assert options["headless"] is True
    assert "--disable-background-networking" in options["args"]
    assert ("--no-sandbox" in options["args"]) == (os.geteuid() == 0)
    if system_chromium():
        assert options["executable_path"] == system_chromium()
    else:
        assert "executable_path" not in options  # Playwright's own Chromium


@pytest.fixture(scope="module")
def rendered_crawl(tmp_path_factory):
    """One crawl of the 40-article sample with ``render=always``, challenge on."""
    workdir = tmp_path_factory.mktemp("render-always")
    with ReplicaServer(SNAPSHOT_DIR) as server:
        run = run_crawl(server.base_url, workdir, "-a", "render=always")
        return run, server.requests, server.manifest


@pytest.mark.crawl
@pytest.mark.browser
def test_render_always_extracts_every_article_exactly(rendered_crawl):
    run, _, _ = rendered_crawl
    assert run.returncode == 0, run.log[-3000:]
    expected = gold_by_url(SNAPSHOT_DIR)
    assert sorted(run.urls()) == sorted(expected)
    # A moved article is fetched under its old address (the browser follows the
    # redirect, unseen by the duplicate filter) and under its new one; the
    # second copy is dropped as a duplicate.
    assert {reject["stage"] for reject in run.rejects} <= {"duplicate"}
    assert_records_exact(run.records, expected)


@pytest.mark.crawl
@pytest.mark.browser
def test_render_always_renders_every_html_page_and_nothing_else(rendered_crawl):
    run, requests, manifest = rendered_crawl
    plain = {"/robots.txt", "/feed/", "/sitemap.xml"}
    not_rendered = sum(
        1 for r in requests if r["path"] in plain or r["path"].startswith("/sitemap/") or is_api_path(r["path"])
    )
    # The browser follows a moved article's redirect itself: two answers, one render.
    redirects = sum(1 for r in requests if r["status"] == 301)
    assert run.stats["sulselsatu/browser/renders"] == len(requests) - not_rendered - redirects
    assert run.stats.get("log_count/ERROR", 0) == 0, run.log[-3000:]
    assert asset_requests(requests, manifest) == []
    assert unlinked_requests(requests, manifest) == []


@pytest.mark.crawl
@pytest.mark.browser
def test_render_always_passes_the_challenge_in_the_browser(rendered_crawl):
    """The first challenged page reloads itself in the browser; its script has
    stored the cookie there, so it is rendered once more, and every later
    challenged page gets the cookie from the browser at once."""
    run, requests, manifest = rendered_crawl
    assert run.stats["sulselsatu/challenge/met"] == 1
    assert run.stats["sulselsatu/challenge/retried"] == 1
    challenged = set(manifest["challenge"]["paths"])
    answers = [r for r in requests if r["path"] in challenged]
    pages = {page_key(r["path"], r["query"]) for r in answers}
    assert Counter(r["status"] for r in answers) == {503: 1, 200: len(pages)}
