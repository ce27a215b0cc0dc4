"""The rejects file: one JSON line for every page or item lost on purpose."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scrapy import signals
from scrapy.extensions.feedexport import FeedExporter, FileFeedStorage, apply_uri_params
from w3lib.url import file_uri_to_path

from sulsel_crawler.signals import page_rejected

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

DEFAULT_REJECTS_PATH = "output/rejects.jsonl"


class RejectsLog:
    """Writes every :data:`~sulsel_crawler.signals.page_rejected` as a line
    ``{"url", "stage", "reasons", "rejected_at"}`` of a JSON Lines file, logs
    it as a WARNING and counts it in ``sulselsatu/rejected`` and
    ``sulselsatu/rejected/<stage>``.

    Where the file goes:

    * ``REJECTS_URI`` when set (a path or ``file://`` URI; ``%(name)s``,
      ``%(time)s`` and other spider attributes are filled in as in ``FEEDS``);
    * else next to the first local file feed: ``output/articles.jsonl`` gives
      ``output/articles.rejects.jsonl``;
    * else ``output/rejects.jsonl``.

    The file is created at the first reject. Like the feeds it sits next to,
    it is appended to, unless the feeds are overwritten (``-O``): then a
    rejects file left by an earlier run is emptied when the crawl starts, so
    it never describes a dataset that no longer exists. ``REJECTS_OVERWRITE``
    (true or false) decides this explicitly.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.path: Path | None = None
        self.file: IO[bytes] | None = None
        self.count = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RejectsLog:
        extension = cls(crawler)
        # At engine_started every spider_opened handler has run, so the feed
        # exporter knows the actual file names of its feeds.
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.page_rejected, signal=page_rejected)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def engine_started(self) -> None:
        if self.path is None:
            self._locate()

    def page_rejected(self, url: str | None, reasons: Iterable[str] | str, stage: str) -> None:
        reasons = [reasons] if isinstance(reasons, str) else [str(reason) for reason in reasons]
        logger.warning("Rejected %s (%s): %s", url, stage, "; ".join(reasons))
        self.crawler.stats.inc_value("sulselsatu/rejected")
        self.crawler.stats.inc_value(f"sulselsatu/rejected/{stage}")
        record = {
            "url": url,
            "stage": stage,
            "reasons": reasons,
            "rejected_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        file = self._open()
        file.write(line.encode("utf-8"))
        file.flush()
        self.count += 1

    def spider_closed(self) -> None:
        if self.file is None:
            return
        self.file.close()
        logger.info("Wrote %d rejected pages or items to %s", self.count, self.path)

    def _open(self) -> IO[bytes]:
        if self.file is None:
            path = self.path or self._locate()
            path.parent.mkdir(parents=True, exist_ok=True)
            self.file = path.open("ab")
        return self.file

    def _locate(self) -> Path:
        settings = self.crawler.settings
        feed_path, feed_overwrites = self._first_local_feed()
        if settings.get("REJECTS_URI"):
            uri = apply_uri_params(str(settings["REJECTS_URI"]), self._uri_params())
            self.path = Path(file_uri_to_path(uri) if uri.startswith("file:") else uri)
        elif feed_path is not None:
            self.path = feed_path.with_suffix(".rejects.jsonl")
        else:
            self.path = Path(DEFAULT_REJECTS_PATH)
        if settings.get("REJECTS_OVERWRITE") is None:
            overwrite = feed_overwrites
        else:
            overwrite = settings.getbool("REJECTS_OVERWRITE")
        if overwrite and self.path.exists():
            self.path.write_bytes(b"")
        return self.path

    def _first_local_feed(self) -> tuple[Path | None, bool]:
        feed_exporter = self.crawler.get_extension(FeedExporter)
        for slot in feed_exporter.slots if feed_exporter else ():
            if isinstance(slot.storage, FileFeedStorage):
                return Path(slot.storage.path), bool(slot.feed_options.get("overwrite", False))
        return None, False

    def _uri_params(self) -> dict[str, Any]:
        spider = self.crawler.spider
        params = {name: getattr(spider, name) for name in dir(spider)}
        now = datetime.now(timezone.utc).replace(microsecond=0)
        params["time"] = now.isoformat().replace(":", "-")
        return params
