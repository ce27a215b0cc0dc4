"""ValidationPipeline: the record contract, enforced on every item."""

import hashlib
import json
import logging
from importlib.resources import files

import pytest
from jsonschema import Draft202012Validator
from scrapy.exceptions import DropItem
from scrapy.logformatter import LogFormatter

from replica import SNAPSHOT_DIR
from sulsel_crawler.items import Article
from sulsel_crawler.pipelines import ValidationPipeline
from sulsel_crawler.pipelines.validate import SCHEMA_VERSION, _inlined, article_problems
from tests.support.crawl import read_jsonl
from tests.support.gold import CRAWLED_AT, gold_items, gold_record
from tests.support.guards import open_crawler

pytestmark = pytest.mark.unit

LIVE_SEED = SNAPSHOT_DIR / "live-seed-article.json"


@pytest.fixture
def crawl(tmp_path):
    """A crawler whose rejects go to ``tmp_path/rejects.jsonl``, and its pipeline."""
    crawler = open_crawler({"REJECTS_URI": str(tmp_path / "rejects.jsonl")})
    return crawler, ValidationPipeline.from_crawler(crawler), tmp_path / "rejects.jsonl"


def with_fields(record, **fields):
    return {**record, **fields}


def without(record, name):
    return {key: value for key, value in record.items() if key != name}


def rehashed(record):
    """*record* with id, content_hash and word_count recomputed, so that only
    the change under test is wrong."""
    return {
        **record,
        "id": hashlib.sha1(record["url"].encode()).hexdigest(),
        "content_hash": hashlib.sha256(record["body"].encode()).hexdigest(),
        "word_count": len(record["body"].split()),
    }


def test_schema_ships_in_the_package_with_a_version():
    schema = json.loads(
        (files("sulsel_crawler") / "schemas" / "article.schema.json").read_text(encoding="utf-8")
    )
    Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith(SCHEMA_VERSION)
    assert schema["additionalProperties"] is False
    assert schema["required"] == list(Article.fields)


def test_the_crawl_stats_name_the_schema_version(crawl):
    crawler, pipeline, _ = crawl
    pipeline.open_spider()
    assert crawler.stats.get_value("sulselsatu/schema_version") == SCHEMA_VERSION == "1.2.0"


def test_every_gold_record_is_valid(crawl):
    crawler, pipeline, rejects = crawl
    records = gold_items()
    for record in records:
        assert pipeline.process_item(record) is record
    assert crawler.stats.get_value("sulselsatu/items_valid") == len(records)
    assert crawler.stats.get_value("sulselsatu/items_invalid") is None
    assert not rejects.exists()


def test_live_seed_article_is_valid():
    record = {"crawled_at": CRAWLED_AT, **gold_record(json.loads(LIVE_SEED.read_text(encoding="utf-8")))}
    assert article_problems(record) == []


def test_an_article_item_is_validated_like_a_dict(crawl):
    _, pipeline, _ = crawl
    item = Article(**gold_items()[0])
    assert pipeline.process_item(item) is item
    del item["title"]
    with pytest.raises(DropItem):
        pipeline.process_item(item)


GOLD = gold_items()[0]
MIRROR_URL = GOLD["url"].replace("https://www.sulselsatu.com", "http://127.0.0.1:8765")
OTHER_IMAGE = "https://www.sulselsatu.com/assets/media/upload/2025/05/other.jpg"

LINE_PATTERN = r"^\S+(?: \S+)*$"
BODY_PATTERN = r"^\S+(?: \S+)*(?:\n\n\S+(?: \S+)*)*$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$"
URL_PATTERN = r"^https://www\.sulselsatu\.com/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/[^/?#]+\.html$"
# Reasons show at most 80 characters of a value: the gold URL is cut after "-20-".
GOLD_URL_SHOWN = "'https://www.sulselsatu.com/2025/05/11/hukum/polrestabes-makassar-tangkap-20-..."

# Each bad record with the complete list of its reasons.
BAD_RECORDS = {
    "missing title": (without(GOLD, "title"), ["title: missing"]),
    "missing crawled_at": (without(GOLD, "crawled_at"), ["crawled_at: missing"]),
    "empty title": (with_fields(GOLD, title=""), ["title: empty"]),
    "title with a line break": (
        with_fields(GOLD, title=GOLD["title"] + "\n"),
        [
            "title: 'Polrestabes Makassar Tangkap 20 Terduga Pelaku Pencurian Kendaraan Bermotor\\n'"
            f" does not match {LINE_PATTERN}"
        ],
    ),
    "title with doubled space": (
        with_fields(GOLD, title="Polrestabes  Makassar"),
        [f"title: 'Polrestabes  Makassar' does not match {LINE_PATTERN}"],
    ),
    "empty body": (
        rehashed(with_fields(GOLD, body="")),
        ["body: empty", "word_count: 0 is less than the minimum of 1"],
    ),
    "whitespace body": (
        rehashed(with_fields(GOLD, body=" \n\n ")),
        [f"body: ' \\n\\n ' does not match {BODY_PATTERN}", "word_count: 0 is less than the minimum of 1"],
    ),
    "body with three line breaks": (
        rehashed(with_fields(GOLD, body="Satu.\n\n\nDua.")),
        [f"body: 'Satu.\\n\\n\\nDua.' does not match {BODY_PATTERN}"],
    ),
    "visible date instead of ISO": (
        with_fields(GOLD, published_at="Minggu, 11 Mei 2025 11:55"),
        [f"published_at: 'Minggu, 11 Mei 2025 11:55' does not match {DATE_PATTERN}"],
    ),
    "date without seconds": (
        with_fields(GOLD, published_at="2025-05-11T11:55+08:00"),
        [f"published_at: '2025-05-11T11:55+08:00' does not match {DATE_PATTERN}"],
    ),
    "date in WIB": (
        with_fields(GOLD, modified_at="2025-05-11T11:55:00+07:00"),
        [f"modified_at: '2025-05-11T11:55:00+07:00' does not match {DATE_PATTERN}"],
    ),
    "impossible date": (
        with_fields(GOLD, published_at="2025-02-30T11:55:00+08:00"),
        ["published_at: '2025-02-30T11:55:00+08:00' is not a real date and time"],
    ),
    "crawled_at not in UTC": (
        with_fields(GOLD, crawled_at="2025-05-12T14:00:00+08:00"),
        [
            "crawled_at: '2025-05-12T14:00:00+08:00' does not match "
            r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$"
        ],
    ),
    "word_count as text": (
        with_fields(GOLD, word_count="93"),
        ["word_count: expected integer, got string '93'"],
    ),
    "word_count as float": (
        with_fields(GOLD, word_count=93.0),
        ["word_count: expected integer, got number 93.0"],
    ),
    "word_count as boolean": (
        with_fields(GOLD, word_count=True),
        ["word_count: expected integer, got boolean True"],
    ),
    "tags joined into a string": (
        with_fields(GOLD, tags="Penipuan Online, Sulsel"),
        ["tags: expected array, got string 'Penipuan Online, Sulsel'"],
    ),
    "repeated tag": (
        with_fields(GOLD, tags=["Sulsel", "Sulsel"]),
        ["tags: has repeated items ['Sulsel', 'Sulsel']"],
    ),
    "author as number": (
        with_fields(GOLD, author=5),
        ["author: expected string or null, got integer 5"],
    ),
    "author as empty string": (with_fields(GOLD, author=""), ["author: empty"]),
    "image without caption key": (
        with_fields(GOLD, images=[{"url": GOLD["image_url"]}]),
        ["images[0].caption: missing"],
    ),
    "resized CDN image": (
        with_fields(
            GOLD,
            image_url="https://cdn.sulselsatu.com/imageresize/assets/media/upload/2025/05/a.jpg&width=700",
        ),
        [
            "image_url: 'https://cdn.sulselsatu.com/imageresize/assets/media/upload/2025/05/a.jpg&wid..."
            " must not match /imageresize/"
        ],
    ),
    "lead image not first of images": (
        with_fields(GOLD, image_url=OTHER_IMAGE),
        [f"image_url: {OTHER_IMAGE!r} is not the first image's url {GOLD['image_url']!r}"],
    ),
    "lead caption differs": (
        with_fields(GOLD, image_caption="Another caption"),
        [
            "image_caption: 'Another caption' is not the first image's caption "
            "'Kapolrestabes Makassar, Jufri Haris (Ist)'"
        ],
    ),
    "wrong source": (
        with_fields(GOLD, source="www.sulselsatu.com"),
        ["source: must be 'sulselsatu.com', got 'www.sulselsatu.com'"],
    ),
    "wrong language": (with_fields(GOLD, language="en"), ["language: must be 'id', got 'en'"]),
    "unexpected field": (with_fields(GOLD, html="<p>"), ["record: unexpected field(s) html"]),
    "mirror url": (
        rehashed(with_fields(GOLD, url=MIRROR_URL)),
        [
            "url: 'http://127.0.0.1:8765/2025/05/11/hukum/polrestabes-makassar-tangkap-20-terdu..."
            f" does not match {URL_PATTERN}"
        ],
    ),
    "url with query": (
        rehashed(with_fields(GOLD, url=GOLD["url"] + "?page=2")),
        [f"url: {GOLD_URL_SHOWN} does not match {URL_PATTERN}"],
    ),
    "url with fragment": (
        rehashed(with_fields(GOLD, url=GOLD["url"] + "#komentar")),
        [f"url: {GOLD_URL_SHOWN} does not match {URL_PATTERN}"],
    ),
    "id of another url": (
        with_fields(GOLD, id="0" * 40),
        ["id: '" + "0" * 40 + "' is not the SHA-1 of url"],
    ),
    "id in upper case": (
        with_fields(GOLD, id=GOLD["id"].upper()),
        ["id: '26A5BBD027625DDA9829559EEE4B64B8B661E380' does not match ^[0-9a-f]{40}$"],
    ),
    "content_hash of another body": (
        with_fields(GOLD, content_hash="f" * 64),
        ["content_hash: '" + "f" * 64 + "' is not the SHA-256 of body"],
    ),
    "word_count off by one": (
        with_fields(GOLD, word_count=GOLD["word_count"] + 1),
        ["word_count: 94 but body has 93 words"],
    ),
    "category_slug not the URL's": (
        with_fields(GOLD, category_slug="makassar"),
        ["category_slug: 'makassar' but the URL's section is 'hukum'"],
    ),
}


@pytest.mark.parametrize("record, reasons", BAD_RECORDS.values(), ids=BAD_RECORDS.keys())
def test_bad_record_is_dropped_into_the_rejects_file(crawl, record, reasons):
    crawler, pipeline, rejects = crawl
    with pytest.raises(DropItem):
        pipeline.process_item(record)
    [reject] = read_jsonl(rejects)
    assert reject["url"] == record["url"]
    assert reject["stage"] == "validation"
    assert reject["reasons"] == reasons
    assert crawler.stats.get_value("sulselsatu/items_invalid") == 1
    assert crawler.stats.get_value("sulselsatu/items_valid") is None
    assert crawler.stats.get_value("sulselsatu/rejected/validation") == 1


def test_every_problem_of_a_record_is_reported_once(crawl):
    _, pipeline, rejects = crawl
    record = without(without(GOLD, "title"), "body")
    record.update(word_count="many", language="en")
    with pytest.raises(DropItem):
        pipeline.process_item(record)
    [reject] = read_jsonl(rejects)
    assert reject["reasons"] == [
        "title: missing",
        "body: missing",
        "word_count: expected integer, got string 'many'",
        "language: must be 'id', got 'en'",
    ]


def test_a_record_without_url_is_rejected_with_null_url(crawl):
    _, pipeline, rejects = crawl
    with pytest.raises(DropItem):
        pipeline.process_item(without(GOLD, "url"))
    [reject] = read_jsonl(rejects)
    assert reject["url"] is None
    assert "url: missing" in reject["reasons"]


def test_a_url_that_is_no_string_is_rejected_with_null_url(crawl):
    _, pipeline, rejects = crawl
    with pytest.raises(DropItem):
        pipeline.process_item(with_fields(GOLD, url=5))
    [reject] = read_jsonl(rejects)
    assert reject["url"] is None
    assert reject["reasons"] == ["url: expected string, got integer 5"]


def test_the_drop_names_the_url_and_every_reason_and_logs_at_debug(crawl):
    crawler, pipeline, _ = crawl
    with pytest.raises(DropItem) as drop:
        pipeline.process_item(with_fields(GOLD, language="en", source="x"))
    assert str(drop.value) == (
        f"Invalid article {GOLD['url']}: source: must be 'sulselsatu.com', got 'x'; "
        "language: must be 'id', got 'en'"
    )
    logged = LogFormatter().dropped(GOLD, drop.value, None, crawler.spider)
    assert logged["level"] == logging.DEBUG


def test_long_values_are_shortened_in_reasons():
    record = with_fields(GOLD, summary="kata " * 500)
    # repr(value) cut to its first 77 characters, then "...".
    assert article_problems(record) == ["summary: '" + "kata " * 15 + f"k... does not match {LINE_PATTERN}"]


def test_the_validator_checks_the_schema_with_its_definitions_inlined():
    definitions = {"line": {"type": "string", "minLength": 1}, "lines": {"items": {"$ref": "#/$defs/line"}}}
    schema = {
        "title": {"$ref": "#/$defs/line"},
        "url": {"type": "string", "$ref": "#/$defs/line"},
        "tags": {"$ref": "#/$defs/lines"},
        "anyOf": [{"$ref": "#/$defs/line"}, {"type": "null"}],
    }
    assert _inlined(schema, definitions) == {
        "title": {"type": "string", "minLength": 1},
        "url": {"type": "string", "allOf": [{"type": "string", "minLength": 1}]},
        "tags": {"items": {"type": "string", "minLength": 1}},
        "anyOf": [{"type": "string", "minLength": 1}, {"type": "null"}],
    }
