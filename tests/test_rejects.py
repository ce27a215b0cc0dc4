"""RejectsLog: every reject as a JSON line in a file beside the dataset."""

import json
import logging
import re
from pathlib import Path

import pytest

from sulsel_crawler.extensions.rejects import RejectsLog
from sulsel_crawler.signals import page_rejected
from tests.guards_support import close_crawler, gold_record, open_crawler, read_jsonl, run_crawl

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


def test_file_uri_feed(in_tmp):
    crawler = open_crawler({"FEEDS": {(in_tmp / "out" / "a.jsonl").as_uri(): {"format": "jsonl"}}})
    assert rejects_path(crawler) == in_tmp / "out" / "a.rejects.jsonl"


def test_placeholders_are_those_of_the_feed(in_tmp):
    crawler = open_crawler({"FEEDS": {"output/%(name)s-%(time)s.jsonl": {"format": "jsonl"}}})
    name = rejects_path(crawler).name
    assert re.fullmatch(
        r"default-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\+00-00\.rejects\.jsonl", name
    )


def test_rejects_uri_setting_wins(in_tmp):
    crawler = open_crawler(
        {"FEEDS": {"articles.jsonl": {}}, "REJECTS_URI": "logs/%(name)s/rejects.jsonl"}
    )
    assert rejects_path(crawler) == Path("logs/default/rejects.jsonl")


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


def test_rejects_are_counted_per_stage(in_tmp):
    crawler = open_crawler()
    reject(crawler, stage="validation")
    reject(crawler, stage="validation")
    reject(crawler, stage="duplicate")
    stats = crawler.stats
    assert stats.get_value("sulselsatu/rejected") == 3
    assert stats.get_value("sulselsatu/rejected/validation") == 2
    assert stats.get_value("sulselsatu/rejected/duplicate") == 1


def test_no_reject_no_file(in_tmp):
    crawler = open_crawler({"FEEDS": {"output/articles.jsonl": {}}})
    close_crawler(crawler)
    assert not Path("output/articles.rejects.jsonl").exists()


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


def test_a_crawl_with_minus_o_leaves_no_stale_rejects(tmp_path):
    bad = {**gold_record(), "title": ""}
    first = run_crawl(tmp_path, [gold_record(1), bad], "-O", "out/articles.jsonl")
    assert first.returncode == 0, first.stderr
    rejects = tmp_path / "out" / "articles.rejects.jsonl"
    assert [line["url"] for line in read_jsonl(rejects)] == [bad["url"]]
    second = run_crawl(tmp_path, [gold_record(1)], "-O", "out/articles.jsonl")
    assert second.returncode == 0, second.stderr
    assert read_jsonl(rejects) == []
