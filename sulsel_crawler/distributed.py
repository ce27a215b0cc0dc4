"""Distributed crawl: several workers share one frontier on Redis (scrapy-redis).

``-s REDIS_URL=redis://host:6379/0 -s FRONTIER_CRAWL_ID=2026-11-28`` makes a
crawl one worker of the crawl named by that id. :class:`DistributedCrawl`, an
add-on, then puts scrapy-redis's scheduler and duplicate filter in place of
Scrapy's: every request any worker finds goes into one shared queue, each
page is requested once across all workers, and each worker takes its
requests from that queue. Without ``REDIS_URL`` the add-on does nothing.

The queue and the duplicate filter live under
``<spider>:<site>:<crawl id>:requests`` and ``…:dupefilter``. The site is
``www.sulselsatu.com``, or the mirror of ``-a base_url`` (``127.0.0.1_8765``),
so a crawl of a mirror never touches the live site's frontier. They stay in
Redis after the crawl (``SCHEDULER_PERSIST``: the first worker to finish must
not wipe what the others still use), so a new crawl needs a new id; the same
id again joins that crawl, or continues it after its workers were stopped.
"""

import logging
import re
import time

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.connection import get_redis_from_settings

from sulsel_crawler.mirror import mirror_name
from sulsel_crawler.urls import CANONICAL_HOST

logger = logging.getLogger(__name__)

CRAWL_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
WORKER_OVERRIDE_PRIORITY = 100


class FrontierError(RuntimeError):
    """A worker cannot join the shared crawl: it stops before it starts."""


class DistributedCrawl:
    """The add-on. Settings: ``REDIS_URL`` (the switch), ``FRONTIER_CRAWL_ID``
    (required with it) and ``FRONTIER_MAX_IDLE_SECONDS`` (see
    :class:`WaitForSharedWork`)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured
        return cls(crawler)

    def update_settings(self, settings):
        crawl_id = settings.get("FRONTIER_CRAWL_ID")
        if not crawl_id or not CRAWL_ID.match(crawl_id):
            raise FrontierError(
                f"REDIS_URL needs FRONTIER_CRAWL_ID: one id shared by every worker of a crawl "
                f"and new for each crawl, 1-64 of A-Z a-z 0-9 . _ - (got {crawl_id!r})"
            )
        try:
            get_redis_from_settings(settings).ping()
        except redis.RedisError as error:
            raise FrontierError(f"the Redis server of REDIS_URL does not answer: {error}") from None
        prefix = frontier_key_prefix(
            self.crawler.spider.name, settings.get("MIRROR_BASE_URL"), crawl_id
        )
        logger.info("Worker of crawl %r: shared frontier in Redis under %s:*", crawl_id, prefix)
        settings.set("SCHEDULER", "scrapy_redis.scheduler.Scheduler", priority="addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="addon")
        settings.set("SCHEDULER_PERSIST", True, priority="addon")
        settings.set("SCHEDULER_QUEUE_KEY", f"{prefix}:requests", priority="addon")
        settings.set("SCHEDULER_DUPEFILTER_KEY", f"{prefix}:dupefilter", priority="addon")
        # Workers of one crawl run side by side by design; the shared frontier,
        # not the lock, keeps them from doing the same work. "project" priority:
        # settings.py turns the lock on at that priority.
        settings.set("SINGLE_RUN_ENABLED", False, priority="project")
        # The crawl state is one SQLite file of one machine: the workers' shared
        # frontier stays in Redis (SCHEDULER_PERSIST) instead. Above the command
        # line's priority, as a per-worker state would split the crawl.
        settings.set("CRAWL_STATE", "", priority=WORKER_OVERRIDE_PRIORITY)
        settings.set_in_component_priority_dict("EXTENSIONS", WaitForSharedWork, 0)


class WaitForSharedWork:
    """Keeps an idle worker open while other workers may still add requests
    to the shared queue, and lets it close once it has had nothing to do for
    ``FRONTIER_MAX_IDLE_SECONDS``.

    A worker is idle when its own requests are done and the shared queue is
    empty; the other workers' pages in flight may still add requests to it.
    Scrapy's engine looks at the queue again every 5 seconds while the worker
    waits. (scrapy-redis's own ``MAX_IDLE_TIME_BEFORE_CLOSE`` measures idleness
    from the moment ``scrapy_redis.spiders`` was imported unless its start-URL
    list has entries, so a worker would close at its first idle moment once
    the crawl is older than the limit.)
    """

    def __init__(self, max_idle_seconds: float):
        self.max_idle_seconds = max_idle_seconds
        self.idle_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler.settings.getfloat("FRONTIER_MAX_IDLE_SECONDS"))
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.got_work, signal=signals.request_reached_downloader)
        return extension

    def got_work(self):
        self.idle_since = None

    def spider_idle(self):
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
            logger.info(
                "Shared queue empty: waiting up to %g s for requests from other workers",
                self.max_idle_seconds,
            )
        if now - self.idle_since < self.max_idle_seconds:
            raise DontCloseSpider


def frontier_key_prefix(spider_name: str, mirror_base_url: str | None, crawl_id: str) -> str:
    """``sulselsatu:www.sulselsatu.com:<crawl id>`` for the live site,
    ``sulselsatu:127.0.0.1_8765:<crawl id>`` for a mirror."""
    site = mirror_name(mirror_base_url) if mirror_base_url else CANONICAL_HOST
    return f"{spider_name}:{site}:{crawl_id}"
