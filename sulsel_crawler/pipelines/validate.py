"""Checks every article against the record contract before export
(``sulsel_crawler/items.py``, docs/record.md).

The JSON Schema shipped in ``sulsel_crawler/schemas/article.schema.json`` says
what each field may hold; the rules that compare fields with each other are
here. :func:`article_problems` gives the reasons a record breaks the contract,
so tests and tools can use the same rules as :class:`ValidationPipeline`.
"""

from __future__ import annotations

import functools
import json
import re
from datetime import datetime
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator, ValidationError, validators
from scrapy.exceptions import DropItem

from sulsel_crawler.items import ARTICLE_FIELDS, content_hash, record_id
from sulsel_crawler.signals import page_rejected
from sulsel_crawler.urls import category_slug

if TYPE_CHECKING:
    from collections.abc import Iterator

    from scrapy.crawler import Crawler

SCHEMA = json.loads(
    (files("sulsel_crawler") / "schemas" / "article.schema.json").read_text(encoding="utf-8")
)
SCHEMA_VERSION: str = SCHEMA["version"]

JSON_TYPE_NAMES = {
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
    type(None): "null",
}


def _is_strict_integer(checker: Any, instance: Any) -> bool:
    # JSON Schema counts 93.0 as an integer, but the dataset must carry 93.
    return isinstance(instance, int) and not isinstance(instance, bool)


@functools.cache
def _compile(pattern: str) -> re.Pattern[str]:
    # In JSON Schema (ECMA-262) a final "$" matches only at the very end of the
    # text; Python's also matches before a final newline, which would let
    # "title\n" through.
    return re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _compile(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


ArticleValidator = validators.extend(
    Draft202012Validator,
    validators={"pattern": _pattern},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_strict_integer),
)
ArticleValidator.check_schema(SCHEMA)


def _inlined(schema: Any, definitions: dict[str, Any]) -> Any:
    """*schema* with each ``{"$ref": "#/$defs/…"}`` replaced by the
    definition it names: the same checks, without a reference lookup for
    every value checked (half of the validation's time)."""
    if isinstance(schema, list):
        return [_inlined(item, definitions) for item in schema]
    if not isinstance(schema, dict):
        return schema
    rest = {key: _inlined(value, definitions) for key, value in schema.items() if key != "$ref"}
    if "$ref" not in schema:
        return rest
    target = _inlined(definitions[schema["$ref"].removeprefix("#/$defs/")], definitions)
    return {**rest, "allOf": [target]} if rest else target


VALIDATOR = ArticleValidator(_inlined(SCHEMA, SCHEMA["$defs"]))


def article_problems(record: dict[str, Any]) -> list[str]:
    """Every way *record* breaks the contract, as readable ``"field: problem"``
    strings; empty when the record is valid."""
    errors = sorted(VALIDATOR.iter_errors(record), key=_contract_order)
    problems = [problem for error in errors for problem in _describe(error)]
    broken_fields = {error.absolute_path[0] for error in errors if error.absolute_path}
    sound = {name: value for name, value in record.items() if name not in broken_fields}
    problems.extend(_cross_field_problems(sound))
    # Each missing field has its own "required" error, and each of those
    # describes every missing field: keep one line per problem.
    return list(dict.fromkeys(problems))


def _contract_order(error: ValidationError) -> tuple[int, str]:
    field = error.absolute_path[0] if error.absolute_path else None
    rank = ARTICLE_FIELDS.index(field) if field in ARTICLE_FIELDS else -1
    return rank, error.json_path


def _describe(error: ValidationError) -> Iterator[str]:
    where = _field_path(error.absolute_path)
    value = _short(error.instance)
    match error.validator:
        case "required":
            for name in error.validator_value:
                if name not in error.instance:
                    yield f"{_field_path([*error.absolute_path, name])}: missing"
        case "type":
            expected = error.validator_value
            expected = " or ".join(expected) if isinstance(expected, list) else expected
            got = JSON_TYPE_NAMES.get(type(error.instance), type(error.instance).__name__)
            yield f"{where}: expected {expected}, got {got} {value}"
        case "minLength" | "pattern" if error.instance == "":
            yield f"{where}: empty"
        case "pattern":
            yield f"{where}: {value} does not match {error.validator_value}"
        case "additionalProperties":
            known = error.schema.get("properties", {})
            unexpected = ", ".join(name for name in error.instance if name not in known)
            yield f"{where}: unexpected field(s) {unexpected}"
        case "const":
            yield f"{where}: must be {error.validator_value!r}, got {value}"
        case "not":
            yield f"{where}: {value} must not match {error.validator_value.get('pattern')}"
        case "uniqueItems":
            yield f"{where}: has repeated items {value}"
        case _:
            yield f"{where}: {error.message[:200]}"


def _field_path(path: Any) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.removeprefix(".") or "record"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _cross_field_problems(record: dict[str, Any]) -> Iterator[str]:
    """Rules between fields; *record* holds only fields that passed the schema."""

    def has(*names: str) -> bool:
        return all(name in record for name in names)

    if has("id", "url") and record["id"] != record_id(record["url"]):
        yield f"id: {record['id']!r} is not the SHA-1 of url"
    if has("content_hash", "body") and record["content_hash"] != content_hash(record["body"]):
        yield f"content_hash: {record['content_hash']!r} is not the SHA-256 of body"
    if has("word_count", "body"):
        words = len(record["body"].split())
        if record["word_count"] != words:
            yield f"word_count: {record['word_count']} but body has {words} words"
    if has("category_slug", "url") and record["category_slug"] != category_slug(record["url"]):
        yield (
            f"category_slug: {record['category_slug']!r} but the URL's section is "
            f"{category_slug(record['url'])!r}"
        )
    if has("images", "image_url", "image_caption"):
        lead = record["images"][0] if record["images"] else {"url": None, "caption": None}
        if record["image_url"] != lead["url"]:
            yield (
                f"image_url: {_short(record['image_url'])} is not the first image's "
                f"url {_short(lead['url'])}"
            )
        if record["image_caption"] != lead["caption"]:
            yield (
                f"image_caption: {_short(record['image_caption'])} is not the first image's "
                f"caption {_short(lead['caption'])}"
            )
    for name in ("published_at", "modified_at", "crawled_at"):
        if has(name) and record[name] is not None and not _is_real_time(record[name]):
            yield f"{name}: {record[name]!r} is not a real date and time"


def _is_real_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


class ValidationPipeline:
    """Drops every item that breaks the record contract, and says why. The
    crawl's stats name the schema version it checked against
    (``sulselsatu/schema_version``).

    Each dropped item is sent as :data:`~sulsel_crawler.signals.page_rejected`
    (stage ``"validation"``) with all its problems, so it lands in the rejects
    file; Scrapy's own "Dropped" line, which dumps the whole item, is kept at
    DEBUG.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidationPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.crawler.stats.set_value("sulselsatu/schema_version", SCHEMA_VERSION)

    def process_item(self, item: Any) -> Any:
        record = ItemAdapter(item).asdict()
        problems = article_problems(record)
        if not problems:
            self.crawler.stats.inc_value("sulselsatu/items_valid")
            return item
        self.crawler.stats.inc_value("sulselsatu/items_invalid")
        url = record.get("url") if isinstance(record.get("url"), str) else None
        self.crawler.signals.send_catch_log(
            signal=page_rejected, url=url, reasons=problems, stage="validation"
        )
        raise DropItem(f"Invalid article {url}: {'; '.join(problems)}", log_level="DEBUG")
