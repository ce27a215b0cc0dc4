"""Which requests the browser fetches, and the account of every browser render.

With ``-a render=always`` every HTML page goes through the browser
(scrapy-playwright's ``playwright`` meta key); robots.txt, sitemaps and the
feed stay plain, as the browser would wrap their text in its own viewer. In
the default ``render=auto`` only the challenge middleware asks for renders.

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

from scrapy.exceptions import IgnoreRequest
from scrapy_playwright.page import PageMethod

from sulsel_crawler.browser import BrowserFailure, answer_self_navigation_locally, render_mode
from sulsel_crawler.discovery import PageKind

logger = logging.getLogger(__name__)

NOT_HTML_KINDS = frozenset({PageKind.FEED, PageKind.SITEMAP})

RELOADED = "() => performance.getEntriesByType('navigation')[0].type === 'reload'"
RELOAD_CHECK_KEY = "render_reload_check"
RELOADS_KEY = "render_reloads"


def is_html_page(request) -> bool:
    """A request of the spider (it marks each with its ``kind``) for an HTML page."""
    kind = request.meta.get("kind")
    return kind is not None and kind not in NOT_HTML_KINDS


class RenderMiddleware:
    """Settings: ``BROWSER_RENDER`` (``always`` renders every HTML page) and
    ``CHALLENGE_MAX_RETRIES`` (renders again of a page that reloads itself)."""

    def __init__(self, crawler):
        self.mode = render_mode(crawler.settings)
        self.max_reloads = crawler.settings.getint("CHALLENGE_MAX_RETRIES")
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        if self.mode != "always" or "playwright" in request.meta or not is_html_page(request):
            return None
        reload_check = PageMethod("evaluate", RELOADED)
        request.meta["playwright"] = True
        request.meta["playwright_page_init_callback"] = answer_self_navigation_locally
        request.meta["playwright_page_methods"] = [reload_check]
        request.meta[RELOAD_CHECK_KEY] = reload_check
        return None

    def process_response(self, request, response):
        if "playwright" not in response.flags:
            return response
        self.stats.inc_value("sulselsatu/browser/renders")
        reload_check = request.meta.get(RELOAD_CHECK_KEY)
        if not (reload_check and reload_check.result):
            return response
        self.stats.inc_value("sulselsatu/challenge/met")
        reloads = request.meta.get(RELOADS_KEY, 0)
        if reloads >= self.max_reloads:
            self.stats.inc_value("sulselsatu/challenge/failed")
            raise BrowserFailure(
                f"the page still reloads itself after {reloads} more renders with the browser's cookies"
            )
        again = request.replace(dont_filter=True)
        again.meta[RELOADS_KEY] = reloads + 1
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
