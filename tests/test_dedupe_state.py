"""DedupePipeline with a crawl state: duplicates of the records earlier runs
of this crawl kept, and an update's unchanged articles (a real crawler, the
real CrawlState extension on a temporary SQLite file)."""

import pytest
from scrapy.exceptions import DropItem

from sulsel_crawler.pipelines import DedupePipeline
from sulsel_crawler.state.store import SqliteState
from tests.support.crawl import read_jsonl
from tests.support.state import state_crawler

pytestmark = pytest.mark.unit

A = "https://www.sulselsatu.com/2022/03/11/makassar/a.html"
B = "https://www.sulselsatu.com/2022/03/11/makassar/b.html"
C = "https://www.sulselsatu.com/2022/03/11/makassar/c.html"
# The ids are the SHA-1 of the URLs, as the validation pipeline checks.
ID = {
    A: "0f4c1e7d0a0bc2b05a5b3c5b1e6ba2b8b9f9b4c1",
    B: "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
    C: "2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e",
}


def record(url, content_hash):
    return {"url": url, "id": ID[url], "content_hash": content_hash}


def seed(state_file, *, finished, mode="full"):
    """An earlier run that exported A (body h1), stopped or finished."""
    store = SqliteState(state_file)
    run = store.start_run(mode, continues=None)
    store.record_export(run, record(A, "h1"), [A], {})
    store.finish_run(run, "finished" if finished else "shutdown")
    store.close()


@pytest.fixture
def setup(tmp_path):
    def make(mode, finished):
        seed(tmp_path / "state.sqlite", finished=finished)
        crawler = state_crawler(
            tmp_path / "state.sqlite", mode, {"REJECTS_URI": str(tmp_path / "rejects.jsonl")}
        )
        return crawler, DedupePipeline.from_crawler(crawler), tmp_path / "rejects.jsonl"

    return make


def test_a_resumed_crawl_drops_what_an_earlier_run_of_it_kept(setup):
    crawler, pipeline, rejects = setup("full", finished=False)
    with pytest.raises(DropItem) as dropped:
        pipeline.process_item(record(A, "h2"))
    assert str(dropped.value) == (
        f"Duplicate article {A}: url: already kept in this crawl (by an earlier run of it)"
    )
    [reject] = read_jsonl(rejects)
    assert (reject["url"], reject["stage"]) == (A, "duplicate")
    assert reject["reasons"] == ["url: already kept in this crawl (by an earlier run of it)"]
    assert crawler.stats.get_value("sulselsatu/duplicates/url") == 1
    assert crawler.stats.get_value("sulselsatu/duplicates/content") is None
    assert crawler.stats.get_value("sulselsatu/update/unchanged") is None


def test_a_resumed_crawl_drops_the_same_body_under_another_url(setup):
    crawler, pipeline, rejects = setup("full", finished=False)
    with pytest.raises(DropItem) as dropped:
        pipeline.process_item(record(B, "h1"))
    assert str(dropped.value) == f"Duplicate article {B}: content_hash: same body as {A}"
    [reject] = read_jsonl(rejects)
    assert (reject["url"], reject["stage"], reject["reasons"]) == (
        B, "duplicate", [f"content_hash: same body as {A}"],
    )
    assert crawler.stats.get_value("sulselsatu/duplicates/content") == 1
    assert crawler.stats.get_value("sulselsatu/duplicates/url") is None
    record_c = record(C, "h3")
    assert pipeline.process_item(record_c) is record_c


def test_a_new_full_crawl_keeps_what_an_earlier_crawl_kept(setup):
    crawler, pipeline, rejects = setup("full", finished=True)
    again = record(A, "h1")
    assert pipeline.process_item(again) is again
    assert not rejects.exists()
    assert crawler.stats.get_value("sulselsatu/duplicates/url") is None
    assert crawler.stats.get_value("sulselsatu/update/unchanged") is None


def test_a_new_full_crawl_keeps_a_body_an_earlier_crawl_kept_under_another_url(setup):
    crawler, pipeline, rejects = setup("full", finished=True)
    copy = record(B, "h1")
    assert pipeline.process_item(copy) is copy
    changed = record(A, "h9")
    assert pipeline.process_item(changed) is changed
    assert not rejects.exists()
    assert crawler.stats.get_value("sulselsatu/duplicates/content") is None
    assert crawler.stats.get_value("sulselsatu/duplicates/url") is None


def test_an_update_drops_an_unchanged_article_without_a_reject(setup):
    crawler, pipeline, rejects = setup("update", finished=True)
    with pytest.raises(DropItem) as dropped:
        pipeline.process_item(record(A, "h1"))
    assert str(dropped.value) == f"Unchanged article {A}"
    assert dropped.value.log_level == "DEBUG"
    assert crawler.stats.get_value("sulselsatu/update/unchanged") == 1
    assert crawler.stats.get_value("sulselsatu/duplicates/url") is None
    assert crawler.stats.get_value("sulselsatu/duplicates/content") is None
    assert not rejects.exists()


def test_an_update_keeps_a_changed_article(setup):
    crawler, pipeline, rejects = setup("update", finished=True)
    changed = record(A, "h2")
    assert pipeline.process_item(changed) is changed
    assert crawler.stats.get_value("sulselsatu/update/unchanged") is None
    assert not rejects.exists()


def test_an_update_drops_a_known_body_under_another_url(setup):
    crawler, pipeline, rejects = setup("update", finished=True)
    with pytest.raises(DropItem) as dropped:
        pipeline.process_item(record(B, "h1"))
    assert str(dropped.value) == f"Duplicate article {B}: content_hash: same body as {A}"
    assert dropped.value.log_level == "DEBUG"
    [reject] = read_jsonl(rejects)
    assert reject["reasons"] == [f"content_hash: same body as {A}"]
    assert crawler.stats.get_value("sulselsatu/duplicates/content") == 1
    assert crawler.stats.get_value("sulselsatu/update/unchanged") is None
