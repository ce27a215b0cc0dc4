"""``scrapy reextract WARC_FOLDER_OR_FILE… -O output/articles.jsonl``: the
dataset built again from a crawl's web archive (``-s WARC_ENABLED=1``),
without the network.

The ``sulselsatu`` spider crawls the archive as if it were the site: a
download handler answers every request with the latest response archived
for its URL (:mod:`sulsel_crawler.replay`), so the same page classes,
loaders, validation, de-duplication, exporters, rejects file and monitors
run as in a crawl, and split articles are merged and challenged pages read
as the crawl read them. Each record's ``crawled_at`` is the fetch time the
archive gives its page, ``source_warc`` the record it was read from. A URL
the archive does not hold is rejected (stage ``download``, ``NotArchived``).

Nothing is fetched, no browser runs, and the crawl state is neither read nor
written. Feed options, ``-a since``/``-a categories`` and ``-s`` work as for
``scrapy crawl``, and so does the exit status (docs/crawling.md#exit-status).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.exceptions import UsageError

from sulsel_crawler.commands.crawl import Command as CrawlCommand
from sulsel_crawler.commands.one_page import PRIORITY
from sulsel_crawler.warc import warc_files, warcinfo

if TYPE_CHECKING:
    import argparse

    from scrapy.settings import Settings

SPIDER = "sulselsatu"
REPLAY_HANDLER = "sulsel_crawler.replay.ArchiveReplayHandler"
# A look at the archive, not at the site: no lock, no state, no browser, no delay.
REPLAY_SETTINGS = {
    "DOWNLOAD_HANDLERS": {"http": REPLAY_HANDLER, "https": REPLAY_HANDLER},
    "WARC_ENABLED": False,
    "CRAWL_STATE": "",
    "SINGLE_RUN_ENABLED": False,
    "BROWSER_RENDER": "never",
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
}


def archives_mirror(files: list[Path]) -> bool:
    """Whether the archived crawl was of a mirror (``-a base_url``), as its warcinfo records say."""
    for file in files:
        arguments = json.loads(warcinfo(file).get("spider-arguments") or "{}")
        if arguments.get("base_url"):
            return True
    return False


def apply_replay_settings(settings: Settings, files: list[Path]) -> None:
    for name, value in REPLAY_SETTINGS.items():
        settings.set(name, value, priority=PRIORITY)
    settings.set("REEXTRACT_WARC_FILES", [str(file) for file in files], priority=PRIORITY)
    # The archive of a mirror is judged as a crawl of a mirror would be.
    if archives_mirror(files):
        settings.set("MONITOR_MIN_EXPORTED", settings.getint("MONITOR_MIN_EXPORTED_MIRROR"), priority=PRIORITY)


class Command(CrawlCommand):
    def syntax(self) -> str:
        return "[options] <WARC folder or file> ..."

    def short_desc(self) -> str:
        return "Build the dataset again from a crawl's web archive (WARC), without the network"

    def long_desc(self) -> str:
        return __doc__ or self.short_desc()

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if not args:
            raise UsageError("name the web archive: a WARC folder (output/warc/<site>/) or WARC files")
        missing = [arg for arg in args if not Path(arg).exists()]
        if missing:
            raise UsageError(f"no such WARC folder or file: {', '.join(missing)}", print_help=False)
        files = warc_files(Path(arg) for arg in args)
        if not files:
            raise UsageError(f"no WARC files (*.warc.gz) in {', '.join(args)}", print_help=False)
        apply_replay_settings(self.settings, files)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run([SPIDER], opts)
