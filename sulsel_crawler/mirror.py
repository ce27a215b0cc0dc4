"""Mirror mode: requests for the site's hosts go to another origin.

A download handler, so that everything above it (scheduler, duplicate
filter, robots.txt, redirects, cookies, callbacks) only ever sees the public
addresses: the spider and the records cannot tell a mirror from the live site.
"""

import re
from urllib.parse import urlsplit, urlunsplit
from weakref import WeakKeyDictionary

from scrapy.http import Headers
from scrapy.utils.misc import build_from_crawler, load_object

from sulsel_crawler.urls import CANONICAL_HOST, is_site_url


# The inner handler of each crawl, shared by its http and https handlers:
# each of scrapy-playwright's handlers starts a Playwright driver of its own.
_INNER_HANDLERS: WeakKeyDictionary = WeakKeyDictionary()


class MirrorDownloadHandler:
    lazy = False

    def __init__(self, crawler):
        self.crawler = crawler
        self.base_url = crawler.settings.get("MIRROR_BASE_URL") or None
        if crawler not in _INNER_HANDLERS:
            inner_class = load_object(crawler.settings["MIRROR_INNER_DOWNLOAD_HANDLER"])
            _INNER_HANDLERS[crawler] = build_from_crawler(inner_class, crawler)
        self.inner = _INNER_HANDLERS[crawler]

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def download_request(self, request):
        if not self.base_url or not is_site_url(request.url):
            return await self.inner.download_request(request)
        mirrored = request.replace(url=self.to_mirror(request.url))
        response = await self.inner.download_request(mirrored)
        # The browser follows redirects itself: its response is of the page it ended on.
        url = request.url if response.url == mirrored.url else self.to_public(response.url)
        return response.replace(url=url, headers=self.public_headers(response.headers))

    async def close(self):
        if _INNER_HANDLERS.pop(self.crawler, None) is not None:  # the first of the two closes it
            await self.inner.close()

    def to_mirror(self, url: str) -> str:
        return mirror_url(self.base_url, url)

    def to_public(self, url: str) -> str:
        if not url.startswith(self.base_url + "/"):
            return url
        parts = urlsplit(url[len(self.base_url):])
        return urlunsplit(("https", CANONICAL_HOST, parts.path, parts.query, parts.fragment))

    def public_headers(self, headers: Headers) -> Headers:
        location = headers.get(b"Location")
        if not location:
            return headers
        public = Headers(headers)
        public[b"Location"] = self.to_public(location.decode("latin-1"))
        return public


def mirror_name(base_url: str) -> str:
    """A mirror's base URL as a name for lock files and Redis keys:
    ``127.0.0.1_8765`` for ``http://127.0.0.1:8765``, ``archive.example.org_sulselsatu``
    for ``https://archive.example.org/sulselsatu``."""
    parts = urlsplit(base_url)
    return re.sub(r"[^A-Za-z0-9.-]+", "_", parts.netloc + parts.path).strip("_")


def mirror_url(base_url: str, url: str) -> str:
    """The address on the mirror at *base_url* of the site's *url*."""
    parts = urlsplit(url)
    return base_url + urlunsplit(("", "", parts.path or "/", parts.query, ""))


def site_name(settings) -> str:
    """The crawl's name of the site (its crawl state, its web archive's
    folder): the site's host, or the mirror's name."""
    base_url = settings.get("MIRROR_BASE_URL")
    return mirror_name(base_url) if base_url else CANONICAL_HOST
