"""The ``sulselsatu`` spider: wires discovery (what to request) to extraction
(what an article page says). It knows no selectors."""

from datetime import datetime, timezone

import scrapy
from scrapy import signals
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import sitemap_urls_from_robots

from sulsel_crawler import discovery
from sulsel_crawler.arguments import CrawlArguments
from sulsel_crawler.browser import BrowserFailure
from sulsel_crawler.discovery import Link, PageKind
from sulsel_crawler.loaders import build_article
from sulsel_crawler.pages import UnknownLayout, article_page
from sulsel_crawler.signals import page_rejected


CALLBACKS = {
    PageKind.ARTICLE: "parse_article",
    PageKind.ARTICLE_CONTINUATION: "parse_article",
    PageKind.FEED: "parse_feed",
    PageKind.SITEMAP: "parse_sitemap",
}


class SulselsatuSpider(scrapy.Spider):
    name = "sulselsatu"
    allowed_domains = ["sulselsatu.com"]
    arguments_class = CrawlArguments

    def __init__(self, *args, **kwargs):
        self.arguments = self.arguments_class.parse(kwargs)
        super().__init__(*args, **kwargs)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.arguments.base_url:
            crawler.settings.set("MIRROR_BASE_URL", spider.arguments.base_url, priority="spider")
        if spider.arguments.render:
            crawler.settings.set("BROWSER_RENDER", spider.arguments.render, priority="spider")
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        return spider

    async def start(self):
        if not self.settings.getbool("ROBOTSTXT_OBEY"):
            yield scrapy.Request(discovery.ROBOTS_URL, callback=self.parse_robots)
        for url, kind in (
            (discovery.HOME_URL, PageKind.HOME),
            (discovery.FEED_URL, PageKind.FEED),
        ):
            yield self.request(Link(url, kind, "seed"))

    def request(self, link: Link, dont_filter: bool = False, **meta) -> scrapy.Request:
        callback = getattr(self, CALLBACKS.get(link.kind, "parse_page"))
        return scrapy.Request(
            link.url,
            callback=callback,
            errback=self.request_failed,
            priority=link.kind.priority,
            dont_filter=dont_filter,
            meta={"kind": link.kind, "source": link.source, **meta},
        )

    def follow(self, links):
        for link in links:
            self.crawler.stats.inc_value(f"sulselsatu/links/{link.source}/{link.kind.name.lower()}")
            yield self.request(link)

    def robots_parsed(self, robotparser, request):
        for link in discovery.sitemap_links(getattr(robotparser, "sitemaps", [])):
            self.crawler.engine.crawl(self.request(link))

    def parse_robots(self, response):
        yield from self.follow(discovery.sitemap_links(sitemap_urls_from_robots(response.text)))

    def parse_sitemap(self, response):
        yield from self.follow(discovery.links_in_sitemap(response))

    def parse_feed(self, response):
        yield from self.follow(discovery.links_in_feed(response))

    def parse_page(self, response):
        yield from self.follow(discovery.links_in_page(response))

    def parse_article(self, response):
        """An article page: its record, once all pages of a split article are in,
        and the links it carries (Terbaru, Baca Juga, tags, author)."""
        self.crawler.stats.inc_value("sulselsatu/article_pages")
        if response.meta["kind"] is PageKind.ARTICLE:
            yield from self.follow(discovery.links_in_page(response))
        # Earlier pages travel as (url, html) so that a request stays
        # serialisable for JOBDIR's disk queues.
        earlier = response.meta.get("earlier_pages", [])
        try:
            pages = [*(article_page(_html(url, html)) for url, html in earlier), article_page(response)]
        except UnknownLayout as error:
            self.reject(response.url, [str(error)], stage="extraction")
            return
        crawled_at = response.meta.get("crawled_at") or _now()
        next_url = pages[-1].next_page_url()
        if next_url and next_url not in {url for url, _ in earlier}:
            # The chain asks for each page of the article once; the duplicate
            # filter must not cut it short, or the whole record would be lost.
            yield self.request(
                Link(next_url, PageKind.ARTICLE_CONTINUATION, "article"),
                dont_filter=True,
                earlier_pages=[*earlier, (response.url, response.text)],
                crawled_at=crawled_at,
            )
            return
        yield build_article(pages, crawled_at)

    def request_failed(self, failure):
        request = failure.request
        continuation = request.meta["kind"] is PageKind.ARTICLE_CONTINUATION
        if failure.check(HttpError) and failure.value.response.status == 404 and not continuation:
            self.crawler.stats.inc_value("sulselsatu/not_found")
            self.logger.info("Not found (linked but gone): %s", request.url)
            return
        reasons = [f"{failure.type.__name__}: {failure.getErrorMessage()}"]
        if continuation:
            article_url = request.meta["earlier_pages"][0][0]
            reasons.append(f"page {request.url} of the split article failed, so its record is not written")
            self.reject(article_url, reasons, stage="split_article")
            return
        stage = "browser" if failure.check(BrowserFailure) else "download"
        self.reject(request.url, reasons, stage=stage)

    def reject(self, url, reasons, stage):
        self.crawler.signals.send_catch_log(signal=page_rejected, url=url, reasons=reasons, stage=stage)


def _html(url: str, html: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=html, encoding="utf-8")


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
