"""The browser runs only while renders need it.

scrapy-playwright starts Playwright's driver (a Node.js process) when the
engine starts and keeps Chromium open from its first render to the crawl's
end: about 500 MiB held for a crawl whose one render, in the default
``render=auto``, takes a second or two. Here the driver starts with the first
render, and the challenge middleware sends :data:`browser_idle` once it has
the cookie: Chromium and the driver are closed, and started again only if a
render is needed again (the challenge came back).
"""

import logging

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from scrapy_playwright.provider import PlaywrightBrowserProvider

from sulsel_crawler.signals import browser_idle

logger = logging.getLogger(__name__)


class DriverOnDemand(PlaywrightBrowserProvider):
    """``PLAYWRIGHT_BROWSER_PROVIDER``: the driver starts when a browser is
    launched, and stops with :meth:`close`, which may be called again."""

    async def start(self) -> None:
        """Nothing yet: a crawl that never renders never starts the driver."""

    async def launch_browser(self):
        if self.playwright is None:
            await super().start()
        return await super().launch_browser()

    async def close(self) -> None:
        await super().close()
        self.playwright_context_manager = self.playwright = self.browser_type = None


class BrowserOnDemandHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's download handler that closes its browser and the
    driver on :data:`browser_idle`. The next render launches both again
    (``PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER``: the handler forgets a
    closed browser)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        crawler.signals.connect(self.close_browser, signal=browser_idle)

    async def close_browser(self) -> None:
        browser = getattr(self, "browser", None)
        if browser is None:
            return
        await browser.close()
        await self.browser_provider.close()
        self.stats.inc_value("sulselsatu/browser/closed")
        logger.info("Browser closed until a page needs it again")
