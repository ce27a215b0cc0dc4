"""The web archive end to end: a crawl of the replica with ``WARC_ENABLED``
(challenge on, ``render=auto``), its files checked by warcio's own checker
and read back, then ``scrapy reextract`` of the archive with the replica
stopped, compared with the crawl's records field by field."""

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from replica import SNAPSHOT_DIR, ReplicaServer
from sulsel_crawler import __version__
from sulsel_crawler.mirror import mirror_name
from tests.support.crawl import CrawlRun, run_crawl
from tests.support.gold import gold_by_url
from tests.support.warc import WarcRecord, read_records, run_reextract, warc_files, warcio_check

pytestmark = [pytest.mark.crawl, pytest.mark.browser]

MAX_FILE_SIZE = 100_000
PUBLIC = "https://www.sulselsatu.com/"
FILE_NAME = re.compile(r"sulselsatu-\d{8}T\d{6}Z-(\d{5})\.warc\.gz")


@dataclass
class ArchivedCrawl:
    run: CrawlRun
    requests: list[dict]  # the replica's request log
    base_url: str
    folder: Path  # WARC_DIR/<site>
    files: list[Path]
    records: list[WarcRecord]

    def responses(self) -> list[WarcRecord]:
        return [record for record in self.records if record.type == "response"]

    def by_id(self) -> dict[str, WarcRecord]:
        return {record.id: record for record in self.records}


@pytest.fixture(scope="module")
def archived(tmp_path_factory) -> ArchivedCrawl:
    workdir = tmp_path_factory.mktemp("archived-crawl")
    settings = {"WARC_ENABLED": 1, "WARC_DIR": workdir / "warc", "WARC_MAX_FILE_SIZE": MAX_FILE_SIZE}
    with ReplicaServer(SNAPSHOT_DIR, log_path=workdir / "requests.jsonl") as server:
        run = run_crawl(server.base_url, workdir, settings=settings)
        requests, base_url = server.requests, server.base_url
    folder = workdir / "warc" / mirror_name(base_url)
    files = warc_files(folder)
    return ArchivedCrawl(run, requests, base_url, folder, files, [r for file in files for r in read_records(file)])


@pytest.fixture(scope="module")
def reextracted(archived, tmp_path_factory) -> CrawlRun:
    """The replica is stopped: the archive is all there is."""
    return run_reextract([archived.folder], tmp_path_factory.mktemp("reextract"))


def without(record: dict, *names: str) -> dict:
    return {name: value for name, value in record.items() if name not in names}


def seconds(warc_date: str) -> str:
    return warc_date[:19] + "Z"


def test_the_archived_crawl_writes_every_article_exactly(archived):
    run = archived.run
    assert run.returncode == 0, run.log[-3000:]
    gold = gold_by_url(SNAPSHOT_DIR)
    assert sorted(run.urls()) == sorted(gold)
    for record in run.records:
        assert without(record, "crawled_at", "source_warc") == without(gold[record["url"]], "source_warc")


def test_every_warc_file_passes_warcios_check(archived):
    check = warcio_check(archived.files)
    assert check.returncode == 0, check.stdout[-3000:]
    assert check.stdout.count("digest pass") == len(archived.records)


def test_files_are_rotated_by_size_and_each_starts_with_its_warcinfo(archived):
    names = [file.name for file in archived.files]
    assert len(names) > 2, names
    assert [int(FILE_NAME.fullmatch(name)[1]) for name in names] == list(range(1, len(names) + 1))
    assert all(file.stat().st_size >= MAX_FILE_SIZE for file in archived.files[:-1])
    for file in archived.files:
        info = read_records(file)[0]
        assert info.type == "warcinfo"
        fields = dict(line.split(": ", 1) for line in info.body.decode().splitlines())
        assert fields["software"].startswith(f"sulsel_crawler/{__version__} (Scrapy ")
        assert fields["isPartOf"] == archived.folder.name
        assert json.loads(fields["spider-arguments"])["base_url"] == archived.base_url
        assert str(json.loads(fields["settings"])["WARC_MAX_FILE_SIZE"]) == str(MAX_FILE_SIZE)
        assert [record.type for record in read_records(file)[1:]].count("warcinfo") == 0


def test_every_fetch_is_archived_with_its_request(archived):
    responses = archived.responses()
    served = Counter((request["path"], request["query"], request["status"]) for request in archived.requests)
    kept = Counter()
    for response in responses:
        assert response.url.startswith(PUBLIC), response.url
        mirror = response.headers.get("WARC-X-Mirror-URI")
        if mirror is None:  # the challenge's render: the browser was shown the 503 page received, not a fetch
            assert response.headers.get("WARC-X-Rendered-By") == "browser"
            continue
        assert mirror.startswith(archived.base_url + "/")
        path, _, query = mirror.removeprefix(archived.base_url).partition("?")
        kept[(path, query, response.status)] += 1
    assert kept == served
    requests = {record.headers["WARC-Concurrent-To"]: record for record in archived.records if record.type == "request"}
    for response in responses:
        request = requests[response.id]
        assert (request.url, request.date, request.file) == (response.url, response.date, response.file)
        assert request.http_headers["User-Agent"].startswith("sulsel_crawler/")


def test_the_challenge_and_its_browser_render_are_archived(archived):
    challenged = [r for r in archived.responses() if r.status == 503 and b'id="ss-chk"' in r.body]
    rendered = [r for r in archived.responses() if r.headers.get("WARC-X-Rendered-By") == "browser"]
    assert challenged and len(rendered) == archived.run.stats["sulselsatu/browser/renders"] >= 1
    for render in rendered:
        assert "Content-Encoding" not in render.http_headers
        assert int(render.http_headers["Content-Length"]) == len(render.body)
    for url in {r.url for r in challenged}:
        fetches = [r for r in archived.responses() if r.url == url]
        assert fetches[-1].status == 200 and "WARC-X-Rendered-By" not in fetches[-1].headers


def test_every_record_names_the_archived_page_it_was_read_from(archived):
    responses = archived.by_id()
    for record in archived.run.records:
        source = record["source_warc"]
        response = responses[source["record_id"]]
        assert archived.folder.parent / source["file"] == response.file
        assert (response.type, response.url, response.status) == ("response", record["url"], 200)
        fetched = datetime.fromisoformat(response.date.replace("Z", "+00:00"))
        crawled = datetime.fromisoformat(record["crawled_at"].replace("Z", "+00:00"))
        assert abs((crawled - fetched).total_seconds()) < 5


def test_reextraction_writes_the_crawls_records_field_by_field(archived, reextracted):
    assert reextracted.returncode == 0, reextracted.log[-3000:]
    crawled = {record["url"]: record for record in archived.run.records}
    assert sorted(reextracted.urls()) == sorted(crawled)
    responses = archived.by_id()
    for record in reextracted.records:
        assert without(record, "crawled_at") == without(crawled[record["url"]], "crawled_at"), record["url"]
        assert record["crawled_at"] == seconds(responses[record["source_warc"]["record_id"]].date)


def test_reextraction_reads_challenged_pages_without_network_or_browser(archived, reextracted):
    challenged = {r.url for r in archived.responses() if r.status == 503}
    assert challenged <= set(reextracted.urls())
    stats = reextracted.stats
    assert stats["sulselsatu/reextract/replayed"] == stats["downloader/request_count"]
    assert stats["sulselsatu/reextract/archived_urls"] == len({r.url for r in archived.responses()})
    assert "sulselsatu/reextract/not_archived" not in stats
    assert "sulselsatu/browser/renders" not in stats
    assert reextracted.rejects == []
    assert "sulselsatu/state/run" not in stats, "re-extraction keeps no crawl state"


def test_a_page_missing_from_the_archive_is_rejected_and_counted(archived, tmp_path):
    partial = run_reextract(archived.files[:2], tmp_path)
    missing = partial.stats["sulselsatu/reextract/not_archived"]
    assert missing > 0
    not_archived = [reject for reject in partial.rejects if reject["reasons"][0].startswith("NotArchived: ")]
    # Scrapy's robots.txt request has no errback; a split article's later page rejects its article.
    assert 0 < len(not_archived) <= missing
    assert {reject["stage"] for reject in not_archived} <= {"download", "split_article"}
    gold = gold_by_url(SNAPSHOT_DIR)
    for record in partial.records:
        assert without(record, "crawled_at", "source_warc") == without(gold[record["url"]], "source_warc")
    assert partial.returncode == partial.stats["sulselsatu/outcome/exit_status"]


def test_reextract_without_an_archive_is_a_usage_error(tmp_path):
    (tmp_path / "empty").mkdir()
    for sources, message in (([tmp_path / "none"], "no such WARC folder or file"),
                             ([tmp_path / "empty"], "no WARC files (*.warc.gz)")):
        run = run_reextract(sources, tmp_path)
        assert run.returncode == 2 and message in run.log, run.log[-2000:]


def test_an_archive_that_cannot_be_written_stops_the_crawl(make_replica, tmp_path):
    not_a_folder = tmp_path / "warc"
    not_a_folder.write_text("a file where the archive's folder should be")
    run = run_crawl(make_replica(challenge=False).base_url, tmp_path,
                    settings={"WARC_ENABLED": 1, "WARC_DIR": not_a_folder})
    assert run.returncode == 5, run.log[-3000:]
    assert run.stats["finish_reason"] == "output_unwritable"
    assert "Web archive: cannot write to" in run.log
