"""Which discovered links a crawl requests.

Three things decide: the user's filters (``-a since=…``, ``-a categories=…``),
read from the URL alone; where the crawl keeps a state
(:class:`~sulsel_crawler.extensions.crawl_state.CrawlState`), what it knows
already: an article exported earlier in this crawl is not fetched again when
a run continues it, and an update fetches only what is new or changed; and
whether the site's WordPress API has listed every article the crawl needs,
which makes sitemaps and listings redundant.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sulsel_crawler.discovery import LISTING_PATH, Link, PageKind
from sulsel_crawler.urls import ARTICLE_PATH

if TYPE_CHECKING:
    from sulsel_crawler.extensions.crawl_state import CrawlState

MONTHLY_SITEMAP = re.compile(r"^/sitemap/(\d{4})-(\d{2})\.xml$")
CATEGORY_LISTING = re.compile(r"^/kanal/([^/]+)$")
# What the WordPress API's list of posts makes redundant where it answers.
SOURCES_THE_API_REPLACES = frozenset({PageKind.SITEMAP, PageKind.LISTING})


class CrawlPlan:
    def __init__(
        self,
        since: date | None = None,
        categories: frozenset[str] | None = None,
        state: CrawlState | None = None,
    ):
        self.since = since
        self.categories = categories
        self.state = state
        # False: the API was not asked, or did not answer. None: asked, and
        # its last page not read yet. True: it listed every post.
        self.api_listed_all: bool | None = False

    def asking_api(self) -> None:
        """The crawl asks the API for every post (or every changed one):
        sitemaps and listings wait for its answer."""
        self.api_listed_all = None

    @property
    def update(self) -> bool:
        return self.state is not None and self.state.mode == "update"

    def waits_for_api(self, link: Link) -> bool:
        """A link to a source the API may make redundant, found while the
        API's answer is not complete: to be followed only if it fails."""
        return self.api_listed_all is None and link.kind in SOURCES_THE_API_REPLACES

    def wants(self, link: Link) -> bool:
        if self.api_listed_all and link.kind in SOURCES_THE_API_REPLACES:
            return False
        if link.kind is PageKind.ARTICLE:
            return self.in_filters(link.url) and self.is_news(link)
        if link.kind is PageKind.SITEMAP:
            return self.sitemap_may_hold_wanted(link.url) and not (
                self.update and self.state.sitemap_unchanged(link.url, link.modified)
            )
        if link.kind is PageKind.LISTING:
            return self.listing_wanted(link.url)
        return True

    def in_filters(self, article_url: str) -> bool:
        match = ARTICLE_PATH.match(urlsplit(article_url).path)
        if match is None:
            return False
        year, month, day, category = (*map(int, match.groups()[:3]), match.group(4))
        if self.since and date(year, month, day) < self.since:
            return False
        return not self.categories or category in self.categories

    def is_news(self, link: Link) -> bool:
        """Not exported (or found gone) by this crawl yet; in an update, also
        new or changed since it was exported, and not gone."""
        if self.state is None:
            return True
        if self.state.given_up(link.url):
            return False
        gone_in = self.state.gone_in(link.url)
        if gone_in is not None and (self.update or gone_in == self.state.crawl):
            return False
        known = self.state.known_article(link.url)
        if known is None:
            return True
        if known.crawl == self.state.crawl:
            return False
        if not self.update:
            return True
        return link.modified is not None and _later(link.modified, known.modified_at or known.published_at)

    def sitemap_may_hold_wanted(self, sitemap_url: str) -> bool:
        """A monthly sitemap holds only that month's articles."""
        match = MONTHLY_SITEMAP.match(urlsplit(sitemap_url).path)
        if match is None or self.since is None:
            return True
        return (int(match[1]), int(match[2])) >= (self.since.year, self.since.month)

    def listing_wanted(self, listing_url: str) -> bool:
        path = urlsplit(listing_url).path
        if self.update and not CATEGORY_LISTING.match(path):
            # Tag and author pages list the same newest articles as the
            # category listings, homepage and feed that an update reads.
            return False
        category = CATEGORY_LISTING.match(path)
        return not (self.categories and category and category[1] not in self.categories)

    def follows_pagination(self, article_links: list[Link]) -> bool:
        """Whether to read a listing's next page (listings are newest first):
        an update stops after a page whose articles are all known and
        unchanged, ``since`` after a page whose articles are all older."""
        if self.update:
            return any(self.wants(link) for link in article_links)
        if self.since:
            return any(self.in_filters(link.url) for link in article_links)
        return True


def is_page_of_listing(url: str, listing_url: str) -> bool:
    """A page (``?page=N``) of the listing at *listing_url*."""
    path = urlsplit(url).path
    return LISTING_PATH.match(path) is not None and path == urlsplit(listing_url).path


def _later(listed: str, known: str | None) -> bool:
    if known is None:
        return True
    try:
        return datetime.fromisoformat(listed) > datetime.fromisoformat(known)
    except ValueError:
        return True
