"""The CrawlState extension's decisions, in-process: which crawl a run
belongs to and in which mode, what it takes over from an interrupted run,
and what it records from the signals (a real crawler, the real extension on
a temporary SQLite file)."""

import json
import logging
import re
from datetime import datetime, timedelta, timezone

import pytest
from scrapy import Spider
from scrapy.http import Request, Response

from sulsel_crawler.extensions.crawl_state import CrawlState, RunPlan, _local_path, open_store, plan_run
from sulsel_crawler.state.redis_store import RedisState
from sulsel_crawler.state.store import Run, SqliteState
from tests.support.state import crawl_state, state_crawler

pytestmark = pytest.mark.unit

SITE = "https://www.sulselsatu.com"
A = f"{SITE}/2022/03/11/makassar/a.html"
B = f"{SITE}/2022/03/11/makassar/b.html"
OLD_A = f"{SITE}/2022/03/11/makassar/a-123.html"
LOGGER = "sulsel_crawler.extensions.crawl_state"


def record(url=A, content_hash="h1", modified_at="2022-03-11T16:00:00+08:00"):
    return {
        "url": url,
        "id": "i1",
        "content_hash": content_hash,
        "published_at": "2022-03-11T15:25:00+08:00",
        "modified_at": modified_at,
    }


def seed(state_file, *runs):
    """Earlier runs: (mode, finish reason or None, records); each continues
    the one before it when that did not finish."""
    store = SqliteState(state_file)
    previous = None
    for mode, reason, records in runs:
        run = store.start_run(mode, continues=previous if previous and not previous.finished else None)
        for one in records:
            store.record_export(run, one, [one["url"]], {})
        if reason:
            store.finish_run(run, reason)
        previous = store.run(run.id)
    store.close()


def messages(caplog):
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


@pytest.fixture
def state_file(tmp_path):
    return tmp_path / "state" / "site.sqlite"


def test_a_first_run_starts_a_new_crawl_in_the_mode_asked(state_file, caplog):
    with caplog.at_level(logging.INFO, logger=LOGGER):
        crawler = state_crawler(state_file, "full")
    state = crawl_state(crawler)
    assert (state.mode, state.crawl, state.run.id, state.resumed) == ("full", 1, 1, None)
    assert messages(caplog) == [f"Crawl state {state_file}: starting a new crawl (mode full)"]
    stats = crawler.stats
    assert stats.get_value("sulselsatu/state/mode") == "full"
    assert stats.get_value("sulselsatu/state/run") == 1
    assert stats.get_value("sulselsatu/state/crawl") == 1
    assert stats.get_value("sulselsatu/state/resumed") is False
    assert state.give_up_after_runs == 3
    assert state.changes_since() is None


def test_an_update_without_a_finished_crawl_is_a_full_crawl(state_file, caplog):
    with caplog.at_level(logging.INFO, logger=LOGGER):
        state = crawl_state(state_crawler(state_file, "update"))
    assert state.mode == "full"
    assert state.run.mode == "full"
    assert messages(caplog) == [
        f"Crawl state {state_file}: no crawl of this site has finished yet, so this update is a full crawl",
        f"Crawl state {state_file}: starting a new crawl (mode full)",
    ]


def test_an_update_after_a_finished_crawl_is_an_update_of_a_new_crawl(state_file):
    seed(state_file, ("full", "finished", [record()]))
    crawler = state_crawler(state_file, "update")
    state = crawl_state(crawler)
    assert (state.mode, state.crawl, state.run.id, state.resumed) == ("update", 2, 2, None)
    assert crawler.stats.get_value("sulselsatu/state/mode") == "update"


def test_a_run_after_an_unfinished_one_continues_its_crawl_in_its_mode(state_file, caplog):
    seed(
        state_file,
        ("full", "finished", []),
        ("update", "shutdown", [record(), record(B, "h2")]),
    )
    with caplog.at_level(logging.INFO, logger=LOGGER):
        crawler = state_crawler(state_file, "full")
    state = crawl_state(crawler)
    assert (state.mode, state.crawl, state.run.id, state.resumed.id) == ("update", 2, 3, 2)
    started = state.store.run(2).started_at
    assert messages(caplog) == [
        f"Crawl state {state_file}: resuming the unfinished update crawl started {started}: "
        "2 articles exported so far, 0 failed URLs to try first"
    ]
    assert crawler.stats.get_value("sulselsatu/state/resumed") is True
    assert crawler.stats.get_value("sulselsatu/state/crawl") == 2
    assert crawler.stats.get_value("sulselsatu/state/run") == 3


def test_no_state_when_the_setting_is_empty(tmp_path):
    crawler = state_crawler(tmp_path / "unused.sqlite", settings={"CRAWL_STATE": ""})
    assert crawler.get_extension(CrawlState) is None
    assert not (tmp_path / "unused.sqlite").exists()


@pytest.mark.parametrize(
    "mirror, name",
    [(None, "www.sulselsatu.com"), ("http://127.0.0.1:8765", "127.0.0.1_8765")],
)
def test_the_state_file_is_named_after_the_site(tmp_path, mirror, name):
    settings = {"CRAWL_STATE": str(tmp_path / "%(site)s.sqlite")}
    if mirror:
        settings["MIRROR_BASE_URL"] = mirror
    state = crawl_state(state_crawler(tmp_path / "ignored", settings=settings))
    assert state.store.path == tmp_path / f"{name}.sqlite"
    assert (tmp_path / f"{name}.sqlite").exists()


def test_the_state_of_workers_is_in_their_redis(tmp_path):
    from scrapy.settings import Settings

    settings = Settings({"REDIS_URL": "redis://127.0.0.1:1/3", "CRAWL_STATE": str(tmp_path / "%(site)s.sqlite")})
    settings.set("MIRROR_BASE_URL", "http://127.0.0.1:8765")
    store = open_store(settings, "sulselsatu")
    assert isinstance(store, RedisState)
    assert store.prefix == "sulselsatu:127.0.0.1_8765:state"
    assert store.client.connection_pool.connection_kwargs["db"] == 3
    assert list(tmp_path.iterdir()) == []
    settings.set("REDIS_URL", "")
    store = open_store(settings, "sulselsatu")
    assert isinstance(store, SqliteState)
    assert store.path == tmp_path / "127.0.0.1_8765.sqlite"
    store.close()


def run_of(crawl=1, mode="full", finish_reason=None):
    return Run(crawl, crawl, mode, "2026-01-01T00:00:00Z", None, finish_reason, 0, 0)


@pytest.mark.parametrize(
    "last, running, any_finished, requested, plan",
    [
        (None, False, False, "full", RunPlan("full", None, joins=False, update_made_full=False)),
        (None, False, False, "update", RunPlan("full", None, joins=False, update_made_full=True)),
        (run_of(finish_reason="finished"), False, True, "update", RunPlan("update", None, False, False)),
        (run_of(finish_reason="finished"), True, True, "full", RunPlan("full", None, False, False)),
        (run_of(mode="update", finish_reason="shutdown"), False, True, "full",
         RunPlan("update", run_of(mode="update", finish_reason="shutdown"), joins=False, update_made_full=False)),
        (run_of(), True, False, "update", RunPlan("full", run_of(), joins=True, update_made_full=False)),
    ],
    ids=["first full", "first update", "update after finished", "after finished, workers closing",
         "resume in the interrupted mode", "join running workers"],
)
def test_how_a_run_starts(last, running, any_finished, requested, plan):
    assert plan_run(last, running, any_finished, requested) == plan
    assert plan.resumes is (plan.continues is not None and not plan.joins)


def test_the_questions_of_the_crawl_plan(state_file):
    seed(state_file, ("full", "finished", [record()]))
    state = crawl_state(state_crawler(state_file, "update", {"CRAWL_STATE_GIVE_UP_AFTER_RUNS": 1}))
    assert state.known_article(A).content_hash == "h1"
    assert state.known_article(B) is None
    assert state.article_with_content_hash("h1").url == A
    assert state.article_with_content_hash("h2") is None
    assert state.gone_in(B) is None
    assert state.given_up(B) is False
    state.page_rejected(B, ["HTTP 500"], "download")
    assert state.given_up(B) is True
    assert state.urls_to_retry() == []
    state.store.record_failure(state.run, A, "timeout", give_up_after_runs=5)
    assert state.given_up(A) is False
    assert state.urls_to_retry() == [A]


def test_sitemaps_read_are_kept_only_when_the_run_finishes(state_file):
    sitemap = f"{SITE}/sitemap/2022-03.xml"
    state = crawl_state(state_crawler(state_file))
    assert state.sitemap_unchanged(sitemap, "2022-03-31") is False
    assert state.sitemap_unchanged(sitemap, None) is False
    state.sitemap_read(sitemap, "2022-03-31")
    state.sitemap_read(f"{SITE}/sitemap/2022-04.xml", None)
    state.sitemap_read(f"{SITE}/sitemap/2022-05.xml", "")
    assert state.sitemaps_read == {sitemap: "2022-03-31"}
    assert state.sitemap_unchanged(sitemap, "2022-03-31") is False
    state.spider_closed("shutdown")
    store = SqliteState(state_file)
    assert store.sitemap_lastmod(sitemap) is None
    assert store.last_run().finish_reason == "shutdown"
    store.close()

    state = crawl_state(state_crawler(state_file))
    state.sitemap_read(sitemap, "2022-03-31")
    state.spider_closed("finished")
    store = SqliteState(state_file)
    assert store.sitemap_lastmod(sitemap) == "2022-03-31"
    assert store.sitemap_lastmod(f"{SITE}/sitemap/2022-04.xml") is None
    store.close()
    state = crawl_state(state_crawler(state_file))
    assert state.sitemap_unchanged(sitemap, "2022-03-31") is True
    assert state.sitemap_unchanged(sitemap, "2022-04-01") is False


def test_spider_closed_finishes_the_run_and_says_how(state_file, caplog):
    state = crawl_state(state_crawler(state_file, "full"))
    with caplog.at_level(logging.INFO, logger=LOGGER):
        state.spider_closed("finished")
    assert messages(caplog) == ["Crawl state: the full crawl finished"]
    store = SqliteState(state_file)
    assert store.last_run().finish_reason == "finished"
    store.close()
    state = crawl_state(state_crawler(state_file, "full"))
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=LOGGER):
        state.spider_closed("shutdown")
    assert messages(caplog) == [
        "Crawl state: the crawl did not finish (shutdown); run the same command again to continue it"
    ]


def test_changes_since_is_the_last_finished_crawl_start_or_its_newest_change(state_file):
    seed(state_file, ("full", "finished", [record(modified_at="2000-01-01T00:00:00+00:00")]))
    state = crawl_state(state_crawler(state_file))
    assert state.changes_since() == datetime(2000, 1, 1, tzinfo=timezone.utc)
    state.store.close()


def test_changes_since_is_the_start_when_every_change_is_later(state_file):
    seed(state_file, ("full", "finished", [record(modified_at="2999-01-01T00:00:00+00:00")]))
    state = crawl_state(state_crawler(state_file))
    started = datetime.fromisoformat(state.store.run(1).started_at)
    assert abs(started - datetime.now(timezone.utc)) < timedelta(minutes=5)
    assert state.changes_since() == started


def test_changes_since_a_crawl_of_several_runs_is_its_first_start(state_file):
    seed(state_file, ("full", "shutdown", []), ("full", "finished", []))
    store = SqliteState(state_file)
    store.db.execute("UPDATE runs SET started_at = '2026-01-01T00:00:00Z' WHERE id = 1")
    store.close()
    state = crawl_state(state_crawler(state_file))
    assert state.changes_since() == datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_changes_since_without_exported_articles_is_the_start(state_file):
    seed(state_file, ("full", "finished", []))
    state = crawl_state(state_crawler(state_file))
    assert state.changes_since() == datetime.fromisoformat(state.store.run(1).started_at)


def test_a_redirect_of_an_article_to_an_article_is_an_alias(state_file):
    state = crawl_state(state_crawler(state_file))
    state.store.record_export(state.run, record(), [A], {})
    for status, location, url in [
        (301, "/2022/03/11/makassar/a.html", OLD_A),
        (308, "/kanal/makassar", f"{SITE}/2022/03/11/makassar/x.html"),
        (302, "/2022/03/11/makassar/a.html", f"{SITE}/2022/03/11/makassar/y.html"),
        (301, "/2022/03/11/makassar/a.html", f"{SITE}/kanal/hukum"),
    ]:
        request = Request(url)
        response = Response(url, status=status, headers={"Location": location}, request=request)
        state.response_downloaded(response, request)
    assert state.known_article(OLD_A).url == A
    assert state.known_article(f"{SITE}/2022/03/11/makassar/x.html") is None
    assert state.known_article(f"{SITE}/2022/03/11/makassar/y.html") is None
    assert state.known_article(f"{SITE}/kanal/hukum") is None


def test_a_redirect_without_location_is_nothing(state_file):
    state = crawl_state(state_crawler(state_file))
    request = Request(OLD_A)
    state.response_downloaded(Response(OLD_A, status=301, request=request), request)
    assert state.gone_in(OLD_A) is None
    assert state.store.db.execute("SELECT COUNT(*) FROM aliases").fetchone()[0] == 0


def test_an_article_that_answers_404_is_gone_in_this_crawl(state_file):
    state = crawl_state(state_crawler(state_file))
    for url, status in [(A, 404), (B, 410), (f"{SITE}/kanal/hukum", 404)]:
        request = Request(url + "#x")
        state.response_downloaded(Response(url, status=status, request=request), request)
    assert state.gone_in(A) == 1
    assert state.gone_in(B) is None
    assert state.gone_in(f"{SITE}/kanal/hukum") is None


def test_a_scraped_item_is_exported_with_the_urls_that_led_to_it(state_file, tmp_path):
    out = tmp_path / "out.jsonl"
    crawler = state_crawler(state_file, settings={"FEEDS": {str(out): {"format": "jsonlines"}}})
    state = crawl_state(crawler)
    assert state.dataset_paths == [str(out)]
    state.page_rejected(OLD_A, "HTTP 500", "download")
    assert state.urls_to_retry() == [OLD_A]
    out.write_bytes(b'{"url": "x"}\n')
    request = Request(A)
    response = Response(A, request=request)
    request.meta["redirect_urls"] = [OLD_A + "?utm_source=x"]
    state.item_scraped(item=record(), response=response)
    assert state.known_article(OLD_A).url == A
    assert state.urls_to_retry() == []
    assert state.store.datasets(state.crawl) == [(str(out), "jsonlines", 13)]
    assert state.store.run(state.run.id).exported == 1
    with out.open("ab") as file:
        file.write(b'{"url": "y"}\n')
    state.item_scraped(record(B, "h2"), None)
    assert state.known_article(B).content_hash == "h2"
    assert state.store.db.execute("SELECT dataset FROM articles WHERE url = ?", (A,)).fetchone()[0] == str(out)


def test_a_record_that_did_not_reach_every_dataset_file_is_not_exported(state_file, tmp_path, caplog):
    written, failing = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    feeds = {str(written): {"format": "jsonlines"}, str(failing): {"format": "jsonlines"}}
    state = crawl_state(state_crawler(state_file, settings={"FEEDS": feeds}))
    written.write_bytes(b'{"url": "x"}\n')
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        state.item_scraped(item=record(), response=None)
    assert state.known_article(A) is None
    assert messages(caplog) == [
        f"Crawl state: the record of {A} did not reach {failing}, so it is not counted as exported"
    ]
    with written.open("ab") as file:
        file.write(b'{"url": "y"}\n')
    failing.write_bytes(b'{"url": "y"}\n')
    state.item_scraped(item=record(B, "h2"), response=None)
    assert state.known_article(B).url == B
    assert state.store.datasets(state.crawl) == [(str(written), "jsonlines", 26), (str(failing), "jsonlines", 13)]


def test_the_dataset_files_of_a_run_and_their_sizes_before_it(state_file, tmp_path):
    kept = tmp_path / "kept.jsonl"
    kept.write_bytes(b"12345\n")
    emptied = tmp_path / "emptied.csv"
    emptied.write_bytes(b"123\r\n")
    settings = {
        "FEEDS": {
            str(kept): {"format": "jsonlines"},
            str(emptied): {"format": "csv", "overwrite": True},
            str(tmp_path / "new.jl"): {"format": "jl"},
            str(tmp_path / "other.xml"): {"format": "xml"},
        }
    }
    state = crawl_state(state_crawler(state_file, settings=settings))
    assert state.dataset_paths == [str(kept), str(emptied), str(tmp_path / "new.jl")]
    assert state.store.datasets(state.crawl) == [
        (str(emptied), "csv", 0),
        (str(kept), "jsonlines", 6),
        (str(tmp_path / "new.jl"), "jl", 0),
    ]


def line(one):
    return (json.dumps(one) + "\n").encode()


def test_a_resumed_crawl_takes_over_what_the_interrupted_run_wrote(state_file, tmp_path, caplog):
    out = tmp_path / "out.jsonl"
    other = tmp_path / "other.jsonl"
    missing = tmp_path / "missing.jsonl"
    store = SqliteState(state_file)
    run = store.start_run("full", continues=None)
    first = line(record())
    out.write_bytes(first + line(record(B, "h2")) + b'{"url": "cut')
    other.write_bytes(first)
    for path in (out, other, missing):
        store.add_dataset(str(path), "jsonlines", run, 0)
    store.record_export(run, record(), [A], {str(out): len(first), str(other): len(first)})
    store.close()
    feeds = {
        str(out): {"format": "jsonlines", "overwrite": True},
        "file://" + str(other): {"format": "jsonlines", "overwrite": True},
        str(tmp_path / "new.jsonl"): {"format": "jsonlines", "overwrite": True},
        str(tmp_path / "appended.jsonl"): {"format": "jsonlines"},
    }
    with caplog.at_level(logging.INFO, logger=LOGGER):
        crawler = state_crawler(state_file, settings={"FEEDS": feeds}, open_spider=False)
    state = crawl_state(crawler)
    assert state.resumed.id == 1
    assert state.known_article(B).content_hash == "h2"
    assert state.store.crawl_exported(1) == 2
    assert out.read_bytes() == first + line(record(B, "h2"))
    assert other.read_bytes() == first
    assert state.store.datasets(1)[2] == (str(out), "jsonlines", len(first + line(record(B, "h2"))))
    assert crawler.settings.getdict("FEEDS") == {
        str(out): {"format": "jsonlines", "overwrite": False},
        "file://" + str(other): {"format": "jsonlines", "overwrite": False},
        str(tmp_path / "new.jsonl"): {"format": "jsonlines", "overwrite": True},
        str(tmp_path / "appended.jsonl"): {"format": "jsonlines"},
    }
    assert crawler.settings.getpriority("FEEDS") == 20
    assert messages(caplog)[:4] == [
        f"Crawl state: 1 records the interrupted run wrote to {out} are counted as exported",
        f"Resuming: {out} holds this crawl's records, so it is appended to, not overwritten (-O)",
        f"Resuming: file://{other} holds this crawl's records, so it is appended to, not overwritten (-O)",
        messages(caplog)[3],
    ]
    assert messages(caplog)[3].startswith(f"Crawl state {state_file}: resuming the unfinished full crawl")
    assert messages(caplog)[3].endswith(": 2 articles exported so far, 0 failed URLs to try first")


def test_a_resumed_crawl_leaves_its_feeds_alone_when_none_holds_its_records(state_file, tmp_path):
    seed(state_file, ("full", "shutdown", [record()]))
    feeds = {str(tmp_path / "new.jsonl"): {"format": "jsonlines", "overwrite": True}}
    crawler = state_crawler(state_file, settings={"FEEDS": feeds}, open_spider=False)
    assert crawl_state(crawler).resumed.id == 1
    assert crawler.settings.getdict("FEEDS") == feeds
    assert crawler.settings.getpriority("FEEDS") == 20


def test_rejected_pages_are_failures_duplicates_are_not(state_file, caplog):
    crawler = state_crawler(state_file, settings={"CRAWL_STATE_GIVE_UP_AFTER_RUNS": 2})
    state = crawl_state(crawler)
    state.page_rejected(url=A, reasons=["a", "b"], stage="duplicate")
    state.page_rejected(url=None, reasons=["a"], stage="download")
    assert state.store.db.execute("SELECT COUNT(*) FROM failures").fetchone()[0] == 0
    state.page_rejected(url=A + "#top", reasons=["HTTP 500", 503], stage="download")
    failure = state.store.failure(A)
    assert (failure.reason, failure.runs_in_a_row, failure.given_up) == ("HTTP 500; 503", 1, False)
    state.spider_closed("shutdown")
    crawler = state_crawler(state_file, settings={"CRAWL_STATE_GIVE_UP_AFTER_RUNS": 2})
    state = crawl_state(crawler)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        state.page_rejected(A, "timeout", "extract")
    assert state.store.failure(A).reason == "timeout"
    assert state.given_up(A) is True
    assert messages(caplog) == [f"Crawl state: giving up on {A}, which failed in 2 runs in a row: timeout"]


@pytest.mark.parametrize(
    "uri, path", [("file:///tmp/a/../b.jsonl", "/tmp/b.jsonl"), ("/tmp/x/./c.csv", "/tmp/x/c.csv")]
)
def test_local_path_of_a_feed_uri(uri, path):
    assert _local_path(uri) == path


def jobdir_with_queue(tmp_path):
    jobdir = tmp_path / "job"
    (jobdir / "requests.queue").mkdir(parents=True)
    (jobdir / "requests.seen").write_text("fingerprint\n")
    return jobdir


def set_aside(tmp_path, jobdir):
    return [path for path in tmp_path.iterdir() if path.name.startswith(f"{jobdir.name}.set-aside-")]


@pytest.mark.parametrize(
    "runs, left_by, goes_on",
    [
        ([("full", "finished", [])], "a crawl that finished", "starts a new crawl"),
        ([("full", None, [record()])], "a run that was killed", "continues the crawl without it"),
    ],
    ids=["finished", "killed"],
)
def test_a_jobdir_that_cannot_be_trusted_is_set_aside(runs, left_by, goes_on, state_file, tmp_path, caplog):
    seed(state_file, *runs)
    jobdir = jobdir_with_queue(tmp_path)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        state_crawler(state_file, "full", settings={"JOBDIR": str(jobdir)})
    (aside,) = set_aside(tmp_path, jobdir)
    # Scrapy makes the JOBDIR afresh.
    assert not (jobdir / "requests.seen").exists()
    assert (aside / "requests.seen").read_text() == "fingerprint\n"
    assert re.fullmatch(r"job\.set-aside-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z", aside.name)
    assert messages(caplog) == [
        f"JOBDIR {jobdir} was left by {left_by}, so it cannot be trusted: moved to {aside}; "
        f"the crawl state {goes_on}"
    ]


def test_the_jobdir_of_a_clean_stop_is_kept(state_file, tmp_path, caplog):
    seed(state_file, ("full", "shutdown", [record()]))
    jobdir = jobdir_with_queue(tmp_path)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        state_crawler(state_file, "full", settings={"JOBDIR": str(jobdir)})
    assert (jobdir / "requests.seen").read_text() == "fingerprint\n"
    assert set_aside(tmp_path, jobdir) == []
    assert messages(caplog) == []


@pytest.mark.parametrize("content", ["missing", "empty"])
def test_a_missing_or_empty_jobdir_is_left_alone(content, state_file, tmp_path, caplog):
    seed(state_file, ("full", "finished", []))
    jobdir = tmp_path / "job"
    if content == "empty":
        jobdir.mkdir()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        state_crawler(state_file, "full", settings={"JOBDIR": str(jobdir)})
    assert list(jobdir.iterdir()) == []
    assert set_aside(tmp_path, jobdir) == []
    assert messages(caplog) == []


def test_a_first_crawl_sets_aside_a_jobdir_it_did_not_write(state_file, tmp_path):
    jobdir = jobdir_with_queue(tmp_path)
    state_crawler(state_file, "full", settings={"JOBDIR": str(jobdir)})
    assert len(set_aside(tmp_path, jobdir)) == 1


class PlainSpider(Spider):
    """A spider of another project: no ``arguments``."""

    name = "plain"


def test_a_spider_without_arguments_runs_a_full_crawl(state_file):
    state = crawl_state(state_crawler(state_file, "update", spider_class=PlainSpider))
    assert state.mode == "full"


def test_an_item_reached_without_redirects_is_known_by_its_url(state_file):
    state = crawl_state(state_crawler(state_file))
    state.item_scraped(item=record(), response=Response(A, request=Request(A)))
    assert state.known_article(A).url == A
    assert state.store.db.execute("SELECT COUNT(*) FROM aliases").fetchone()[0] == 0


def test_resuming_turns_a_command_line_overwrite_into_append(state_file, tmp_path):
    out = tmp_path / "out.jsonl"
    seed(state_file, ("full", None, []))
    store = SqliteState(state_file)
    store.add_dataset(str(out), "jsonlines", store.run(1), 0)
    store.close()
    out.write_bytes(line(record()))
    feeds = {str(out): {"format": "jsonlines", "overwrite": True}}
    crawler = state_crawler(state_file, command_line={"FEEDS": feeds}, open_spider=False)
    assert crawler.settings.getdict("FEEDS") == {str(out): {"format": "jsonlines", "overwrite": False}}
    assert crawler.settings.getpriority("FEEDS") == 40
