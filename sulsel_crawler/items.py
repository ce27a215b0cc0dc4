"""The article record (README, "The record"), fields in contract order."""

import scrapy

ARTICLE_FIELDS = (
    "id",
    "url",
    "source",
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
    "body",
    "image_url",
    "image_caption",
    "images",
    "word_count",
    "language",
    "crawled_at",
    "content_hash",
)


class Article(scrapy.Item):
    fields = {name: scrapy.Field() for name in ARTICLE_FIELDS}
