"""The headless Chromium that scrapy-playwright drives: where it is found, how
it is launched, and what it may load.

The browser is the exception in this crawl, not the rule: plain HTTP fetches
the pages, and the browser runs the JavaScript only of pages that need it, or
of every HTML page with ``-a render=always`` (see ``sulsel_crawler/middlewares/``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy_playwright.page import PageMethod

if TYPE_CHECKING:
    from playwright.async_api import Page, Request as BrowserRequest, Route

# ``-a render=…`` / BROWSER_RENDER: "auto" uses the browser only to pass the
# site's cookie challenge, "always" fetches every HTML page with it, "never"
# gives up on challenged pages.
RENDER_MODES = ("auto", "always", "never")

# The same places scripts/install-browser.sh looks. Without any of them
# Playwright launches its own Chromium (``playwright install chromium``).
SYSTEM_CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")

# Without the background-networking flags Chromium keeps calling Google's
# services (updates, sync, field trials), which floods a closed network.
CHROMIUM_ARGS = (
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # The proxy of BLOCKING_PROXY below fails at once, without a DNS lookup.
    "--host-resolver-rules=MAP blocked.invalid ~NOTFOUND",
)
LAUNCH_TIMEOUT_MS = 20_000

# Every browser context reaches only the site: Chromium sends a request for
# any other host (another site, another port, the live site when crawling a
# mirror) to this proxy, which does not exist, so the request fails inside the
# browser. Page routes cannot do this alone: Chromium follows a redirect, and
# fetches a favicon, without asking them. ``<-loopback>`` removes Chromium's
# own exception for 127.0.0.1 and localhost.
BLOCKING_PROXY = "http://blocked.invalid:9"
LEFT_THE_SITE = "net::ERR_PROXY_CONNECTION_FAILED"
# Request meta: the addresses a render's page was kept from (filled in by
# confine_page, read by RenderMiddleware).
BLOCKED_KEY = "browser_blocked"

# Request meta: the site's answer, already received, that a render shows
# instead of asking the site again (the challenge page).
STORED_PAGE_KEY = "browser_stored_page"

# A rendered page that reloaded itself (the cookie challenge) is rendered
# again: its script has just stored the cookie in the browser.
RELOADED = "() => performance.getEntriesByType('navigation')[0].type === 'reload'"
RELOAD_CHECK_KEY = "render_reload_check"


class BrowserFailure(IgnoreRequest):
    """A page lost because the browser could not do its part: no browser, a
    crash, a render timeout, or a challenge the browser could not pass."""


def render_mode(settings) -> str:
    mode = settings.get("BROWSER_RENDER")
    if mode not in RENDER_MODES:
        raise ValueError(f"BROWSER_RENDER must be one of {', '.join(RENDER_MODES)}, not {mode!r}")
    return mode


def render_meta() -> dict:
    """Request meta that has the browser fetch a page (``render=always``):
    scrapy-playwright's key, and a check, read by
    :class:`~sulsel_crawler.middlewares.rendering.RenderMiddleware`, of
    whether the page reloaded itself."""
    reload_check = PageMethod("evaluate", RELOADED)
    return {
        "playwright": True,
        "playwright_page_methods": [reload_check],
        RELOAD_CHECK_KEY: reload_check,
    }


def system_chromium() -> str | None:
    return next((path for path in SYSTEM_CHROMIUM_PATHS if os.access(path, os.X_OK)), None)


def chromium_launch_options() -> dict:
    """``PLAYWRIGHT_LAUNCH_OPTIONS``: the system's Chromium where installed,
    Playwright's own otherwise; headless, without the sandbox when running as
    root (Chromium refuses to start sandboxed as root)."""
    args = list(CHROMIUM_ARGS)
    if os.geteuid() == 0:
        args.insert(0, "--no-sandbox")
    options = {"headless": True, "args": args, "timeout": LAUNCH_TIMEOUT_MS}
    executable = system_chromium()
    if executable:
        options["executable_path"] = executable
    return options


def is_not_the_page(request: BrowserRequest) -> bool:
    """``PLAYWRIGHT_ABORT_REQUEST``: the browser loads the page's HTML and runs
    its inline scripts, nothing else. Images, styles, scripts and frames are
    never needed for the text, and their absolute URLs would leave a mirror
    for the live site."""
    return not (request.is_navigation_request() and request.frame.parent_frame is None)


def allowed_hosts(mirror_base_url: str, allowed_domains: Iterable[str]) -> list[str]:
    """The hosts a render may reach, as Chromium's proxy-bypass rules: those
    the plain downloader reaches, that is the mirror's host and port when
    crawling a mirror, else the spider's ``allowed_domains`` and their
    subdomains."""
    if mirror_base_url:
        parts = urlsplit(mirror_base_url)
        host = f"[{parts.hostname}]" if ":" in (parts.hostname or "") else parts.hostname
        return [f"{host}:{parts.port or (443 if parts.scheme == 'https' else 80)}"]
    return [rule for domain in allowed_domains for rule in (domain, f"*.{domain}")]


def context_proxy(hosts: Iterable[str]) -> dict:
    """Playwright's ``proxy`` option of a browser context that reaches *hosts* only."""
    return {"server": BLOCKING_PROXY, "bypass": ",".join(["<-loopback>", *hosts])}


def is_reload(browser_request: BrowserRequest) -> bool:
    return browser_request.url.partition("#")[0] == browser_request.frame.url.partition("#")[0]


async def confine_page(page: Page, request) -> None:
    """``playwright_page_init_callback`` of every render (set by
    :class:`~sulsel_crawler.middlewares.rendering.RenderMiddleware`): the page
    runs its scripts, but a navigation it starts by itself never reaches the
    network. A reload (the challenge's, right after its script sets the
    cookie) is answered by the browser with an empty page; any other
    navigation (a meta refresh, a script's) with "204 No Content", so the
    page stays as it was: Scrapy follows a meta refresh itself, through its
    own checks. A render thus asks the site for one page (and its
    redirects), as the one request Scrapy made and counted, or for none when
    the request carries the page already (``STORED_PAGE_KEY``).

    Main-frame requests stopped at the context's allow-list (a redirect off
    the site) are noted in ``request.meta[BLOCKED_KEY]``."""

    async def stay_on_the_page(route: Route, browser_request: BrowserRequest) -> None:
        first_navigation = browser_request.is_navigation_request() and browser_request.frame.url == "about:blank"
        if first_navigation and stored_page is not None:
            await route.fulfill(status=200, content_type="text/html", body=stored_page)
        elif not browser_request.is_navigation_request() or browser_request.frame.url == "about:blank":
            await route.fallback()
        elif is_reload(browser_request):
            await route.fulfill(status=200, content_type="text/html", body="")
        else:
            # No content: the browser stays on the page (a failed navigation would show its error page).
            await route.fulfill(status=204)

    def note_blocked(browser_request: BrowserRequest) -> None:
        if browser_request.failure == LEFT_THE_SITE and browser_request.frame is page.main_frame:
            blocked.append(browser_request.url)

    blocked = request.meta.setdefault(BLOCKED_KEY, [])
    stored_page = request.meta.get(STORED_PAGE_KEY)
    page.on("requestfailed", note_blocked)
    await page.route("**", stay_on_the_page)
