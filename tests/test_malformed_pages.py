"""Malformed article pages, served by the replica and crawled end to end,
end in the rejects file with their URL and reasons: never in the dataset,
never as a crash, never as a silent gap. A page in no known layout that is
plainly an article is no reject: the generic fallback reader reads it, and
its record says so (``"extraction": "fallback"``)."""

import json
import shutil

import lxml.html
import pytest

from replica import SNAPSHOT_DIR, ReplicaServer
from tests.support.crawl import run_crawl
from tests.support.gold import gold_by_url

pytestmark = [pytest.mark.crawl, pytest.mark.browser]


def empty_body(doc):
    content = doc.cssselect("div.post-content")[0]
    for child in list(content):
        content.remove(child)


def no_title(doc):
    for element in doc.cssselect('title, h1, meta[property="og:title"], meta[name="twitter:title"]'):
        element.drop_tree()
    edit_json_ld(doc, lambda data: data.pop("headline"))


def garbage_date(doc):
    for meta in doc.cssselect('meta[property="article:published_time"]'):
        meta.set("content", "kemarin sore")
    for time in doc.cssselect("div.post-date time"):
        time.set("datetime", "sometime")
        time.text = "Hari ini, entah jam berapa"
    edit_json_ld(doc, lambda data: data.update(datePublished="31 Februari"))


def unknown_layout(doc):
    for article in doc.cssselect("article.post-detail"):
        article.set("class", "story")


def edit_json_ld(doc, change):
    for script in doc.cssselect('script[type="application/ld+json"]'):
        data = json.loads(script.text)
        change(data)
        script.text = json.dumps(data)


DAMAGES = {
    "empty_body": (empty_body, "validation", "body"),
    "no_title": (no_title, "validation", "title"),
    "garbage_date": (garbage_date, "validation", "published_at"),
}
UNKNOWN_LAYOUT = "unknown_layout"


def plain_current_articles(snapshot_dir, manifest):
    """Current-template, single-page articles that no behaviour of the replica touches."""
    special = set(manifest["challenge"]["paths"]) | set(manifest["redirects"].values())
    for url in gold_by_url(snapshot_dir):
        path = url.removeprefix("https://www.sulselsatu.com")
        page = snapshot_dir / "site" / path.lstrip("/")
        html = page.read_text(encoding="utf-8")
        if path not in special and "post-detail" in html and "?page=2" not in html:
            yield path, page


@pytest.fixture(scope="module")
def damaged_crawl(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("malformed")
    snapshot = workdir / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, snapshot)
    manifest = json.loads((snapshot / "manifest.json").read_text())
    damaged = {}
    articles = plain_current_articles(snapshot, manifest)
    damages = {**{name: damage for name, (damage, _, _) in DAMAGES.items()}, UNKNOWN_LAYOUT: unknown_layout}
    for (name, damage), (path, page) in zip(damages.items(), articles, strict=False):
        doc = lxml.html.fromstring(page.read_bytes())
        damage(doc)
        page.write_bytes(lxml.html.tostring(doc, doctype="<!DOCTYPE html>", encoding="utf-8"))
        damaged[name] = "https://www.sulselsatu.com" + path
    assert len(damaged) == len(damages)
    with ReplicaServer(snapshot) as server:
        run = run_crawl(server.base_url, workdir)
    return run, damaged, gold_by_url(snapshot)


def test_the_crawl_finishes_without_a_crash(damaged_crawl):
    run, _, _ = damaged_crawl
    assert run.returncode == 0, run.log[-3000:]
    assert run.stats["finish_reason"] == "finished"
    assert "Traceback" not in run.log


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_malformed_page_is_rejected_with_its_reason(damaged_crawl, damage):
    run, damaged, _ = damaged_crawl
    _, stage, reason = DAMAGES[damage]
    url = damaged[damage]
    assert url not in run.urls()
    rejects = [reject for reject in run.rejects if reject["url"] == url]
    assert [reject["stage"] for reject in rejects] == [stage]
    assert any(reason in text for text in rejects[0]["reasons"]), rejects[0]["reasons"]


def test_a_page_in_an_unknown_layout_gives_a_flagged_fallback_record(damaged_crawl):
    run, damaged, expected = damaged_crawl
    url = damaged[UNKNOWN_LAYOUT]
    assert url not in {reject["url"] for reject in run.rejects}
    [record] = [record for record in run.records if record["url"] == url]
    assert record["extraction"] == "fallback"
    got = {k: v for k, v in record.items() if k != "crawled_at"}
    assert got == {**expected[url], "extraction": "fallback"}
    assert run.stats["sulselsatu/extraction/fallback"] == 1


def test_every_other_article_is_still_exact(damaged_crawl):
    run, damaged, expected = damaged_crawl
    wanted = {url: record for url, record in expected.items() if url not in damaged.values()}
    got = {
        record["url"]: {k: v for k, v in record.items() if k != "crawled_at"}
        for record in run.records
        if record["url"] != damaged[UNKNOWN_LAYOUT]
    }
    assert got == wanted


def test_rejects_are_counted_in_the_stats(damaged_crawl):
    run, _, _ = damaged_crawl
    assert run.stats["sulselsatu/rejected"] == len(DAMAGES) == len(run.rejects)


def test_a_layout_change_on_every_page_keeps_the_articles_but_fails_loudly(tmp_path):
    """A layout change on every article page: the fallback reader keeps every
    article, each record flagged, and the crawl fails (exit status 1) saying why."""
    snapshot = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, snapshot)
    for page in (snapshot / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        page.write_text(html.replace("post-detail", "story").replace("detail-berita", "story"), encoding="utf-8")
    with ReplicaServer(snapshot) as server:
        run = run_crawl(server.base_url, tmp_path)
    assert run.returncode == 1
    assert len(run.records) == len(gold_by_url(snapshot))
    assert {record["extraction"] for record in run.records} == {"fallback"}
    assert run.stats["sulselsatu/extraction/fallback"] == len(run.records)
    assert "came from the fallback extraction" in run.log
    assert run.stats["sulselsatu/outcome"] == "monitor_failed"
