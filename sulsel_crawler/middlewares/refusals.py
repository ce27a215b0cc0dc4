"""Pages the crawl refuses to follow or keep, each reported with its reason.

Scrapy stops a redirect to another site (its OffsiteMiddleware) and a
redirect back to a page already requested (the duplicate filter) without a
word, and fails a page over ``DOWNLOAD_MAXSIZE`` with a message about
cancelling. Here each becomes a line of the rejects file, stage
``download``: "redirect off site to …", "redirect loop: … → …", "too large:
N bytes > DOWNLOAD_MAXSIZE (M)". The browser's own redirects are reported the
same way (:class:`~sulsel_crawler.middlewares.rendering.RenderMiddleware`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest

from sulsel_crawler.signals import page_rejected
from sulsel_crawler.urls import normalize_url

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

# The message of Scrapy's HTTP handler when a response's announced size is over the limit.
OVER_MAXSIZE = re.compile(r"Expected to receive (\d+) bytes which is larger than download max size \((\d+)\)")


class PageRefused(IgnoreRequest):
    """The crawl gives up on a page for the reason its message states in full
    (an off-site redirect, a redirect loop, a page too large)."""


def offsite_redirect(target: str) -> str:
    return f"redirect off site to {target}"


def redirect_loop(chain: list[str]) -> str:
    return "redirect loop: " + " → ".join(chain)


def too_large(size: int | None, limit: int) -> str:
    if size is None:
        return f"too large: over DOWNLOAD_MAXSIZE ({limit} bytes)"
    return f"too large: {size} bytes > DOWNLOAD_MAXSIZE ({limit})"


def redirect_chain(request: Request) -> list[str]:
    """The addresses a redirected request went through, its own last."""
    return [*request.meta.get("redirect_urls", ()), request.url]


class RefusalsMiddleware(OffsiteMiddleware):
    """Scrapy's OffsiteMiddleware in its place (order 50), the same rule of
    which hosts the crawl may reach, reporting what it and the duplicate
    filter stop of a redirect (an HTTP one, or a meta refresh): the page that
    redirected is rejected. It also names the reason of a page Scrapy's
    downloader cancelled for its size."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RefusalsMiddleware:
        middleware = super().from_crawler(crawler)
        crawler.signals.connect(middleware.request_dropped, signal=signals.request_dropped)
        return middleware

    def process_request(self, request: Request, spider=None) -> None:
        try:
            super().process_request(request)
        except IgnoreRequest:
            if request.meta.get("redirect_urls"):
                self._reject(request, offsite_redirect(request.url))
            raise

    def request_dropped(self, request: Request) -> None:
        """The duplicate filter dropped *request*: a redirect back to an
        address of its own chain is a loop. (A redirect to a page requested
        earlier from elsewhere, an article's old address, is not.)"""
        chain = redirect_chain(request)
        if len(chain) > 1 and normalize_url(request.url) in {normalize_url(url) for url in chain[:-1]}:
            self._reject(request, redirect_loop(chain))

    def process_exception(self, request: Request, exception: Exception) -> None:
        """A page over DOWNLOAD_MAXSIZE: Scrapy cancels its download with a
        message naming the size the server announced, or, when it announced
        none, with no message at all once the limit is passed (the only
        cancelling in this crawl)."""
        if not isinstance(exception, DownloadCancelledError):
            return
        if match := OVER_MAXSIZE.search(str(exception)):
            raise PageRefused(too_large(int(match[1]), int(match[2]))) from exception
        if not str(exception):
            limit = request.meta.get("download_maxsize", self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            raise PageRefused(too_large(None, limit)) from exception

    def _reject(self, request: Request, reason: str) -> None:
        self.crawler.signals.send_catch_log(
            signal=page_rejected, url=redirect_chain(request)[0], reasons=[reason], stage="download"
        )
