"""The gold records: each sample snapshot's ``expected.jsonl``, what a crawl
of it must write, field by field.

The gold files were written before schema 1.1.0 added ``extraction`` and
1.2.0 added ``source_warc``: a gold record without them is read as
``"extraction": "site"`` (the site's page classes read every page of the
samples) and ``"source_warc": None`` (a crawl without a web archive), here
and nowhere else.
"""

from pathlib import Path

from replica import SNAPSHOT_DIR
from sulsel_crawler.items import ARTICLE_FIELDS
from sulsel_crawler.loaders import SITE
from tests.support.crawl import read_jsonl

CRAWLED_AT = "2025-05-12T06:00:00Z"


def gold_by_url(snapshot_dir: Path) -> dict[str, dict]:
    """A snapshot's gold records, by URL, in file order; ``crawled_at``, which
    changes with every crawl, is not in them."""
    return {record["url"]: gold_record(record) for record in read_jsonl(snapshot_dir / "expected.jsonl")}


def gold_record(record: dict) -> dict:
    """A record of a gold file as the contract of today has it."""
    return {**record, "extraction": record.get("extraction", SITE), "source_warc": record.get("source_warc")}


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
