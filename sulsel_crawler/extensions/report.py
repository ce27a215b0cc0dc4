"""The dataset report written at the end of every crawl (REPORT_ENABLED)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from sulsel_crawler.extensions.coverage import first_local_feed
from sulsel_crawler.report import write_report

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class DatasetReport:
    """Once the feeds are closed at the end of a crawl, writes
    ``<dataset>.report.html``, ``<dataset>.report.json`` and the dataset card
    ``README.md`` beside the first local feed, if it is JSON Lines
    (:mod:`sulsel_crawler.report`). By then the outcome extension has written
    the monitors' results and the coverage extension its file. A report that
    cannot be written is logged; the crawl's outcome stays as it is."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.reason = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DatasetReport:
        if not crawler.settings.getbool("REPORT_ENABLED"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.feed_exporter_closed, signal=signals.feed_exporter_closed)
        return extension

    def spider_closed(self, reason: str) -> None:
        self.reason = reason

    def feed_exporter_closed(self) -> None:
        dataset = first_local_feed(self.crawler)
        if dataset is None or dataset.suffix not in (".jsonl", ".jl") or not dataset.exists():
            return
        try:
            files = write_report(dataset, {**self.crawler.stats.get_stats(), "finish_reason": self.reason})
        except (OSError, ValueError) as error:
            logger.error("Could not write the report of %s: %s", dataset, error)
            return
        logger.info("Dataset report: %s (figures %s, dataset card %s)", files.html, files.json, files.card)
