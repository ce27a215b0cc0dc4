"""``scrapy crawl`` that refuses bad spider arguments before anything starts,
writes to DEFAULT_FEED_URI when no feed is named, and exits with status 1 when
the extraction alarm went off.

Scrapy's own command only fails when the crawl could not start, so a crawl
that exported nothing because the site changed would look like a success to
cron, CI or a shell script.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from sulsel_crawler.arguments import ArgumentError
from sulsel_crawler.extensions.extraction_alarm import ALARM_STAT

if TYPE_CHECKING:
    import argparse

    from scrapy import Spider
    from scrapy.crawler import Crawler


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
        super().run(args, opts)
        # A crawl that failed to start already has exit status 1 (and maybe no stats).
        if self.exitcode == 0 and self.crawler.stats.get_value(ALARM_STAT):
            self.exitcode = 1
