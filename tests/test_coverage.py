"""The coverage reconciliation and the progress line, from the events a crawl
would send (sulsel_crawler.coverage, sulsel_crawler.progress)."""

import pytest

from sulsel_crawler.coverage import CoverageLedger, Counts
from sulsel_crawler.progress import Progress, expected_total, format_duration

pytestmark = pytest.mark.unit

SITE = "https://www.sulselsatu.com"
EXPORTED = f"{SITE}/2024/01/02/makassar/terbit.html"
REJECTED = f"{SITE}/2024/01/03/makassar/tanpa-judul.html"
FAILED = f"{SITE}/2024/02/04/hukum/putus.html"
GONE = f"{SITE}/2024/02/05/hukum/hilang.html"
LOST = f"{SITE}/2024/02/06/politik/dijawab-kosong.html"
QUEUED = f"{SITE}/2024/02/07/politik/tak-sempat.html"
ALIAS = f"{SITE}/2024/02/08/politik/alias-1.html"
KNOWN = f"{SITE}/2023/12/31/ekonomi/sudah-ada.html"


@pytest.fixture
def ledger():
    ledger = CoverageLedger()
    for url in (EXPORTED, REJECTED, FAILED, GONE, LOST, QUEUED, ALIAS):
        ledger.discovered(url, "page")
        ledger.requested(url, "page")
    ledger.discovered(EXPORTED, "sitemap")
    ledger.discovered(FAILED, "sitemap")
    ledger.discovered(KNOWN, "feed")
    for url in (EXPORTED, REJECTED, LOST):
        ledger.fetched(url, 200)
    ledger.fetched(GONE, 404)
    ledger.redirected(ALIAS, EXPORTED)
    ledger.exported(EXPORTED)
    ledger.rejected(REJECTED, "extraction", "title: missing")
    ledger.rejected(REJECTED, "validation", "too late: the first reason stays")
    ledger.rejected(FAILED, "download", "TimeoutError: took too long")
    ledger.rejected(f"{SITE}/kanal/makassar", "download", "not an article: ignored")
    ledger.state_total("sitemap", 5)
    return ledger


def test_every_article_url_gets_one_fate(ledger):
    totals = ledger.reconciliation()["articles"]
    assert totals == {
        "discovered": 8, "fetched": 4, "exported": 1, "rejected": 1, "failed": 1, "not_found": 1,
        "fetched_no_record": 1, "redirected": 1, "not_fetched": 1, "skipped": 1,
    }


def test_the_urls_each_source_listed(ledger):
    assert (ledger.listed_by("links"), ledger.listed_by("sitemaps"), ledger.listed_by("feed")) == (7, 2, 1)
    assert ledger.listed_by("api") == 0


def test_counts_for_the_progress_line(ledger):
    assert ledger.counts() == Counts(discovered=8, fetched=4, exported=1, rejected=1, failed=2)
    assert ledger.counts().settled == 4


def test_per_source_and_per_category(ledger):
    reconciliation = ledger.reconciliation()
    assert set(reconciliation["by_source"]) == {"links", "sitemaps", "feed"}
    sitemaps = reconciliation["by_source"]["sitemaps"]
    assert (sitemaps["discovered"], sitemaps["exported"], sitemaps["failed"]) == (2, 1, 1)
    assert reconciliation["by_source"]["feed"]["skipped"] == 1
    assert {name: tally["discovered"] for name, tally in reconciliation["by_category"].items()} == {
        "makassar": 2, "hukum": 2, "politik": 3, "ekonomi": 1,
    }


def test_stated_totals_are_compared_with_what_was_exported(ledger):
    assert ledger.reconciliation()["stated_totals"] == {
        "sitemaps": {"stated": 5, "discovered": 2, "exported": 1, "skipped": 0, "difference": 4},
    }
    ledger.discovered(KNOWN, "sitemap")
    assert ledger.reconciliation()["stated_totals"]["sitemaps"] == {
        "stated": 5, "discovered": 3, "exported": 1, "skipped": 1, "difference": 3,
    }


def test_the_urls_wanted_but_not_exported_are_listed_with_why(ledger):
    listed = {row["url"]: row for row in ledger.reconciliation()["not_exported"]}
    assert set(listed) == {REJECTED, FAILED, GONE, LOST, QUEUED}
    assert listed[REJECTED] == {
        "url": REJECTED, "fate": "rejected", "sources": ["links"], "stage": "extraction", "reason": "title: missing",
    }
    assert listed[FAILED]["fate"] == "failed" and listed[FAILED]["sources"] == ["links", "sitemaps"]
    assert [listed[url]["fate"] for url in (GONE, LOST, QUEUED)] == ["not_found", "fetched_no_record", "not_fetched"]


def test_a_redirected_url_is_not_listed_its_target_has_its_own_fate():
    ledger = CoverageLedger()
    ledger.discovered(ALIAS, "page")
    ledger.redirected(ALIAS, EXPORTED)
    assert ledger.articles[ALIAS].fate == "redirected"
    assert ledger.reconciliation()["not_exported"] == []


def test_unknown_sources_and_odd_urls_keep_a_name():
    ledger = CoverageLedger()
    ledger.discovered(f"{SITE}/bukan-artikel", "robots")
    ledger.state_total("api", 35)
    reconciliation = ledger.reconciliation()
    assert list(reconciliation["by_source"]) == ["robots"]
    assert list(reconciliation["by_category"]) == ["unknown"]
    assert reconciliation["stated_totals"] == {
        "api": {"stated": 35, "discovered": 0, "exported": 0, "skipped": 0, "difference": 35},
    }


def progress(settled_counts=Counts(100, 90, 80, 5, 5), per_minute=30.0, total=200, source="sitemaps"):
    return Progress(settled_counts, queued=42, per_minute=per_minute, total=total, total_source=source)


def test_the_progress_line_names_every_count():
    assert progress(total=None).line() == (
        "Progress: articles 100 discovered, 90 fetched, 80 exported, 5 rejected, 5 failed; "
        "42 requests queued; 30.0 articles/min"
    )


def test_the_progress_line_gives_share_and_time_left_where_a_total_is_known():
    assert progress().line() == (
        "Progress: articles 100 discovered, 90 fetched, 80 exported, 5 rejected, 5 failed; "
        "42 requests queued; 30.0 articles/min; 45% of 200 (sitemaps), about 4 min left"
    )
    assert progress().minutes_left == pytest.approx(110 / 30)
    assert progress(per_minute=0).line().endswith("; 45% of 200 (sitemaps)")
    assert progress(total=50).share_done == 1.0


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0.75, "45 s"), (1, "1 min"), (59.4, "59 min"), (60, "1 h 00 min"), (61, "1 h 01 min"),
        (60 * 24, "1 d 00 h"), (60 * 24 * 2 + 65, "2 d 01 h"),
    ],
)
def test_durations_read_easily(minutes, text):
    assert format_duration(minutes) == text


def test_the_expected_total_is_the_largest_stated():
    assert expected_total(10, {}, None) == (None, "")
    assert expected_total(10, {"sitemaps": 120, "api": 30}, None) == (120, "sitemaps")
    assert expected_total(10, {"sitemaps": 120}, 300) == (300, "previous crawl")
    assert expected_total(500, {"sitemaps": 120}, 300) == (500, "discovered so far")
    assert expected_total(300, {"sitemaps": 120}, 300) == (300, "previous crawl")
