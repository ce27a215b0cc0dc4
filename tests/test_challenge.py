"""The JavaScript cookie challenge, passed by the real Chromium against the
replica's real challenge; and the crawl's end when the browser cannot help."""

import json
import time
from collections import Counter

import pytest

from replica import SNAPSHOT_DIR, page_key
from sulsel_crawler import settings
from sulsel_crawler.middlewares.challenge import with_challenge_cookie
from tests.support.crawl import run_crawl, start_crawl
from tests.support.gold import assert_records_exact, gold_by_url
from tests.support.processes import ProcessWatch

MAX_RENDERS = settings.CHALLENGE_MAX_RENDERS
MAX_RETRIES = settings.CHALLENGE_MAX_RETRIES


def challenged_article_urls(manifest):
    return {"https://www.sulselsatu.com" + path for path in manifest["challenge"]["paths"]}


def challenge_answers(requests, manifest):
    """The replica's answers for challenged paths (pages 2 and 3 included)."""
    paths = set(manifest["challenge"]["paths"])
    return [r for r in requests if r["path"] in paths]


def launch_options(executable):
    return "-s", "PLAYWRIGHT_LAUNCH_OPTIONS=" + json.dumps({"executable_path": str(executable), "timeout": 10_000})


@pytest.mark.browser
def test_chromium_solves_the_challenge_by_itself(replica, chromium):
    from playwright.sync_api import sync_playwright  # not at the top: the unit tier collects this module

    challenge = replica.manifest["challenge"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(replica.base_url + challenge["paths"][0])
            page.wait_for_selector("h1.post-title", timeout=10_000)
        finally:
            browser.close()
    assert [(request["status"], request["cookie"]) for request in replica.requests] == [
        (503, ""),
        (200, f"sschk={challenge['token']}"),
    ]


@pytest.mark.unit
@pytest.mark.parametrize(
    "cookies, expected",
    [
        ({}, [{"name": "sschk", "value": "1f", "path": "/"}]),
        ({"a": "1"}, [{"name": "a", "value": "1"}, {"name": "sschk", "value": "1f", "path": "/"}]),
        ([{"name": "a", "value": "1"}], [{"name": "a", "value": "1"}, {"name": "sschk", "value": "1f", "path": "/"}]),
    ],
)
def test_the_challenge_cookie_joins_a_requests_cookies_for_the_whole_site(cookies, expected):
    assert with_challenge_cookie(cookies, "1f") == expected


@pytest.mark.crawl
@pytest.mark.browser
def test_challenged_articles_are_extracted_exactly(default_crawl):
    run, _, manifest, expected = default_crawl
    assert run.returncode == 0, run.log[-3000:]
    assert challenged_article_urls(manifest) <= set(run.urls())
    assert sorted(run.urls()) == sorted(expected)
    assert_records_exact(run.records, expected)
    assert run.rejects == []


@pytest.mark.crawl
@pytest.mark.browser
def test_one_browser_render_passes_every_challenge(default_crawl):
    run, requests, manifest, _ = default_crawl
    stats = run.stats
    challenges = sum(1 for r in challenge_answers(requests, manifest) if r["status"] == 503)
    # Every challenge answer was met by a plain request: the first, and those
    # already on their way when its answer came; the others waited for the cookie.
    assert stats["sulselsatu/challenge/met"] == stats["sulselsatu/challenge/retried"] == challenges <= 3
    assert stats["sulselsatu/challenge/requests_held"] > 0
    assert stats["sulselsatu/browser/renders"] == stats["sulselsatu/challenge/solved"] == 1
    assert "sulselsatu/browser/failures" not in stats
    # Once the cookie is known, every challenged page gets it, whatever its path.
    passed = min(r["t"] for r in challenge_answers(requests, manifest) if r["status"] == 200)
    late = [r["path"] for r in challenge_answers(requests, manifest) if r["status"] == 503 and r["received"] > passed]
    assert late == []
    assert stats.get("log_count/ERROR", 0) == 0, run.log[-3000:]


@pytest.mark.crawl
@pytest.mark.browser
def test_the_browser_asks_the_site_for_nothing(default_crawl):
    """The browser renders the challenge page the crawl received; its
    self-reload and the page's assets never reach the site, so every request
    the site saw is one that Scrapy made and counted."""
    run, requests, manifest, _ = default_crawl
    answers = challenge_answers(requests, manifest)
    pages = {page_key(r["path"], r["query"]) for r in answers}
    assert Counter((r["status"], bool(r["cookie"])) for r in answers) == {
        (503, False): run.stats["sulselsatu/challenge/met"],
        (200, True): len(pages),
    }
    assert {r["user_agent"] for r in requests} == {requests[0]["user_agent"]}
    assert run.stats["downloader/request_count"] == len(requests) + run.stats["sulselsatu/browser/renders"]


@pytest.mark.browser
def test_the_browser_runs_only_while_the_challenge_needs_it(make_replica, tmp_path):
    """Playwright's driver starts with the first challenge, not with the
    crawl, and stops with Chromium once the cookie is taken; the crawl goes
    on without them."""
    server = make_replica(SNAPSHOT_DIR, latency=0.03)
    crawl = start_crawl(server.base_url, tmp_path)
    watch = ProcessWatch(crawl.process.pid)
    run = crawl.finish()
    watch.join()
    assert run.returncode == 0, run.log[-3000:]
    assert run.stats["sulselsatu/browser/renders"] == run.stats["playwright/browser_count"] == 1
    assert run.stats["sulselsatu/browser/closed"] == 1
    with_browser = [moment for moment, programs in watch.samples if programs]
    assert with_browser, "the crawl started no browser"
    first_challenge = min(r["t"] for r in challenge_answers(server.requests, server.manifest) if r["status"] == 503)
    assert min(with_browser) > first_challenge
    assert any(r["received"] > max(with_browser) for r in server.requests), "the browser stayed to the crawl's end"


@pytest.mark.crawl
@pytest.mark.parametrize(
    "executable",
    [pytest.param("/nonexistent/chromium", id="missing"), pytest.param("/bin/false", id="crashing")],
)
def test_crawl_finishes_when_the_browser_fails(executable, make_replica, tmp_path):
    server = make_replica(SNAPSHOT_DIR)
    run = run_crawl(server.base_url, tmp_path, *launch_options(executable))
    assert run.returncode == 0, run.log[-3000:]
    assert run.stats["finish_reason"] == "finished"
    challenged = challenged_article_urls(server.manifest)
    assert {reject["url"] for reject in run.rejects} == challenged
    assert {reject["stage"] for reject in run.rejects} == {"browser"}
    assert run.rejects and all("browser render failed" in reject["reasons"][0] for reject in run.rejects)
    expected = gold_by_url(SNAPSHOT_DIR)
    assert sorted(run.urls()) == sorted(set(expected) - challenged)
    assert_records_exact(run.records, expected)
    assert 1 <= run.stats["sulselsatu/browser/failures"] <= MAX_RENDERS
    assert run.stats["sulselsatu/challenge/failed"] == len(challenged)


@pytest.mark.crawl
def test_a_hanging_browser_is_cut_off_by_the_render_timeout(make_replica, tmp_path):
    hanging = tmp_path / "chromium"
    hanging.write_text("#!/bin/sh\nexec sleep 120\n")
    hanging.chmod(0o755)
    server = make_replica(SNAPSHOT_DIR)
    started = time.monotonic()
    run = run_crawl(server.base_url, tmp_path, *launch_options(hanging), "-s", "BROWSER_RENDER_TIMEOUT=2")
    assert run.returncode == 0, run.log[-3000:]
    assert time.monotonic() - started < 60
    assert {reject["url"] for reject in run.rejects} == challenged_article_urls(server.manifest)
    assert run.rejects and all(
        "browser render took more than 2 s" in reject["reasons"][0] for reject in run.rejects
    )
    assert run.stats["sulselsatu/browser/failures"] <= MAX_RENDERS


@pytest.mark.crawl
@pytest.mark.browser
def test_a_challenge_that_keeps_coming_back_fails_those_pages_only(make_replica, tmp_path):
    server = make_replica(SNAPSHOT_DIR)
    # The page's script still sets the cookie it computes; the server (through
    # the replica's internals, as it has no option for this) accepts none.
    server._httpd.behaviour.token = "never-valid"
    run = run_crawl(server.base_url, tmp_path)
    assert run.returncode == 0, run.log[-3000:]
    challenged = challenged_article_urls(server.manifest)
    assert {reject["url"] for reject in run.rejects} == challenged
    assert run.rejects and all("challenge met again" in reject["reasons"][0] for reject in run.rejects)
    assert run.stats["sulselsatu/browser/renders"] <= MAX_RENDERS
    per_page = Counter(r["path"] for r in server.requests if r["path"] in server.manifest["challenge"]["paths"])
    assert max(per_page.values()) <= 1 + MAX_RETRIES + MAX_RENDERS
    assert sorted(run.urls()) == sorted(set(gold_by_url(SNAPSHOT_DIR)) - challenged)


@pytest.mark.crawl
def test_render_never_rejects_challenged_pages_without_a_browser(make_replica, tmp_path):
    server = make_replica(SNAPSHOT_DIR)
    crawl = start_crawl(server.base_url, tmp_path, "-a", "render=never")
    watch = ProcessWatch(crawl.process.pid)
    run = crawl.finish()
    assert run.returncode == 0, run.log[-3000:]
    assert [programs for _, programs in watch.join().samples if programs] == []
    assert {reject["url"] for reject in run.rejects} == challenged_article_urls(server.manifest)
    assert run.rejects and all("render=never" in reject["reasons"][0] for reject in run.rejects)
    assert "sulselsatu/browser/renders" not in run.stats
    assert "playwright/browser_count" not in run.stats
