"""The record is defined once (``sulsel_crawler/items.py``): the JSON Schema,
the docs' table, the CSV columns and the loader all agree with it."""

import re
from pathlib import Path

import pytest

from sulsel_crawler import settings
from sulsel_crawler.items import ARTICLE_FIELDS, PAGE_METHODS, RECORD_FIELDS, Article, content_hash, record_id
from sulsel_crawler.pages import CurrentArticlePage, LegacyArticlePage
from sulsel_crawler.pipelines.validate import SCHEMA

pytestmark = pytest.mark.unit

RECORD_DOC = Path(__file__).resolve().parent.parent / "docs" / "record.md"

# The contract's type words as JSON Schema types.
SCHEMA_TYPES = {
    "string": ["string"],
    "string or null": ["string", "null"],
    "list of strings": ["array"],
    "list of objects": ["array"],
    "integer": ["integer"],
    "object or null": ["object", "null"],
}


def schema_types(name: str) -> list[str]:
    """The JSON types a field's schema allows, its ``$ref`` and ``const`` resolved."""
    schema = SCHEMA["properties"][name]
    if "$ref" in schema:
        schema = SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    if "const" in schema:
        return [type(schema["const"]).__name__.replace("str", "string")]
    types = schema["type"]
    return types if isinstance(types, list) else [types]


def documented_rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in RECORD_DOC.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\| `(\w+)` \| (.+?) \| (.+) \|", line)
        if match:
            rows.append(match.groups())
    return rows


def test_docs_table_is_the_record_definition():
    assert documented_rows() == [(field.name, field.type, field.meaning) for field in RECORD_FIELDS]


def test_schema_has_every_field_in_contract_order():
    assert list(SCHEMA["properties"]) == list(ARTICLE_FIELDS)
    assert SCHEMA["required"] == list(ARTICLE_FIELDS)
    assert SCHEMA["additionalProperties"] is False


@pytest.mark.parametrize("field", RECORD_FIELDS, ids=lambda field: field.name)
def test_schema_type_is_the_contract_type(field):
    assert schema_types(field.name) == SCHEMA_TYPES[field.type]


def test_item_and_csv_columns_follow_the_definition():
    assert list(Article.fields) == list(ARTICLE_FIELDS)
    assert settings.FEED_EXPORT_FIELDS == list(ARTICLE_FIELDS)
    assert all(Article.fields[field.name]["contract"] is field for field in RECORD_FIELDS)


@pytest.mark.parametrize("field", RECORD_FIELDS, ids=lambda field: field.name)
def test_every_field_says_where_its_value_comes_from(field):
    assert (field.page_method is None) != (field.made_by is None)
    if field.page_method:
        for layout in (CurrentArticlePage, LegacyArticlePage):
            assert callable(getattr(layout, field.page_method))


def test_page_methods_are_the_fields_read_from_the_first_page():
    assert PAGE_METHODS == {
        "url": "canonical_url",
        "title": "title",
        "author": "author",
        "editor": "editor",
        "published_at": "published_at",
        "modified_at": "modified_at",
        "category": "category",
        "category_slug": "category_slug",
        "tags": "tags",
        "summary": "summary",
        "dateline": "dateline",
    }


def test_record_id_is_the_sha1_of_the_url():
    url = "https://www.sulselsatu.com/2022/03/11/makassar/a.html"
    assert record_id(url) == "41caeb4f6081986891619a942a273895f2a78c80"


def test_content_hash_is_the_sha256_of_the_utf8_body():
    assert content_hash("Satu dua.") == "b8b784747fc40958f31096f579384cc9dde3c21972eceb60a799077ef4b5d60d"
    assert content_hash("Satu dua – é") == "84d3559953d74fac58c43ac95f000483fe3d2fc7f585f7c11e850c67a17530d9"
