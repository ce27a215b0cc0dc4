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
not wipe what the others still use). With the crawl state on (the default),
which then lives in the same Redis, a worker joins the crawl while other
workers run it; a worker that starts a new crawl, or resumes one whose workers
all stopped, clears the frontier of its id first. Without the state, the same
id again joins or continues the frontier as it is, and a new crawl needs a new id.
"""

import logging
import re
from urllib.parse import urlsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.connection import get_redis_from_settings

from sulsel_crawler.extensions.cluster_idle import CloseWhenClusterIdle
from sulsel_crawler.middlewares.cluster_politeness import ClusterPoliteness
from sulsel_crawler.mirror import mirror_name
from sulsel_crawler.outcome import BAD_WORKER_SETTINGS, LOST_REDIS, REDIS_UNREACHABLE, Status
from sulsel_crawler.redis_outage import OutagePolicy
from sulsel_crawler.signals import crawl_run_started
from sulsel_crawler.urls import CANONICAL_HOST

logger = logging.getLogger(__name__)

CRAWL_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
WORKER_OVERRIDE_PRIORITY = 100
START_CHECK_TIMEOUT_SECONDS = 5


class FrontierError(RuntimeError):
    """A worker cannot join the shared crawl: it stops before it starts,
    with the exit status of *outcome*."""

    def __init__(self, message: str, outcome: Status):
        super().__init__(message)
        self.outcome = outcome


class DistributedCrawl:
    """The add-on. Settings: ``REDIS_URL`` (the switch), ``FRONTIER_CRAWL_ID``
    (required with it), ``FRONTIER_MAX_IDLE_SECONDS`` (see
    :mod:`~sulsel_crawler.extensions.cluster_idle`) and
    ``REDIS_OUTAGE_MAX_SECONDS`` (see :mod:`~sulsel_crawler.redis_outage`)."""

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
                f"REDIS_URL needs FRONTIER_CRAWL_ID: one id shared by every worker of a crawl, "
                f"1-64 of A-Z a-z 0-9 . _ - (got {crawl_id!r})",
                BAD_WORKER_SETTINGS,
            )
        redis_url = settings["REDIS_URL"]
        check = redis.Redis.from_url(
            redis_url, socket_connect_timeout=START_CHECK_TIMEOUT_SECONDS, retry=Retry(NoBackoff(), 0)
        )
        try:
            check.ping()
        except redis.RedisError as error:
            raise FrontierError(f"the Redis server of REDIS_URL does not answer: {error}", REDIS_UNREACHABLE) from None
        finally:
            check.close()
        prefix = frontier_key_prefix(
            self.crawler.spider.name, settings.get("MIRROR_BASE_URL"), crawl_id
        )
        logger.info("Worker of crawl %r: shared frontier in Redis under %s:*", crawl_id, prefix)
        where = urlsplit(redis_url)
        outage = OutagePolicy(
            settings.getfloat("REDIS_OUTAGE_MAX_SECONDS"), self.redis_lost, f"Redis at {where.hostname}:{where.port or 6379}"
        )
        settings.set(
            "REDIS_PARAMS",
            {**settings.getdict("REDIS_PARAMS"), "retry": outage},
            priority="addon",
        )
        settings.set("SCHEDULER", "sulsel_crawler.shared_scheduler.SharedScheduler", priority="addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="addon")
        settings.set("SCHEDULER_PERSIST", True, priority="addon")
        settings.set("SCHEDULER_QUEUE_KEY", f"{prefix}:requests", priority="addon")
        settings.set("SCHEDULER_DUPEFILTER_KEY", f"{prefix}:dupefilter", priority="addon")
        # Workers of one crawl run side by side by design; the shared frontier,
        # not the lock, keeps them from doing the same work. "project" priority:
        # settings.py turns the lock on at that priority.
        settings.set("SINGLE_RUN_ENABLED", False, priority="project")
        settings.set_in_component_priority_dict("EXTENSIONS", CloseWhenClusterIdle, 0)
        site = site_key_prefix(self.crawler.spider.name, settings.get("MIRROR_BASE_URL"))
        settings.set("CHALLENGE_COOKIE_KEY", f"{site}:challenge-cookie", priority="addon")
        if settings.getbool("CLUSTER_POLITENESS_ENABLED"):
            self.share_politeness(settings, site)
        self.frontier_keys = (f"{prefix}:requests", f"{prefix}:dupefilter")
        self.crawler.signals.connect(self.crawl_run_started, signal=crawl_run_started)

    def share_politeness(self, settings, site):
        """One budget of ``DOWNLOAD_DELAY`` and ``CONCURRENT_REQUESTS_PER_DOMAIN``
        for all workers of the site (:mod:`sulsel_crawler.middlewares.cluster_politeness`)."""
        settings.set("CLUSTER_POLITENESS_KEY", f"{site}:politeness", priority="addon")
        settings.set("CLUSTER_DOWNLOAD_DELAY", settings.getfloat("DOWNLOAD_DELAY"), priority="addon")
        settings.set(
            "CLUSTER_CONCURRENT_REQUESTS", settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"), priority="addon"
        )
        # The shared delay replaces each worker's own: above any -s DOWNLOAD_DELAY.
        settings.set("DOWNLOAD_DELAY", 0, priority=WORKER_OVERRIDE_PRIORITY)
        settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", ClusterPoliteness, 950)

    def crawl_run_started(self, joined: bool) -> None:
        """A run that joins running workers takes requests from their queue;
        any other run re-derives the frontier from the discovery sources, as
        the requests that were in flight when the last workers stopped are
        lost from the queue yet marked as seen in the duplicate filter."""
        if joined:
            return
        client = get_redis_from_settings(self.crawler.settings)
        if client.delete(*self.frontier_keys):
            logger.info("The frontier that earlier runs left in Redis is stale: cleared, found again from the site")

    def redis_lost(self, error: Exception) -> None:
        """Called from whichever thread gave up on Redis."""
        from twisted.internet import reactor  # the one Scrapy installed, not a default one

        reactor.callFromThread(self._close, error)

    def _close(self, error: Exception) -> None:
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            self.crawler.stats.set_value("sulselsatu/redis_lost", str(error))
            deferred_from_coro(engine.close_spider_async(reason=LOST_REDIS))


def site_key_prefix(spider_name: str, mirror_base_url: str | None) -> str:
    """``sulselsatu:www.sulselsatu.com`` for the live site,
    ``sulselsatu:127.0.0.1_8765`` for a mirror."""
    site = mirror_name(mirror_base_url) if mirror_base_url else CANONICAL_HOST
    return f"{spider_name}:{site}"


def frontier_key_prefix(spider_name: str, mirror_base_url: str | None, crawl_id: str) -> str:
    """``sulselsatu:www.sulselsatu.com:<crawl id>`` for the live site,
    ``sulselsatu:127.0.0.1_8765:<crawl id>`` for a mirror."""
    return f"{site_key_prefix(spider_name, mirror_base_url)}:{crawl_id}"
