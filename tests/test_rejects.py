"""RejectsLog: every reject as a JSON line in a file beside the dataset."""

import json
import logging
import re
from pathlib import Path

import pytest

from sulsel_crawler.extensions.rejects import RejectsLog
from sulsel_crawler.signals import page_rejected
from tests.support.crawl import read_jsonl
from tests.support.gold import gold_items
from tests.support.guards import close_crawler, crawl_records, open_crawler

URL = "https://www.sulselsatu.com/2025/05/11/hukum/berita.html"


def reject(crawler, url=URL, reasons=("title: missing",), stage="validation"):
    crawler.signals.send_catch_log(
        signal=page_rejected, url=url, reasons=list(reasons), stage=stage
    )


def rejects_path(crawler):
    return crawler.get_extension(RejectsLog).path


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Relative paths (feeds, the default rejects file) resolve in tmp_path."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.unit
@pytest.mark.parametrize(
    "feeds, expected",
    [
        ({"output/articles.jsonl": {"format": "jsonl"}}, "output/articles.rejects.jsonl"),
        ({"articles.csv": {"format": "csv"}}, "articles.rejects.jsonl"),
        (
            {"stdout:": {"format": "jsonl"}, "data/a.csv": {"format": "csv"}, "data/b.jsonl": {}},
            "data/a.rejects.jsonl",
        ),
        ({}, "output/rejects.jsonl"),
    ],
    ids=["jsonl feed", "csv feed", "first local file feed", "no feed"],
)
def test_rejects_file_sits_next_to_the_first_local_feed(in_tmp, feeds, expected):
    crawler = open_crawler({"FEEDS": feeds})
    assert rejects_path(crawler) == Path(expected)


@pytest.mark.unit
def test_file_uri_feed(in_tmp):
    crawler = open_crawler({"FEEDS": {(in_tmp / "out" / "a.jsonl").as_uri(): {"format": "jsonl"}}})
    assert rejects_path(crawler) == in_tmp / "out" / "a.rejects.jsonl"


@pytest.mark.unit
def test_placeholders_are_those_of_the_feed(in_tmp):
    crawler = open_crawler({"FEEDS": {"output/%(name)s-%(time)s.jsonl": {"format": "jsonl"}}})
    name = rejects_path(crawler).name
    assert re.fullmatch(
        r"default-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\+00-00\.rejects\.jsonl", name
    )


@pytest.mark.unit
def test_rejects_uri_setting_wins(in_tmp):
    crawler = open_crawler(
        {"FEEDS": {"articles.jsonl": {}}, "REJECTS_URI": "logs/%(name)s/rejects.jsonl"}
    )
    assert rejects_path(crawler) == Path("logs/default/rejects.jsonl")


@pytest.mark.unit
def test_each_reject_is_one_json_line_on_disk_at_once(in_tmp, caplog):
    crawler = open_crawler({"REJECTS_URI": "deep/dir/rejects.jsonl"})
    assert not Path("deep").exists()  # created at the first reject only
    with caplog.at_level(logging.WARNING):
        reject(crawler, reasons=["title: missing", "body: empty"])
        lines = Path("deep/dir/rejects.jsonl").read_text(encoding="utf-8").splitlines()
        reject(
            crawler,
            url="https://www.sulselsatu.com/",
            reasons=["Timeout – 30 s"],
            stage="download",
        )
    [first] = [json.loads(line) for line in lines]
    assert list(first) == ["url", "stage", "reasons", "rejected_at"]
    assert first["url"] == URL
    assert first["stage"] == "validation"
    assert first["reasons"] == ["title: missing", "body: empty"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", first["rejected_at"])
    raw = Path("deep/dir/rejects.jsonl").read_bytes()
    assert "Timeout – 30 s".encode() in raw
    assert len(raw.splitlines()) == 2
    assert f"Rejected {URL} (validation): title: missing; body: empty" in caplog.text
    close_crawler(crawler)


@pytest.mark.unit
def test_rejects_are_counted_per_stage(in_tmp):
    crawler = open_crawler()
    reject(crawler, stage="validation")
    reject(crawler, stage="validation")
    reject(crawler, stage="duplicate")
    stats = crawler.stats
    assert stats.get_value("sulselsatu/rejected") == 3
    assert stats.get_value("sulselsatu/rejected/validation") == 2
    assert stats.get_value("sulselsatu/rejected/duplicate") == 1


@pytest.mark.unit
def test_no_reject_no_file(in_tmp):
    crawler = open_crawler({"FEEDS": {"output/articles.jsonl": {}}})
    close_crawler(crawler)
    assert not Path("output/articles.rejects.jsonl").exists()


@pytest.mark.unit
@pytest.mark.parametrize(
    "feed_options, extra_settings, kept",
    [
        ({"overwrite": True}, {}, False),
        ({"overwrite": False}, {}, True),
        ({"overwrite": True}, {"REJECTS_OVERWRITE": False}, True),
        ({"overwrite": False}, {"REJECTS_OVERWRITE": True}, False),
    ],
    ids=["-O empties", "-o appends", "kept by setting", "emptied by setting"],
)
def test_a_stale_rejects_file_follows_the_feed(in_tmp, feed_options, extra_settings, kept):
    stale = Path("output/articles.rejects.jsonl")
    stale.parent.mkdir()
    stale.write_text('{"url": "from an earlier crawl"}\n', encoding="utf-8")
    crawler = open_crawler({"FEEDS": {"output/articles.jsonl": feed_options}, **extra_settings})
    reject(crawler)
    close_crawler(crawler)
    urls = [line["url"] for line in read_jsonl(stale)]
    assert urls == (["from an earlier crawl", URL] if kept else [URL])


@pytest.mark.crawl
def test_a_crawl_with_minus_o_leaves_no_stale_rejects(tmp_path):
    items = gold_items()
    bad = {**items[0], "title": ""}
    first = crawl_records(tmp_path, [items[1], bad])
    assert first.returncode == 0, first.log
    rejects = tmp_path / "out" / "articles.rejects.jsonl"
    assert [line["url"] for line in read_jsonl(rejects)] == [bad["url"]]
    second = crawl_records(tmp_path, [items[1]])
    assert second.returncode == 0, second.log
    assert read_jsonl(rejects) == []
