"""A real crawler with the real CrawlState extension on a temporary SQLite
file, built as ``scrapy crawl`` builds it: the spider (and its ``mode``
argument) first, then the extensions, then spider_opened and engine_started."""

from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import AsyncCrawlerRunner, Crawler, CrawlerRunner
from scrapy.utils.reactor import is_reactor_installed
from scrapy.utils.test import get_reactor_settings

from sulsel_crawler import settings as project_settings
from sulsel_crawler.arguments import CrawlArguments
from sulsel_crawler.extensions.crawl_state import CrawlState
from tests.support.guards import GUARD_SETTINGS, QUIET_SETTINGS

CRAWL_STATE_PATH = "sulsel_crawler.extensions.crawl_state.CrawlState"


class ModeSpider(Spider):
    """A spider with the project's parsed arguments, as the real one has."""

    name = "mode"

    def __init__(self, mode: str = "full", **kwargs: Any):
        super().__init__(**kwargs)
        self.arguments = CrawlArguments.parse({"mode": mode})


def state_crawler(
    state_file: Path,
    mode: str = "full",
    settings: dict[str, Any] | None = None,
    open_spider: bool = True,
    spider_class: type[Spider] = ModeSpider,
    command_line: dict[str, Any] | None = None,
) -> Crawler:
    """*settings* as the project's, *command_line* as ``-s``/``-O`` give them."""
    all_settings = {
        "REMOTE_CONTROL_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        **get_reactor_settings(),
        **GUARD_SETTINGS,
        **QUIET_SETTINGS,
        "EXTENSIONS": {**GUARD_SETTINGS["EXTENSIONS"], CRAWL_STATE_PATH: -1},
        "CRAWL_STATE": str(state_file),
        "CRAWL_STATE_GIVE_UP_AFTER_RUNS": project_settings.CRAWL_STATE_GIVE_UP_AFTER_RUNS,
        **(settings or {}),
    }
    runner = CrawlerRunner(all_settings) if is_reactor_installed() else AsyncCrawlerRunner(all_settings)
    crawler = runner.create_crawler(spider_class)
    for name, value in (command_line or {}).items():
        crawler.settings.set(name, value, priority="cmdline")
    crawler.spider = spider_class.from_crawler(crawler, mode=mode)
    crawler._apply_settings()
    if open_spider:
        crawler.signals.send_catch_log(signal=signals.spider_opened, spider=crawler.spider)
        # The extension's own handler is called directly: under mutmut its
        # methods are wrappers taking **kwargs, and Scrapy's signals would
        # pass them the signal's own arguments too.
        extension = crawler.get_extension(CrawlState)
        if extension is not None:
            crawler.signals.disconnect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.send_catch_log(signal=signals.engine_started)
        if extension is not None:
            extension.engine_started()
    return crawler


def crawl_state(crawler: Crawler) -> CrawlState:
    extension = crawler.get_extension(CrawlState)
    assert extension is not None
    return extension
