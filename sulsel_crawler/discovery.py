"""What to request next: every link source of the site, classified by URL.

No single source reaches every article (listings stop after 5 pages, the
sitemap is stale, the feed holds 20 items), so the crawl follows them all:
any in-site link on an HTML page (category menu, listings and their pages,
Terbaru lists, Baca Juga links, tag and author pages), the sitemaps named in
robots.txt, and the RSS feed. A link's kind comes from its URL alone, so a
change in page layout cannot hide a source.
"""

import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from scrapy.linkextractors import LinkExtractor
from scrapy.utils.sitemap import Sitemap

from sulsel_crawler.urls import ARTICLE_PATH, PAGE_HOSTS, PUBLIC_ORIGIN, normalize_url

HOME_URL = PUBLIC_ORIGIN + "/"
FEED_URL = PUBLIC_ORIGIN + "/feed/"
ROBOTS_URL = PUBLIC_ORIGIN + "/robots.txt"


class PageKind(enum.Enum):
    ARTICLE = "article"
    ARTICLE_CONTINUATION = "article_continuation"
    HOME = "home"
    LISTING = "listing"
    FEED = "feed"
    SITEMAP = "sitemap"

    @property
    def priority(self) -> int:
        """Articles before the listings that lead to more articles, so records
        flow out early and the queue of pending pages stays short."""
        return _PRIORITIES[self]


_PRIORITIES = {
    PageKind.ARTICLE_CONTINUATION: 40,
    PageKind.ARTICLE: 30,
    PageKind.FEED: 20,
    PageKind.SITEMAP: 20,
    PageKind.LISTING: 10,
    PageKind.HOME: 10,
}

LISTING_PATH = re.compile(r"^/(kanal|tag|penulis)/[^/]+$")
SITEMAP_PATH = re.compile(r"^/sitemap(\.xml|/[^/]+\.xml)$")


@dataclass(frozen=True)
class Link:
    url: str
    kind: PageKind
    source: str


def classify(url: str) -> PageKind | None:
    """The kind of a normalised in-site URL; None for pages the crawl skips
    (static pages, search, admin, assets)."""
    parts = urlsplit(url)
    if parts.hostname not in PAGE_HOSTS:
        return None
    path = parts.path
    if ARTICLE_PATH.match(path):
        page_numbers = parse_qs(parts.query).get("page", ["1"])
        return PageKind.ARTICLE if page_numbers == ["1"] else PageKind.ARTICLE_CONTINUATION
    if parts.query and set(parse_qs(parts.query)) != {"page"}:
        return None
    if path == "/":
        return PageKind.HOME
    if LISTING_PATH.match(path):
        return PageKind.LISTING
    if path == "/feed/":
        return PageKind.FEED
    if SITEMAP_PATH.match(path):
        return PageKind.SITEMAP
    return None


def _links(urls: Iterable[str], source: str, follow: set[PageKind]) -> Iterator[Link]:
    seen = set()
    for url in urls:
        normalized = normalize_url(url)
        kind = classify(normalized)
        if kind in follow and normalized not in seen:
            seen.add(normalized)
            yield Link(normalized, kind, source)


_page_links = LinkExtractor(allow_domains=sorted(PAGE_HOSTS), unique=True)
_followed_from_pages = {PageKind.ARTICLE, PageKind.LISTING, PageKind.HOME, PageKind.FEED, PageKind.SITEMAP}


def links_in_page(response) -> Iterator[Link]:
    """Every in-site link of an HTML page worth following. The pages of a split
    article are left to the article's own chain of requests."""
    urls = (link.url for link in _page_links.extract_links(response))
    return _links(urls, "page", _followed_from_pages)


def links_in_sitemap(response) -> Iterator[Link]:
    sitemap = Sitemap(response.body)
    urls = (entry["loc"] for entry in sitemap if entry.get("loc"))
    return _links(urls, "sitemap", {PageKind.SITEMAP, PageKind.ARTICLE})


def links_in_feed(response) -> Iterator[Link]:
    urls = response.xpath("//item/link/text() | //item/guid/text()").getall()
    return _links((url.strip() for url in urls), "feed", {PageKind.ARTICLE})


def sitemap_links(urls: Iterable[str]) -> Iterator[Link]:
    return _links(urls, "robots", {PageKind.SITEMAP})
