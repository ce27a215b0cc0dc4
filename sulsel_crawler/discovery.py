"""What to request next: every link source of the site, classified by URL.

No single source reaches every article (listings stop after 5 pages, the
sitemap is stale, the feed holds 20 items), so the crawl follows them all:
any in-site link on an HTML page (category menu, listings and their pages,
Terbaru lists, Baca Juga links, tag and author pages), the sitemaps named in
robots.txt, and the RSS feed; and, where the site answers it, the
WordPress REST API, whose list of posts makes sitemaps and listings
redundant (:mod:`sulsel_crawler.crawl_plan`). A link's kind comes from its
URL alone, so a change in page layout cannot hide a source.
"""

import enum
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from scrapy.linkextractors import LinkExtractor
from scrapy.utils.sitemap import Sitemap

from sulsel_crawler.dates import parse_date
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
    API = "api"

    @property
    def priority(self) -> int:
        """Articles before the listings that lead to more articles, so records
        flow out early and the queue of pending pages stays short."""
        return _PRIORITIES[self]


_PRIORITIES = {
    PageKind.ARTICLE_CONTINUATION: 40,
    PageKind.ARTICLE: 30,
    # The API's next page once the articles of the page before it are on
    # their way: at most a hundred requests wait in the queue.
    PageKind.API: 25,
    PageKind.FEED: 20,
    PageKind.SITEMAP: 20,
    PageKind.LISTING: 10,
    PageKind.HOME: 10,
}

LISTING_PATH = re.compile(r"^/(kanal|tag|penulis)/[^/]+$")
SITEMAP_PATH = re.compile(r"^/sitemap(\.xml|/[^/]+\.xml)$")
API_POSTS_PATH = "/wp-json/wp/v2/posts"
API_PAGE_SIZE = 100


@dataclass(frozen=True)
class Link:
    url: str
    kind: PageKind
    source: str
    # When the source says the page last changed (sitemap lastmod, the API's
    # ``modified``), as ISO 8601 with offset.
    modified: str | None = None


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
    if path == API_POSTS_PATH:
        return PageKind.API
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


def _links(entries: Iterable[tuple[str, str | None]], source: str, follow: set[PageKind]) -> Iterator[Link]:
    """Links of the wanted kinds, each once, from ``(url, modified)`` pairs."""
    seen = set()
    for url, modified in entries:
        normalized = normalize_url(url)
        kind = classify(normalized)
        if kind in follow and normalized not in seen:
            seen.add(normalized)
            yield Link(normalized, kind, source, modified)


def _unmodified(urls: Iterable[str]) -> Iterator[tuple[str, None]]:
    return ((url, None) for url in urls)


_page_links = LinkExtractor(allow_domains=sorted(PAGE_HOSTS), unique=True)
_followed_from_pages = {PageKind.ARTICLE, PageKind.LISTING, PageKind.HOME, PageKind.FEED, PageKind.SITEMAP}


def links_in_page(response) -> Iterator[Link]:
    """Every in-site link of an HTML page worth following. The pages of a split
    article are left to the article's own chain of requests."""
    urls = (link.url for link in _page_links.extract_links(response))
    return _links(_unmodified(urls), "page", _followed_from_pages)


def links_in_sitemap(response) -> Iterator[Link]:
    """The sitemap files of a sitemap index, or the articles of a sitemap,
    each with its ``lastmod`` (in Makassar time) where the sitemap states one."""
    sitemap = Sitemap(response.body)
    entries = ((entry["loc"], parse_date(entry.get("lastmod"))) for entry in sitemap if entry.get("loc"))
    return _links(entries, "sitemap", {PageKind.SITEMAP, PageKind.ARTICLE})


def links_in_feed(response) -> Iterator[Link]:
    urls = response.xpath("//item/link/text() | //item/guid/text()").getall()
    return _links(_unmodified(url.strip() for url in urls), "feed", {PageKind.ARTICLE})


def sitemap_links(urls: Iterable[str]) -> Iterator[Link]:
    return _links(_unmodified(urls), "robots", {PageKind.SITEMAP})


def api_posts_url(modified_after: str | None = None, page: int = 1) -> str:
    """The WordPress REST API's posts, 100 a page, only the fields the crawl
    needs: those changed after *modified_after* (site time, no offset), most
    recently changed first; without it every post, oldest first, so that
    posts published or edited during a long enumeration do not shift the
    pages still to read."""
    order = {"orderby": "modified", "order": "desc", "modified_after": modified_after}
    if modified_after is None:
        order = {"orderby": "id", "order": "asc"}
    query = urlencode({**order, "per_page": API_PAGE_SIZE, "page": page, "_fields": "link,modified"})
    return normalize_url(f"{PUBLIC_ORIGIN}{API_POSTS_PATH}?{query}")


def api_total(response) -> int | None:
    """The posts the API says it has (``X-WP-Total``), if *response* is a
    page of them: a JSON list with that header. Anything else (an HTML page,
    an error object) is not the WordPress API answering."""
    total = response.headers.get("X-WP-Total", b"").decode("latin-1").strip()
    if not total.isdigit():
        return None
    try:
        posts = json.loads(response.text)
    except ValueError:
        return None
    return int(total) if isinstance(posts, list) else None


def links_in_api(response) -> Iterator[Link]:
    """The articles of a page of the API's posts, each with its ``modified``
    (site time, so Makassar time)."""
    posts = json.loads(response.text)
    entries = (
        (post["link"], parse_date(post.get("modified")))
        for post in posts
        if isinstance(post, dict) and isinstance(post.get("link"), str)
    )
    return _links(entries, "api", {PageKind.ARTICLE})


def next_api_page(response) -> str | None:
    """The next page of the API's posts, while ``X-WP-TotalPages`` says there is one."""
    query = parse_qs(urlsplit(response.url).query)
    page = int(query.get("page", ["1"])[0])
    total_pages = int(response.headers.get("X-WP-TotalPages", b"0").decode() or 0)
    if page >= total_pages:
        return None
    return api_posts_url(query.get("modified_after", [None])[0], page + 1)
