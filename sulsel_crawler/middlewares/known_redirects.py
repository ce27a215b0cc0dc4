"""Redirects to articles the crawl does not want are not followed.

An article's old address (in the sitemap, in Baca Juga links) answers 301 to
its new one. When the crawl plan does not want the new one (exported already
by this crawl, unchanged since the last one, outside the filters), following
the redirect would fetch it for nothing.
"""

from scrapy.exceptions import IgnoreRequest

from sulsel_crawler.discovery import Link, PageKind
from sulsel_crawler.urls import is_article_url, normalize_url

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class RedirectToKnownArticle(IgnoreRequest):
    """The request redirects to an article the crawl plan does not want."""


class KnownRedirectsMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        location = response.headers.get(b"Location")
        plan = getattr(self.crawler.spider, "plan", None)
        if plan is None or response.status not in REDIRECT_STATUSES or not location:
            return response
        target = normalize_url(response.urljoin(location.decode("latin-1")))
        if is_article_url(target) and not plan.wants(Link(target, PageKind.ARTICLE, "redirect")):
            self.crawler.stats.inc_value("sulselsatu/redirects_to_known_articles")
            raise RedirectToKnownArticle(f"{request.url} redirects to {target}, which the crawl does not want")
        return response
