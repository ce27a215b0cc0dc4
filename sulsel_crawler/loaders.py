"""From article pages to the record of the contract (``sulsel_crawler/items.py``).

The page classes read each field already clean (``sulsel_crawler/pages/``);
``ArticleLoader`` only assembles: first value wins, images each once, the
body's paragraphs joined. ``build_article`` reads the pages of one article
(one page, or all pages of a split article in order) into a complete
``Article``, read again by the generic fallback reader when the layout
classes found no body or no title (its record says
``"extraction": "fallback"``). It never raises on a malformed page: a field
that cannot be read ends as None (or ``[]``, ``""``) and the validation
pipeline rejects the record with its reasons.
"""

import logging
from collections.abc import Sequence
from typing import Optional, TypeVar

from itemloaders import ItemLoader
from itemloaders.processors import Identity, Join, TakeFirst

from sulsel_crawler.items import ARTICLE_FIELDS, PAGE_METHODS, Article, content_hash, record_id
from sulsel_crawler.pages.base import ArticlePage, Image
from sulsel_crawler.pages.fallback import MIN_BODY_WORDS, FallbackArticlePage, is_plainly_article

SOURCE = "sulselsatu.com"
LANGUAGE = "id"
PARAGRAPH_SEPARATOR = "\n\n"
# The record's ``extraction``: which reader read the article.
SITE = "site"
FALLBACK = "fallback"
EMPTY_VALUES = {"tags": [], "images": [], "body": ""}

logger = logging.getLogger(__name__)
T = TypeVar("T")


def unique_images(images: list[Image]) -> list[Image]:
    """Images in order, each URL once (its first appearance, with its caption)."""
    by_url: dict[str, Image] = {}
    for image in images:
        by_url.setdefault(image["url"], image)
    return list(by_url.values())


class ArticleLoader(ItemLoader):
    default_item_class = Article
    default_output_processor = TakeFirst()

    tags_out = Identity()
    images_out = unique_images
    body_out = Join(PARAGRAPH_SEPARATOR)


def read(page: ArticlePage, method: str, default: T) -> T:
    """``page.<method>()``, or ``default`` (logged) when the page breaks the reader."""
    try:
        return getattr(page, method)()
    except Exception:
        logger.warning("could not read %s from %r", method, page, exc_info=True)
        return default


def build_article(pages: Sequence[ArticlePage], crawled_at: str) -> Article:
    """The record of one article from its pages (page 1 first).

    When the layout classes read no body or no title from pages that are all
    plainly articles, or no layout class could read a page, the generic
    reader (``FallbackArticlePage``) reads the pages, and its record is the
    one kept when it has both; a body of fewer than ``MIN_BODY_WORDS`` words
    is none.
    """
    if not pages:
        raise ValueError("build_article needs at least one page")
    by_site = not any(isinstance(page, FallbackArticlePage) for page in pages)
    if by_site:
        article = assemble(pages, crawled_at)
        if (article["body"] and article["title"]) or not all(is_plainly_article(page.response) for page in pages):
            return article
    fallback = assemble([FallbackArticlePage(page.response) for page in pages], crawled_at)
    if fallback["word_count"] < MIN_BODY_WORDS:
        fallback["body"] = ""
        add_derived_fields(fallback)
    if by_site and not (fallback["body"] and fallback["title"]):
        return article
    return fallback


def assemble(pages: Sequence[ArticlePage], crawled_at: str) -> Article:
    """The record as these page readers read it."""
    first = pages[0]
    loader = ArticleLoader()
    loader.add_value("source", SOURCE)
    loader.add_value("language", LANGUAGE)
    loader.add_value("crawled_at", crawled_at)
    loader.add_value("extraction", extraction(pages))
    for field, method in PAGE_METHODS.items():
        loader.add_value(field, read(first, method, None))

    lead: Optional[Image] = read(first, "lead_image", None)
    if lead:
        loader.add_value("image_url", lead["url"])
        loader.add_value("image_caption", lead["caption"])
        loader.add_value("images", [lead])
    for page in pages:
        loader.add_value("images", read(page, "gallery_images", []))
        loader.add_value("body", read(page, "body_paragraphs", []))

    article = loader.load_item()
    add_derived_fields(article)
    return Article({field: article.get(field, EMPTY_VALUES.get(field)) for field in ARTICLE_FIELDS})


def extraction(pages: Sequence[ArticlePage]) -> str:
    """``fallback`` when the generic reader read any of the pages, else ``site``."""
    return FALLBACK if any(isinstance(page, FallbackArticlePage) for page in pages) else SITE


def add_derived_fields(article: Article) -> None:
    """id from the URL; word count and content hash from the body."""
    body = article.get("body", "")
    if article.get("url"):
        article["id"] = record_id(article["url"])
    article["word_count"] = len(body.split())
    article["content_hash"] = content_hash(body)
