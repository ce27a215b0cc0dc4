"""The article record: the one definition of the dataset's contract.

Each field has one entry in ``RECORD_FIELDS``, in contract order: its JSON
type and meaning exactly as ``docs/record.md`` states them, and where its
value comes from, either the ``ArticlePage`` method that reads it from the
article's first page (``sulsel_crawler/pages/``) or the code that makes it.
The field order, the CSV columns and the item class follow from it; tests
hold the JSON Schema (``schemas/article.schema.json``) and the docs' table
equal to it (tests/test_record_definition.py).
"""

import hashlib
from dataclasses import dataclass

import scrapy


@dataclass(frozen=True)
class RecordField:
    name: str
    type: str
    meaning: str
    page_method: str | None = None
    made_by: str | None = None


RECORD_FIELDS: tuple[RecordField, ...] = (
    RecordField(
        name="id",
        type="string",
        meaning="stable id: lowercase hex SHA-1 of `url`",
        made_by="record_id(url)",
    ),
    RecordField(
        name="url",
        type="string",
        meaning=(
            "canonical public URL, "
            "`https://www.sulselsatu.com/YYYY/MM/DD/<category-slug>/<slug>.html`: from "
            "`<link rel=\"canonical\">` (else `og:url`) where it agrees with the page's own "
            "address (the response URL after redirects), else that address; scheme "
            "https, host `www.sulselsatu.com`, no query string, no fragment. Crawling a "
            "mirror (see below) never changes it"
        ),
        page_method="canonical_url",
    ),
    RecordField(
        name="source",
        type="string",
        meaning="always `sulselsatu.com`",
        made_by="loaders.SOURCE",
    ),
    RecordField(
        name="title",
        type="string",
        meaning=(
            "the headline: entities decoded, whitespace collapsed, no site suffix such as"
            " ` - Sulselsatu`"
        ),
        page_method="title",
    ),
    RecordField(
        name="author",
        type="string or null",
        meaning=(
            "the reporter's name as shown once (the page may repeat it, e.g. as an "
            "avatar's alt text)"
        ),
        page_method="author",
    ),
    RecordField(
        name="editor",
        type="string or null",
        meaning="the editor's name where the page states one (`Editor: …`)",
        page_method="editor",
    ),
    RecordField(
        name="published_at",
        type="string",
        meaning=(
            "ISO 8601 with offset, local time of Makassar (WITA, `+08:00`), seconds "
            "included: `2022-03-11T15:25:00+08:00`. Machine-readable metadata first "
            "(JSON-LD `datePublished`, `article:published_time`); else the visible "
            "Indonesian date (`Jumat, 11 Maret 2022 15:25`). Never the date written "
            "inside the body text"
        ),
        page_method="published_at",
    ),
    RecordField(
        name="modified_at",
        type="string or null",
        meaning="same format, where the page states a modification time",
        page_method="modified_at",
    ),
    RecordField(
        name="category",
        type="string",
        meaning="the section's display name, e.g. `Makassar`, `Hukum`",
        page_method="category",
    ),
    RecordField(
        name="category_slug",
        type="string",
        meaning="the section's slug as in the article URL, e.g. `makassar`",
        page_method="category_slug",
    ),
    RecordField(
        name="tags",
        type="list of strings",
        meaning="the article's tags in page order, de-duplicated; `[]` where none",
        page_method="tags",
    ),
    RecordField(
        name="summary",
        type="string or null",
        meaning="the page's meta description, cleaned like `title`",
        page_method="summary",
    ),
    RecordField(
        name="dateline",
        type="string or null",
        meaning=(
            "the place in the opening credit line (`SULSELSATU.com, MAKASSAR –` gives "
            "`MAKASSAR`)"
        ),
        page_method="dateline",
    ),
    RecordField(
        name="body",
        type="string",
        meaning=(
            "the article text: paragraphs in order, separated by one blank line (`\\n\\n`),"
            " each paragraph's whitespace collapsed, entities decoded, no HTML. Keeps the"
            " opening credit line as written. Leaves out everything that is not the "
            "article: \"Baca Juga\" related-link lines, ads and their scripts, embedded "
            "share/subscribe lines (\"Cek berita dan artikel yang lain di Google News\", "
            "\"Yuk berbagi informasi …\"), video/social blocks, comments, the \"Terbaru\" "
            "list, navigation. An article split over several pages (`?page=2` …) gives "
            "one body, pages in order"
        ),
        made_by="loaders.build_article: ArticlePage.body_paragraphs() of every page, in order",
    ),
    RecordField(
        name="image_url",
        type="string or null",
        meaning=(
            "the lead image at full size: absolute URL of the original asset (a resizing "
            "CDN URL such as "
            "`https://cdn.sulselsatu.com/imageresize/assets/media/upload/2022/03/a.jpg&width=700&height=393`"
            " gives `https://www.sulselsatu.com/assets/media/upload/2022/03/a.jpg`)"
        ),
        made_by="loaders.build_article: the url of ArticlePage.lead_image()",
    ),
    RecordField(
        name="image_caption",
        type="string or null",
        meaning="the lead image's caption, once",
        made_by="loaders.build_article: the caption of ArticlePage.lead_image()",
    ),
    RecordField(
        name="images",
        type="list of objects",
        meaning=(
            "every image of the article, lead first, each `{\"url\": …, \"caption\": … or "
            "null}`, same URL rule"
        ),
        made_by="loaders.build_article: ArticlePage.lead_image(), then ArticlePage.gallery_images() of every page",
    ),
    RecordField(
        name="word_count",
        type="integer",
        meaning="number of whitespace-separated words in `body`",
        made_by="loaders.build_article, from body",
    ),
    RecordField(
        name="language",
        type="string",
        meaning="`id`",
        made_by="loaders.LANGUAGE",
    ),
    RecordField(
        name="crawled_at",
        type="string",
        meaning="ISO 8601 UTC time the (first) page was fetched, `Z` suffix",
        made_by="the spider, when it fetched the article's first page",
    ),
    RecordField(
        name="content_hash",
        type="string",
        meaning="lowercase hex SHA-256 of `body` (UTF-8): same text, same hash",
        made_by="loaders.build_article, from body",
    ),
    RecordField(
        name="extraction",
        type="string",
        meaning=(
            "`site` when the site's page classes read the article; `fallback` when they found"
            " no body or no title on a page that is plainly an article and a generic"
            " extractor read it (metadata still first): the site's layout has probably"
            " changed, so check such records. Added in schema 1.1.0"
        ),
        made_by="loaders.build_article: which reader read the article's pages",
    ),
    RecordField(
        name="source_warc",
        type="object or null",
        meaning=(
            "where the page the record was read from (an article's first page) is archived, when"
            " the crawl kept a web archive (`-s WARC_ENABLED=1`): `{\"file\": …, \"record_id\": …}`,"
            " the WARC file as `<site>/<file name>` under `WARC_DIR` and the `WARC-Record-ID` of"
            " its response record; null when the crawl kept none. Added in schema 1.2.0"
        ),
        made_by="middlewares/provenance.py: from the meta of the response the spider read the record from",
    ),
)

ARTICLE_FIELDS = tuple(field.name for field in RECORD_FIELDS)
PAGE_METHODS = {field.name: field.page_method for field in RECORD_FIELDS if field.page_method}


class Article(scrapy.Item):
    fields = {field.name: scrapy.Field(contract=field) for field in RECORD_FIELDS}


def record_id(url: str) -> str:
    """The record's ``id``: lowercase hex SHA-1 of its ``url``."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()


def content_hash(body: str) -> str:
    """The record's ``content_hash``: lowercase hex SHA-256 of its ``body``."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
