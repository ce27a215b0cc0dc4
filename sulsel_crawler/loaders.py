"""From article pages to the record of the contract (README, "The record").

``ArticleLoader`` holds the contract's cleaning rules as field processors;
``build_article`` reads the pages of one article (one page, or all pages of a
split article in order) into a complete ``Article``. It never raises on a
malformed page: a field that cannot be read ends as None (or ``[]``, ``""``)
and the validation pipeline rejects the record with its reasons.
"""

import hashlib
import logging
from collections.abc import Sequence
from typing import Any, Optional, TypeVar

from itemloaders import ItemLoader
from itemloaders.processors import Join, MapCompose, TakeFirst

from sulsel_crawler.items import ARTICLE_FIELDS, Article
from sulsel_crawler.pages.base import ArticlePage, Image, clean_text

SOURCE = "sulselsatu.com"
LANGUAGE = "id"
PARAGRAPH_SEPARATOR = "\n\n"
EMPTY_VALUES = {"tags": [], "images": [], "body": ""}

logger = logging.getLogger(__name__)
T = TypeVar("T")


def unique(values: list[str]) -> list[str]:
    """Values in order, each once."""
    return list(dict.fromkeys(values))


def clean_image(value: Any) -> Optional[Image]:
    if not isinstance(value, dict) or not clean_text(value.get("url")):
        return None
    return {"url": clean_text(value["url"]), "caption": clean_text(value.get("caption"))}


def unique_images(images: list[Image]) -> list[Image]:
    """Images in order, each URL once (its first appearance, with its caption)."""
    by_url: dict[str, Image] = {}
    for image in images:
        by_url.setdefault(image["url"], image)
    return list(by_url.values())


class ArticleLoader(ItemLoader):
    """Text fields: whitespace (``&nbsp;`` included) collapsed, empty means absent,
    first value wins. Lists and the body have their own rules."""

    default_item_class = Article
    default_input_processor = MapCompose(clean_text)
    default_output_processor = TakeFirst()

    tags_out = unique
    images_in = MapCompose(clean_image)
    images_out = unique_images
    body_out = Join(PARAGRAPH_SEPARATOR)


def read(page: ArticlePage, field: str, default: T) -> T:
    """``page.<field>()``, or ``default`` (logged) when the page breaks the reader."""
    try:
        return getattr(page, field)()
    except Exception:
        logger.warning("could not read %s from %r", field, page, exc_info=True)
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
    for field in (
        "title",
        "author",
        "editor",
        "published_at",
        "modified_at",
        "category",
        "category_slug",
        "tags",
        "summary",
        "dateline",
    ):
        loader.add_value(field, read(first, field, None))
    loader.add_value("url", read(first, "canonical_url", None))

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
        article["id"] = hashlib.sha1(article["url"].encode("utf-8")).hexdigest()
    article["word_count"] = len(body.split())
    article["content_hash"] = hashlib.sha256(body.encode("utf-8")).hexdigest()

