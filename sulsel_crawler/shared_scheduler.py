"""The scheduler of a worker: scrapy-redis's, which keeps the requests in the
shared queue and the seen pages in the shared duplicate filter
(:mod:`sulsel_crawler.distributed`), made to end cleanly when Redis is lost.

While Redis is away its commands wait (:mod:`sulsel_crawler.redis_outage`);
once the outage is given up, the worker is closing: this scheduler then
neither takes nor hands out requests, instead of failing at every call. The
run stays unfinished, and the next run of the crawl finds the lost requests
again.
"""

from scrapy import Request
from scrapy_redis.scheduler import Scheduler

from sulsel_crawler.redis_outage import OUTAGE_ERRORS


class SharedScheduler(Scheduler):
    def enqueue_request(self, request: Request) -> bool:
        try:
            if not request.dont_filter and self.df.request_seen(request):
                self.df.log(request, self.spider)
                return False
            self.queue.push(request)
        except OUTAGE_ERRORS:
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        try:
            request = self.queue.pop(self.idle_before_close)
        except OUTAGE_ERRORS:
            return None
        if request:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        try:
            return len(self) > 0
        except OUTAGE_ERRORS:
            return False

    def close(self, reason: str) -> None:
        try:
            super().close(reason)
        except OUTAGE_ERRORS:
            pass
