"""What the Redis store adds for workers sharing a crawl: whether a crawl is
still being run, per-host dataset files, starting one worker after another;
on a real redis-server."""

import logging
import os
import subprocess
import sys
import threading
import time
import uuid

import pytest
import redis

from sulsel_crawler.state import redis_store
from sulsel_crawler.state.redis_store import RedisState

pytestmark = pytest.mark.redis


@pytest.fixture
def client(redis_url):
    return redis.Redis.from_url(redis_url)


@pytest.fixture
def prefix():
    return f"test:{uuid.uuid4().hex}:state"


def test_a_crawl_is_running_while_a_run_of_it_lives_unfinished(client, prefix):
    store = RedisState(client, prefix)
    run = store.start_run("full", continues=None)
    assert store.is_running(run.crawl) is True
    store.finish_run(run, "shutdown")
    assert store.is_running(run.crawl) is False
    store.close()


def test_a_run_whose_process_died_is_not_running(client, prefix):
    """On the same host, the run's pid tells: a killed worker's run is over
    at once, without waiting for its heartbeat to go stale."""
    code = (
        "import redis, sys; from sulsel_crawler.state.redis_store import RedisState; "
        "RedisState(redis.Redis.from_url(sys.argv[1]), sys.argv[2]).start_run('full', continues=None)"
    )
    url = client.connection_pool.connection_kwargs
    subprocess.run(
        [sys.executable, "-c", code, f"redis://{url['host']}:{url['port']}/{url.get('db', 0)}", prefix], check=True
    )
    store = RedisState(client, prefix)
    last = store.last_run()
    assert last.finished is False
    assert store.is_running(last.crawl) is False


def test_a_run_on_another_host_lives_as_long_as_its_heartbeat(client, prefix):
    store = RedisState(client, prefix)
    run = store.start_run("full", continues=None)
    store.close()
    client.hset(f"{prefix}:run:{run.id}", mapping={"host": "worker-elsewhere", "pid": 1, "heartbeat": time.time()})
    assert store.is_running(run.crawl) is True
    stale = time.time() - redis_store.HEARTBEAT_TIMEOUT_SECONDS - 1
    client.hset(f"{prefix}:run:{run.id}", "heartbeat", stale)
    assert store.is_running(run.crawl) is False


def test_the_heartbeat_is_written_while_the_run_lives(client, prefix, monkeypatch):
    monkeypatch.setattr(redis_store, "HEARTBEAT_SECONDS", 0.05)
    store = RedisState(client, prefix)
    run = store.start_run("full", continues=None)
    first = float(client.hget(f"{prefix}:run:{run.id}", "heartbeat"))
    time.sleep(0.3)
    assert float(client.hget(f"{prefix}:run:{run.id}", "heartbeat")) > first
    store.close()
    stopped = float(client.hget(f"{prefix}:run:{run.id}", "heartbeat"))
    time.sleep(0.2)
    assert float(client.hget(f"{prefix}:run:{run.id}", "heartbeat")) == stopped


def test_the_last_run_is_the_finished_run_of_the_latest_crawl(client, prefix):
    """Workers of one crawl end at different times: once one finished it,
    the crawl is finished, whatever happened to the others."""
    store = RedisState(client, prefix)
    first = store.start_run("full", continues=None)
    second = store.start_run("full", continues=first)
    store.finish_run(first, "finished")
    assert store.last_run() == store.run(first.id)
    assert store.last_finished_run() == store.run(first.id)
    store.finish_run(second, "shutdown")
    assert store.last_run().id == first.id
    third = store.start_run("update", continues=None)
    assert store.last_run() == third
    assert store.last_finished_run().id == first.id
    store.close()


def test_dataset_files_are_kept_per_host(client, prefix):
    here = RedisState(client, prefix)
    elsewhere = RedisState(client, prefix)
    elsewhere.host = "worker-elsewhere"
    run = here.start_run("full", continues=None)
    here.add_dataset("/data/a.jsonl", "jsonlines", run, 0)
    elsewhere.add_dataset("/data/a.jsonl", "jsonlines", run, 50)
    here.record_export(run, {"url": "u", "id": "i", "content_hash": "c"}, ["u"], {"/data/a.jsonl": 10})
    assert here.datasets(run.crawl) == [("/data/a.jsonl", "jsonlines", 10)]
    assert elsewhere.datasets(run.crawl) == [("/data/a.jsonl", "jsonlines", 50)]
    here.close()


def test_a_dataset_file_that_another_worker_here_writes_is_not_the_crawls_to_take_over(client, prefix):
    store = RedisState(client, prefix)
    run = store.start_run("full", continues=None)
    store.add_dataset("/data/a.jsonl", "jsonlines", run, 0)
    assert store.datasets(run.crawl) == [("/data/a.jsonl", "jsonlines", 0)]
    client.hset(f"{prefix}:run:{run.id}", "pid", os.getppid())
    assert store.datasets(run.crawl) == []
    store.finish_run(run, "shutdown")
    assert store.datasets(run.crawl) == [("/data/a.jsonl", "jsonlines", 0)]
    store.close()


def test_workers_start_one_after_another(client, prefix):
    first, second = RedisState(client, prefix), RedisState(client, prefix)
    inside = []

    def start(store, name):
        with store.starting():
            inside.append(f"{name} in")
            time.sleep(0.2)
            inside.append(f"{name} out")

    threads = [threading.Thread(target=start, args=(store, name)) for store, name in [(first, "a"), (second, "b")]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [entry.split()[1] for entry in inside] == ["in", "out", "in", "out"]


def test_the_store_names_its_server_and_keys(client, prefix):
    kwargs = client.connection_pool.connection_kwargs
    assert str(RedisState(client, prefix)) == f"redis://{kwargs['host']}:{kwargs['port']}/0 {prefix}:*"


def test_a_worker_that_starts_while_another_runs_the_crawl_joins_it(redis_url, tmp_path, caplog):
    from tests.support.state import crawl_state, state_crawler

    site = f"http://{uuid.uuid4().hex}.test"
    settings = {"REDIS_URL": redis_url, "MIRROR_BASE_URL": site}
    first = crawl_state(state_crawler(tmp_path / "unused.sqlite", mode="update", settings=settings))
    with caplog.at_level(logging.INFO, logger="sulsel_crawler.extensions.crawl_state"):
        crawler = state_crawler(tmp_path / "unused.sqlite", settings=settings)
    second = crawl_state(crawler)
    assert str(second.store).endswith(f" mode:{site.removeprefix('http://')}:state:*")
    assert (second.joined, second.resumed, second.crawl, second.mode) == (True, None, first.crawl, "full")
    assert (first.joined, first.run.id, second.run.id) == (False, first.crawl, first.crawl + 1)
    assert crawler.stats.get_value("sulselsatu/state/joined") is True
    assert crawler.stats.get_value("sulselsatu/state/resumed") is False
    started = first.store.run(first.crawl).started_at
    assert (
        f"joining the full crawl that other workers are running, started {started}: 0 articles exported so far"
        in caplog.text
    )
    assert not (tmp_path / "unused.sqlite").exists()
    for state in (first, second):
        state.spider_closed("finished")
