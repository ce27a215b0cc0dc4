"""One politeness budget for all the workers of a site.

Alone, a crawl starts a request to the site at most every ``DOWNLOAD_DELAY``
seconds and keeps at most ``CONCURRENT_REQUESTS_PER_DOMAIN`` in flight. N
workers with the same settings would put N times that load on the site. With
this middleware the workers share one budget, kept in Redis: a request takes
a *lease*, one of the ``CONCURRENT_REQUESTS_PER_DOMAIN`` leases of the site,
and a start time at least ``DOWNLOAD_DELAY`` after the previous start of any
worker (Redis's clock decides); it waits for that time, and gives the lease
back when its response or error comes. A lease a dead worker held expires
after ``DOWNLOAD_TIMEOUT`` plus a margin.

It sits last before the download handler (order 950), so retries, redirects
and browser renders each take a lease of their own. The add-on
(:mod:`sulsel_crawler.distributed`) enables it for workers
(``CLUSTER_POLITENESS_ENABLED``), with the shared delay taken from
``DOWNLOAD_DELAY`` and each worker's own delay set to 0.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured
from scrapy_redis.connection import get_redis_from_settings

from sulsel_crawler.redis_outage import OUTAGE_ERRORS

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

LEASE_KEY = "cluster_politeness_lease"
LEASE_MARGIN_SECONDS = 30
# How often a request that found every lease taken asks again.
NO_LEASE_PAUSE_SECONDS = 0.05

# KEYS: leases (sorted set: lease -> expiry), next start. ARGV: lease, leases
# of the site, delay, lease lifetime. Returns the seconds to wait, or -1 when
# every lease is taken.
TAKE_LEASE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return '-1'
end
local start = math.max(now, tonumber(redis.call('GET', KEYS[2]) or '0'))
redis.call('SET', KEYS[2], tostring(start + tonumber(ARGV[3])))
redis.call('ZADD', KEYS[1], start + tonumber(ARGV[4]), ARGV[1])
return tostring(start - now)
"""


class ClusterPoliteness:
    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        if not settings.get("CLUSTER_POLITENESS_KEY"):
            raise NotConfigured
        client = get_redis_from_settings(settings)
        self.take_lease = client.register_script(TAKE_LEASE)
        self.client = client
        prefix = settings["CLUSTER_POLITENESS_KEY"]
        self.keys = [f"{prefix}:leases", f"{prefix}:next-start"]
        self.leases = settings.getint("CLUSTER_CONCURRENT_REQUESTS")
        self.delay = settings.getfloat("CLUSTER_DOWNLOAD_DELAY")
        self.lease_seconds = settings.getfloat("DOWNLOAD_TIMEOUT") + LEASE_MARGIN_SECONDS
        self.stats = crawler.stats
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.numbers = itertools.count()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterPoliteness:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        lease = f"{self.worker}:{next(self.numbers)}"
        try:
            while (wait := float(self.take_lease(self.keys, [lease, self.leases, self.delay, self.lease_seconds]))) < 0:
                self.stats.inc_value("sulselsatu/politeness/waited_for_lease")
                await asyncio.sleep(NO_LEASE_PAUSE_SECONDS)
        except OUTAGE_ERRORS:
            return None  # Redis is lost: the worker is closing
        request.meta[LEASE_KEY] = lease
        if wait > 0:
            await asyncio.sleep(wait)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        self._give_back(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._give_back(request)

    def _give_back(self, request: Request) -> None:
        lease = request.meta.pop(LEASE_KEY, None)
        if lease is not None:
            try:
                self.client.zrem(self.keys[0], lease)
            except OUTAGE_ERRORS:
                pass
