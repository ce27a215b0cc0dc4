"""The JavaScript cookie challenge, passed by the real Chromium against the
replica's real challenge; and the crawl's end when the browser cannot help."""

import json
import time
from collections import Counter

import pytest

from sulsel_crawler import settings
from tests.crawl_run import assert_records_exact, expected_records, run_crawl
from tests.replica import SNAPSHOT_300_DIR, SNAPSHOT_DIR, ReplicaServer, page_key

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


@pytest.fixture(scope="module", params=[SNAPSHOT_DIR, SNAPSHOT_300_DIR], ids=["40-articles", "300-articles"])
def crawl(request, tmp_path_factory):
    """One crawl per sample site with the challenge on, shared by the checks below."""
    workdir = tmp_path_factory.mktemp("challenge")
    with ReplicaServer(request.param) as server:
        run = run_crawl(server.base_url, workdir)
        return run, server.requests, server.manifest, expected_records(request.param)


def test_challenged_articles_are_extracted_exactly(crawl):
    run, _, manifest, expected = crawl
    assert run.returncode == 0, run.log[-3000:]
    assert challenged_article_urls(manifest) <= set(run.urls())
    assert sorted(run.urls()) == sorted(expected)
    assert_records_exact(run.records, expected)
    assert run.rejects == []


def test_one_browser_render_passes_every_challenge(crawl):
    run, requests, manifest, _ = crawl
    stats = run.stats
    challenges = sum(1 for r in challenge_answers(requests, manifest) if r["status"] == 503)
    # Every challenge answer but the browser's own was met by a plain request.
    assert stats["sulselsatu/challenge/met"] == stats["sulselsatu/challenge/retried"] == challenges - 1
    assert stats["sulselsatu/browser/renders"] == stats["sulselsatu/challenge/solved"] == 1
    assert "sulselsatu/browser/failures" not in stats
    assert stats.get("log_count/ERROR", 0) == 0, run.log[-3000:]


def test_browser_asks_the_site_for_one_page_only(crawl):
    """The browser's one request carries the crawler's user agent; the
    challenge's self-reload and the page's assets never reach the site, so
    every request the site saw is one that Scrapy made and counted."""
    run, requests, manifest, _ = crawl
    answers = challenge_answers(requests, manifest)
    pages = {page_key(r["path"], r["query"]) for r in answers}
    assert Counter((r["status"], bool(r["cookie"])) for r in answers) == {
        (503, False): run.stats["sulselsatu/challenge/met"] + 1,
        (200, True): len(pages),
    }
    assert {r["user_agent"] for r in requests} == {requests[0]["user_agent"]}
    assert run.stats["downloader/request_count"] == len(requests)


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
    assert all("browser render failed" in reject["reasons"][0] for reject in run.rejects)
    expected = expected_records(SNAPSHOT_DIR)
    assert sorted(run.urls()) == sorted(set(expected) - challenged)
    assert_records_exact(run.records, expected)
    assert 1 <= run.stats["sulselsatu/browser/failures"] <= MAX_RENDERS
    assert run.stats["sulselsatu/challenge/failed"] == len(challenged)


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
    assert all("browser render took more than 2 s" in reject["reasons"][0] for reject in run.rejects)
    assert run.stats["sulselsatu/browser/failures"] <= MAX_RENDERS


def test_a_challenge_that_keeps_coming_back_fails_those_pages_only(make_replica, tmp_path):
    server = make_replica(SNAPSHOT_DIR)
    # The page's script still sets the cookie it computes; the server (through
    # the replica's internals, as it has no option for this) accepts none.
    server._httpd.behaviour.token = "never-valid"
    run = run_crawl(server.base_url, tmp_path)
    assert run.returncode == 0, run.log[-3000:]
    challenged = challenged_article_urls(server.manifest)
    assert {reject["url"] for reject in run.rejects} == challenged
    assert all("challenge met again" in reject["reasons"][0] for reject in run.rejects)
    assert run.stats["sulselsatu/browser/renders"] <= MAX_RENDERS
    per_page = Counter(r["path"] for r in server.requests if r["path"] in server.manifest["challenge"]["paths"])
    assert max(per_page.values()) <= 1 + MAX_RETRIES + MAX_RENDERS
    assert sorted(run.urls()) == sorted(set(expected_records(SNAPSHOT_DIR)) - challenged)


def test_render_never_rejects_challenged_pages_without_a_browser(make_replica, tmp_path):
    server = make_replica(SNAPSHOT_DIR)
    run = run_crawl(server.base_url, tmp_path, "-a", "render=never")
    assert run.returncode == 0, run.log[-3000:]
    assert {reject["url"] for reject in run.rejects} == challenged_article_urls(server.manifest)
    assert all("render=never" in reject["reasons"][0] for reject in run.rejects)
    assert "sulselsatu/browser/renders" not in run.stats
    assert "playwright/browser_count" not in run.stats
