"""No overlapping crawls of a site: two real ``scrapy crawl`` processes."""

import os
import signal
import time
from contextlib import contextmanager

import pytest

from replica import SNAPSHOT_DIR, ReplicaServer
from sulsel_crawler.extensions.single_run import FINISH_REASON, lock_name
from tests.support.crawl import run_crawl, start_crawl

CONFLICT_LINE = "ERROR: Another crawl of this site is running (lock "


@pytest.mark.unit
def test_lock_is_per_spider_and_site():
    assert lock_name("sulselsatu", None) == "sulselsatu.lock"
    assert lock_name("sulselsatu", "") == "sulselsatu.lock"
    assert lock_name("sulselsatu", "http://127.0.0.1:8765") == "sulselsatu-127.0.0.1_8765.lock"
    assert lock_name("sulselsatu", "https://archive.example.org/sulselsatu") == (
        "sulselsatu-archive.example.org_sulselsatu.lock"
    )


@contextmanager
def slow_crawl(base_url, workdir, lock_dir):
    """A crawl of *base_url* holding its lock in *lock_dir*, slowed down enough
    to still run while the test starts others; killed with SIGKILL at the end,
    as a crash would."""
    log_path = workdir / "first.log"
    settings = {
        "SINGLE_RUN_LOCK_DIR": lock_dir,
        "DOWNLOAD_DELAY": "30",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
        "LOG_FILE": log_path,
    }
    process = start_crawl(base_url, workdir, output="first.jsonl", settings=settings).process
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


@pytest.fixture(scope="module")
def site():
    with ReplicaServer(SNAPSHOT_DIR) as server:
        yield server


@pytest.fixture(scope="module")
def lock_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("locks")


@pytest.fixture(scope="module")
def running_crawl(site, lock_dir, tmp_path_factory):
    """One slow crawl of ``site``, left running for every test that starts
    another crawl beside it."""
    with slow_crawl(site.base_url, tmp_path_factory.mktemp("running"), lock_dir) as process:
        yield process


@pytest.mark.crawl
def test_second_crawl_of_the_same_site_stops_at_once(running_crawl, site, lock_dir, tmp_path):
    started = time.monotonic()
    second = run_crawl(site.base_url, tmp_path, settings={"SINGLE_RUN_LOCK_DIR": lock_dir}, timeout=60)
    elapsed = time.monotonic() - started

    assert second.stats["finish_reason"] == FINISH_REASON
    lock_path = lock_dir / lock_name("sulselsatu", site.base_url)
    assert f"{CONFLICT_LINE}{lock_path} held by pid {running_crawl.pid})" in second.log
    assert second.stats.get("downloader/request_count", 0) == 0
    assert second.stats["log_count/ERROR"] == 1
    assert not (tmp_path / "articles.jsonl").exists(), "a refused crawl must not open its feeds"
    assert elapsed < 30
    assert running_crawl.poll() is None, "the running crawl must not be disturbed"


@pytest.mark.crawl
def test_crawls_of_different_sites_run_side_by_side(running_crawl, lock_dir, make_replica, tmp_path):
    other_site = make_replica()
    run = run_crawl(
        other_site.base_url, tmp_path,
        settings={"SINGLE_RUN_LOCK_DIR": lock_dir, "CLOSESPIDER_PAGECOUNT": "1"},
        timeout=60,
    )
    assert run.stats["finish_reason"] == "closespider_pagecount", run.log[-3000:]


@pytest.mark.crawl
def test_crashed_crawl_leaves_no_stale_lock(replica, tmp_path):
    lock_dir = tmp_path / "locks"
    with slow_crawl(replica.base_url, tmp_path, lock_dir) as crashed:
        os.killpg(crashed.pid, signal.SIGKILL)
        crashed.wait(timeout=30)

    workdir = tmp_path / "after-crash"
    workdir.mkdir()
    run = run_crawl(
        replica.base_url, workdir,
        settings={"SINGLE_RUN_LOCK_DIR": lock_dir, "CLOSESPIDER_PAGECOUNT": "1"},
        timeout=60,
    )
    assert (lock_dir / lock_name("sulselsatu", replica.base_url)).exists()
    assert run.stats["finish_reason"] == "closespider_pagecount", run.log[-3000:]
    assert CONFLICT_LINE not in run.log
