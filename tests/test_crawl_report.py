"""What a crawl shows of itself: progress lines, the coverage reconciliation,
the dataset report and card, and a quiet log on a machine without internet.
The crawl reads the hostile replica (replica.hostile), so that some
discovered article URLs fail and must be listed, with its cookie challenge
on: the challenge's cookie is what makes Scrapy's cookie jar ask tldextract
for public suffixes, and the report opens in the real Chromium."""

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from replica import SNAPSHOT_DIR
from replica.hostile import HOSTILE_PATHS, LOOP_B, HostileReplicaServer, OffsiteListener
from tests.support.crawl import run_crawl

pytestmark = [pytest.mark.crawl, pytest.mark.browser]

PUBLIC = "https://www.sulselsatu.com"
MAXSIZE = 200_000  # as in test_hostile_crawl: TOO_LARGE is over it


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """One crawl, progress every 0.2 s, with an empty
    tldextract cache as on a fresh machine (no internet: nothing to download)."""
    workdir = tmp_path_factory.mktemp("report-crawl")
    env = {key: value for key, value in os.environ.items() if not key.startswith("TLDEXTRACT")}
    env["TLDEXTRACT_CACHE"] = str(workdir / "tldextract-cache")
    with OffsiteListener() as offsite, HostileReplicaServer(SNAPSHOT_DIR, offsite.base_url) as site:
        run = run_crawl(
            site.base_url, workdir, env=env, settings={"DOWNLOAD_MAXSIZE": MAXSIZE, "PROGRESS_INTERVAL": 0.2}
        )
    assert run.returncode == 0, run.log[-3000:]
    return run, workdir


def test_an_offline_crawl_logs_no_traceback_and_no_suffix_list_download(crawl):
    run, _ = crawl
    assert "Traceback" not in run.log
    assert "tldextract" not in run.log.lower()


def test_progress_lines_show_counts_queue_and_rate(crawl):
    run, _ = crawl
    lines = re.findall(r"INFO: (Progress: .*)", run.log)
    assert lines, run.log[-2000:]
    pattern = re.compile(
        r"Progress: articles \d+ discovered, \d+ fetched, \d+ exported, \d+ rejected, \d+ failed; "
        r"\d+ requests queued; [\d.]+ articles/min"
    )
    assert all(pattern.match(line) for line in lines)
    # Once the sitemaps are read, the share of their articles done.
    assert any(re.search(r"; \d+% of \d+ \((sitemaps|discovered so far)\)", line) for line in lines)


def test_coverage_accounts_for_every_discovered_article(crawl):
    run, workdir = crawl
    coverage = json.loads((workdir / "articles.coverage.json").read_text(encoding="utf-8"))
    totals = coverage["articles"]
    assert totals["exported"] == len(run.records)
    fates = [fate for fate in totals if fate not in ("discovered", "fetched")]
    assert sum(totals[fate] for fate in fates) == totals["discovered"]
    for source, tally in coverage["by_source"].items():
        assert sum(tally[fate] for fate in fates) == tally["discovered"], source
    assert sum(tally["exported"] for tally in coverage["by_category"].values()) == len(run.records)
    assert {"links", "sitemaps", "feed"} <= set(coverage["by_source"])
    sitemaps = coverage["stated_totals"]["sitemaps"]
    assert sitemaps["difference"] == sitemaps["stated"] - sitemaps["exported"] - sitemaps["skipped"]
    for fate in fates:
        assert run.stats[f"sulselsatu/coverage/articles/{fate}"] == totals[fate]
    assert run.stats["sulselsatu/coverage/not_exported"] == len(coverage["not_exported"])


def test_the_discovered_urls_that_failed_are_listed_with_their_reason(crawl):
    run, workdir = crawl
    coverage = json.loads((workdir / "articles.coverage.json").read_text(encoding="utf-8"))
    listed = {row["url"]: row for row in coverage["not_exported"]}
    rejected = {reject["url"]: reject for reject in run.rejects}
    for path in set(HOSTILE_PATHS) - {LOOP_B}:
        row = listed[PUBLIC + path]
        assert row["fate"] == "failed" and row["stage"] == "download"
        assert row["reason"] == "; ".join(rejected[PUBLIC + path]["reasons"])
    # Reached only as a redirect of LOOP_A, whose failure it is.
    assert PUBLIC + LOOP_B not in listed
    assert all(url.startswith(PUBLIC + "/") for url in listed)
    assert not set(listed) & set(run.urls())
    assert coverage["articles"]["failed"] == len(run.rejects)


def test_the_report_counts_what_the_dataset_holds(crawl):
    run, workdir = crawl
    figures = json.loads((workdir / "articles.report.json").read_text(encoding="utf-8"))
    assert figures["dataset"]["records"] == len(run.records)
    assert figures["by_category"] == dict(Counter(record["category_slug"] for record in run.records))
    months = Counter(record["published_at"][:7] for record in run.records)
    assert {month: count for month, count in figures["by_month"].items() if count} == dict(months)
    assert figures["rejects"]["total"] == len(run.rejects)
    assert figures["rejects"]["by_stage"] == dict(Counter(reject["stage"] for reject in run.rejects))
    assert figures["coverage"]["articles"]["exported"] == len(run.records)
    assert figures["monitors"]["outcome"] == "ok"
    assert figures["crawl"]["finish_reason"] == "finished" and figures["crawl"]["requests"] > 0


# The card passes convert_dates=False for pandas 2, which pandas 3 deprecates.
@pytest.mark.filterwarnings("ignore:The 'convert_dates' keyword")
def test_the_card_loads_with_pandas_keeping_types_and_offsets(crawl):
    run, workdir = crawl
    articles = run_card_snippet(workdir, 0)
    assert len(articles) == len(run.records)
    assert str(articles["word_count"].dtype) == "int64"
    for record, (_, row) in zip(run.records, articles.iterrows(), strict=True):
        assert row["published_at"].isoformat() == record["published_at"]
        assert row["tags"] == record["tags"] and row["images"] == record["images"]


def test_the_card_loads_with_datasets_keeping_types_and_offsets(crawl, tmp_path, monkeypatch):
    run, workdir = crawl
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    articles = run_card_snippet(workdir, 1)
    assert articles.to_list() == run.records


def test_the_card_loads_an_empty_dataset(tmp_path, monkeypatch):
    from sulsel_crawler.report import write_report

    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    (tmp_path / "articles.jsonl").write_text("")
    write_report(tmp_path / "articles.jsonl")
    assert len(run_card_snippet(tmp_path, 1)) == 0


def test_the_html_report_renders_in_chromium_alone(crawl):
    from playwright.sync_api import sync_playwright

    from sulsel_crawler.browser import chromium_launch_options

    _, workdir = crawl
    report = workdir / "articles.report.html"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**chromium_launch_options())
        try:
            page = browser.new_page()
            errors, requests = [], []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(report.as_uri())
            charts = page.eval_on_selector_all(
                "svg", "svgs => svgs.map(svg => [svg.getBoundingClientRect().width, svg.querySelectorAll('rect').length])"
            )
            headings = page.eval_on_selector_all("h2", "hs => hs.map(h => h.textContent)")
        finally:
            browser.close()
    assert errors == []
    assert requests == [report.as_uri()]
    assert len(charts) >= 6 and all(width > 0 and bars > 0 for width, bars in charts)
    assert "Coverage: did the crawl get everything?" in headings


def run_card_snippet(workdir: Path, index: int):
    """Run the card's *index*-th Python snippet in *workdir*: what it loads."""
    card = (workdir / "README.md").read_text(encoding="utf-8")
    code = re.findall(r"```python\n(.*?)```", card, re.S)[index]
    namespace = {}
    previous = Path.cwd()
    try:
        os.chdir(workdir)
        exec(code, namespace)  # noqa: S102 - the card's own loading snippet, as a reader runs it
    finally:
        os.chdir(previous)
    return namespace["articles"]
