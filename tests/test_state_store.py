"""The crawl state's SQLite store: runs, exported articles, failures,
dataset sizes, sitemaps; each write whole or not at all."""

import sqlite3

import pytest

from sulsel_crawler.state.store import SqliteState

pytestmark = pytest.mark.unit

URL = "https://www.sulselsatu.com/2022/03/11/makassar/a.html"
OLD_URL = "https://www.sulselsatu.com/2022/03/11/makassar/a-123.html"


def record(url=URL, content_hash="c1", modified_at="2022-03-11T16:00:00+08:00"):
    return {
        "url": url,
        "id": "i1",
        "content_hash": content_hash,
        "published_at": "2022-03-11T15:25:00+08:00",
        "modified_at": modified_at,
    }


@pytest.fixture
def store(tmp_path):
    state = SqliteState(tmp_path / "state" / "site.sqlite")
    yield state
    state.close()


def test_a_new_store_has_no_run(store):
    assert store.last_run() is None
    assert store.last_finished_run() is None


def test_a_run_continuing_another_belongs_to_its_crawl(store):
    first = store.start_run("full", continues=None)
    second = store.start_run("full", continues=first)
    third = store.start_run("update", continues=None)
    assert (first.crawl, second.crawl, third.crawl) == (first.id, first.id, third.id)
    assert store.last_run() == third


def test_only_a_run_finished_as_finished_counts_as_finished(store):
    stopped = store.start_run("full", continues=None)
    store.finish_run(stopped, "shutdown")
    assert store.last_run().finished is False
    assert store.last_run().finish_reason == "shutdown"
    assert store.last_finished_run() is None
    done = store.start_run("full", continues=stopped)
    store.finish_run(done, "finished")
    assert store.last_finished_run().id == done.id
    assert store.last_finished_run("full").id == done.id
    assert store.last_finished_run("update") is None
    assert store.last_run().finished_at is not None


def test_an_export_is_known_by_its_url_and_the_urls_that_led_to_it(store, tmp_path):
    run = store.start_run("full", continues=None)
    dataset = str(tmp_path / "a.jsonl")
    store.add_dataset(dataset, "jsonlines", run.crawl, 0)
    store.record_export(run, record(), [OLD_URL, URL], {dataset: 123})
    for url in (URL, OLD_URL):
        known = store.known_article(url)
        assert (known.url, known.content_hash, known.modified_at, known.crawl) == (
            URL, "c1", "2022-03-11T16:00:00+08:00", run.crawl,
        )
        assert known.published_at == "2022-03-11T15:25:00+08:00"
    assert store.known_article("https://www.sulselsatu.com/x.html") is None
    assert store.datasets(run.crawl) == [(dataset, "jsonlines", 123)]
    assert store.crawl_exported(run.crawl) == 1
    assert store.run(run.id).exported == 1
    assert store.article_with_content_hash("c1").url == URL
    assert store.article_with_content_hash("c2") is None


def test_a_later_export_of_the_same_url_replaces_the_earlier(store):
    first = store.start_run("full", continues=None)
    store.record_export(first, record(), [URL], {})
    update = store.start_run("update", continues=None)
    store.record_export(update, record(content_hash="c2", modified_at="2023-01-01T00:00:00+08:00"), [URL], {})
    known = store.known_article(URL)
    assert (known.content_hash, known.modified_at, known.crawl) == ("c2", "2023-01-01T00:00:00+08:00", update.crawl)


def test_failures_count_runs_in_a_row_and_are_given_up(store):
    runs = [store.start_run("full", continues=None) for _ in range(3)]
    failure = store.record_failure(runs[0], URL, "HTTP 500", give_up_after_runs=2)
    assert (failure.attempts, failure.runs_in_a_row, failure.given_up) == (1, 1, False)
    failure = store.record_failure(runs[0], URL, "HTTP 502", give_up_after_runs=2)
    assert (failure.reason, failure.attempts, failure.runs_in_a_row, failure.given_up) == ("HTTP 502", 2, 1, False)
    assert store.urls_to_retry() == [URL]
    failure = store.record_failure(runs[1], URL, "HTTP 500", give_up_after_runs=2)
    assert (failure.attempts, failure.runs_in_a_row, failure.given_up) == (3, 2, True)
    assert store.urls_to_retry() == []
    assert store.run(runs[0].id).failed == 2


def test_an_export_clears_the_failures_of_its_urls(store):
    run = store.start_run("full", continues=None)
    store.record_failure(run, OLD_URL, "timeout", give_up_after_runs=3)
    store.record_export(run, record(), [OLD_URL, URL], {})
    assert store.failure(OLD_URL) is None
    assert store.urls_to_retry() == []


def test_urls_to_retry_in_the_order_they_first_failed(store):
    run = store.start_run("full", continues=None)
    for url in ("https://www.sulselsatu.com/b", "https://www.sulselsatu.com/a", "https://www.sulselsatu.com/b"):
        store.record_failure(run, url, "timeout", give_up_after_runs=3)
    assert store.urls_to_retry() == ["https://www.sulselsatu.com/b", "https://www.sulselsatu.com/a"]


def test_sitemap_lastmod_is_kept(store):
    url = "https://www.sulselsatu.com/sitemap/2022-03.xml"
    assert store.sitemap_lastmod(url) is None
    store.record_sitemap(url, "2022-03-31T10:00:00+08:00")
    assert store.sitemap_lastmod(url) == "2022-03-31T10:00:00+08:00"


def test_the_state_survives_reopening(tmp_path):
    path = tmp_path / "site.sqlite"
    first = SqliteState(path)
    run = first.start_run("full", continues=None)
    first.record_export(run, record(), [URL], {})
    first.close()
    again = SqliteState(path)
    assert again.last_run().id == run.id
    assert again.known_article(URL).crawl == run.crawl


def test_a_failed_write_leaves_nothing_half_done(store):
    run = store.start_run("full", continues=None)
    with pytest.raises(sqlite3.IntegrityError):
        store.record_export(run, {**record(), "content_hash": None}, [URL], {})
    assert store.known_article(URL) is None
    assert store.run(run.id).exported == 0
