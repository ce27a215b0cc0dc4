"""The crawl state's stores, SQLite and Redis, hold the same things the
same way: runs, exported articles, failures, dataset sizes, sitemaps; each
write whole or not at all. The SQLite tests are of the unit tier, the same
tests of the Redis store of the redis tier (a real redis-server)."""

import sqlite3
import uuid

import pytest
import redis

from sulsel_crawler.state.redis_store import RedisState
from sulsel_crawler.state.store import Failure, SqliteState

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


@pytest.fixture(params=[pytest.param("sqlite", marks=pytest.mark.unit), pytest.param("redis", marks=pytest.mark.redis)])
def store(request, tmp_path):
    if request.param == "sqlite":
        state = SqliteState(tmp_path / "state" / "site.sqlite")
    else:
        client = redis.Redis.from_url(request.getfixturevalue("redis_url"))
        state = RedisState(client, f"test:{uuid.uuid4().hex}:state")
    yield state
    state.close()


@pytest.fixture
def sqlite_store(tmp_path):
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
    assert store.last_run().finished_at is not None


def test_an_export_is_known_by_its_url_and_the_urls_that_led_to_it(store, tmp_path):
    run = store.start_run("full", continues=None)
    dataset = str(tmp_path / "a.jsonl")
    store.add_dataset(dataset, "jsonlines", run, 0)
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


@pytest.mark.unit
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
    with pytest.raises((sqlite3.IntegrityError, ValueError)):
        store.record_export(run, {**record(), "content_hash": None}, [URL], {})
    assert store.known_article(URL) is None
    assert store.run(run.id).exported == 0


@pytest.mark.unit
def test_a_store_in_a_new_folder_in_write_ahead_log_mode(tmp_path):
    path = tmp_path / "a" / "b" / "site.sqlite"
    state = SqliteState(path)
    assert path.exists()
    assert state.path == path
    assert state.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert state.db.execute("PRAGMA synchronous").fetchone()[0] == 1
    # Each write is its own transaction: another connection sees it at once.
    state.start_run("full", continues=None)
    other = sqlite3.connect(path)
    assert other.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1
    other.close()
    state.close()


def test_the_store_can_be_used_from_another_thread(store):
    import threading

    errors = []

    def use():
        try:
            store.start_run("full", continues=None)
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    thread = threading.Thread(target=use)
    thread.start()
    thread.join()
    assert errors == []
    assert store.last_run().id == 1


def test_runs_hold_their_mode_times_and_counts(store):
    import re

    run = store.start_run("update", continues=None)
    assert (run.id, run.crawl, run.mode, run.finished_at, run.finish_reason, run.exported, run.failed) == (
        1, 1, "update", None, None, 0, 0,
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", run.started_at)
    assert run.finished is False
    store.finish_run(run, "finished")
    done = store.run(1)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", done.finished_at)
    assert (done.finish_reason, done.finished) == ("finished", True)
    assert store.last_finished_run() == done


def test_the_newest_change_is_the_latest_modified_else_published(store):
    run = store.start_run("full", continues=None)
    assert store.newest_change() is None
    store.record_export(run, record(modified_at="2022-03-11T16:00:00+08:00"), [URL], {})
    store.record_export(run, {**record(OLD_URL, "c2", None), "published_at": "2022-03-12T08:00:00+08:00"}, [], {})
    assert store.newest_change() == "2022-03-12T08:00:00+08:00"
    assert store.crawl_exported(run.crawl) == 2
    assert store.crawl_exported(run.crawl + 1) == 0


@pytest.mark.unit
def test_an_export_records_its_fields_and_first_dataset(sqlite_store, tmp_path):
    store = sqlite_store
    run = store.start_run("full", continues=None)
    first, second = str(tmp_path / "a.jsonl"), str(tmp_path / "b.csv")
    store.add_dataset(first, "jsonlines", run, 0)
    store.add_dataset(second, "csv", run, 0)
    store.record_export(run, {**record(), "id": "abc"}, [URL], {first: 10, second: 20})
    row = store.db.execute(
        "SELECT url, id, content_hash, published_at, modified_at, dataset, crawl FROM articles"
    ).fetchone()
    assert row == (URL, "abc", "c1", "2022-03-11T15:25:00+08:00", "2022-03-11T16:00:00+08:00", first, 1)
    assert store.datasets(run.crawl) == [(first, "jsonlines", 10), (second, "csv", 20)]
    store.record_export(run, record(OLD_URL, "c2"), [OLD_URL], {})
    assert store.db.execute("SELECT dataset FROM articles WHERE url = ?", (OLD_URL,)).fetchone() == (None,)
    assert store.db.execute("SELECT COUNT(*) FROM aliases").fetchone()[0] == 0


def test_a_dataset_added_again_takes_the_new_crawl_and_size(store):
    first, second = store.start_run("full", continues=None), store.start_run("full", continues=None)
    store.add_dataset("/data/a.jsonl", "jsonlines", first, 100)
    store.add_dataset("/data/a.jsonl", "jl", second, 7)
    assert store.datasets(1) == []
    assert store.datasets(2) == [("/data/a.jsonl", "jl", 7)]


def test_aliases_and_gone_articles(store):
    run = store.start_run("full", continues=None)
    store.record_alias(OLD_URL, URL)
    assert store.known_article(OLD_URL) is None
    store.record_export(run, record(), [URL], {})
    assert store.known_article(OLD_URL).url == URL
    assert store.gone_in(URL) is None
    store.record_gone(OLD_URL, 7)
    assert store.gone_in(OLD_URL) == 7
    store.record_gone(OLD_URL, 9)
    assert store.gone_in(OLD_URL) == 9
    store.record_export(run, record(), [OLD_URL], {})
    assert store.gone_in(OLD_URL) is None


@pytest.mark.unit
def test_a_failure_from_scratch(sqlite_store):
    store = sqlite_store
    run = store.start_run("full", continues=None)
    assert store.failure(URL) is None
    failure = store.record_failure(run, URL, "HTTP 500", give_up_after_runs=1)
    assert failure == Failure(URL, "HTTP 500", 1, 1, True)
    assert store.run(run.id).failed == 1
    row = store.db.execute("SELECT last_run, first_failed_at = last_failed_at FROM failures").fetchone()
    assert row == (run.id, 1)
