"""The account of every browser render, and its failures.

The spider marks the requests the browser fetches
(:func:`~sulsel_crawler.browser.render_meta`, with ``-a render=always``); the
challenge middleware makes its own renders in the default ``render=auto``.

A render fetches exactly one document from the site: a navigation the page
starts by itself is answered inside the browser
(:func:`~sulsel_crawler.browser.answer_self_navigation_locally`). So when a
rendered page reloads itself, which on this site is the cookie challenge, its
script has just stored the cookie in the browser, and the page is rendered
again, now with the cookie.

Every render, whoever asked for it, is counted here, and a render that fails
(no browser, a crash, a timeout) becomes a :class:`BrowserFailure`.
"""

import logging

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest

from sulsel_crawler.browser import RELOAD_CHECK_KEY, BrowserFailure

logger = logging.getLogger(__name__)


class RenderMiddleware:
    """Setting: ``CHALLENGE_MAX_RETRIES`` (renders again of a page that reloads itself)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.max_reloads = crawler.settings.getint("CHALLENGE_MAX_RETRIES")
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        if "playwright" not in response.flags:
            return response
        self.stats.inc_value("sulselsatu/browser/renders")
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
        self.stats.inc_value("sulselsatu/browser/failures")
        first_line = next(iter(str(exception).strip().splitlines()), "")
        reason = f"browser render failed: {type(exception).__name__}: {first_line}"
        logger.error("%s (%s)", reason, request.url)
        raise BrowserFailure(reason) from exception
