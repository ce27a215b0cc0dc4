"""Workers when Redis fails, with a real redis-server killed with SIGKILL:
back within REDIS_OUTAGE_MAX_SECONDS, the crawl goes on and loses and
repeats nothing; gone for good, the workers stop by themselves with one
ERROR line, and the same commands continue the crawl once Redis is back."""

import time
from collections import Counter

import pytest

from replica import SNAPSHOT_DIR, ReplicaServer
from tests.support.components import free_port
from tests.support.crawl import read_jsonl, start_worker
from tests.support.gold import assert_records_exact, gold_by_url
from tests.support.redis_server import RedisServer

pytestmark = [pytest.mark.crawl, pytest.mark.browser, pytest.mark.redis]

SLOW = {"DOWNLOAD_DELAY": "0.05", "CONCURRENT_REQUESTS_PER_DOMAIN": "2"}
NAMES = ["worker-1", "worker-2"]


@pytest.fixture
def persistent_redis(tmp_path):
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(free_port(), folder, persistent=True).start()
    yield server
    server.stop()


def records_in(workdir):
    return [record for name in NAMES if (workdir / name / "articles.jsonl").exists()
            for record in read_jsonl(workdir / name / "articles.jsonl")]


def wait_for_records(workdir, count, workers, timeout=120):
    deadline = time.monotonic() + timeout
    while len(records_in(workdir)) < count and time.monotonic() < deadline:
        assert all(worker.process.poll() is None for worker in workers), "a worker ended too early"
        time.sleep(0.05)


def kill_redis_mid_crawl(server, redis_server, workdir, settings):
    """Two workers of crawl ``c``, and Redis killed once they wrote 8 records."""
    workers = [start_worker(server.base_url, redis_server.url, "c", workdir / name, settings) for name in NAMES]
    wait_for_records(workdir, 8, workers)
    redis_server.kill()
    return workers


def assert_every_article_once(workdir, gold):
    records = records_in(workdir)
    urls = [record["url"] for record in records]
    assert {url: n for url, n in Counter(urls).items() if n > 1} == {}, "an article written twice"
    assert sorted(urls) == sorted(gold)
    assert_records_exact(records, gold)


def test_redis_back_within_the_bound_the_crawl_goes_on(persistent_redis, tmp_path):
    gold = gold_by_url(SNAPSHOT_DIR)
    settings = {**SLOW, "REDIS_OUTAGE_MAX_SECONDS": "60"}
    with ReplicaServer(SNAPSHOT_DIR) as server:
        workers = kill_redis_mid_crawl(server, persistent_redis, tmp_path, settings)
        time.sleep(3)
        persistent_redis.start()
        runs = [worker.finish(timeout=180) for worker in workers]
    logs = "".join(run.log for run in runs)
    for run in runs:
        assert run.returncode == 0, run.log[-3000:]
        assert run.stats["finish_reason"] == "finished"
    assert "does not answer" in logs and "answers again after" in logs
    assert "Traceback" not in logs
    assert_every_article_once(tmp_path, gold)


def test_redis_gone_for_good_stops_the_workers_and_the_same_commands_continue(persistent_redis, tmp_path):
    gold = gold_by_url(SNAPSHOT_DIR)
    settings = {**SLOW, "REDIS_OUTAGE_MAX_SECONDS": "4"}
    with ReplicaServer(SNAPSHOT_DIR) as server:
        workers = kill_redis_mid_crawl(server, persistent_redis, tmp_path, settings)
        gone = time.monotonic()
        stopped = [worker.finish(timeout=120) for worker in workers]
        took = time.monotonic() - gone
        written = len(records_in(tmp_path))
        persistent_redis.start()
        again = [start_worker(server.base_url, persistent_redis.url, "c", tmp_path / name, SLOW) for name in NAMES]
        final = [worker.finish(timeout=180) for worker in again]
    assert took < 60, f"the workers took {took:.0f} s to stop"
    for run in stopped:
        assert run.returncode == 8, run.log[-3000:]
        assert run.stats["finish_reason"] == "redis_lost"
        assert "did not answer for 4 s: the worker stops (finish reason redis_lost)" in run.log
        errors = [line for line in run.log.splitlines() if " ERROR: " in line]
        assert len(errors) == 1, errors
        assert "Crawl outcome: redis_lost (exit status 8)" in errors[0]
        assert "Traceback" not in run.log
    assert 8 <= written < len(gold)
    for run in final:
        assert run.returncode == 0, run.log[-3000:]
    assert "resuming the unfinished full crawl" in "".join(run.log for run in final)
    assert_every_article_once(tmp_path, gold)
