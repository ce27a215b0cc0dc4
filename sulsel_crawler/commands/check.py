"""Scrapy's ``check`` command, run as a look at pages, not a crawl
(``commands/one_page.py``), with the stored pages of ``@stored_page``
contracts answered from their files (``sulsel_crawler/contracts.py``)."""

from scrapy.commands.check import Command as ScrapyCheckCommand

from sulsel_crawler.commands.one_page import PRIORITY, OnePageCommand

STORED_PAGES_MIDDLEWARE = "sulsel_crawler.contracts.StoredPagesMiddleware"


class Command(OnePageCommand, ScrapyCheckCommand):
    def process_options(self, args, opts):
        super().process_options(args, opts)
        middlewares = self.settings.getdict("DOWNLOADER_MIDDLEWARES")
        # First: no robots.txt fetch, no mirror, no browser for a stored page.
        middlewares[STORED_PAGES_MIDDLEWARE] = 0
        self.settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority=PRIORITY)
