"""Every browser render: what it may reach, its account, and its failures.

The spider marks the requests the browser fetches
(:func:`~sulsel_crawler.browser.render_meta`, with ``-a render=always``); the
challenge middleware makes its own renders in the default ``render=auto``.

Every render, whoever asked for it, is confined here to the hosts the plain
downloader reaches: its browser context sends any other request to a proxy
that does not exist (:func:`~sulsel_crawler.browser.context_proxy`), and its
page answers or stops the navigations it starts by itself
(:func:`~sulsel_crawler.browser.confine_page`).

A render thus fetches exactly one document from the site. So when a rendered
page reloads itself, which on this site is the cookie challenge, its script
has just stored the cookie in the browser, and the page is rendered again,
now with the cookie.

Every render is counted here. A render that fails (no browser, a crash, a
timeout) becomes a :class:`BrowserFailure`; one whose redirects left the site
or went round in a loop, or whose page is over ``DOWNLOAD_MAXSIZE``, a
:class:`~sulsel_crawler.middlewares.refusals.PageRefused`, as for the plain
downloader.
"""

import logging

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest

from sulsel_crawler.browser import (
    BLOCKED_KEY,
    RELOAD_CHECK_KEY,
    BrowserFailure,
    allowed_hosts,
    confine_page,
    context_proxy,
)
from sulsel_crawler.middlewares.refusals import PageRefused, offsite_redirect, too_large

logger = logging.getLogger(__name__)

TOO_MANY_REDIRECTS = "net::ERR_TOO_MANY_REDIRECTS"


class RenderMiddleware:
    """Settings: ``CHALLENGE_MAX_RETRIES`` (renders again of a page that
    reloads itself), ``DOWNLOAD_MAXSIZE``, ``MIRROR_BASE_URL``."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.max_reloads = crawler.settings.getint("CHALLENGE_MAX_RETRIES")
        self.maxsize = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        self.stats = crawler.stats
        hosts = allowed_hosts(
            crawler.settings.get("MIRROR_BASE_URL"), getattr(crawler.spider, "allowed_domains", None) or []
        )
        self.proxy = context_proxy(hosts)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        """Every render's context and page are confined to the site; the
        context is made by the first render, so every render carries its
        options."""
        if not request.meta.get("playwright"):
            return None
        context_options = request.meta.get("playwright_context_kwargs") or {}
        request.meta["playwright_context_kwargs"] = {**context_options, "proxy": self.proxy}
        request.meta["playwright_page_init_callback"] = confine_page
        request.meta[BLOCKED_KEY] = []
        return None

    def process_response(self, request, response):
        if "playwright" not in response.flags:
            return response
        self.stats.inc_value("sulselsatu/browser/renders")
        maxsize = request.meta.get("download_maxsize", self.maxsize)
        if maxsize and len(response.body) > maxsize:
            raise PageRefused(too_large(len(response.body), maxsize))
        reload_check = request.meta.get(RELOAD_CHECK_KEY)
        if not (reload_check and reload_check.result):
            return response
        self.stats.inc_value("sulselsatu/challenge/met")
        again = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason="page reloaded itself",
            max_retry_times=self.max_reloads,
            give_up_log_level=logging.INFO,
        )
        if again is None:
            self.stats.inc_value("sulselsatu/challenge/failed")
            raise BrowserFailure(
                f"the page still reloads itself after {self.max_reloads} more renders "
                "with the browser's cookies"
            )
        self.stats.inc_value("sulselsatu/challenge/retried")
        return again

    def process_exception(self, request, exception):
        if not request.meta.get("playwright") or isinstance(exception, IgnoreRequest):
            return None
        blocked = request.meta.get(BLOCKED_KEY)
        if blocked:
            raise PageRefused(offsite_redirect(blocked[0])) from exception
        if TOO_MANY_REDIRECTS in str(exception):
            raise PageRefused(f"redirect loop: {request.url} → … (over Chromium's 20 redirects)") from exception
        self.stats.inc_value("sulselsatu/browser/failures")
        first_line = next(iter(str(exception).strip().splitlines()), "")
        reason = f"browser render failed: {type(exception).__name__}: {first_line}"
        logger.error("%s (%s)", reason, request.url)
        raise BrowserFailure(reason) from exception
