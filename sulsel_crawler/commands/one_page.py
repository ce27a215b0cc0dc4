"""What the project's one-page commands (``shell``, ``fetch``, ``view``,
``parse``, ``check``, ``extract``) change in the settings: they look at
pages, they do not crawl.

So they take no single-run lock (a look at a page while the site's crawl
runs is fine), keep no crawl state (a look is no run of a crawl), file no
rejects (they are logged) and judge no outcome (one page is no dataset).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from scrapy.settings import SETTINGS_PRIORITIES

if TYPE_CHECKING:
    import argparse

    from scrapy.settings import Settings

OUTCOME_EXTENSION = "sulsel_crawler.extensions.outcome.CrawlOutcome"
# Above the spider's custom settings, below the command line: ``-s`` still wins.
PRIORITY = (SETTINGS_PRIORITIES["spider"] + SETTINGS_PRIORITIES["cmdline"]) // 2


def apply_one_page_settings(settings: Settings) -> None:
    settings.set("SINGLE_RUN_ENABLED", False, priority=PRIORITY)
    settings.set("CRAWL_STATE", "", priority=PRIORITY)
    settings.set("REJECTS_URI", os.devnull, priority=PRIORITY)
    # No progress lines, coverage file or dataset report for a look at pages.
    settings.set("PROGRESS_INTERVAL", 0, priority=PRIORITY)
    settings.set("COVERAGE_ENABLED", False, priority=PRIORITY)
    settings.set("REPORT_ENABLED", False, priority=PRIORITY)
    extensions = settings.getdict("EXTENSIONS")
    extensions[OUTCOME_EXTENSION] = None
    settings.set("EXTENSIONS", extensions, priority=PRIORITY)


class OnePageCommand:
    """Mixin for a Scrapy command class: its settings are those of a look at pages."""

    settings: Settings

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)  # type: ignore[misc]
        apply_one_page_settings(self.settings)
