"""The gold records: each sample snapshot's ``expected.jsonl``, what a crawl
of it must write, field by field."""

from pathlib import Path

from replica import SNAPSHOT_DIR
from sulsel_crawler.items import ARTICLE_FIELDS
from tests.support.crawl import read_jsonl

CRAWLED_AT = "2025-05-12T06:00:00Z"


def gold_by_url(snapshot_dir: Path) -> dict[str, dict]:
    """A snapshot's gold records, by URL, in file order; ``crawled_at``, which
    changes with every crawl, is not in them."""
    return {record["url"]: record for record in read_jsonl(snapshot_dir / "expected.jsonl")}


def gold_items() -> list[dict]:
    """The site snapshot's gold records as the spider yields them, to feed
    pipelines, exporters and the records crawl: complete with ``crawled_at``
    (``CRAWLED_AT``), in contract field order, a fresh copy on every call."""
    return [
        {name: {**record, "crawled_at": CRAWLED_AT}[name] for name in ARTICLE_FIELDS}
        for record in gold_by_url(SNAPSHOT_DIR).values()
    ]


def assert_records_exact(records: list[dict], gold: dict[str, dict]) -> None:
    """There are records, each has a gold record, and each equals it field by
    field, ``crawled_at`` aside."""
    assert records, "no records: the crawl wrote nothing to compare with the gold records"
    for record in records:
        url = record.get("url")
        assert url in gold, f"record of {url!r}, which has no gold record: not an article of the snapshot"
        got = {name: value for name, value in record.items() if name != "crawled_at"}
        assert got == gold[url], url
