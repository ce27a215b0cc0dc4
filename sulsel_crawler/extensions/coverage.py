"""Coverage reconciliation at the end of every crawl: "did we get everything?"
as numbers, in the stats and in ``<dataset>.coverage.json``."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.extensions.feedexport import FeedExporter, FileFeedStorage

from sulsel_crawler.coverage import CoverageLedger
from sulsel_crawler.discovery import PageKind
from sulsel_crawler.signals import link_found, page_rejected
from sulsel_crawler.urls import is_article_url, normalize_url

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

STATS_PREFIX = "sulselsatu/coverage"


def first_local_feed(crawler: Crawler) -> Path | None:
    """The file of the crawl's first local feed (the dataset), if it has one."""
    feed_exporter = crawler.get_extension(FeedExporter)
    for slot in feed_exporter.slots if feed_exporter else ():
        if isinstance(slot.storage, FileFeedStorage):
            return Path(slot.storage.path)
    return None


class CoverageLog:
    """Follows every article URL from its discovery (every source that links
    to it) to its end: exported, rejected, failed, not found, fetched without
    a record, redirected to another URL, requested but never fetched, or left by the crawl plan. Reads the totals the
    site states: the article URLs its sitemaps list, the WordPress API's
    ``X-WP-Total``.

    When the spider closes, puts the reconciliation's numbers in the stats
    (``sulselsatu/coverage/...``) and writes all of it, with every article URL
    that was not exported, to ``<dataset>.coverage.json`` beside the first
    local feed (:mod:`sulsel_crawler.coverage`). ``COVERAGE_ENABLED = False``
    turns it off.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.ledger = CoverageLedger()
        self.dataset: Path | None = None
        self.path: Path | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CoverageLog:
        if not crawler.settings.getbool("COVERAGE_ENABLED", True):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.link_found, signal=link_found)
        crawler.signals.connect(extension.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(extension.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.page_rejected, signal=page_rejected)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def engine_started(self) -> None:
        # The feed exporter named its files at spider_opened; a failing feed
        # may be dropped later, so the dataset is looked up now.
        self.dataset = first_local_feed(self.crawler)

    def link_found(self, link) -> None:
        if link.kind is PageKind.ARTICLE:
            self.ledger.discovered(link.url, link.source)

    def request_scheduled(self, request) -> None:
        # A redirect off the site keeps its request's kind: only the site's articles count.
        if request.meta.get("kind") is PageKind.ARTICLE and is_article_url(request.url):
            self.ledger.requested(request.url, request.meta.get("source", "unknown"))

    def response_downloaded(self, response, request) -> None:
        # Before the downloader middlewares: sees redirects that
        # KnownRedirectsMiddleware stops as well as those followed.
        location = response.headers.get("Location")
        if request.meta.get("kind") is PageKind.ARTICLE and 300 <= response.status < 400 and location:
            self.ledger.redirected(request.url, normalize_url(urljoin(request.url, location.decode("latin-1"))))

    def response_received(self, response, request) -> None:
        kind = request.meta.get("kind")
        if kind is PageKind.ARTICLE:
            self.ledger.fetched(request.url, response.status)
        elif kind is PageKind.API and response.status == 200:
            total = response.headers.get("X-WP-Total")
            if total and total.decode().isdigit():
                self.ledger.state_total("api", int(total.decode()))

    def item_scraped(self, item: Any, response) -> None:
        self.ledger.exported(normalize_url(item["url"]))
        if response is not None and response.request is not None:
            self.ledger.exported(response.request.url)

    def page_rejected(self, url: str | None, reasons: Iterable[str] | str, stage: str) -> None:
        if url:
            reason = reasons if isinstance(reasons, str) else "; ".join(str(reason) for reason in reasons)
            self.ledger.rejected(normalize_url(url), stage, reason)

    def spider_closed(self) -> None:
        stats = self.crawler.stats
        sitemap_articles = self.ledger.listed_by("sitemaps")
        if sitemap_articles:
            self.ledger.state_total("sitemap", sitemap_articles)
        reconciliation = self.ledger.reconciliation()
        for fate, count in reconciliation["articles"].items():
            stats.set_value(f"{STATS_PREFIX}/articles/{fate}", count)
        for group in ("by_source", "by_category"):
            for name, tally in reconciliation[group].items():
                for fate, count in tally.items():
                    if count:
                        stats.set_value(f"{STATS_PREFIX}/{group.removeprefix('by_')}/{name}/{fate}", count)
        for source, stated in reconciliation["stated_totals"].items():
            stats.set_value(f"{STATS_PREFIX}/stated/{source}/stated", stated["stated"])
            stats.set_value(f"{STATS_PREFIX}/stated/{source}/difference", stated["difference"])
        stats.set_value(f"{STATS_PREFIX}/not_exported", len(reconciliation["not_exported"]))
        totals = reconciliation["articles"]
        logger.info(
            "Coverage: %d article URLs discovered, %d exported, %d rejected, %d failed, %d not found, "
            "%d fetched without a record, %d redirected, %d requested but never fetched, %d left by the crawl plan",
            totals["discovered"], totals["exported"], totals["rejected"], totals["failed"],
            totals["not_found"], totals["fetched_no_record"], totals["redirected"], totals["not_fetched"], totals["skipped"],
        )
        if self.dataset is None:
            return
        self.path = self.dataset.with_suffix(".coverage.json")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(reconciliation, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        except OSError as error:
            logger.error("Could not write the coverage file %s: %s", self.path, error)
            self.path = None
