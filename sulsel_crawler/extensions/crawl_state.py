"""The crawl state: what every run of a site exported, what failed, and
whether the last crawl finished, kept in one SQLite file per site
(:mod:`sulsel_crawler.state.store`), or with ``REDIS_URL`` in the Redis that
the workers of a distributed crawl share (:mod:`sulsel_crawler.state.redis_store`).

It makes a crawl resumable by running the same command again: a run that
finds an unfinished run of its site continues that crawl, whatever stopped
it (Ctrl-C, ``kill -9``, a reboot). Before the feeds open, the records that
the interrupted run wrote but the state did not learn of are read from the
end of its dataset files, so nothing is written twice, and an ``-O`` feed
that holds them is appended to instead of emptied. An update
(``-a mode=update``) runs as a full crawl until one full crawl has finished.
A worker that starts while other workers still run the unfinished crawl
joins it instead; every run sends ``crawl_run_started`` saying which.

Settings: ``CRAWL_STATE`` (the file; ``%(site)s`` is the site's host or the
mirror's name; empty switches the state off) and
``CRAWL_STATE_GIVE_UP_AFTER_RUNS`` (a URL that failed in that many runs in a
row is not tried again).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.extensions.feedexport import FeedExporter, FileFeedStorage
from scrapy_redis.connection import get_redis_from_settings
from w3lib.url import file_uri_to_path

from sulsel_crawler.mirror import site_name
from sulsel_crawler.signals import crawl_run_started, page_rejected
from sulsel_crawler.state.datasets import TRACKED_FORMATS, cut_broken_tail, records_after
from sulsel_crawler.state.redis_store import RedisState
from sulsel_crawler.state.store import KnownArticle, Run, SqliteState, utc_now
from sulsel_crawler.urls import is_article_url, normalize_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 308})


@dataclass(frozen=True)
class RunPlan:
    """How a run starts: in which mode, and whether it continues an
    unfinished run's crawl (*continues*), joining it where other workers
    still run it (*joins*) or resuming it where nothing does."""

    mode: str
    continues: Run | None
    joins: bool
    update_made_full: bool

    @property
    def resumes(self) -> bool:
        return self.continues is not None and not self.joins


def plan_run(last: Run | None, last_running: bool, any_finished: bool, requested_mode: str) -> RunPlan:
    """*last*: the site's last run; *last_running*: whether its crawl is
    still being worked on; *any_finished*: whether a crawl ever finished."""
    if last is not None and not last.finished:
        return RunPlan(last.mode, last, joins=last_running, update_made_full=False)
    if requested_mode == "update" and not any_finished:
        return RunPlan("full", None, joins=False, update_made_full=True)
    return RunPlan(requested_mode, None, joins=False, update_made_full=False)


class CrawlState:
    def __init__(self, crawler: Crawler, store: SqliteState | RedisState, requested_mode: str):
        self.crawler = crawler
        self.store = store
        self.give_up_after_runs = crawler.settings.getint("CRAWL_STATE_GIVE_UP_AFTER_RUNS")
        self.dataset_paths: list[str] = []
        self.written_sizes: dict[str, int] = {}
        self.sitemaps_read: dict[str, str] = {}
        with store.starting():
            last = store.last_run()
            plan = plan_run(
                last,
                last is not None and store.is_running(last.crawl),
                store.last_finished_run() is not None,
                requested_mode,
            )
            self.joined = plan.joins
            self.resumed = plan.continues if plan.resumes else None
            self.mode = plan.mode
            if not self.joined:
                self._set_aside_untrusted_jobdir()
            if plan.continues:
                self._take_over_datasets(plan.continues)
            if plan.update_made_full:
                logger.info("Crawl state %s: no crawl of this site has finished yet, so this update is a full crawl", store)
            self.run: Run = store.start_run(self.mode, continues=plan.continues)
        self.crawl = self.run.crawl
        self._announce()
        crawler.signals.send_catch_log(signal=crawl_run_started, joined=self.joined)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlState:
        template = crawler.settings.get("CRAWL_STATE")
        if not template:
            raise NotConfigured
        arguments = getattr(crawler.spider, "arguments", None)
        extension = cls(crawler, open_store(crawler.settings, crawler.spider.name), arguments.mode if arguments else "full")
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(extension.page_rejected, signal=page_rejected)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    # -- what the crawl plan asks ------------------------------------------

    def known_article(self, url: str) -> KnownArticle | None:
        return self.store.known_article(url)

    def article_with_content_hash(self, content_hash: str) -> KnownArticle | None:
        return self.store.article_with_content_hash(content_hash)

    def gone_in(self, url: str) -> int | None:
        return self.store.gone_in(url)

    def given_up(self, url: str) -> bool:
        failure = self.store.failure(url)
        return failure is not None and failure.given_up

    def urls_to_retry(self) -> list[str]:
        return self.store.urls_to_retry()

    def sitemap_unchanged(self, url: str, lastmod: str | None) -> bool:
        return lastmod is not None and self.store.sitemap_lastmod(url) == lastmod

    def sitemap_read(self, url: str, lastmod: str | None) -> None:
        """Kept when the run finishes: an interrupted update must read it again."""
        if lastmod:
            self.sitemaps_read[url] = lastmod

    def changes_since(self) -> datetime | None:
        """What changed after this may be unknown: the start of the last
        finished crawl, or the newest change it saw if that is earlier (the
        site's clock may differ from ours)."""
        last = self.store.last_finished_run()
        if last is None:
            return None
        started = datetime.fromisoformat(self.store.run(last.crawl).started_at)
        newest = self.store.newest_change()
        return min(started, datetime.fromisoformat(newest)) if newest else started

    # -- before the feeds open -------------------------------------------

    def _set_aside_untrusted_jobdir(self) -> None:
        """Keeps Scrapy's JOBDIR only when it is the queue of a crawl stopped
        cleanly: after ``kill -9`` its files may be broken, and after a
        finished crawl its duplicate filter would skip every page."""
        jobdir = self.crawler.settings.get("JOBDIR")
        if not jobdir or not Path(jobdir).is_dir() or not any(Path(jobdir).iterdir()):
            return
        if self.resumed is not None and self.resumed.finished_at is not None:
            return
        aside = Path(f"{jobdir}.set-aside-{utc_now().replace(':', '-')}")
        Path(jobdir).rename(aside)
        left_by = "a run that was killed" if self.resumed else "a crawl that finished"
        logger.warning(
            "JOBDIR %s was left by %s, so it cannot be trusted: moved to %s; the crawl state %s",
            jobdir,
            left_by,
            aside,
            "continues the crawl without it" if self.resumed else "starts a new crawl",
        )

    def _take_over_datasets(self, continued: Run) -> None:
        """Counts the unrecorded records of the crawl's interrupted runs as
        exported, cuts a broken last line, and keeps ``-O`` from emptying
        their files."""
        crawl_datasets = self.store.datasets(continued.crawl)
        for path, format, known_size in crawl_datasets:
            file = Path(path)
            if not file.exists() or file.stat().st_size <= known_size:
                continue
            tail = records_after(file, format, known_size)
            for record in tail.records:
                self.store.record_export(continued, record, [record["url"]], {path: tail.whole_size})
            if tail.records:
                logger.info(
                    "Crawl state: %d records the interrupted run wrote to %s are counted as exported",
                    len(tail.records),
                    path,
                )
            cut_broken_tail(file, tail)
        self._append_to_crawl_datasets({path for path, _, _ in crawl_datasets})

    def _append_to_crawl_datasets(self, crawl_paths: set[str]) -> None:
        settings = self.crawler.settings
        feeds = settings.getdict("FEEDS")
        changed = {}
        for uri, options in feeds.items():
            if options.get("overwrite") and _local_path(uri) in crawl_paths:
                logger.warning(
                    "Resuming: %s holds this crawl's records, so it is appended to, not overwritten (-O)", uri
                )
                options = {**options, "overwrite": False}
            changed[uri] = options
        if changed != feeds:
            settings.set("FEEDS", changed, priority=settings.getpriority("FEEDS"))

    def _announce(self) -> None:
        if self.joined:
            logger.info(
                "Crawl state %s: joining the %s crawl that other workers are running, started %s: "
                "%d articles exported so far",
                self.store,
                self.mode,
                self.store.run(self.crawl).started_at,
                self.store.crawl_exported(self.crawl),
            )
        elif self.resumed:
            logger.info(
                "Crawl state %s: resuming the unfinished %s crawl started %s: %d articles exported so far, "
                "%d failed URLs to try first",
                self.store,
                self.mode,
                self.store.run(self.crawl).started_at,
                self.store.crawl_exported(self.crawl),
                len(self.store.urls_to_retry()),
            )
        else:
            logger.info("Crawl state %s: starting a new crawl (mode %s)", self.store, self.mode)
        stats = self.crawler.stats
        stats.set_value("sulselsatu/state/mode", self.mode)
        stats.set_value("sulselsatu/state/run", self.run.id)
        stats.set_value("sulselsatu/state/crawl", self.crawl)
        stats.set_value("sulselsatu/state/resumed", bool(self.resumed))
        stats.set_value("sulselsatu/state/joined", self.joined)

    # -- signals ------------------------------------------------------------

    def engine_started(self) -> None:
        feed_exporter = self.crawler.get_extension(FeedExporter)
        for slot in feed_exporter.slots if feed_exporter else ():
            format = slot.feed_options.get("format")
            if isinstance(slot.storage, FileFeedStorage) and format in TRACKED_FORMATS:
                path = str(Path(slot.storage.path).resolve())
                overwrite = slot.feed_options.get("overwrite", False)
                size = 0 if overwrite or not os.path.exists(path) else os.path.getsize(path)
                self.store.add_dataset(path, format, self.run, size)
                self.dataset_paths.append(path)
                self.written_sizes[path] = size
        # Connected now, after the feed exporter's handler: so the state
        # learns of a record once its line is in the dataset files.
        self.crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)

    def response_downloaded(self, response, request) -> None:
        """Remembers an article's old address that redirects to its new one,
        and a deleted article (404) that pages still link."""
        url = normalize_url(request.url)
        if not is_article_url(url):
            return
        location = response.headers.get(b"Location")
        if response.status in REDIRECT_STATUSES and location:
            target = normalize_url(response.urljoin(location.decode("latin-1")))
            if is_article_url(target):
                self.store.record_alias(url, target)
        elif response.status == 404:
            self.store.record_gone(url, self.crawl)

    def item_scraped(self, item: Any, response) -> None:
        record = ItemAdapter(item).asdict()
        fetched_urls = (*response.meta.get("redirect_urls", ()), response.url) if response else ()
        fetched = [normalize_url(url) for url in fetched_urls]
        sizes = {path: os.path.getsize(path) for path in self.dataset_paths if os.path.exists(path)}
        unwritten = [path for path in self.dataset_paths if sizes.get(path, 0) <= self.written_sizes[path]]
        self.written_sizes.update(sizes)
        if unwritten:
            logger.warning(
                "Crawl state: the record of %s did not reach %s, so it is not counted as exported",
                record["url"],
                ", ".join(unwritten),
            )
            return
        self.store.record_export(self.run, record, fetched, sizes)

    def page_rejected(self, url: str | None, reasons: list[str] | str, stage: str) -> None:
        if url is None or stage == "duplicate":
            return
        reason = reasons if isinstance(reasons, str) else "; ".join(map(str, reasons))
        failure = self.store.record_failure(self.run, normalize_url(url), reason, self.give_up_after_runs)
        if failure is not None and failure.given_up:
            logger.warning(
                "Crawl state: giving up on %s, which failed in %d runs in a row: %s",
                url,
                failure.runs_in_a_row,
                reason,
            )

    def spider_closed(self, reason: str) -> None:
        if reason == "finished":
            for url, lastmod in self.sitemaps_read.items():
                self.store.record_sitemap(url, lastmod)
        self.store.finish_run(self.run, reason)
        if reason == "finished":
            logger.info("Crawl state: the %s crawl finished", self.mode)
        else:
            logger.info(
                "Crawl state: the crawl did not finish (%s); run the same command again to continue it", reason
            )
        self.store.close()


def open_store(settings: Settings, spider_name: str) -> SqliteState | RedisState:
    """The state of the crawled site (``%(site)s``: its host, or the mirror's
    name): the SQLite file of ``CRAWL_STATE``, or with ``REDIS_URL`` the
    workers' Redis."""
    site = site_name(settings)
    if settings.get("REDIS_URL"):
        return RedisState(get_redis_from_settings(settings), f"{spider_name}:{site}:state")
    return SqliteState(Path(settings.get("CRAWL_STATE") % {"site": site}))


def _local_path(uri: str) -> str:
    path = file_uri_to_path(uri) if uri.startswith("file:") else uri
    return str(Path(path).resolve())
