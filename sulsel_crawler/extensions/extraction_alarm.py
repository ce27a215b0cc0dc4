"""A loud end-of-crawl error when article pages were seen but not extracted."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals

from sulsel_crawler.extensions.rejects import RejectsLog
from sulsel_crawler.signals import article_page_parsed, page_rejected

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

ALARM_STAT = "sulselsatu/extraction_alarm"


class ExtractionAlarm:
    """At the end of a crawl that read article pages, logs an ERROR and sets
    ``sulselsatu/extraction_alarm`` to 1 when no item was exported, or when
    more than ``EXTRACTION_ALARM_MAX_REJECT_RATIO`` (default 0.5) of those
    pages were rejected. Duplicates are not extraction failures and do not
    count.

    Both mean the site's layout has most likely changed under the page
    classes. The project's ``crawl`` command exits with status 1 when the
    alarm went off. It counts from signals: the spider's
    :data:`~sulsel_crawler.signals.article_page_parsed`, Scrapy's
    ``item_scraped`` and every :data:`~sulsel_crawler.signals.page_rejected`.
    """

    def __init__(self, crawler: Crawler, max_reject_ratio: float):
        self.crawler = crawler
        self.max_reject_ratio = max_reject_ratio
        self.article_pages = 0
        self.exported = 0
        self.rejected = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionAlarm:
        ratio = crawler.settings.getfloat("EXTRACTION_ALARM_MAX_REJECT_RATIO", 0.5)
        extension = cls(crawler, ratio)
        crawler.signals.connect(extension.article_page_parsed, signal=article_page_parsed)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.page_rejected, signal=page_rejected)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def article_page_parsed(self) -> None:
        self.article_pages += 1

    def item_scraped(self) -> None:
        self.exported += 1

    def page_rejected(self, stage: str) -> None:
        if stage != "duplicate":
            self.rejected += 1

    def spider_closed(self) -> None:
        pages, rejected = self.article_pages, self.rejected
        if not pages:
            return
        if not self.exported:
            problem = f"extracted nothing from {pages} article pages"
        elif rejected / pages > self.max_reject_ratio:
            problem = (
                f"rejected {rejected} of {pages} article pages ({rejected / pages:.0%}, "
                f"more than EXTRACTION_ALARM_MAX_REJECT_RATIO={self.max_reject_ratio})"
            )
        else:
            return
        self.crawler.stats.set_value(ALARM_STAT, 1)
        logger.error(
            "EXTRACTION ALARM: %s — the site's layout may have changed; see %s",
            problem,
            self._where_rejects_are(),
        )

    def _where_rejects_are(self) -> str:
        rejects = self.crawler.get_extension(RejectsLog)
        if rejects is None or rejects.path is None:
            return "the rejected-page warnings in the log"
        if not rejects.count:
            return "the log: no page was rejected, so the spider itself yielded no item"
        return f"rejects file {rejects.path}"
