"""DedupePipeline: one record per article."""

import hashlib
import logging

import pytest
from scrapy.exceptions import DropItem

from sulsel_crawler.pipelines import DedupePipeline
from tests.support.crawl import read_jsonl
from tests.support.gold import gold_items
from tests.support.guards import crawl_records, open_crawler


@pytest.fixture
def crawl(tmp_path):
    crawler = open_crawler({"REJECTS_URI": str(tmp_path / "rejects.jsonl")})
    return crawler, DedupePipeline.from_crawler(crawler), tmp_path / "rejects.jsonl"


def republished(record, url):
    """*record* as published again under *url*: same body, so same content_hash."""
    return {**record, "url": url, "id": hashlib.sha1(url.encode()).hexdigest()}


@pytest.mark.unit
def test_distinct_articles_all_pass(crawl):
    crawler, pipeline, rejects = crawl
    for record in gold_items():
        assert pipeline.process_item(record) is record
    assert crawler.stats.get_value("sulselsatu/duplicates/url") is None
    assert crawler.stats.get_value("sulselsatu/duplicates/content") is None
    assert not rejects.exists()


@pytest.mark.unit
def test_second_record_for_a_url_is_dropped(crawl):
    crawler, pipeline, rejects = crawl
    first, _ = gold_items()[:2]
    pipeline.process_item(first)
    with pytest.raises(DropItem):
        pipeline.process_item(dict(first))
    [reject] = read_jsonl(rejects)
    assert (reject["url"], reject["stage"]) == (first["url"], "duplicate")
    assert reject["reasons"] == ["url: already kept in this crawl"]
    assert crawler.stats.get_value("sulselsatu/duplicates/url") == 1
    assert crawler.stats.get_value("sulselsatu/rejected/duplicate") == 1


@pytest.mark.unit
def test_same_body_under_another_url_is_dropped_naming_both_urls(crawl, caplog):
    crawler, pipeline, rejects = crawl
    original = gold_items()[0]
    copy_url = original["url"].replace("/hukum/", "/makassar/")
    pipeline.process_item(original)
    with caplog.at_level(logging.WARNING), pytest.raises(DropItem):
        pipeline.process_item(republished(original, copy_url))
    [reject] = read_jsonl(rejects)
    assert reject["url"] == copy_url
    assert reject["reasons"] == [f"content_hash: same body as {original['url']}"]
    assert copy_url in caplog.text and original["url"] in caplog.text
    assert crawler.stats.get_value("sulselsatu/duplicates/content") == 1


@pytest.mark.unit
def test_keeps_hashes_and_urls_not_items(crawl):
    _, pipeline, _ = crawl
    records = gold_items()
    for record in records:
        pipeline.process_item(record)
    assert len(pipeline.kept_url_digests) == len(records) > 0
    assert all(
        isinstance(digest, bytes) and len(digest) == 20 for digest in pipeline.kept_url_digests
    )
    assert set(pipeline.first_url_by_content_hash) == {
        record["content_hash"] for record in records
    }
    assert all(isinstance(url, str) for url in pipeline.first_url_by_content_hash.values())


@pytest.mark.crawl
def test_a_crawl_exports_each_article_once(tmp_path):
    records = gold_items()[:3]
    first = records[0]
    copy = republished(first, first["url"].replace("/hukum/", "/news/"))
    copy["category_slug"] = "news"
    run = crawl_records(tmp_path, [*records, dict(records[1]), copy])
    assert run.returncode == 0, run.log
    assert read_jsonl(tmp_path / "out" / "articles.jsonl") == records
    rejects = read_jsonl(tmp_path / "out" / "articles.rejects.jsonl")
    assert [(reject["url"], reject["stage"]) for reject in rejects] == [
        (records[1]["url"], "duplicate"),
        (copy["url"], "duplicate"),
    ]
