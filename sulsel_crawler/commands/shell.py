"""Scrapy's ``shell`` command, run as a look at pages, not a crawl
(``commands/one_page.py``), and without the browser.

The shell runs Scrapy's engine in a thread of its own, where
scrapy-playwright's download handler never answers: pages are fetched with
Scrapy's plain HTTP handler (behind the mirror handler, so ``-s
MIRROR_BASE_URL=…`` works) and a challenged page shows its challenge.
"""

from scrapy.commands.shell import Command as ScrapyShellCommand

from sulsel_crawler.commands.one_page import PRIORITY, OnePageCommand

PLAIN_HTTP_HANDLER = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"


class Command(OnePageCommand, ScrapyShellCommand):
    def process_options(self, args, opts):
        super().process_options(args, opts)
        self.settings.set("MIRROR_INNER_DOWNLOAD_HANDLER", PLAIN_HTTP_HANDLER, priority=PRIORITY)
        self.settings.set("BROWSER_RENDER", "never", priority=PRIORITY)
