"""The site's JavaScript cookie challenge, passed with one browser render.

A few article paths answer a client without the cookie ``sschk`` with 503 and
a small page, ``<div id="ss-chk">`` and a script that computes the cookie and
reloads. One cookie unlocks every challenged path. So the first challenge of
a crawl is rendered once in the browser (from the answer already received:
the browser asks the site for nothing), the cookie its script set is taken
out of the browser, and the page is asked for again through the plain
downloader with that cookie, set for the whole site (path ``/``). Scrapy's
cookie jar then sends it with every later request: challenged pages pass
without the browser and without a 503. Challenges met
while a render is under way wait for its cookie instead of starting another,
and requests to the site wait for it before they are sent.
With ``render=auto`` the browser is then closed (:mod:`sulsel_crawler.on_demand_browser`)
until a challenge comes back.
"""

import asyncio
import logging
from typing import NoReturn

from scrapy import Request
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import HtmlResponse
from scrapy_playwright.page import PageMethod

from sulsel_crawler.browser import STORED_PAGE_KEY, BrowserFailure, render_mode
from sulsel_crawler.shared_challenge_cookie import SharedChallengeCookie
from sulsel_crawler.signals import browser_idle
from sulsel_crawler.urls import is_site_url

logger = logging.getLogger(__name__)

CHALLENGE_STATUS = 503
CHALLENGE_SELECTOR = "#ss-chk"
CHALLENGE_COOKIE = "sschk"
COOKIE_IS_SET = "name => document.cookie.split('; ').some(pair => pair.startsWith(name + '='))"

# The challenge render gets its own download slot, so that it never waits
# behind the site's slot, whose requests may be the ones held here for it.
BROWSER_SLOT = "sulselsatu-browser"

RENDER_KEY = "challenge_render"


def is_challenge(response) -> bool:
    return (
        response.status == CHALLENGE_STATUS
        and isinstance(response, HtmlResponse)
        and bool(response.css(CHALLENGE_SELECTOR))
    )


def with_challenge_cookie(cookies: dict | list, value: str) -> list[dict]:
    """A request's cookies and the challenge cookie, with path "/" as the
    browser has it: the jar then sends it with every later request to the
    site, not only to this page's directory."""
    listed = [{"name": name, "value": v} for name, v in cookies.items()] if isinstance(cookies, dict) else list(cookies)
    return [*listed, {"name": CHALLENGE_COOKIE, "value": value, "path": "/"}]


def cookie_sent(request: Request) -> str | None:
    """The challenge cookie's value as the request sent it, if it did."""
    header = request.headers.get("Cookie", b"").decode("latin-1")
    for pair in header.split(";"):
        name, _, value = pair.strip().partition("=")
        if name == CHALLENGE_COOKIE:
            return value
    return None


async def browser_cookies(page) -> list[dict]:
    return await page.context.cookies(page.url)


class ChallengeMiddleware:
    """Retries a challenged request with the challenge cookie, rendering a
    challenge page in the browser only when no working cookie is known.

    Settings: ``CHALLENGE_MAX_RENDERS`` (browser renders per crawl),
    ``CHALLENGE_MAX_RETRIES`` (retries of one request, counted as Scrapy's
    ``get_retry_request`` counts them),
    ``BROWSER_RENDER_TIMEOUT`` (seconds, one render from browser launch to
    cookie), ``BROWSER_RENDER`` (``never`` gives up on challenged pages) and
    ``CHALLENGE_COOKIE_KEY`` (workers: the cookie is shared in Redis).
    A request it gives up on fails with :class:`BrowserFailure`.
    """

    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.mode = render_mode(settings)
        self.max_renders = settings.getint("CHALLENGE_MAX_RENDERS")
        self.max_retries = settings.getint("CHALLENGE_MAX_RETRIES")
        self.render_timeout = settings.getfloat("BROWSER_RENDER_TIMEOUT")
        self.cookie_wait_ms = settings.getfloat("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT")
        self.renders = 0
        self.cookie: asyncio.Future[str] | None = None
        self.shared = SharedChallengeCookie.from_settings(settings)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request):
        """While the cookie is being obtained, a request to the site waits for
        it: sent now, it would be challenged too, at the cost of a 503 and a
        retry. The crawl pauses for the render, once."""
        if self.cookie is None or self.cookie.done() or request.meta.get(RENDER_KEY) or not is_site_url(request.url):
            return None
        self.stats.inc_value("sulselsatu/challenge/requests_held")
        try:
            value = await asyncio.shield(self.cookie)
        except Exception:
            return None
        request.cookies = with_challenge_cookie(request.cookies, value)
        return None

    async def process_response(self, request, response):
        if request.meta.get(RENDER_KEY) or not is_challenge(response):
            return response
        self.stats.inc_value("sulselsatu/challenge/met")
        if self.mode == "never":
            self._give_up("challenge met and the browser is off (render=never)")
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason="cookie challenge",
            max_retry_times=self.max_retries,
            give_up_log_level=logging.INFO,
        )
        if retry is None:
            self._give_up(f"challenge met again after {self.max_retries} retries with the browser's cookie")
        value = await self._cookie_for(request, response.body)
        self.stats.inc_value("sulselsatu/challenge/retried")
        return retry.replace(cookies=with_challenge_cookie(retry.cookies, value))

    async def _cookie_for(self, request: Request, challenge_page: bytes) -> str:
        """The cookie, from the render under way or a new one. When a render
        fails, the requests that waited for it try another, up to
        ``CHALLENGE_MAX_RENDERS``: a browser that was slow to start once does
        not cost every challenged page."""
        sent = cookie_sent(request)
        while True:
            if self._needs_render(sent):
                self.cookie = asyncio.ensure_future(self._obtain(request.url, challenge_page, sent))
            try:
                return await asyncio.shield(self.cookie)
            except Exception as error:
                if self.renders >= self.max_renders or not isinstance(error, BrowserFailure):
                    self._give_up(f"challenge not passed: {error}")

    async def _obtain(self, url: str, challenge_page: bytes, stale: str | None) -> str:
        """A cookie other than *stale*: another worker's, or one rendered here."""
        if self.shared is not None:
            value = await self.shared.from_another_worker(stale, self.render_timeout)
            if value is not None:
                self.stats.inc_value("sulselsatu/challenge/cookie_from_another_worker")
                return value
        if self.renders >= self.max_renders:
            raise BrowserFailure(f"{self.renders} browser renders tried already")
        self.renders += 1
        try:
            value = await self._render(url, challenge_page)
        finally:
            if self.mode == "auto":
                await self.crawler.signals.send_catch_log_async(signal=browser_idle)
        if self.shared is not None:
            self.shared.publish(value)
        return value

    def _needs_render(self, sent: str | None) -> bool:
        if self.cookie is None:
            return True
        if not self.cookie.done():
            return False
        if self.cookie.cancelled() or self.cookie.exception() is not None:
            return True
        # The request carried the cookie we have, and was challenged anyway.
        return self.cookie.result() == sent

    async def _render(self, url: str, challenge_page: bytes) -> str:
        """The cookie that the script of *challenge_page*, the site's answer
        at *url*, sets in the browser. The browser is handed that answer
        (:data:`~sulsel_crawler.browser.STORED_PAGE_KEY`): it asks the site
        for nothing."""
        wait_for_cookie = PageMethod(
            "wait_for_function", COOKIE_IS_SET, arg=CHALLENGE_COOKIE, timeout=self.cookie_wait_ms
        )
        read_cookies = PageMethod(browser_cookies)
        render = Request(
            url,
            dont_filter=True,
            meta={
                RENDER_KEY: True,
                "playwright": True,
                "playwright_page_methods": [wait_for_cookie, read_cookies],
                "download_slot": BROWSER_SLOT,
                "dont_merge_cookies": True,
                "dont_retry": True,
                STORED_PAGE_KEY: challenge_page,
            },
        )
        try:
            await asyncio.wait_for(self.crawler.engine.download_async(render), self.render_timeout)
        except TimeoutError:
            reason = f"browser render took more than {self.render_timeout:g} s"
            self.stats.inc_value("sulselsatu/browser/failures")
            logger.error("%s (%s)", reason, url)
            raise BrowserFailure(reason) from None
        value = {cookie["name"]: cookie["value"] for cookie in read_cookies.result}.get(CHALLENGE_COOKIE)
        if value is None:
            raise BrowserFailure(f"the challenge page set no {CHALLENGE_COOKIE} cookie")
        self.stats.inc_value("sulselsatu/challenge/solved")
        logger.info("Cookie challenge passed in the browser at %s; challenged pages get its cookie", url)
        return value

    def _give_up(self, reason: str) -> NoReturn:
        self.stats.inc_value("sulselsatu/challenge/failed")
        raise BrowserFailure(reason)
