"""The monitors run at the end of every crawl: each check on its own, then the
Spidermon suite through the real extension and real signals."""

import json
import logging
from dataclasses import replace
from datetime import date

import pytest
from scrapy import signals
from scrapy.settings import Settings

from sulsel_crawler import settings as project_settings
from sulsel_crawler.extensions.outcome import run_monitors
from sulsel_crawler.monitors import (
    CrawlFacts,
    RecordProfile,
    Thresholds,
    check_exported,
    check_extraction,
    check_records,
    check_requests,
    published_day,
    within_site_life,
)
from sulsel_crawler.outcome import EXIT_STATUS_STAT, OUTCOME_STAT
from sulsel_crawler.signals import article_page_parsed, page_rejected
from tests.support.gold import gold_items
from tests.support.guards import close_crawler, crawl_records, open_crawler

LIMITS = Thresholds.from_settings(Settings(vars(project_settings)))
TODAY = date(2026, 12, 2)
REJECTS_FILE = "out/articles.rejects.jsonl"


def profile_of(records) -> RecordProfile:
    profile = RecordProfile()
    for record in records:
        profile.add(record)
    return profile


# -- the settings -----------------------------------------------------------


@pytest.mark.unit
def test_thresholds_come_from_the_settings():
    assert LIMITS.min_exported == 10_000
    assert LIMITS.min_exported_mirror == 1
    assert LIMITS.field_coverage == {"author": 0.7, "image_url": 0.7, "tags": 0.5, "summary": 0.7, "dateline": 0.7}
    assert LIMITS.site_life_start == date(2014, 1, 1)
    changed = Settings({**vars(project_settings), "MONITOR_MAX_REJECT_RATIO": "0.7", "MONITOR_SITE_LIFE_START": "2015-08-01"})
    assert Thresholds.from_settings(changed) == replace(LIMITS, max_reject_ratio=0.7, site_life_start=date(2015, 8, 1))


# -- extraction -------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    "facts, problem",
    [
        (CrawlFacts(article_pages=0), None),
        (CrawlFacts(article_pages=40, rejected=40), "extracted nothing from 40 article pages"),
        (CrawlFacts(article_pages=10, exported=4, rejected=6), "rejected 6 of 10 article pages (60%, more than MONITOR_MAX_REJECT_RATIO=0.5)"),
        (CrawlFacts(article_pages=10, exported=5, rejected=5), None),
        (CrawlFacts(article_pages=10, duplicates=10), None),
        (CrawlFacts(article_pages=10, unchanged=10), None),
        (CrawlFacts(article_pages=10, exported=10, fallback=3), "3 of 10 records came from the fallback extraction"),
        (CrawlFacts(article_pages=10, exported=10, fallback=2), None),
    ],
    ids=["no-article-page", "nothing", "60%-rejected", "50%-rejected", "duplicates", "unchanged", "fallback", "little-fallback"],
)
def test_extraction(facts, problem):
    problems = check_extraction(facts, LIMITS)
    if problem is None:
        assert problems == []
    else:
        [message] = problems
        assert problem in message


@pytest.mark.unit
def test_the_reject_ratio_is_a_setting():
    facts = CrawlFacts(article_pages=10, exported=4, rejected=6)
    assert check_extraction(facts, replace(LIMITS, max_reject_ratio=0.7)) == []
    assert check_extraction(replace(facts, exported=9, rejected=2), replace(LIMITS, max_reject_ratio=0.1)) != []


# -- how many records -------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    "facts, problem",
    [
        (CrawlFacts(mode="full", mirror=True, exported=20), None),
        (CrawlFacts(mode="full", mirror=True, exported=19), "the full crawl exported 19 articles, fewer than MONITOR_MIN_EXPORTED_MIRROR=20"),
        (CrawlFacts(mode="full", exported=9_999), "fewer than MONITOR_MIN_EXPORTED=10000"),
        (CrawlFacts(mode="full", exported=10_000), None),
        (CrawlFacts(mode="full", mirror=True, exported=2, exported_before=18), None),
        (CrawlFacts(mode="full", mirror=True, exported=1, exported_before=18), "exported 19 articles (18 by its earlier runs)"),
        (CrawlFacts(mode="update", mirror=True), None),
        (CrawlFacts(mode="full", mirror=True, filtered=True), None),
        (CrawlFacts(mode="full", mirror=True, shared=True), None),
        (CrawlFacts(mode=None), None),
    ],
    ids=["mirror-enough", "mirror-too-few", "site-too-few", "site-enough", "resumed-enough", "resumed-too-few",
         "update", "filtered", "shared", "not-a-site-crawl"],
)
def test_exported(facts, problem):
    problems = check_exported(facts, replace(LIMITS, min_exported_mirror=20))
    if problem is None:
        assert problems == []
    else:
        [message] = problems
        assert problem in message


# -- requests ---------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    "facts, problems",
    [
        (CrawlFacts(requests=0, error_lines=3), []),
        (CrawlFacts(requests=100, error_lines=10, failed_downloads=10, retries=25), []),
        (CrawlFacts(requests=100, error_lines=11), ["11 ERROR lines for 100 requests (more than MONITOR_MAX_ERROR_RATIO=0.1)"]),
        (CrawlFacts(requests=4, failed_downloads=3), ["3 pages that failed to download for 4 requests (more than MONITOR_MAX_ERROR_RATIO=0.1)"]),
        (CrawlFacts(requests=100, retries=26), ["26 retries for 100 requests (more than MONITOR_MAX_RETRY_RATIO=0.25)"]),
    ],
    ids=["no-request", "at-the-limits", "errors", "failed-downloads", "retries"],
)
def test_requests(facts, problems):
    found = check_requests(facts, LIMITS)
    assert len(found) == len(problems)
    for message, expected in zip(found, problems, strict=True):
        assert expected in message


# -- the records ------------------------------------------------------------


@pytest.mark.unit
def test_the_gold_records_pass():
    assert check_records(CrawlFacts(profile=profile_of(gold_items())), LIMITS, TODAY) == []


@pytest.mark.unit
def test_too_few_records_to_judge_coverage():
    records = [{**record, "author": None, "word_count": 3} for record in gold_items()[:20]]
    assert check_records(CrawlFacts(profile=profile_of(records[:19])), LIMITS, TODAY) == []
    assert len(check_records(CrawlFacts(profile=profile_of(records)), LIMITS, TODAY)) == 3


@pytest.mark.unit
def test_a_field_below_its_coverage_fails():
    records = gold_items()[:40]
    without = [{**record, "author": None} if number % 4 else record for number, record in enumerate(records)]
    [problem] = check_records(CrawlFacts(profile=profile_of(without)), LIMITS, TODAY)
    assert problem.startswith("2") and "% of records have author (MONITOR_FIELD_COVERAGE minimum 70%)" in problem
    empty_tags = [{**record, "tags": []} for record in records]
    [problem] = check_records(CrawlFacts(profile=profile_of(empty_tags)), LIMITS, TODAY)
    assert problem == "0% of records have tags (MONITOR_FIELD_COVERAGE minimum 50%)"


@pytest.mark.unit
def test_any_field_can_have_a_minimum():
    records = gold_items()[:40]
    editors = sum(1 for record in records if record["editor"])
    facts = CrawlFacts(profile=profile_of(records))
    assert check_records(facts, replace(LIMITS, field_coverage={"editor": editors / 40}), TODAY) == []
    [problem] = check_records(facts, replace(LIMITS, field_coverage={"editor": (editors + 1) / 40}), TODAY)
    assert problem.endswith("of records have editor (MONITOR_FIELD_COVERAGE minimum " f"{(editors + 1) / 40:.0%})")


@pytest.mark.unit
def test_short_bodies_fail():
    records = gold_items()[:40]
    short = [{**record, "word_count": 12} if number < 5 else record for number, record in enumerate(records)]
    [problem] = check_records(CrawlFacts(profile=profile_of(short)), LIMITS, TODAY)
    assert problem == "5 of 40 bodies have fewer than 20 words (more than MONITOR_MAX_SHORT_BODY_RATIO=0.1)"
    four = [{**record, "word_count": 12} if number < 4 else record for number, record in enumerate(records)]
    assert check_records(CrawlFacts(profile=profile_of(four)), LIMITS, TODAY) == []
    halved = [{**record, "word_count": 45} for record in records]
    [problem] = check_records(CrawlFacts(profile=profile_of(halved)), LIMITS, TODAY)
    assert problem == "median body word count 45 (MONITOR_MIN_MEDIAN_WORD_COUNT=50)"


@pytest.mark.unit
def test_dates_outside_the_site_life_fail():
    records = gold_items()[:40]
    dated = [{**records[0], "published_at": "2013-12-31T23:00:00+08:00"}, {**records[1], "published_at": "2026-12-04T08:00:00+08:00"}]
    [problem] = check_records(CrawlFacts(profile=profile_of(dated + records[2:])), LIMITS, TODAY)
    assert problem == (
        "2 of 40 records published outside the site's life, 2014-01-01 (MONITOR_SITE_LIFE_START) to today "
        "(more than MONITOR_MAX_OUTSIDE_SITE_LIFE_RATIO=0.01)"
    )
    tolerated = replace(LIMITS, max_outside_site_life_ratio=0.05)
    assert check_records(CrawlFacts(profile=profile_of(dated + records[2:])), tolerated, TODAY) == []
    many = records[1:] * 3
    assert check_records(CrawlFacts(profile=profile_of(dated[:1] + many[:99])), LIMITS, TODAY) == []  # 1%
    assert check_records(CrawlFacts(profile=profile_of(dated[:1] + many[:98])), LIMITS, TODAY) != []


@pytest.mark.unit
@pytest.mark.parametrize(
    "published_at, within",
    [
        ("2014-01-01T00:00:00+08:00", True),
        ("2013-12-31T23:59:59+08:00", False),
        ("2026-12-03T23:59:00+08:00", True),
        ("2026-12-04T00:00:00+08:00", False),
        ("", False),
        (None, False),
        ("kemarin", False),
    ],
)
def test_within_site_life(published_at, within):
    assert within_site_life(published_day(published_at), date(2014, 1, 1), TODAY) is within


# -- the suite, through the extension and real signals ----------------------


@pytest.fixture
def finish_crawl(tmp_path, monkeypatch, caplog):
    """Run the end of a crawl that saw *article_pages*, exported *exported*
    gold records and rejected one page per stage in *rejects* (each through
    its real signal); gives the ERROR messages logged and the final stats."""
    monkeypatch.chdir(tmp_path)

    def finish(article_pages, exported=0, rejects=(), settings=None, records=None):
        crawler = open_crawler({"REJECTS_URI": REJECTS_FILE, "FEEDS": {"out/articles.jsonl": {"format": "jsonlines"}}, **(settings or {})})
        for number in range(article_pages):
            crawler.signals.send_catch_log(signal=article_page_parsed, url=f"https://example.org/{number}")
        for item in (records if records is not None else gold_items())[:exported]:
            crawler.signals.send_catch_log(signal=signals.item_scraped, item=item, response=None, spider=crawler.spider)
        for stage in rejects:
            crawler.signals.send_catch_log(signal=page_rejected, url=None, reasons=["title: missing"], stage=stage)
        caplog.clear()
        with caplog.at_level(logging.INFO):
            close_crawler(crawler)
        errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
        return errors, crawler.stats.get_stats()

    return finish


@pytest.mark.unit
def test_article_pages_but_no_record_fail_the_extraction_monitor(finish_crawl, tmp_path):
    errors, stats = finish_crawl(40, rejects=["validation"] * 40)
    assert (stats[OUTCOME_STAT], stats[EXIT_STATUS_STAT]) == ("monitor_failed", 1)
    assert stats["sulselsatu/monitors/ExtractionMonitor"] == "failed"
    [message] = errors
    assert message.startswith("Crawl outcome: monitor_failed (exit status 1): extracted nothing from 40 article pages")
    assert message.endswith(f"(the site's layout may have changed: see rejects file {REJECTS_FILE})")
    results = json.loads((tmp_path / "out/articles.monitors.json").read_text(encoding="utf-8"))
    assert results["outcome"] == "monitor_failed"
    assert {monitor["monitor"]: monitor["passed"] for monitor in results["monitors"]} == {
        "ExtractionMonitor": False,
        "ExportedArticlesMonitor": True,
        "RequestsMonitor": True,
        "RecordsMonitor": True,
    }


@pytest.mark.unit
def test_a_drifted_layout_fails_by_its_rejects(finish_crawl):
    errors, stats = finish_crawl(10, 4, ["extraction"] * 6)
    assert stats[OUTCOME_STAT] == "monitor_failed"
    [message] = errors
    assert "rejected 6 of 10 article pages" in message


@pytest.mark.unit
def test_an_extraction_failure_without_rejects_says_the_spider_yielded_nothing(finish_crawl):
    errors, _ = finish_crawl(40)
    [message] = errors
    assert "extracted nothing from 40 article pages" in message
    assert message.endswith("(the site's layout may have changed: no page was rejected, so the spider itself yielded no item)")


@pytest.mark.unit
def test_records_of_the_fallback_extraction_fail_the_extraction_monitor(finish_crawl):
    records = [{**record, "extraction": "fallback" if number < 9 else "site"} for number, record in enumerate(gold_items())]
    errors, stats = finish_crawl(40, 40, records=records)
    assert stats["sulselsatu/monitors/ExtractionMonitor"] == "failed"
    [message] = errors
    assert "9 of 40 records came from the fallback extraction (more than MONITOR_MAX_FALLBACK_RATIO=0.2)" in message
    records = [{**record, "extraction": "fallback" if number < 8 else "site"} for number, record in enumerate(gold_items())]
    assert finish_crawl(40, 40, records=records)[0] == []


@pytest.mark.unit
def test_the_fallback_stat_counts_too():
    facts = CrawlFacts.from_stats({"item_scraped_count": 10, "sulselsatu/extraction/fallback": 3}, RecordProfile(), article_pages=10)
    assert "3 of 10 records came from the fallback extraction" in check_extraction(facts, LIMITS)[0]


@pytest.mark.unit
def test_records_that_miss_fields_fail_the_records_monitor(finish_crawl):
    records = [{**record, "dateline": None} for record in gold_items()]
    errors, stats = finish_crawl(40, 40, records=records)
    assert stats["sulselsatu/monitors/RecordsMonitor"] == "failed"
    [message] = errors
    assert "0% of records have dateline" in message


@pytest.mark.unit
def test_a_clean_end_passes_every_monitor(finish_crawl, tmp_path):
    errors, stats = finish_crawl(40, 40)
    assert errors == []
    assert (stats[OUTCOME_STAT], stats[EXIT_STATUS_STAT]) == ("ok", 0)
    assert {stats[f"sulselsatu/monitors/{name}"] for name in ("ExtractionMonitor", "ExportedArticlesMonitor", "RequestsMonitor", "RecordsMonitor")} == {"passed"}
    assert json.loads((tmp_path / "out/articles.monitors.json").read_text(encoding="utf-8"))["exit_status"] == 0


@pytest.mark.unit
def test_no_article_page_no_failure(finish_crawl):
    errors, stats = finish_crawl(0)
    assert errors == []
    assert stats[OUTCOME_STAT] == "ok"


@pytest.mark.crawl
def test_scrapy_crawl_exits_non_zero_when_nothing_is_extracted(tmp_path):
    broken = [{**record, "title": None} for record in gold_items()[:3]]
    run = crawl_records(tmp_path, broken)
    assert run.returncode == 1
    assert "Crawl outcome: monitor_failed (exit status 1): extracted nothing from 3 article pages" in run.log


@pytest.mark.crawl
def test_scrapy_crawl_exits_zero_when_articles_are_extracted(tmp_path):
    run = crawl_records(tmp_path, gold_items()[:3])
    assert run.returncode == 0, run.log
    assert "Crawl outcome: ok (exit status 0)" in run.log


# -- the facts and the suite on their own -----------------------------------


@pytest.mark.unit
def test_facts_from_the_stats():
    stats = {
        "item_scraped_count": 30,
        "sulselsatu/update/unchanged": 4,
        "sulselsatu/rejected": 9,
        "sulselsatu/rejected/duplicate": 2,
        "sulselsatu/rejected/download": 3,
        "sulselsatu/extraction/fallback": 5,
        "downloader/request_count": 70,
        "log_count/ERROR": 6,
        "retry/count": 8,
    }
    profile = RecordProfile(fallback=1)
    facts = CrawlFacts.from_stats(stats, profile, mode="update", article_pages=40)
    assert facts == CrawlFacts(
        mode="update", exported=30, unchanged=4, duplicates=2, article_pages=40, rejected=7, failed_downloads=3,
        fallback=5, requests=70, error_lines=6, retries=8, profile=profile,
    )
    assert CrawlFacts.from_stats({}, profile) == CrawlFacts(fallback=1, profile=profile)
    assert CrawlFacts.from_stats({}, RecordProfile()) == CrawlFacts()


@pytest.mark.unit
def test_a_record_without_a_word_count_counts_as_empty():
    profile = profile_of([{"title": "Judul", "tags": [], "word_count": None, "extraction": "fallback"}])
    assert (profile.records, profile.word_counts, profile.fallback, profile.published) == (1, [0], 1, [None])
    assert profile.with_field == {"title": 1, "extraction": 1}


@pytest.mark.unit
@pytest.mark.parametrize(
    "facts",
    [
        CrawlFacts(article_pages=2, exported=1, duplicates=1),
        CrawlFacts(article_pages=2, exported=1, unchanged=1),
    ],
    ids=["a-duplicate", "unchanged"],
)
def test_every_extracted_record_counts(facts):
    assert check_extraction(facts, LIMITS) == []


@pytest.mark.unit
def test_the_record_limits_are_inclusive():
    records = [{**record, "word_count": 50} for record in gold_items()[:20]]
    records[:3] = [{**record, "word_count": 20} for record in records[:3]]
    assert check_records(CrawlFacts(profile=profile_of(records)), LIMITS, TODAY) == []
    records[:3] = [{**record, "word_count": 19} for record in records[:3]]
    [problem] = check_records(CrawlFacts(profile=profile_of(records)), LIMITS, TODAY)
    assert problem == "3 of 20 bodies have fewer than 20 words (more than MONITOR_MAX_SHORT_BODY_RATIO=0.1)"


@pytest.mark.unit
def test_the_suite_runs_every_monitor_and_says_what_failed():
    profile = profile_of([{**record, "published_at": "2099-01-01T00:00:00+08:00"} for record in gold_items()[:20]])
    facts = CrawlFacts(
        mode="full", mirror=True, exported=0, article_pages=10, rejected=9, requests=10, error_lines=2, retries=3, profile=profile,
    )
    results = run_monitors(None, facts, LIMITS, TODAY)
    assert [(name, kind, passed) for name, kind, passed, _ in results] == [
        ("ExtractionMonitor", "extraction", False),
        ("ExportedArticlesMonitor", "too_few_records", False),
        ("RequestsMonitor", "monitor_failed", False),
        ("RecordsMonitor", "monitor_failed", False),
    ]
    problems = [problem for _, _, _, problem in results]
    assert problems[0] == "extracted nothing from 10 article pages"
    assert problems[1] == "the full crawl exported 0 articles, fewer than MONITOR_MIN_EXPORTED_MIRROR=1"
    assert problems[2] == (
        "2 ERROR lines for 10 requests (more than MONITOR_MAX_ERROR_RATIO=0.1); "
        "3 retries for 10 requests (more than MONITOR_MAX_RETRY_RATIO=0.25)"
    )
    assert problems[3].startswith("20 of 20 records published outside the site's life")
    assert [passed for _, _, passed, _ in run_monitors(None, CrawlFacts(), LIMITS, TODAY)] == [True] * 4
