"""The web archive as the site: a download handler that answers every
request from WARC files, for ``scrapy reextract`` (no network at all).

Each URL gets the latest response archived for it, across all the files
(a resumed run's or an update's later fetch wins), exactly as it was
received: a redirect is replayed as a redirect, a 503 as a 503, a
compressed body compressed. A URL the archive does not hold fails with
:class:`NotArchived` (stat ``sulselsatu/reextract/not_archived``).

Setting: ``REEXTRACT_WARC_FILES``, the WARC files (or folders of them) to read.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from sulsel_crawler.middlewares.archive import SOURCE_WARC_KEY
from sulsel_crawler.middlewares.provenance import ARCHIVED_AT_KEY
from sulsel_crawler.warc import crawled_at, latest_responses, read_response, warc_files

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class NotArchived(IgnoreRequest):
    """The archive holds no response for the URL."""


class ArchiveReplayHandler:
    lazy = False

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats
        files = warc_files(Path(path) for path in crawler.settings.getlist("REEXTRACT_WARC_FILES"))
        self.responses = latest_responses(files)
        logger.info("Web archive: %d URLs in %d WARC files", len(self.responses), len(files))
        self.stats.set_value("sulselsatu/reextract/warc_files", len(files))
        self.stats.set_value("sulselsatu/reextract/archived_urls", len(self.responses))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveReplayHandler:
        return cls(crawler)

    async def download_request(self, request: Request) -> Response:
        archived = self.responses.get(request.url)
        if archived is None:
            self.stats.inc_value("sulselsatu/reextract/not_archived")
            raise NotArchived(f"not in the web archive: {request.url}")
        stored = read_response(archived)
        self.stats.inc_value("sulselsatu/reextract/replayed")
        request.meta[SOURCE_WARC_KEY] = archived.archived.as_field()
        request.meta[ARCHIVED_AT_KEY] = crawled_at(archived.date)
        headers = Headers()
        for name, value in stored.headers:
            headers.appendlist(name, value)
        response_class = responsetypes.from_args(headers=headers, url=stored.url, body=stored.body)
        return response_class(
            url=stored.url, status=stored.status, headers=headers, body=stored.body, protocol=stored.protocol
        )

    async def close(self) -> None:
        """Nothing to close: each read opens and closes its file (Scrapy asks every handler for a close())."""
