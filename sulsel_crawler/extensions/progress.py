"""One log line every PROGRESS_INTERVAL seconds saying how far a crawl is."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from sulsel_crawler.extensions.coverage import CoverageLog
from sulsel_crawler.extensions.crawl_state import CrawlState
from sulsel_crawler.progress import Progress, expected_total

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class CrawlProgress:
    """Logs the articles discovered, fetched, exported, rejected and failed
    (as :class:`~sulsel_crawler.extensions.coverage.CoverageLog` counts
    them), the requests queued and the recent rate; where a total is known
    (the sitemaps' article URLs, the API's ``X-WP-Total``, the previous full
    crawl in the crawl state), the share done and the time left.

    ``PROGRESS_INTERVAL`` (seconds, 0: off) sets how often; the line goes to
    the log at INFO, so Scrapyd's job log shows it.
    """

    def __init__(self, crawler: Crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.coverage: CoverageLog | None = None
        self.previous_crawl: int | None = None
        self.last_settled = 0
        self.last_time = 0.0
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        interval = crawler.settings.getfloat("PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def engine_started(self) -> None:
        self.coverage = self.crawler.get_extension(CoverageLog)
        if self.coverage is None:
            logger.info("Progress lines need the coverage extension (COVERAGE_ENABLED): none will be logged")
            return
        state = self.crawler.get_extension(CrawlState)
        if state is not None and state.mode == "full":
            last = state.store.last_finished_run()
            if last is not None:
                self.previous_crawl = state.store.crawl_exported(last.crawl) or None
        self.last_time = time.monotonic()
        self.loop = task.LoopingCall(self.log_progress)
        self.loop.start(self.interval, now=False)

    def progress(self) -> Progress:
        assert self.coverage is not None
        ledger = self.coverage.ledger
        counts = ledger.counts()
        now = time.monotonic()
        minutes = max(now - self.last_time, 1e-6) / 60
        per_minute = (counts.settled - self.last_settled) / minutes
        self.last_settled, self.last_time = counts.settled, now
        stated = dict(ledger.stated)
        in_sitemaps = ledger.listed_by("sitemaps")
        if in_sitemaps:
            stated["sitemaps"] = in_sitemaps
        total, source = expected_total(counts.discovered, stated, self.previous_crawl)
        return Progress(counts, self.queued(), per_minute, total, source)

    def queued(self) -> int:
        engine = self.crawler.engine
        scheduler = engine.scheduler if engine else None
        try:
            waiting = len(scheduler) if scheduler is not None and hasattr(scheduler, "__len__") else 0
        except Exception:  # a worker's shared queue on Redis that does not answer: the line goes on
            waiting = 0
        return waiting + (len(engine.downloader.active) if engine else 0)

    def log_progress(self) -> None:
        logger.info(self.progress().line())

    def spider_closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
