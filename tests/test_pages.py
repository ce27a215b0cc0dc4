"""Every stored article of both samples, and the live seed, against its gold record."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse

from replica import DATA_DIR, SNAPSHOT_DIR
from sulsel_crawler.items import ARTICLE_FIELDS
from sulsel_crawler.loaders import build_article
from sulsel_crawler.pages import ArticlePage, article_page
from tests.support.gold import CRAWLED_AT, gold_by_url, gold_record


SEED_URL = (
    "https://sulselsatu.com/2022/03/11/makassar/"
    "wali-kota-danny-kerahkan-22-ribu-birokratnya-promosikan-makassar-menuju-kota-metaverse.html"
)


def gold_params(name: str) -> list:
    """One test case per gold record of the snapshot *name*: (its folder, the record)."""
    folder = DATA_DIR / name
    return [
        pytest.param(folder, record, id=f"{name}:{urlsplit(url).path.lstrip('/')}")
        for url, record in gold_by_url(folder).items()
    ]


def stored_pages(folder: Path, url: str) -> list[ArticlePage]:
    """Page 1 of the article at ``url`` and its ``__page-N`` continuations."""
    page_one = folder / "site" / urlsplit(url).path.lstrip("/")
    files = [page_one]
    while (more := page_one.with_name(f"{page_one.name}__page-{len(files) + 1}")).is_file():
        files.append(more)
    pages = []
    for number, file in enumerate(files, start=1):
        page_url = url if number == 1 else f"{url}?page={number}"
        response = HtmlResponse(url=page_url, body=file.read_bytes(), encoding="utf-8")
        pages.append(article_page(response))
    return pages


def assert_matches_gold(record, gold: dict) -> None:
    assert list(record.keys()) == list(ARTICLE_FIELDS)
    assert record["crawled_at"] == CRAWLED_AT
    got = {field: record[field] for field in gold if field != "crawled_at"}
    expected = {field: value for field, value in gold.items() if field != "crawled_at"}
    assert got == expected


@pytest.mark.unit
@pytest.mark.parametrize("folder, gold", gold_params("site-snapshot"))
def test_stored_article_gives_its_gold_record(folder, gold):
    record = build_article(stored_pages(folder, gold["url"]), CRAWLED_AT)
    assert_matches_gold(record, gold)


@pytest.mark.corpus
@pytest.mark.parametrize("folder, gold", gold_params("site-snapshot-300"))
def test_stored_article_of_the_larger_sample_gives_its_gold_record(folder, gold):
    record = build_article(stored_pages(folder, gold["url"]), CRAWLED_AT)
    assert_matches_gold(record, gold)


@pytest.mark.unit
def test_live_seed_article_gives_its_gold_record():
    gold = gold_record(json.loads((SNAPSHOT_DIR / "live-seed-article.json").read_text(encoding="utf-8")))
    body = (SNAPSHOT_DIR / "live-seed-article.html").read_bytes()
    page = article_page(HtmlResponse(url=SEED_URL, body=body, encoding="utf-8"))
    assert_matches_gold(build_article([page], CRAWLED_AT), gold)
