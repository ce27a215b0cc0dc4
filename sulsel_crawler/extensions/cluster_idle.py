"""Closes a worker as soon as the whole cluster is out of work.

A worker whose own requests are done may not close while other workers
still fetch pages: those pages may add requests to the shared queue. So each
worker tells the others, in a Redis hash next to the shared queue, whether it
is busy, and renews that every :data:`BEAT_SECONDS` (a worker killed without
a word is ignored once its entry is :data:`DEAD_AFTER_SECONDS` old). An idle
worker closes when the shared queue is empty and no live worker is busy;
Scrapy's engine asks again every 5 seconds while it waits. Should the others
never settle, ``FRONTIER_MAX_IDLE_SECONDS`` of idleness closes it anyway.

A worker that closes a moment before another one takes the last request
loses nothing: the other finishes that request and what follows from it.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.connection import get_redis_from_settings
from twisted.internet import task

from sulsel_crawler.redis_outage import OUTAGE_ERRORS

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

BEAT_SECONDS = 2.0
DEAD_AFTER_SECONDS = 15.0


class CloseWhenClusterIdle:
    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        self.client = get_redis_from_settings(settings)
        self.queue_key = settings["SCHEDULER_QUEUE_KEY"]
        self.workers_key = f"{settings['SCHEDULER_QUEUE_KEY'].rsplit(':', 1)[0]}:workers"
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.max_idle_seconds = settings.getfloat("FRONTIER_MAX_IDLE_SECONDS")
        self.busy = True
        self.idle_since: float | None = None
        self.beat = task.LoopingCall(self._tell)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CloseWhenClusterIdle:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.got_work, signal=signals.request_reached_downloader)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        self.beat.start(BEAT_SECONDS, now=True)

    def got_work(self) -> None:
        self.idle_since = None
        if not self.busy:
            self.busy = True
            self._tell()

    def spider_idle(self) -> None:
        now = time.monotonic()
        if self.busy or self.idle_since is None:
            self.busy = False
            self.idle_since = now
            self._tell()
        try:
            if self._cluster_idle():
                logger.info("Shared queue empty and no worker busy: this worker closes")
                return
        except OUTAGE_ERRORS:
            return  # Redis is lost: the worker is closing anyway
        if now - self.idle_since >= self.max_idle_seconds:
            logger.warning(
                "Idle for %g s while other workers seem busy (FRONTIER_MAX_IDLE_SECONDS): this worker closes",
                self.max_idle_seconds,
            )
            return
        raise DontCloseSpider

    def spider_closed(self) -> None:
        if self.beat.running:
            self.beat.stop()
        try:
            self.client.hdel(self.workers_key, self.worker)
        except OUTAGE_ERRORS:
            pass

    def _tell(self) -> None:
        entry = json.dumps({"busy": self.busy, "at": time.time()})
        try:
            self.client.hset(self.workers_key, self.worker, entry)
        except OUTAGE_ERRORS:
            pass

    def _cluster_idle(self) -> bool:
        if self.client.zcard(self.queue_key):
            return False
        now = time.time()
        for worker, stored in self.client.hgetall(self.workers_key).items():
            entry = json.loads(stored)
            if worker.decode() != self.worker and entry["busy"] and now - entry["at"] < DEAD_AFTER_SECONDS:
                return False
        return True
