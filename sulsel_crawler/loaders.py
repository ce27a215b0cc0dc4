"""From article pages to the record of the contract (``sulsel_crawler/items.py``).

The page classes read each field already clean (``sulsel_crawler/pages/``);
``ArticleLoader`` only assembles: first value wins, images each once, the
body's paragraphs joined. ``build_article`` reads the pages of one article
(one page, or all pages of a split article in order) into a complete
``Article``. It never raises on a malformed page: a field that cannot be read
ends as None (or ``[]``, ``""``) and the validation pipeline rejects the
record with its reasons.
"""

import logging
from collections.abc import Sequence
from typing import Optional, TypeVar

from itemloaders import ItemLoader
from itemloaders.processors import Identity, Join, TakeFirst

from sulsel_crawler.items import ARTICLE_FIELDS, PAGE_METHODS, Article, content_hash, record_id
from sulsel_crawler.pages.base import ArticlePage, Image

SOURCE = "sulselsatu.com"
LANGUAGE = "id"
PARAGRAPH_SEPARATOR = "\n\n"
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
    """The record of one article from its pages (page 1 first)."""
    if not pages:
        raise ValueError("build_article needs at least one page")
    first = pages[0]
    loader = ArticleLoader()
    loader.add_value("source", SOURCE)
    loader.add_value("language", LANGUAGE)
    loader.add_value("crawled_at", crawled_at)
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


def add_derived_fields(article: Article) -> None:
    """id from the URL; word count and content hash from the body."""
    body = article.get("body", "")
    if article.get("url"):
        article["id"] = record_id(article["url"])
    article["word_count"] = len(body.split())
    article["content_hash"] = content_hash(body)
