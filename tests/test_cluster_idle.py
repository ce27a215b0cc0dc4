"""When a worker may close: the shared queue empty and no live worker busy,
or idle too long; with a real redis-server."""

import json
import time
import uuid

import pytest
import redis
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.test import get_crawler

from sulsel_crawler.extensions.cluster_idle import DEAD_AFTER_SECONDS, CloseWhenClusterIdle

pytestmark = pytest.mark.redis


@pytest.fixture
def extension(redis_url):
    prefix = f"test:{uuid.uuid4().hex}"
    crawler = get_crawler(settings_dict={
        "REDIS_URL": redis_url,
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "FRONTIER_MAX_IDLE_SECONDS": 60,
    })
    return CloseWhenClusterIdle(crawler)


def other_worker(extension, busy, age=0.0):
    entry = {"busy": busy, "at": time.time() - age}
    extension.client.hset(extension.workers_key, "elsewhere:1", json.dumps(entry))


def test_the_workers_hash_sits_beside_the_queue(extension):
    assert extension.workers_key == extension.queue_key.removesuffix(":requests") + ":workers"


def test_an_idle_worker_closes_when_the_queue_is_empty_and_nobody_is_busy(extension):
    other_worker(extension, busy=False)
    extension.spider_idle()  # no DontCloseSpider: it closes
    mine = json.loads(extension.client.hget(extension.workers_key, extension.worker))
    assert mine["busy"] is False


def test_it_waits_while_the_queue_holds_requests(extension):
    extension.client.zadd(extension.queue_key, {b"request": 0})
    with pytest.raises(DontCloseSpider):
        extension.spider_idle()


def test_it_waits_while_another_live_worker_is_busy_but_not_for_a_dead_one(extension):
    other_worker(extension, busy=True)
    with pytest.raises(DontCloseSpider):
        extension.spider_idle()
    other_worker(extension, busy=True, age=DEAD_AFTER_SECONDS + 1)
    extension.spider_idle()


def test_it_closes_after_the_backstop_even_if_others_seem_busy(extension, caplog):
    other_worker(extension, busy=True)
    with pytest.raises(DontCloseSpider):
        extension.spider_idle()
    extension.idle_since -= 61
    extension.spider_idle()
    assert "Idle for 60 s while other workers seem busy" in caplog.text


def test_work_makes_it_busy_again_and_closing_leaves_the_hash(extension):
    other_worker(extension, busy=False)
    extension.spider_idle()
    extension.got_work()
    assert extension.idle_since is None
    assert json.loads(extension.client.hget(extension.workers_key, extension.worker))["busy"] is True
    extension.spider_closed()
    assert extension.client.hget(extension.workers_key, extension.worker) is None
