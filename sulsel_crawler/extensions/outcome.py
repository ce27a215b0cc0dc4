"""The end of every crawl: its monitors, its outcome, its exit status."""

from __future__ import annotations

import json
import logging
import os
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.extensions.feedexport import FeedExporter, FileFeedStorage
from scrapy.utils.defer import deferred_from_coro
from spidermon import settings as spidermon_settings
from spidermon.runners import MonitorRunner

from sulsel_crawler.extensions.crawl_state import CrawlState
from sulsel_crawler.extensions.rejects import RejectsLog
from sulsel_crawler.monitors import EXTRACTION, CrawlFacts, CrawlMonitorSuite, RecordProfile, Thresholds
from sulsel_crawler.outcome import (
    ANOTHER_CRAWL,
    CANNOT_WRITE,
    EXIT_STATUS_STAT,
    MONITOR_FAILED,
    OK,
    OUTCOME_STAT,
    OUTPUT_UNWRITABLE,
    TOO_FEW_RECORDS,
    Status,
    decide,
)
from sulsel_crawler.signals import article_page_parsed

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# (monitor, kind, passed, problem)
MonitorResult = tuple[str, str, bool, str]


class CrawlOutcome:
    """Decides whether a crawl did its job, and says so.

    * Before crawling, checks that every local file feed can be written
      (creating its folder), and closes the spider at once (finish reason
      ``output_unwritable``) when one cannot; during the crawl, closes it at
      the first record a feed failed to write.
    * Profiles every exported record for the monitors (field coverage, word
      counts, dates) and counts article pages
      (:data:`~sulsel_crawler.signals.article_page_parsed`).
    * When the spider closes, runs the Spidermon monitors of
      :mod:`sulsel_crawler.monitors`, decides the outcome
      (:func:`sulsel_crawler.outcome.decide`), puts it and the monitors'
      results in the stats, logs one line naming it (ERROR unless it is
      ``ok``) and writes the monitors' results to ``<dataset>.monitors.json``
      beside the first local feed.

    The ``crawl`` command exits with the outcome's status.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.thresholds = Thresholds.from_settings(crawler.settings)
        self.profile = RecordProfile()
        self.article_pages = 0
        self.exported_before = 0
        self.problem = ""  # why the output cannot be written
        self.feed_counts: dict[int, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlOutcome:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.article_page_parsed, signal=article_page_parsed)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    # -- the output ---------------------------------------------------------

    def _file_feeds(self) -> list[Any]:
        feed_exporter = self.crawler.get_extension(FeedExporter)
        return [slot for slot in feed_exporter.slots if isinstance(slot.storage, FileFeedStorage)] if feed_exporter else []

    def spider_opened(self) -> None:
        # Runs after the feed exporter's spider_opened (an extension of order
        # 0), which has named each feed's file.
        for slot in self._file_feeds():
            problem = unwritable(Path(slot.storage.path))
            if problem:
                self.problem = problem
                self._drop_feed(slot)
                raise CloseSpider(OUTPUT_UNWRITABLE)
            self.feed_counts[id(slot)] = slot.itemcount

    def item_scraped(self, item: Any) -> None:
        # The feed exporter's item_scraped ran before this one: a feed that
        # should have taken the record but did not count it failed to write it.
        for slot in self._file_feeds():
            written = self.feed_counts.get(id(slot))
            self.feed_counts[id(slot)] = slot.itemcount
            if written is not None and slot.itemcount == written and slot.filter.accepts(item) and not self.problem:
                self.problem = f"writing a record to {slot.storage.path} failed (the traceback is above)"
                self._drop_feed(slot)
                deferred_from_coro(self.crawler.engine.close_spider_async(reason=OUTPUT_UNWRITABLE))
        self.profile.add(ItemAdapter(item))

    def _drop_feed(self, slot: Any) -> None:
        # The feed exporter would try the failing feed again for every record
        # still in flight, and once more on closing: one traceback is enough.
        feed_exporter = self.crawler.get_extension(FeedExporter)
        feed_exporter.slots = [other for other in feed_exporter.slots if other is not slot]

    # -- the facts ----------------------------------------------------------

    def engine_started(self) -> None:
        state = self.crawler.get_extension(CrawlState)
        if state is not None and (state.resumed or state.joined):
            self.exported_before = state.store.crawl_exported(state.crawl)

    def article_page_parsed(self) -> None:
        self.article_pages += 1

    def facts(self, stats: dict[str, Any]) -> CrawlFacts:
        settings = self.crawler.settings
        arguments = getattr(self.crawler.spider, "arguments", None)
        return CrawlFacts.from_stats(
            stats,
            self.profile,
            mode=stats.get("sulselsatu/state/mode") or getattr(arguments, "mode", None),
            filtered=bool(arguments and (arguments.since or arguments.categories)),
            mirror=bool(settings.get("MIRROR_BASE_URL") or getattr(arguments, "base_url", None)),
            shared=bool(settings.get("REDIS_URL")),
            exported_before=self.exported_before,
            article_pages=self.article_pages,
        )

    # -- the end ------------------------------------------------------------

    def spider_closed(self, reason: str) -> None:
        stats = self.crawler.stats
        facts = self.facts(stats.get_stats())
        results = run_monitors(self.crawler, facts, self.thresholds)
        failed = {kind for _, kind, passed, _ in results if not passed}
        outcome = decide(reason, stats.get_stats(), failed)
        cause = self._cause(outcome, facts, results)
        stats.set_value(OUTCOME_STAT, outcome.name)
        stats.set_value(EXIT_STATUS_STAT, outcome.exit_status)
        for name, _, passed, _ in results:
            stats.set_value(f"sulselsatu/monitors/{name}", "passed" if passed else "failed")
        level = logging.INFO if outcome in (OK, ANOTHER_CRAWL) else logging.ERROR
        logger.log(level, "Crawl outcome: %s (exit status %d): %s", outcome.name, outcome.exit_status, cause)
        self._write_results(outcome, cause, facts, results)

    def _cause(self, outcome: Status, facts: CrawlFacts, results: list[MonitorResult]) -> str:
        if outcome is CANNOT_WRITE:
            return self.problem or outcome.meaning
        if outcome is OK:
            return f"{facts.exported} articles exported, every monitor passed"
        if outcome in (MONITOR_FAILED, TOO_FEW_RECORDS):
            cause = "; ".join(problem for _, _, passed, problem in results if not passed)
            if any(kind == EXTRACTION and not passed for _, kind, passed, _ in results):
                cause += f" (the site's layout may have changed{self._where_to_look(facts)})"
            return cause
        return outcome.meaning

    def _where_to_look(self, facts: CrawlFacts) -> str:
        rejects = self.crawler.get_extension(RejectsLog)
        if rejects is not None and rejects.count:
            return f": see rejects file {rejects.path}"
        if not facts.exported:
            return ": no page was rejected, so the spider itself yielded no item"
        return ""

    def _write_results(self, outcome: Status, cause: str, facts: CrawlFacts, results: list[MonitorResult]) -> None:
        feeds = self._file_feeds()
        if not feeds or outcome is CANNOT_WRITE:
            return
        path = Path(feeds[0].storage.path).with_suffix(".monitors.json")
        report = {
            "outcome": outcome.name,
            "exit_status": outcome.exit_status,
            "cause": cause,
            "exported": facts.exported,
            "exported_by_the_crawl": facts.exported_before + facts.exported,
            "article_pages": facts.article_pages,
            "monitors": [
                {"monitor": name, "kind": kind, "passed": passed, "problem": problem}
                for name, kind, passed, problem in results
            ],
        }
        try:
            path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        except OSError as error:
            logger.warning("Could not write the monitors' results to %s: %s", path, error)


def unwritable(path: Path) -> str:
    """Why a feed file cannot be written at *path* ("" when it can), creating its folder."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"cannot create the folder of {path}: {error}"
    if path.is_dir():
        return f"cannot write {path}: it is a folder"
    target = path if path.exists() else path.parent
    if not os.access(target, os.W_OK):
        return f"cannot write {path}: permission denied"
    return ""


def run_monitors(
    crawler: Crawler | None, facts: CrawlFacts, thresholds: Thresholds, today: date | None = None
) -> list[MonitorResult]:
    """Runs the monitor suite: ``(monitor, kind, passed, problem)`` for each.
    *today* (default: today in UTC) ends the site's life for the dates."""
    suite = CrawlMonitorSuite(crawler=crawler)
    today = today or datetime.now(timezone.utc).date()
    result = MonitorRunner().run(suite, facts=facts, thresholds=thresholds, today=today, crawler=crawler)
    return [
        (
            monitor_result.item.monitor_name,
            monitor_result.item.kind,
            monitor_result.status == spidermon_settings.MONITOR.STATUS.SUCCESS,
            str(monitor_result.reason or monitor_result.error or ""),
        )
        for monitor_result in result.monitor_results
    ]
