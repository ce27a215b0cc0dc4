"""A crawl's outcome and exit status: the decision on its own, then every
status from a real ``scrapy crawl`` of the replica, judged the same way by
``scripts/schedule.py`` from the crawl's log."""

import fcntl
import importlib.util
import json
import os
import shutil

import pytest

from replica import SNAPSHOT_DIR, ReplicaServer
from sulsel_crawler.extensions.outcome import unwritable
from sulsel_crawler.extensions.single_run import lock_name
from sulsel_crawler.outcome import (
    ANOTHER_CRAWL,
    CANNOT_WRITE,
    INTERRUPTED,
    MONITOR_FAILED,
    OK,
    REDIS_LOST,
    SITE_UNREACHABLE,
    STATUSES,
    TOO_FEW_RECORDS,
    decide,
    exit_status,
)
from tests.support.components import free_port
from tests.support.crawl import REPO_ROOT, run_crawl

ANSWERED = {"downloader/request_count": 10, "downloader/response_status_count/200": 9}


# -- the decision -----------------------------------------------------------


@pytest.mark.unit
def test_every_status_has_its_own_exit_status():
    assert [status.exit_status for status in STATUSES] == [0, 1, 3, 4, 5, 6, 7, 8, 9]
    assert len({status.name for status in STATUSES}) == len(STATUSES)


@pytest.mark.unit
@pytest.mark.parametrize(
    "reason, stats, failed, outcome",
    [
        ("finished", ANSWERED, set(), OK),
        ("another_crawl_running", {}, set(), ANOTHER_CRAWL),
        ("output_unwritable", ANSWERED, {"too_few_records"}, CANNOT_WRITE),
        ("shutdown", ANSWERED, {"too_few_records"}, INTERRUPTED),
        ("closespider_pagecount", ANSWERED, set(), INTERRUPTED),
        ("finished", {"downloader/request_count": 15}, {"too_few_records"}, SITE_UNREACHABLE),
        ("finished", {"downloader/request_count": 3, "downloader/response_status_count/503": 3}, set(), SITE_UNREACHABLE),
        ("finished", {"downloader/request_count": 2, "downloader/response_status_count/204": 1}, set(), OK),
        ("finished", {}, set(), OK),
        ("finished", ANSWERED, {"too_few_records"}, TOO_FEW_RECORDS),
        ("finished", ANSWERED, {"monitor_failed"}, MONITOR_FAILED),
        ("finished", ANSWERED, {"extraction", "too_few_records"}, MONITOR_FAILED),
        ("finished", ANSWERED, {"monitor_failed", "too_few_records"}, TOO_FEW_RECORDS),
        ("redis_lost", ANSWERED, {"too_few_records"}, REDIS_LOST),
    ],
    ids=["ok", "refused", "unwritable", "shutdown", "closespider", "unreachable", "only-errors", "a-204",
         "no-request", "too-few", "monitor", "extraction-first", "too-few-first", "redis-lost"],
)
def test_decide(reason, stats, failed, outcome):
    assert decide(reason, stats, failed) is outcome


@pytest.mark.unit
def test_a_feed_file_is_writable_once_its_folder_is_made(tmp_path):
    assert unwritable(tmp_path / "new" / "folder" / "articles.jsonl") == ""
    assert (tmp_path / "new" / "folder").is_dir()
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    assert unwritable(tmp_path / "a-file" / "articles.jsonl").startswith(
        f"cannot create the folder of {tmp_path}/a-file/articles.jsonl: [Errno 17] File exists"
    )
    assert unwritable(tmp_path / "new") == f"cannot write {tmp_path}/new: it is a folder"


@pytest.mark.unit
def test_exit_status_comes_from_the_stats():
    assert exit_status({"sulselsatu/outcome/exit_status": 6}) == 6
    assert exit_status({}) == 0


# -- every status from a real crawl -----------------------------------------


def judge(log: str) -> tuple[int, str]:
    spec = importlib.util.spec_from_file_location("schedule", REPO_ROOT / "scripts" / "schedule.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.judge(log)


def assert_outcome(run, status, cause: str) -> None:
    """The crawl exited with *status*, said why in one outcome line, and
    schedule.py judges its log the same way."""
    assert run.returncode == status.exit_status, run.log[-3000:]
    assert run.stats["sulselsatu/outcome"] == status.name
    [line] = [line for line in run.log.splitlines() if "Crawl outcome:" in line]
    level = "INFO" if status in (OK, ANOTHER_CRAWL) else "ERROR"
    assert f"{level}: Crawl outcome: {status.name} (exit status {status.exit_status}): " in line
    assert cause in line
    assert judge(run.log)[0] == status.exit_status


@pytest.mark.crawl
def test_a_normal_crawl_passes_every_monitor(make_replica, tmp_path):
    replica = make_replica(SNAPSHOT_DIR, challenge=False)
    run = run_crawl(replica.base_url, tmp_path)
    assert_outcome(run, OK, "40 articles exported, every monitor passed")
    results = json.loads((tmp_path / "articles.monitors.json").read_text(encoding="utf-8"))
    assert results["outcome"] == "ok" and results["exported"] == 40
    assert [monitor["passed"] for monitor in results["monitors"]] == [True] * 4
    assert all(run.stats[f"sulselsatu/monitors/{monitor['monitor']}"] == "passed" for monitor in results["monitors"])


@pytest.mark.crawl
def test_an_unreachable_site(tmp_path):
    run = run_crawl(f"http://127.0.0.1:{free_port()}", tmp_path, "-s", "RETRY_TIMES=1")
    assert_outcome(run, SITE_UNREACHABLE, "no page answered")
    assert run.records == []


@pytest.mark.crawl
def test_an_unwritable_output_stops_the_crawl_before_it_starts(make_replica, tmp_path):
    replica = make_replica(SNAPSHOT_DIR, challenge=False)
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    run = run_crawl(replica.base_url, tmp_path, output="a-file/articles.jsonl")
    assert_outcome(run, CANNOT_WRITE, f"cannot create the folder of {tmp_path}/a-file/articles.jsonl")
    assert run.stats["finish_reason"] == "output_unwritable"
    assert replica.requests == []
    assert "Traceback" not in run.log


@pytest.mark.crawl
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_failed_write_stops_the_crawl_at_once(make_replica, tmp_path):
    replica = make_replica(SNAPSHOT_DIR, challenge=False)
    run = run_crawl(
        replica.base_url, tmp_path, "-s", f"REJECTS_URI={tmp_path / 'rejects.jsonl'}", output="/dev/full:jsonlines"
    )
    assert_outcome(run, CANNOT_WRITE, "writing a record to /dev/full failed")
    assert run.stats["finish_reason"] == "output_unwritable"
    # One traceback, for the first record; the feed is not tried again.
    assert run.log.count("Traceback") == 1


@pytest.mark.crawl
def test_too_large_pages_export_too_little(make_replica, tmp_path):
    replica = make_replica(SNAPSHOT_DIR, challenge=False)
    run = run_crawl(replica.base_url, tmp_path, "-s", "DOWNLOAD_MAXSIZE=1000")
    assert_outcome(run, TOO_FEW_RECORDS, "the full crawl exported 0 articles, fewer than MONITOR_MIN_EXPORTED_MIRROR=1")
    assert (tmp_path / "articles.jsonl").read_text(encoding="utf-8") == ""
    assert json.loads((tmp_path / "articles.monitors.json").read_text(encoding="utf-8"))["exit_status"] == 6


@pytest.mark.crawl
def test_a_crawl_refused_by_the_lock(make_replica, tmp_path):
    replica = make_replica(SNAPSHOT_DIR, challenge=False)
    lock_dir = tmp_path / "locks"
    lock_dir.mkdir()
    lock = os.open(lock_dir / lock_name("sulselsatu", replica.base_url), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        run = run_crawl(replica.base_url, tmp_path, settings={"SINGLE_RUN_LOCK_DIR": lock_dir})
    finally:
        os.close(lock)
    assert_outcome(run, ANOTHER_CRAWL, "another crawl of the site was running")
    assert run.stats["finish_reason"] == "another_crawl_running"
    assert replica.requests == []


@pytest.mark.crawl
def test_a_crawl_stopped_before_its_end(make_replica, tmp_path):
    replica = make_replica(SNAPSHOT_DIR, challenge=False)
    run = run_crawl(replica.base_url, tmp_path, "-s", "CLOSESPIDER_PAGECOUNT=1")
    assert_outcome(run, INTERRUPTED, "stopped before its end")


@pytest.mark.crawl
def test_a_drifted_layout_fails_the_extraction_monitor(tmp_path):
    """The article body moved to an element the page classes do not know,
    on most article pages: rejected for an empty body, or read by the
    fallback extraction and flagged so; either way exit status 1."""
    snapshot = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, snapshot)
    pages = sorted(page for page in (snapshot / "site").rglob("*.html") if 'class="post-content"' in page.read_text(encoding="utf-8"))
    drifted = pages[: len(pages) * 3 // 4]
    for page in drifted:
        page.write_text(page.read_text(encoding="utf-8").replace('class="post-content"', 'class="story-body"'), encoding="utf-8")
    with ReplicaServer(snapshot, challenge=False) as server:
        run = run_crawl(server.base_url, tmp_path)
    assert_outcome(run, MONITOR_FAILED, "the site's layout may have changed")
    assert run.stats["sulselsatu/monitors/ExtractionMonitor"] == "failed"
    body_rejects = [reject for reject in run.rejects if any("body" in reason for reason in reject["reasons"])]
    fallback_records = [record for record in run.records if record.get("extraction") == "fallback"]
    assert len(body_rejects) + len(fallback_records) >= len(drifted) - 2
