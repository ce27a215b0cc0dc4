"""``scrapy crawl`` that refuses bad spider arguments before anything starts
(exit status 2), writes to DEFAULT_FEED_URI when no feed is named, and exits
with the status of the crawl's outcome (:mod:`sulsel_crawler.outcome`).

Scrapy's own command only fails when the crawl could not start, so a crawl
that exported nothing because the site changed, could not be reached or
could not write its output would look like a success to cron, CI or a
shell script.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from sulsel_crawler.arguments import ArgumentError
from sulsel_crawler.distributed import FrontierError
from sulsel_crawler.outcome import exit_status

if TYPE_CHECKING:
    import argparse

    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if not self.settings.getdict("FEEDS"):
            self.settings.set(
                "FEEDS", {self.settings["DEFAULT_FEED_URI"]: {"format": "jsonlines"}}, priority="project"
            )

    def _spider_class(self, args: list[str]) -> type[Spider] | None:
        try:
            return self.crawler_process.spider_loader.load(args[0]) if args else None
        except KeyError:
            return None

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        self.crawler = super()._create_crawler(spidercls)
        return self.crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        # Checked here too so that a bad argument is one clear line, not a traceback.
        arguments = getattr(self._spider_class(args), "arguments_class", None)
        if arguments:
            try:
                arguments.parse(opts.spargs)
            except ArgumentError as error:
                raise UsageError(str(error), print_help=False) from None
        if len(args) != 1:
            super().run(args, opts)  # Scrapy's own usage errors
            return
        crawl = self.crawler_process.crawl(self._create_crawler(args[0]), **opts.spargs)
        crawl.add_done_callback(self._crawl_done)
        self.crawler_process.start()
        if self.exitcode == 0 and self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        # A crawl that failed to start already has its exit status (and maybe no stats).
        if self.exitcode == 0:
            self.exitcode = exit_status(self.crawler.stats.get_stats())

    def _crawl_done(self, crawl: asyncio.Task[None]) -> None:
        """A worker that cannot join its shared crawl: one line, its status;
        any other failure to start: its traceback, as asyncio would log it."""
        error = None if crawl.cancelled() else crawl.exception()
        if isinstance(error, FrontierError):
            logger.error("%s", error)
            self.exitcode = error.outcome.exit_status
        elif error is not None:
            logger.error("The crawl could not start", exc_info=error)
