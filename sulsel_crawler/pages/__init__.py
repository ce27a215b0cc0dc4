"""Article page layouts of sulselsatu.com, one class per template.

``article_page(response)`` picks the class that reads a response. A page
that matches no layout raises ``UnknownLayout``: a template change must be
loud, not a stream of empty records. With ``fallback=True`` (the spider, the
``extract`` command) a page that is plainly an article (HTML, 200, article
address) is read by the generic ``FallbackArticlePage`` instead, whose
records are flagged (``sulsel_crawler/pages/fallback.py``).
"""

from scrapy.http import TextResponse

from sulsel_crawler.pages.base import ArticlePage, Image
from sulsel_crawler.pages.current import CurrentArticlePage
from sulsel_crawler.pages.fallback import FallbackArticlePage
from sulsel_crawler.pages.legacy import LegacyArticlePage

# Checked in order; the first whose root element is on the page reads it.
LAYOUTS: tuple[type[ArticlePage], ...] = (CurrentArticlePage, LegacyArticlePage)


class UnknownLayout(ValueError):
    """The response is not an article page in any known layout."""


def article_page(response: TextResponse, *, fallback: bool = False) -> ArticlePage:
    if not isinstance(response, TextResponse):
        raise UnknownLayout(f"{response.url}: not a text response, cannot be an article page")
    for layout in LAYOUTS:
        if layout.matches(response):
            return layout(response)
    if fallback and FallbackArticlePage.matches(response):
        return FallbackArticlePage(response)
    expected = ", ".join(f"{layout.root} ({layout.layout})" for layout in LAYOUTS)
    raise UnknownLayout(f"{response.url}: no article layout matches; expected one of {expected}")


__all__ = [
    "ArticlePage",
    "CurrentArticlePage",
    "FallbackArticlePage",
    "Image",
    "LAYOUTS",
    "LegacyArticlePage",
    "UnknownLayout",
    "article_page",
]
