"""ExtractionAlarm: a crawl that sees articles but extracts none must not look fine."""

import logging

import pytest

from sulsel_crawler.extensions.extraction_alarm import ALARM_STAT
from scrapy import signals

from sulsel_crawler.signals import article_page_parsed, page_rejected
from tests.support.gold import gold_items
from tests.support.guards import close_crawler, crawl_records, open_crawler

REJECTS_FILE = "out/articles.rejects.jsonl"


@pytest.fixture
def finish_crawl(tmp_path, monkeypatch, caplog):
    """Run the end of a crawl that saw *article_pages*, exported *exported*
    items and rejected one page per stage in *rejects* (each through its real
    signal); gives the ERROR messages logged and the alarm stat."""
    monkeypatch.chdir(tmp_path)

    def finish(article_pages, exported=0, rejects=(), settings=None):
        crawler = open_crawler({"REJECTS_URI": REJECTS_FILE, **(settings or {})})
        for number in range(article_pages):
            crawler.signals.send_catch_log(signal=article_page_parsed, url=f"https://example.org/{number}")
        for item in gold_items()[:exported]:
            crawler.signals.send_catch_log(signal=signals.item_scraped, item=item, response=None, spider=crawler.spider)
        for stage in rejects:
            crawler.signals.send_catch_log(
                signal=page_rejected, url=None, reasons=["title: missing"], stage=stage
            )
        caplog.clear()
        with caplog.at_level(logging.ERROR):
            close_crawler(crawler)
        errors = [
            record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR
        ]
        return errors, crawler.stats.get_value(ALARM_STAT)

    return finish


@pytest.mark.unit
def test_article_pages_but_no_item_sound_the_alarm(finish_crawl):
    errors, alarm = finish_crawl(40, rejects=["validation"] * 40)
    assert alarm == 1
    [message] = errors
    assert "extracted nothing from 40 article pages" in message
    assert "the site's layout may have changed" in message
    assert f"see rejects file {REJECTS_FILE}" in message


@pytest.mark.unit
def test_an_alarm_without_rejects_says_the_spider_yielded_nothing(finish_crawl):
    errors, alarm = finish_crawl(40)
    assert alarm == 1
    [message] = errors
    assert "extracted nothing from 40 article pages" in message
    assert "no page was rejected, so the spider itself yielded no item" in message


@pytest.mark.unit
@pytest.mark.parametrize(
    "exported, rejects, settings, alarm",
    [
        (4, ["validation"] * 6, {}, 1),
        (5, ["extraction"] * 5, {}, None),
        (4, ["validation"] * 6, {"EXTRACTION_ALARM_MAX_REJECT_RATIO": 0.7}, None),
        (9, ["validation", "download"], {"EXTRACTION_ALARM_MAX_REJECT_RATIO": 0.1}, 1),
        (4, ["duplicate"] * 6, {}, None),
    ],
    ids=["60% rejected", "50% rejected", "ratio raised", "ratio lowered", "duplicates only"],
)
def test_too_many_rejects_sound_the_alarm(finish_crawl, exported, rejects, settings, alarm):
    errors, raised = finish_crawl(10, exported, rejects, settings)
    assert raised == alarm
    if alarm:
        [message] = errors
        assert f"rejected {len(rejects)} of 10 article pages" in message
    else:
        assert errors == []


@pytest.mark.unit
def test_no_article_page_no_alarm(finish_crawl):
    assert finish_crawl(0) == ([], None)


@pytest.mark.crawl
def test_scrapy_crawl_exits_non_zero_when_nothing_is_extracted(tmp_path):
    broken = [{**record, "title": None} for record in gold_items()[:3]]
    run = crawl_records(tmp_path, broken)
    assert run.returncode == 1
    assert "EXTRACTION ALARM: extracted nothing from 3 article pages" in run.log
    assert f"see rejects file {tmp_path / REJECTS_FILE}" in run.log


@pytest.mark.crawl
def test_scrapy_crawl_exits_zero_when_articles_are_extracted(tmp_path):
    run = crawl_records(tmp_path, gold_items()[:3])
    assert run.returncode == 0, run.log
    assert "EXTRACTION ALARM" not in run.log
