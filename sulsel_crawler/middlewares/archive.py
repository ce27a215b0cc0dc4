"""The web archive of a crawl (``-s WARC_ENABLED=1``): every response the
download handler returns, written to WARC files as it comes
(:mod:`sulsel_crawler.warc`).

Order 930, right above the download handler's last middleware, so it sees
every raw response, before Scrapy follows a redirect, retries a 503 or
decompresses a body: redirects, the cookie challenge and browser renders
are archived like any page. The addresses it sees are public (the mirror
handler maps them); on a mirror the mirror's address is kept too.

The files go to ``WARC_DIR/<site>/``, ``<site>`` named as the crawl state
names it (``www.sulselsatu.com``, or the mirror's name), so that a resumed
run and an update add files to the crawl's folder. Each response's place in
the archive goes into its request's meta (``source_warc``), for the record.
"""

from __future__ import annotations

import json
import logging
import socket
from dataclasses import asdict, is_dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

from sulsel_crawler import __version__
from sulsel_crawler.browser import STORED_PAGE_KEY
from sulsel_crawler.mirror import mirror_url, site_name
from sulsel_crawler.outcome import OUTPUT_UNWRITABLE
from sulsel_crawler.urls import is_site_url
from sulsel_crawler.warc import Exchange, WarcWriter

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

# Where a response is archived, in its request's meta: {"file": …, "record_id": …}.
SOURCE_WARC_KEY = "source_warc"
# The settings a warcinfo record names, besides the spider's arguments.
DESCRIBED_SETTINGS = (
    "USER_AGENT", "ROBOTSTXT_OBEY", "BROWSER_RENDER", "MIRROR_BASE_URL", "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED", "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_MAXSIZE", "WARC_MAX_FILE_SIZE",
)


def crawl_description(crawler: Crawler) -> dict[str, str]:
    """The ``warcinfo`` fields: the crawler, its version, the crawl's settings."""
    arguments = getattr(crawler.spider, "arguments", None)
    described = {name: crawler.settings.get(name) for name in DESCRIBED_SETTINGS}
    return {
        "software": f"sulsel_crawler/{__version__} (Scrapy {scrapy.__version__}; warcio {version('warcio')})",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "isPartOf": site_name(crawler.settings),
        "hostname": socket.gethostname(),
        "http-header-user-agent": crawler.settings.get("USER_AGENT"),
        "robots": "obey" if crawler.settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "spider": crawler.spider.name,
        "spider-arguments": json.dumps(_plain(asdict(arguments)) if is_dataclass(arguments) else {}, sort_keys=True),
        "settings": json.dumps(_plain(described), sort_keys=True),
    }


def exchange(request: Request, response: Response, base_url: str | None) -> Exchange:
    rendered = bool(request.meta.get("playwright")) or "playwright" in response.flags
    redirect_urls = request.meta.get("redirect_urls")
    return Exchange(
        url=request.url,
        method=request.method,
        request_headers=_text_headers(request.headers),
        status=response.status,
        response_headers=_text_headers(response.headers),
        body=response.body,
        final_url=response.url if response.url != request.url else None,
        redirected_from=redirect_urls[0] if redirect_urls else None,
        # The challenge's render shows the browser a page received before: no fetch from the mirror.
        mirror_url=(
            mirror_url(base_url, request.url)
            if base_url and is_site_url(request.url) and STORED_PAGE_KEY not in request.meta
            else None
        ),
        rendered=rendered,
        protocol=response.protocol if response.protocol and response.protocol.startswith("HTTP/") else "HTTP/1.1",
    )


class ArchiveMiddleware:
    """Settings: ``WARC_ENABLED``, ``WARC_DIR``, ``WARC_MAX_FILE_SIZE`` (bytes)."""

    def __init__(self, crawler: Crawler, writer: WarcWriter):
        self.crawler = crawler
        self.writer = writer
        self.base_url = crawler.settings.get("MIRROR_BASE_URL") or None
        self.failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveMiddleware:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED"):
            raise NotConfigured
        writer = WarcWriter(
            Path(settings.get("WARC_DIR")) / site_name(settings),
            crawler.spider.name,
            datetime.now(timezone.utc),
            crawl_description(crawler),
            settings.getint("WARC_MAX_FILE_SIZE"),
        )
        middleware = cls(crawler, writer)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        logger.info("Web archive: every response goes to %s", writer.folder)
        return middleware

    def process_response(self, request: Request, response: Response) -> Response:
        if self.failed:
            return response
        fetch = exchange(request, response, self.base_url)
        try:
            archived = self.writer.write(fetch)
        except OSError as error:
            self._stop(error)
            return response
        request.meta[SOURCE_WARC_KEY] = archived.as_field()
        stats = self.crawler.stats
        stats.inc_value("sulselsatu/warc/responses")
        if fetch.rendered:
            stats.inc_value("sulselsatu/warc/browser_renders")
        stats.set_value("sulselsatu/warc/files", self.writer.files_opened)
        stats.set_value("sulselsatu/warc/bytes", self.writer.bytes_written)
        return response

    def _stop(self, error: OSError) -> None:
        """An archive asked for and not written: the crawl stops, as when its dataset cannot be written."""
        self.failed = True
        logger.error("Web archive: cannot write to %s (%s): stopping the crawl", self.writer.folder, error)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=OUTPUT_UNWRITABLE))

    def spider_closed(self) -> None:
        self.writer.close()


def _text_headers(headers) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


def _plain(value: Any) -> Any:
    """*value* as JSON can hold it (dates as text, sets as sorted lists)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)

