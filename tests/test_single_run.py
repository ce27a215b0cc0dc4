"""No overlapping crawls of a site: two real ``scrapy crawl`` processes."""

import os
import signal
import subprocess
import time

import pytest

from sulsel_crawler.extensions.single_run import FINISH_REASON, lock_name
from tests.crawl_run import REPO_ROOT, SCRAPY, run_crawl

CONFLICT_LINE = "ERROR: Another crawl of this site is running (lock "


def test_lock_is_per_spider_and_site():
    assert lock_name("sulselsatu", None) == "sulselsatu.lock"
    assert lock_name("sulselsatu", "") == "sulselsatu.lock"
    assert lock_name("sulselsatu", "http://127.0.0.1:8765") == "sulselsatu-127.0.0.1_8765.lock"
    assert lock_name("sulselsatu", "https://archive.example.org/sulselsatu") == (
        "sulselsatu-archive.example.org_sulselsatu.lock"
    )


@pytest.fixture
def lock_dir(tmp_path):
    return tmp_path / "locks"


@pytest.fixture
def running_crawl(replica, lock_dir, tmp_path):
    """A crawl of the replica slowed down enough to still run while the test
    starts others; killed with SIGKILL at the end, as a crash would."""
    log_path = tmp_path / "first.log"
    command = [
        *SCRAPY, "crawl", "sulselsatu",
        "-a", f"base_url={replica.base_url}",
        "-O", str(tmp_path / "first.jsonl"),
        "-s", f"SINGLE_RUN_LOCK_DIR={lock_dir}",
        "-s", "AUTOTHROTTLE_ENABLED=0",
        "-s", "DOWNLOAD_DELAY=30",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
        "-s", f"LOG_FILE={log_path}",
    ]
    process = subprocess.Popen(command, cwd=REPO_ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while "Spider opened" not in (log_path.read_text() if log_path.exists() else ""):
            assert process.poll() is None, f"the first crawl ended early:\n{log_path.read_text()}"
            assert time.monotonic() < deadline, "the first crawl did not open its spider within 60 s"
            time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def test_second_crawl_of_the_same_site_stops_at_once(running_crawl, replica, lock_dir, tmp_path):
    workdir = tmp_path / "second"
    workdir.mkdir()
    started = time.monotonic()
    second = run_crawl(replica.base_url, workdir, "-s", f"SINGLE_RUN_LOCK_DIR={lock_dir}", timeout=60)
    elapsed = time.monotonic() - started

    assert second.stats["finish_reason"] == FINISH_REASON
    lock_path = lock_dir / lock_name("sulselsatu", replica.base_url)
    assert f"{CONFLICT_LINE}{lock_path} held by pid {running_crawl.pid})" in second.log
    assert second.stats.get("downloader/request_count", 0) == 0
    assert second.stats["log_count/ERROR"] == 1
    assert not (workdir / "articles.jsonl").exists(), "a refused crawl must not open its feeds"
    assert elapsed < 30
    assert running_crawl.poll() is None, "the running crawl must not be disturbed"


def test_crashed_crawl_leaves_no_stale_lock(running_crawl, replica, lock_dir, tmp_path):
    os.killpg(running_crawl.pid, signal.SIGKILL)
    running_crawl.wait(timeout=30)

    workdir = tmp_path / "after-crash"
    workdir.mkdir()
    run = run_crawl(
        replica.base_url, workdir,
        "-s", f"SINGLE_RUN_LOCK_DIR={lock_dir}",
        "-s", "CLOSESPIDER_PAGECOUNT=1",
        timeout=60,
    )
    assert (lock_dir / lock_name("sulselsatu", replica.base_url)).exists()
    assert run.stats["finish_reason"] == "closespider_pagecount", run.log[-3000:]
    assert CONFLICT_LINE not in run.log


def test_crawls_of_different_sites_run_side_by_side(running_crawl, make_replica, lock_dir, tmp_path):
    other_site = make_replica()
    workdir = tmp_path / "other-site"
    workdir.mkdir()
    run = run_crawl(
        other_site.base_url, workdir,
        "-s", f"SINGLE_RUN_LOCK_DIR={lock_dir}",
        "-s", "CLOSESPIDER_PAGECOUNT=1",
        timeout=60,
    )
    assert run.stats["finish_reason"] == "closespider_pagecount", run.log[-3000:]
