"""The ``sulselsatu`` spider: wires discovery (what to request) to extraction
(what an article page says). It knows no selectors."""

import hashlib
import inspect
from datetime import datetime, timedelta, timezone

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import sitemap_urls_from_robots

from sulsel_crawler import browser, discovery
from sulsel_crawler.arguments import CrawlArguments
from sulsel_crawler.browser import BrowserFailure
from sulsel_crawler.crawl_plan import CrawlPlan, is_page_of_listing
from sulsel_crawler.dates import format_wita
from sulsel_crawler.discovery import Link, PageKind
from sulsel_crawler.extensions.crawl_state import CrawlState
from sulsel_crawler.loaders import build_article
from sulsel_crawler.middlewares.known_redirects import RedirectToKnownArticle
from sulsel_crawler.middlewares.refusals import PageRefused
from sulsel_crawler.pages import ArticlePage, UnknownLayout, article_page
from sulsel_crawler.signals import article_page_parsed, link_found, page_rejected
from sulsel_crawler.urls import normalize_url

CALLBACKS = {
    PageKind.ARTICLE: "parse_article",
    PageKind.FEED: "parse_feed",
    PageKind.SITEMAP: "parse_sitemap",
    PageKind.API: "parse_api",
}
# Robots.txt, sitemaps and the feed are not web pages: the browser would wrap
# their text in its own viewer.
NOT_RENDERED = frozenset({PageKind.FEED, PageKind.SITEMAP, PageKind.API})
# URLs that failed in earlier runs go before everything else.
RETRY_PRIORITY_BOOST = 100
# An update asks the API for what changed since the last finished crawl
# (CrawlState.changes_since), less this margin for publishing delays.
API_OVERLAP = timedelta(hours=1)
# The message of the IgnoreRequest that RobotsTxtMiddleware raises.
ROBOTS_FORBIDDEN = "Forbidden by robots.txt"


class SplitArticleFailure(Exception):
    """A later page of a split article could not be fetched or read."""


class SulselsatuSpider(scrapy.Spider):
    name = "sulselsatu"
    allowed_domains = ["sulselsatu.com"]
    arguments_class = CrawlArguments

    def __init__(self, *args, **kwargs):
        self.arguments = self.arguments_class.parse(kwargs)
        # 16-byte digests of the URLs a crawl followed (start() makes the set:
        # `scrapy parse` and `check` call callbacks alone, each for itself).
        self.requested_urls: set[bytes] | None = None
        super().__init__(*args, **kwargs)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.arguments.base_url:
            crawler.settings.set("MIRROR_BASE_URL", spider.arguments.base_url, priority="spider")
        if spider.arguments.render:
            crawler.settings.set("BROWSER_RENDER", spider.arguments.render, priority="spider")
        spider.render_every_page = browser.render_mode(crawler.settings) == "always"
        crawler.signals.connect(spider.spider_opened, signal=signals.spider_opened)
        return spider

    def spider_opened(self):
        self.state = self.crawler.get_extension(CrawlState)
        self.plan = CrawlPlan(self.arguments.since, self.arguments.categories, self.state)
        # Links to sitemaps and listings, held while the API lists the posts.
        self.links_waiting_for_api: dict[str, Link] = {}
        if self.arguments.mode == "update" and self.state is None:
            self.logger.warning("No crawl state (CRAWL_STATE is empty): this update is a full crawl")

    async def start(self):
        # Only a crawl discovers the site from robots.txt's sitemaps: `scrapy
        # parse`, `check` and `fetch` replace start() to read one page.
        self.crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)
        self.requested_urls = set()
        api_request = self.first_api_request()
        for link in self.links_to_retry():
            request = self.request(link)
            yield request.replace(priority=request.priority + RETRY_PRIORITY_BOOST)
        if not self.settings.getbool("ROBOTSTXT_OBEY"):
            yield scrapy.Request(discovery.ROBOTS_URL, callback=self.parse_robots)
        if api_request is not None:
            yield api_request
        # The newest articles, also where the API answers: it may lag behind the pages.
        for url, kind in (
            (discovery.HOME_URL, PageKind.HOME),
            (discovery.FEED_URL, PageKind.FEED),
        ):
            yield self.request(Link(url, kind, "seed"))

    def first_api_request(self) -> scrapy.Request | None:
        """Where the site answers it, the API's list of posts names every
        article (in an update, every changed one): sitemaps and listings wait
        for it, and are not read if it lists every post.

        Workers sharing a crawl on Redis read every source: any of them may
        parse the API's pages, so none could wait for its answer. A worker
        that joins a running update finds the API's pages in the shared
        queue: the worker that started the update asked for them."""
        since = _site_time(self.state.changes_since()) if self.plan.update else None
        if not self.settings.get("REDIS_URL"):
            self.plan.asking_api()
        elif not (self.plan.update and not self.state.joined):
            return None
        return self.api_request(discovery.api_posts_url(since))

    def links_to_retry(self):
        urls = self.state.urls_to_retry() if self.state else []
        for url in urls:
            kind = discovery.classify(url)
            if kind is not None:
                yield Link(url, kind, "retry")

    def request(self, link: Link) -> scrapy.Request:
        meta = {"kind": link.kind, "source": link.source, "modified": link.modified}
        if self.render_every_page and link.kind not in NOT_RENDERED:
            meta.update(browser.render_meta())
        return scrapy.Request(
            link.url,
            callback=getattr(self, CALLBACKS.get(link.kind, "parse_page")),
            errback=self.request_failed,
            priority=link.kind.priority,
            meta=meta,
        )

    def follow(self, links):
        for link in links:
            if self.plan.waits_for_api(link):
                self.links_waiting_for_api.setdefault(link.url, link)
                continue
            wanted = self.plan.wants(link)
            self.crawler.signals.send_catch_log(signal=link_found, link=link, wanted=wanted)
            if not wanted:
                self.crawler.stats.inc_value(f"sulselsatu/links_skipped/{link.source}/{link.kind.name.lower()}")
                continue
            self.crawler.stats.inc_value(f"sulselsatu/links/{link.source}/{link.kind.name.lower()}")
            # Most links lead to pages this crawl asked for already: Scrapy's
            # duplicate filter would drop their requests, but only after
            # building each one and passing it through every middleware.
            if self.requested_urls is not None:
                digest = hashlib.blake2b(link.url.encode(), digest_size=16).digest()
                if digest in self.requested_urls:
                    self.crawler.stats.inc_value("sulselsatu/links_already_requested")
                    continue
                self.requested_urls.add(digest)
            yield self.request(link)

    def robots_parsed(self, robotparser, request):
        for sitemap_request in self.follow(discovery.sitemap_links(getattr(robotparser, "sitemaps", []))):
            self.crawler.engine.crawl(sitemap_request)

    def parse_robots(self, response):
        yield from self.follow(discovery.sitemap_links(sitemap_urls_from_robots(response.body)))

    def parse_sitemap(self, response):
        """A sitemap index or sitemap: the sitemaps and articles it lists.

        @stored_page tests/data/site-snapshot/site/sitemap.xml
        @returns items 0 0
        @returns requests 10
        """
        if self.state:
            self.state.sitemap_read(response.url, response.meta.get("modified"))
        yield from self.follow(discovery.links_in_sitemap(response))

    def parse_feed(self, response):
        """The RSS feed: the articles it lists.

        @stored_page tests/data/site-snapshot/site/feed/index.html
        @returns items 0 0
        @returns requests 20
        """
        yield from self.follow(discovery.links_in_feed(response))

    async def parse(self, response):
        """Any page, by its kind (the request's, else its URL's): what `scrapy
        parse URL` runs. A URL of no known kind, such as the ``file://`` URL of
        a saved page, is read as an article page.

        @stored_page tests/data/site-snapshot/site/2016/01/19/ekonomi/bi-sulsel-pertumbuhan-ekonomi-triwulan-ii-capai-6-94-persen.html
        @returns items 1 1
        @valid_records site
        """
        kind = response.meta.get("kind") or discovery.classify(response.url)
        callback = getattr(self, CALLBACKS.get(kind, "parse_page") if kind else "parse_article")
        output = callback(response)
        if inspect.isasyncgen(output):
            async for result in output:
                yield result
        else:
            for result in output or ():
                yield result

    def parse_page(self, response):
        """The homepage, a listing or any other page: the links it carries.

        @stored_page tests/data/site-snapshot/site/kanal/makassar
        @returns items 0 0
        @returns requests 10
        """
        links = list(discovery.links_in_page(response))
        if response.meta.get("kind") is PageKind.LISTING:
            articles = [link for link in links if link.kind is PageKind.ARTICLE]
            if not self.plan.follows_pagination(articles):
                links = [link for link in links if not is_page_of_listing(link.url, response.url)]
        yield from self.follow(links)

    def api_request(self, url: str) -> scrapy.Request:
        return self.request(Link(url, PageKind.API, "api")).replace(errback=self.api_failed)

    def parse_api(self, response):
        total = discovery.api_total(response)
        if total is None or (total == 0 and not self.plan.update):
            yield from self.api_failed(f"{response.url} lists no posts")
            return
        yield from self.follow(discovery.links_in_api(response))
        next_page = discovery.next_api_page(response)
        if next_page:
            yield self.api_request(next_page)
        elif self.plan.api_listed_all is None:
            self.api_listed_every_post()

    def api_listed_every_post(self):
        self.plan.api_listed_all = True
        skipped = len(self.links_waiting_for_api)
        self.links_waiting_for_api.clear()
        self.crawler.stats.set_value("sulselsatu/api/sources_skipped", skipped)
        self.logger.info(
            "The WordPress API listed every post: %d sitemaps and listings found meanwhile are not read", skipped
        )

    def api_failed(self, failure):
        """The WordPress API is a help where the site answers it, never a
        need: without its whole answer, the crawl reads every other source."""
        reason = failure if isinstance(failure, str) else failure.getErrorMessage()
        self.crawler.stats.inc_value("sulselsatu/api/unavailable")
        self.logger.info("The WordPress API does not answer (%s): the crawl reads feed, listings and sitemaps", reason)
        if self.plan.api_listed_all is None:
            self.plan.api_listed_all = False
            waiting = list(self.links_waiting_for_api.values())
            self.links_waiting_for_api.clear()
            self.crawler.stats.set_value("sulselsatu/api/sources_read_after_all", len(waiting))
            yield from self.follow(waiting)

    async def parse_article(self, response):
        """An article page: the links it carries (Terbaru, Baca Juga, tags,
        author) and its record, read from all its pages when it is split.

        @stored_page tests/data/site-snapshot/site/2023/02/18/makassar/wali-kota-arifin-minta-jajaran-tuntaskan-parkir-liar-sebelum-ramadan.html
        @returns items 1 1
        @returns requests 1
        @valid_records site
        """
        crawled_at = _now()
        for request in self.follow(discovery.links_in_page(response)):
            yield request
        try:
            pages = await self.article_pages(response)
        except UnknownLayout as error:
            self.reject(response.url, [str(error)], stage="extraction")
            return
        except SplitArticleFailure as error:
            self.reject(response.url, [*error.args], stage="split_article")
            return
        article = build_article(pages, crawled_at)
        self.crawler.stats.inc_value(f"sulselsatu/extraction/{article['extraction']}")
        yield article

    async def article_pages(self, response) -> list[ArticlePage]:
        """The article's pages in order, the later ones of a split article
        fetched here, so that the record is built from pages parsed once."""
        pages = [self.read_article_page(response)]
        fetched = {normalize_url(response.url)}
        while (next_url := pages[-1].next_page_url()) and next_url not in fetched:
            fetched.add(next_url)
            next_response = await self.fetch_continuation(next_url)
            try:
                pages.append(self.read_article_page(next_response))
            except UnknownLayout as error:
                raise SplitArticleFailure(str(error), _lost_record_reason(next_url)) from None
        return pages

    async def fetch_continuation(self, url: str):
        request = self.request(Link(url, PageKind.ARTICLE_CONTINUATION, "article"))
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as error:
            raise SplitArticleFailure(f"{type(error).__name__}: {error}", _lost_record_reason(url)) from None
        if response.status != 200:
            raise SplitArticleFailure(f"HTTP status {response.status}", _lost_record_reason(url))
        return response

    def read_article_page(self, response) -> ArticlePage:
        self.crawler.stats.inc_value("sulselsatu/article_pages")
        self.crawler.signals.send_catch_log(signal=article_page_parsed, url=response.url)
        page = article_page(response, fallback=True)
        if foreign := page.foreign_canonical():
            self.crawler.stats.inc_value("sulselsatu/foreign_canonicals")
            self.logger.warning("%s names %s as its address; its record keeps its own", response.url, foreign)
        return page

    def request_failed(self, failure):
        request = failure.request
        if failure.check(RedirectToKnownArticle) or _forbidden_by_robots(failure):
            self.logger.debug("Not followed: %s (%s)", request.url, failure.getErrorMessage())
            return
        if failure.check(HttpError) and failure.value.response.status == 404:
            self.crawler.stats.inc_value("sulselsatu/not_found")
            self.logger.info("Not found (linked but gone): %s", request.url)
            return
        stage = "browser" if failure.check(BrowserFailure) else "download"
        if failure.check(PageRefused):
            reason = failure.getErrorMessage()  # the whole reason: "redirect off site to …"
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        self.reject(request.url, [reason], stage=stage)

    def reject(self, url, reasons, stage):
        self.crawler.signals.send_catch_log(signal=page_rejected, url=url, reasons=reasons, stage=stage)


def _forbidden_by_robots(failure) -> bool:
    """Scrapy's RobotsTxtMiddleware refused the request (and counted it in
    ``robotstxt/forbidden``): a page the site asks crawlers to leave alone."""
    return failure.check(IgnoreRequest) is not None and failure.getErrorMessage() == ROBOTS_FORBIDDEN


def _lost_record_reason(page_url: str) -> str:
    return f"page {page_url} of the split article failed, so its record is not written"


def _site_time(moment: datetime) -> str:
    """*moment* less the overlap, as the site's local time without offset, as
    the WordPress API takes it."""
    return format_wita(moment - API_OVERLAP)[:19]


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
