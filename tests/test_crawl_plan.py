"""Which links a crawl requests: the since and categories filters, and what
the crawl state already knows (resume, update)."""

from datetime import date

import pytest

from sulsel_crawler.crawl_plan import CrawlPlan, is_page_of_listing
from sulsel_crawler.discovery import Link, PageKind
from sulsel_crawler.state.store import KnownArticle

pytestmark = pytest.mark.unit

SITE = "https://www.sulselsatu.com"
ARTICLE = f"{SITE}/2022/03/11/makassar/a.html"


def article(url=ARTICLE, modified=None):
    return Link(url, PageKind.ARTICLE, "page", modified)


class FakeState:
    """The crawl state's questions answered from dicts (CrawlState's interface)."""

    def __init__(self, mode="full", crawl=2, known=(), given_up=(), gone=None, sitemaps=None):
        self.mode = mode
        self.crawl = crawl
        self.known = {entry.url: entry for entry in known}
        self.given_up_urls = set(given_up)
        self.gone = gone or {}
        self.sitemaps = sitemaps or {}

    def known_article(self, url):
        return self.known.get(url)

    def given_up(self, url):
        return url in self.given_up_urls

    def gone_in(self, url):
        return self.gone.get(url)

    def sitemap_unchanged(self, url, lastmod):
        return lastmod is not None and self.sitemaps.get(url) == lastmod


def known(crawl, modified_at="2022-03-11T16:00:00+08:00", published_at="2022-03-11T15:25:00+08:00"):
    return KnownArticle(ARTICLE, "hash", published_at, modified_at, crawl)


@pytest.mark.parametrize(
    "since, url, wanted",
    [
        (date(2022, 3, 11), ARTICLE, True),
        (date(2022, 3, 12), ARTICLE, False),
        (date(2022, 3, 10), ARTICLE, True),
        (date(2021, 12, 31), f"{SITE}/2022/01/01/makassar/b.html", True),
    ],
)
def test_since_keeps_articles_published_that_day_or_later(since, url, wanted):
    assert CrawlPlan(since=since).wants(article(url)) is wanted


def test_categories_keep_only_their_sections():
    plan = CrawlPlan(categories=frozenset({"hukum", "makassar"}))
    assert plan.wants(article()) is True
    assert plan.wants(article(f"{SITE}/2022/03/11/politik/b.html")) is False
    assert plan.wants(Link(f"{SITE}/kanal/hukum", PageKind.LISTING, "page")) is True
    assert plan.wants(Link(f"{SITE}/kanal/politik", PageKind.LISTING, "page")) is False
    assert plan.wants(Link(f"{SITE}/tag/bawaslu", PageKind.LISTING, "page")) is True


def test_without_filters_or_state_every_link_is_wanted():
    plan = CrawlPlan()
    for kind, url in [
        (PageKind.ARTICLE, ARTICLE),
        (PageKind.LISTING, f"{SITE}/tag/bawaslu"),
        (PageKind.SITEMAP, f"{SITE}/sitemap/2015-01.xml"),
        (PageKind.HOME, f"{SITE}/"),
        (PageKind.FEED, f"{SITE}/feed/"),
    ]:
        assert plan.wants(Link(url, kind, "page")) is True
    assert plan.update is False


@pytest.mark.parametrize(
    "sitemap, wanted",
    [("2022-02.xml", False), ("2022-03.xml", True), ("2023-01.xml", True)],
)
def test_since_skips_monthly_sitemaps_that_cannot_hold_wanted_articles(sitemap, wanted):
    plan = CrawlPlan(since=date(2022, 3, 31))
    assert plan.wants(Link(f"{SITE}/sitemap/{sitemap}", PageKind.SITEMAP, "sitemap")) is wanted
    assert plan.wants(Link(f"{SITE}/sitemap.xml", PageKind.SITEMAP, "robots")) is True


def test_resume_skips_what_this_crawl_exported_and_fetches_what_others_did():
    plan = CrawlPlan(state=FakeState(mode="full", crawl=2, known=[known(crawl=2)]))
    assert plan.wants(article()) is False
    plan = CrawlPlan(state=FakeState(mode="full", crawl=2, known=[known(crawl=1)]))
    assert plan.wants(article()) is True
    assert plan.wants(article(f"{SITE}/2022/03/11/makassar/new.html")) is True


@pytest.mark.parametrize(
    "mode, gone_in_crawl, wanted",
    [("full", 2, False), ("full", 1, True), ("update", 1, False), ("full", None, True)],
)
def test_a_deleted_article_is_asked_for_again_only_by_a_new_full_crawl(mode, gone_in_crawl, wanted):
    gone = {} if gone_in_crawl is None else {ARTICLE: gone_in_crawl}
    assert CrawlPlan(state=FakeState(mode=mode, crawl=2, gone=gone)).wants(article()) is wanted


def test_given_up_urls_are_not_requested():
    plan = CrawlPlan(state=FakeState(given_up=[ARTICLE]))
    assert plan.wants(article()) is False


@pytest.mark.parametrize(
    "listed, known_modified, known_published, wanted",
    [
        (None, "2022-03-11T16:00:00+08:00", "2022-03-11T15:25:00+08:00", False),
        ("2022-03-11T16:00:00+08:00", "2022-03-11T16:00:00+08:00", "2022-03-11T15:25:00+08:00", False),
        ("2022-03-11T15:59:59+08:00", "2022-03-11T16:00:00+08:00", "2022-03-11T15:25:00+08:00", False),
        ("2022-03-11T16:00:01+08:00", "2022-03-11T16:00:00+08:00", "2022-03-11T15:25:00+08:00", True),
        ("2022-03-11T08:00:01Z", "2022-03-11T16:00:00+08:00", "2022-03-11T15:25:00+08:00", True),
        ("2022-03-11T15:25:00+08:00", None, "2022-03-11T15:25:00+08:00", False),
        ("2022-03-11T15:26:00+08:00", None, "2022-03-11T15:25:00+08:00", True),
        ("2022-03-11T15:26:00+08:00", None, None, True),
    ],
)
def test_update_fetches_a_known_article_only_when_listed_as_changed(listed, known_modified, known_published, wanted):
    state = FakeState(mode="update", known=[known(1, known_modified, known_published)])
    assert CrawlPlan(state=state).wants(article(modified=listed)) is wanted


def test_update_fetches_every_new_article():
    plan = CrawlPlan(state=FakeState(mode="update"))
    assert plan.update is True
    assert plan.wants(article()) is True


def test_update_skips_sitemaps_whose_lastmod_is_unchanged():
    sitemap = f"{SITE}/sitemap/2022-03.xml"
    plan = CrawlPlan(state=FakeState(mode="update", sitemaps={sitemap: "2022-03-31T10:00:00+08:00"}))
    assert plan.wants(Link(sitemap, PageKind.SITEMAP, "sitemap", "2022-03-31T10:00:00+08:00")) is False
    assert plan.wants(Link(sitemap, PageKind.SITEMAP, "sitemap", "2022-04-01T10:00:00+08:00")) is True
    assert plan.wants(Link(sitemap, PageKind.SITEMAP, "sitemap", None)) is True
    full = CrawlPlan(state=FakeState(mode="full", sitemaps={sitemap: "2022-03-31T10:00:00+08:00"}))
    assert full.wants(Link(sitemap, PageKind.SITEMAP, "sitemap", "2022-03-31T10:00:00+08:00")) is True


def test_update_reads_category_listings_not_tag_or_author_pages():
    plan = CrawlPlan(state=FakeState(mode="update"))
    assert plan.wants(Link(f"{SITE}/kanal/hukum", PageKind.LISTING, "page")) is True
    assert plan.wants(Link(f"{SITE}/kanal/hukum?page=2", PageKind.LISTING, "page")) is True
    assert plan.wants(Link(f"{SITE}/tag/bawaslu", PageKind.LISTING, "page")) is False
    assert plan.wants(Link(f"{SITE}/penulis/irfan", PageKind.LISTING, "page")) is False


def test_update_stops_a_listing_after_a_page_of_known_unchanged_articles():
    other = f"{SITE}/2022/03/12/makassar/b.html"
    plan = CrawlPlan(state=FakeState(mode="update", known=[known(1)]))
    assert plan.follows_pagination([article()]) is False
    assert plan.follows_pagination([article(), article(other)]) is True
    assert plan.follows_pagination([]) is False


def test_since_stops_a_listing_after_a_page_of_older_articles():
    plan = CrawlPlan(since=date(2022, 3, 12), state=FakeState(mode="full", known=[known(2)]))
    newer = article(f"{SITE}/2022/03/12/makassar/b.html")
    assert plan.follows_pagination([article()]) is False
    assert plan.follows_pagination([article(), newer]) is True


def test_a_full_crawl_reads_every_listing_page():
    plan = CrawlPlan(state=FakeState(mode="full", crawl=2, known=[known(2)]))
    assert plan.follows_pagination([article()]) is True
    assert CrawlPlan().follows_pagination([]) is True


@pytest.mark.parametrize(
    "url, listing, expected",
    [
        (f"{SITE}/kanal/hukum?page=2", f"{SITE}/kanal/hukum", True),
        (f"{SITE}/kanal/hukum", f"{SITE}/kanal/hukum?page=2", True),
        (f"{SITE}/kanal/politik?page=2", f"{SITE}/kanal/hukum", False),
        (ARTICLE, f"{SITE}/kanal/hukum", False),
    ],
)
def test_pages_of_a_listing(url, listing, expected):
    assert is_page_of_listing(url, listing) is expected


def test_a_link_that_is_not_an_article_url_is_outside_the_filters():
    assert CrawlPlan().in_filters(f"{SITE}/kanal/hukum") is False
    assert CrawlPlan().wants(Link(f"{SITE}/kanal/hukum", PageKind.ARTICLE, "page")) is False


def test_an_update_fetches_an_article_whose_listed_date_is_not_a_date():
    state = FakeState(mode="update", known=[known(1)])
    assert CrawlPlan(state=state).wants(article(modified="gestern")) is True
    state = FakeState(mode="update", known=[known(1, modified_at="soon")])
    assert CrawlPlan(state=state).wants(article(modified="2022-03-11T16:00:01+08:00")) is True


REPLACED_BY_THE_API = [
    Link(f"{SITE}/sitemap.xml", PageKind.SITEMAP, "robots"),
    Link(f"{SITE}/sitemap/2022-03.xml", PageKind.SITEMAP, "sitemap"),
    Link(f"{SITE}/kanal/makassar?page=2", PageKind.LISTING, "page"),
    Link(f"{SITE}/tag/bawaslu", PageKind.LISTING, "page"),
    Link(f"{SITE}/penulis/andi", PageKind.LISTING, "page"),
]
NOT_REPLACED = [
    article(),
    Link(f"{SITE}/", PageKind.HOME, "seed"),
    Link(f"{SITE}/feed/", PageKind.FEED, "seed"),
    Link(f"{SITE}/wp-json/wp/v2/posts?page=2", PageKind.API, "api"),
]


def test_sitemaps_and_listings_wait_while_the_api_lists_posts():
    plan = CrawlPlan()
    plan.asking_api()
    assert [plan.waits_for_api(link) for link in REPLACED_BY_THE_API] == [True] * len(REPLACED_BY_THE_API)
    assert [plan.waits_for_api(link) for link in NOT_REPLACED] == [False] * len(NOT_REPLACED)
    assert all(plan.wants(link) for link in NOT_REPLACED)


def test_once_the_api_listed_every_post_sitemaps_and_listings_are_not_wanted():
    plan = CrawlPlan()
    plan.asking_api()
    plan.api_listed_all = True
    assert [plan.wants(link) for link in REPLACED_BY_THE_API] == [False] * len(REPLACED_BY_THE_API)
    assert all(plan.wants(link) for link in NOT_REPLACED)
    assert not any(plan.waits_for_api(link) for link in REPLACED_BY_THE_API + NOT_REPLACED)


@pytest.mark.parametrize("asks_api", [False, True], ids=["not-asked", "did-not-answer"])
def test_without_the_api_every_source_is_read(asks_api):
    plan = CrawlPlan()
    if asks_api:
        plan.asking_api()
        plan.api_listed_all = False
    links = REPLACED_BY_THE_API + NOT_REPLACED
    assert [plan.wants(link) for link in links] == [True] * len(links)
    assert not any(plan.waits_for_api(link) for link in links)
