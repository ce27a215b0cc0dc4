"""The crawl state end to end: a crawl killed at any point (``kill -9`` of its
process group, or Ctrl-C) is continued by running the same command again,
and the datasets of all its runs together hold every article exactly once;
filters; failures tried again by the next run and given up in the end."""

import os
import random
import shutil
import signal
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from replica import SNAPSHOT_300_DIR, SNAPSHOT_DIR, ReplicaServer, load_manifest
from replica.evolve import evolve
from sulsel_crawler.urls import ARTICLE_PATH
from tests.support.crawl import read_jsonl, run_crawl, start_crawl
from tests.support.gold import assert_records_exact, gold_by_url

# The replica's cookie challenge is on: every crawl renders it once in Chromium.
pytestmark = [pytest.mark.crawl, pytest.mark.browser]

# Slow enough that a kill lands in the middle of the crawl.
SLOW = {"DOWNLOAD_DELAY": "0.03", "CONCURRENT_REQUESTS_PER_DOMAIN": "2"}
# (dataset file, -o instead of -O, with Scrapy's JOBDIR)
OUTPUTS = {
    "overwrite": ("articles.jsonl", False, False),
    "append": ("articles.jsonl", True, False),
    "per-run file": ("articles-%(time)s.jsonl", False, False),
    "append with JOBDIR": ("articles.jsonl", True, True),
}


def state_settings(workdir: Path) -> dict:
    return {"CRAWL_STATE": workdir / "state.sqlite", **SLOW}


def records_in(workdir: Path) -> list[dict]:
    """Every record of every dataset file the runs wrote."""
    return [record for path in sorted(workdir.glob("articles*.jsonl")) if ".rejects." not in path.name
            for record in read_jsonl(path)]


def wait_for_records(workdir: Path, count: int, crawl, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and crawl.process.poll() is None:
        if len(records_in(workdir)) >= count:
            return
        time.sleep(0.05)


def assert_every_article_once(workdir: Path, gold: dict) -> None:
    records = records_in(workdir)
    urls = [record["url"] for record in records]
    assert len(urls) == len(set(urls)), "an article was written twice"
    assert sorted(urls) == sorted(gold)
    assert_records_exact(records, gold)


@pytest.mark.parametrize("output", OUTPUTS)
def test_kill_9_at_three_random_points_loses_and_repeats_nothing(output, tmp_path):
    name, append, with_jobdir = OUTPUTS[output]
    options = ("-s", f"JOBDIR={tmp_path / 'jobdir'}") if with_jobdir else ()
    seed = int(os.environ.get("KILL_SEED", time.time_ns()))
    chance = random.Random(seed)
    print(f"kill points drawn with KILL_SEED={seed}")
    gold = gold_by_url(SNAPSHOT_DIR)
    with ReplicaServer(SNAPSHOT_DIR) as server:
        done = 0
        for _ in range(3):
            crawl = start_crawl(
                server.base_url, tmp_path, *options, output=name, append=append, settings=state_settings(tmp_path)
            )
            # A kill point before the last few records: the crawl must still be running.
            target = chance.randint(done, max(done, done + (len(gold) - 3 - done) // 2))
            wait_for_records(tmp_path, target, crawl)
            os.killpg(crawl.process.pid, signal.SIGKILL)
            crawl.process.wait(timeout=30)
            done = len({record["url"] for record in records_in(tmp_path)})
        final = run_crawl(
            server.base_url, tmp_path, *options, output=name, append=append, settings=state_settings(tmp_path)
        )
    assert final.returncode == 0, f"seed {seed}: {final.log[-3000:]}"
    assert final.stats["finish_reason"] == "finished"
    assert final.stats["sulselsatu/state/resumed"] is True
    assert "resuming the unfinished full crawl" in final.log
    assert_every_article_once(tmp_path, gold)


def test_ctrl_c_then_the_same_command_finishes_the_crawl(tmp_path):
    gold = gold_by_url(SNAPSHOT_DIR)
    with ReplicaServer(SNAPSHOT_DIR) as server:
        crawl = start_crawl(server.base_url, tmp_path, settings=state_settings(tmp_path))
        wait_for_records(tmp_path, 10, crawl)
        crawl.process.send_signal(signal.SIGINT)
        stopped = crawl.finish(timeout=60)
        before = len(server.requests)
        resumed = run_crawl(server.base_url, tmp_path, settings=state_settings(tmp_path))
        paths_requested_again = {r["path"] for r in server.requests[before:]}
    assert stopped.stats["finish_reason"] == "shutdown"
    assert 10 <= len(stopped.records) < len(gold)
    assert "run the same command again to continue it" in stopped.log
    assert resumed.returncode == 0, resumed.log[-3000:]
    assert f"{len(stopped.records)} articles exported so far" in resumed.log
    exported_first = {url.removeprefix("https://www.sulselsatu.com") for url in stopped.urls()}
    again = sorted(exported_first & paths_requested_again)
    assert not again, f"the resumed run fetched articles exported already: {again}"
    assert_every_article_once(tmp_path, gold)


def test_a_finished_crawl_run_again_is_a_new_full_crawl(tmp_path):
    """Even with the JOBDIR of the finished crawl, whose duplicate filter
    would otherwise skip every page."""
    gold = gold_by_url(SNAPSHOT_DIR)
    jobdir = ("-s", f"JOBDIR={tmp_path / 'jobdir'}")
    with ReplicaServer(SNAPSHOT_DIR) as server:
        first = run_crawl(server.base_url, tmp_path, *jobdir)
        second = run_crawl(server.base_url, tmp_path, *jobdir)
    assert first.returncode == second.returncode == 0
    assert second.stats["sulselsatu/state/resumed"] is False
    assert second.stats["sulselsatu/state/crawl"] == first.stats["sulselsatu/state/crawl"] + 1
    assert "was left by a crawl that finished, so it cannot be trusted" in second.log
    assert sorted(second.urls()) == sorted(gold)


def test_filters_since_and_categories(tmp_path):
    since, categories = date(2023, 1, 1), {"makassar", "hukum"}
    gold = {
        url: record
        for url, record in gold_by_url(SNAPSHOT_DIR).items()
        if record["published_at"][:10] >= since.isoformat() and record["category_slug"] in categories
    }
    assert gold, "the sample has articles in the filters"
    with ReplicaServer(SNAPSHOT_DIR) as server:
        run = run_crawl(
            server.base_url, tmp_path, "-a", f"since={since}", "-a", "categories=makassar,hukum",
            settings={"CRAWL_STATE": ""},
        )
        monthly_sitemaps = {r["path"] for r in server.requests if r["path"].startswith("/sitemap/")}
    assert run.returncode == 0, run.log[-3000:]
    assert sorted(run.urls()) == sorted(gold)
    assert_records_exact(run.records, gold)
    assert monthly_sitemaps and all(path[len("/sitemap/"):][:7] >= "2023-01" for path in monthly_sitemaps)


@pytest.mark.parametrize(
    "argument, message",
    [
        ("since=2024-02-30", "since '2024-02-30' is not a day such as 2024-01-31"),
        ("categories=Makassar", "categories 'Makassar': 'Makassar' is not a section slug such as makassar"),
        ("mode=incremental", "mode 'incremental' is not one of full, update"),
        ("base_url=", "spider argument base_url is empty"),
    ],
)
def test_bad_filters_stop_the_crawl_with_one_line(argument, message, tmp_path):
    run = run_crawl(None, tmp_path, "-a", argument, timeout=60)
    assert run.returncode == 2
    assert f"error: {message}" in run.log
    assert "Traceback" not in run.log


def test_urls_that_failed_are_tried_first_by_the_next_run(tmp_path):
    """Without retries the replica's flaky pages fail for good in the first
    run; the next run, an update, asks for them first and gets them."""
    gold = gold_by_url(SNAPSHOT_DIR)
    settings = {"CRAWL_STATE": tmp_path / "state.sqlite"}
    with ReplicaServer(SNAPSHOT_DIR) as server:
        first = run_crawl(server.base_url, tmp_path, "-s", "RETRY_TIMES=0", settings=settings)
        before = len(server.requests)
        second = run_crawl(
            server.base_url, tmp_path, "-a", "mode=update", "-s", "CONCURRENT_REQUESTS=1",
            output="update.jsonl", settings=settings,
        )
        second_paths = [r["path"] for r in server.requests[before:] if r["path"] != "/robots.txt"]
    assert first.returncode == second.returncode == 0, first.log[-3000:] + second.log[-3000:]
    failed = {reject["url"] for reject in first.rejects}
    failed_articles = failed & set(gold)
    assert failed_articles, "the replica's flaky article failed without retries"
    assert {reject["stage"] for reject in first.rejects} == {"download"}
    assert failed_articles <= set(second.urls())
    assert set(first.urls()).isdisjoint(second.urls())
    assert set(first.urls()) | set(second.urls()) == set(gold)
    first_asked = {"https://www.sulselsatu.com" + path for path in second_paths[: len(failed)]}
    assert first_asked == {url.split("?")[0] for url in failed}, second_paths[:10]


def test_a_url_failing_in_three_runs_in_a_row_is_given_up(tmp_path):
    snapshot = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, snapshot)
    (page_2,) = (snapshot / "site").rglob("*.html__page-2")
    page_2.unlink()
    split_article = "https://www.sulselsatu.com/" + str(page_2.relative_to(snapshot / "site")).removesuffix("__page-2")
    settings = {"CRAWL_STATE": tmp_path / "state.sqlite"}
    runs = []
    with ReplicaServer(snapshot) as server:
        for number in range(4):
            mode = "full" if number == 0 else "update"
            workdir = tmp_path / f"run{number}"
            workdir.mkdir()
            before = len(server.requests)
            runs.append((run_crawl(server.base_url, workdir, "-a", f"mode={mode}", settings=settings),
                         server.requests[before:]))
    for run, _ in runs[:3]:
        assert [reject["url"] for reject in run.rejects] == [split_article]
        assert run.rejects[0]["stage"] == "split_article"
    assert "giving up on " + split_article in runs[2][0].log
    last_run, last_requests = runs[3]
    assert last_run.rejects == []
    assert split_article.removeprefix("https://www.sulselsatu.com") not in {r["path"] for r in last_requests}


@pytest.fixture(scope="module")
def evolved_300(tmp_path_factory):
    """The 300-article sample some hours later: 24 new articles, 9 modified."""
    return evolve(SNAPSHOT_300_DIR, tmp_path_factory.mktemp("evolved") / "site", new=24, modified=9, seed=3)


@pytest.fixture(scope="module")
def full_crawl_state(tmp_path_factory):
    """The crawl state of one full crawl of the 300-article sample, and that crawl's request count."""
    workdir = tmp_path_factory.mktemp("full")
    with ReplicaServer(SNAPSHOT_300_DIR) as server:
        run = run_crawl(server.base_url, workdir, settings={"CRAWL_STATE": workdir / "state.sqlite"})
        requests = len(server.requests)
    assert run.returncode == 0, run.log[-3000:]
    assert len(run.records) == 300
    return workdir / "state.sqlite", requests


@pytest.mark.parametrize("api", [True, False], ids=["with-api", "without-api"])
def test_update_writes_exactly_the_new_and_changed_articles(api, evolved_300, full_crawl_state, tmp_path):
    state, full_requests = full_crawl_state
    shutil.copy(state, tmp_path / "state.sqlite")
    evolution = load_manifest(evolved_300)["evolution"]
    changed = set(evolution["new"]) | set(evolution["modified"])
    gold = {url: record for url, record in gold_by_url(evolved_300).items() if url in changed}
    with ReplicaServer(evolved_300, api=api) as server:
        run = run_crawl(
            server.base_url, tmp_path, "-a", "mode=update", settings={"CRAWL_STATE": tmp_path / "state.sqlite"}
        )
        requests = server.requests
    assert run.returncode == 0, run.log[-3000:]
    assert sorted(run.urls()) == sorted(changed)
    assert_records_exact(run.records, gold)
    assert run.rejects == []
    article_requests = [r for r in requests if ARTICLE_PATH.match(r["path"])]
    unchanged_fetched = {r["path"] for r in article_requests} - {urlsplit(url).path for url in changed}
    assert len(unchanged_fetched) <= 3, f"the update fetched unchanged articles: {sorted(unchanged_fetched)}"
    # The changed articles, and a few pages to find them: robots.txt, homepage,
    # feed, sitemap index and changed months, category listings, API pages.
    assert len(requests) <= len(changed) + 40, len(requests)
    assert len(requests) < full_requests / 5
    # Where it answers, the API names every new and changed article.
    assert run.stats.get("sulselsatu/links/api/article", 0) == (len(changed) if api else 0)
    # The coverage file compares the API's X-WP-Total with what was exported
    # or known unchanged (the API's answer overlaps the last crawl by an hour).
    api_listed = run.stats.get("sulselsatu/links/api/article", 0) + run.stats.get("sulselsatu/links_skipped/api/article", 0)
    assert run.stats.get("sulselsatu/coverage/stated/api/stated") == (api_listed if api else None)
    assert run.stats.get("sulselsatu/coverage/stated/api/difference") == (0 if api else None)
    print(f"update ({'with' if api else 'without'} API): {len(requests)} requests, full crawl {full_requests}")


def test_update_of_an_unchanged_site_writes_nothing(full_crawl_state, tmp_path):
    state, _ = full_crawl_state
    shutil.copy(state, tmp_path / "state.sqlite")
    with ReplicaServer(SNAPSHOT_300_DIR, api=True) as server:
        run = run_crawl(
            server.base_url, tmp_path, "-a", "mode=update", settings={"CRAWL_STATE": tmp_path / "state.sqlite"}
        )
        articles = [r for r in server.requests if ARTICLE_PATH.match(r["path"])]
    assert run.returncode == 0, run.log[-3000:]
    assert run.records == []
    assert [r["path"] for r in articles if r["status"] == 200] == []


def test_update_without_a_finished_crawl_runs_a_full_crawl(tmp_path):
    with ReplicaServer(SNAPSHOT_DIR) as server:
        run = run_crawl(server.base_url, tmp_path, "-a", "mode=update", settings={"CRAWL_STATE": tmp_path / "state.sqlite"})
    assert run.returncode == 0, run.log[-3000:]
    assert "no crawl of this site has finished yet, so this update is a full crawl" in run.log
    assert run.stats["sulselsatu/state/mode"] == "full"
    assert sorted(run.urls()) == sorted(gold_by_url(SNAPSHOT_DIR))
