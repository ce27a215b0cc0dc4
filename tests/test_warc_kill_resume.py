"""The web archive of a crawl killed with ``kill -9`` mid-way: every file it
left is whole up to its last record; the resumed run (the same command)
adds files beside them and never rewrites one; the archive of both runs
re-extracts to every article."""

import hashlib
import os
import signal
import time

import pytest

from replica import SNAPSHOT_DIR, ReplicaServer
from sulsel_crawler.mirror import mirror_name
from tests.support.crawl import DATASET, read_jsonl, run_crawl, start_crawl
from tests.support.gold import gold_by_url
from tests.support.warc import read_records, run_reextract, warc_files, warcio_check

# The replica's cookie challenge is on: each run renders it once in Chromium.
pytestmark = [pytest.mark.crawl, pytest.mark.browser]

# Slow enough that the kill lands mid-crawl; small files, so that several are closed by then.
SETTINGS = {"DOWNLOAD_DELAY": "0.03", "CONCURRENT_REQUESTS_PER_DOMAIN": "2", "WARC_ENABLED": 1,
            "WARC_MAX_FILE_SIZE": 60_000}
KILL_AFTER_RECORDS = 10


def digests(files) -> dict:
    return {file: hashlib.sha256(file.read_bytes()).hexdigest() for file in files}


def test_killed_crawl_leaves_whole_files_and_its_resumed_run_adds_files(tmp_path):
    settings = {**SETTINGS, "WARC_DIR": tmp_path / "warc"}
    dataset = tmp_path / DATASET
    gold = gold_by_url(SNAPSHOT_DIR)
    with ReplicaServer(SNAPSHOT_DIR) as server:
        folder = tmp_path / "warc" / mirror_name(server.base_url)
        crawl = start_crawl(server.base_url, tmp_path, settings=settings)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and crawl.process.poll() is None:
            if dataset.exists() and len(read_jsonl(dataset)) >= KILL_AFTER_RECORDS:
                break
            time.sleep(0.05)
        os.killpg(crawl.process.pid, signal.SIGKILL)
        crawl.process.wait(timeout=30)
        killed_records = len(read_jsonl(dataset))
        left = warc_files(folder)
        assert KILL_AFTER_RECORDS <= killed_records < len(gold), "the kill must land mid-crawl"
        assert len(left) > 1
        check = warcio_check(left)
        assert check.returncode == 0, check.stdout[-3000:]
        # The file open at the kill may have been created an instant before its warcinfo was written.
        assert all(file.stat().st_size > 0 for file in left[:-1])
        for file in left:
            assert [record.type for record in read_records(file)][:1] in (["warcinfo"], [])
        before = digests(left)

        resumed = run_crawl(server.base_url, tmp_path, settings=settings)
    assert resumed.returncode == 0, resumed.log[-3000:]
    assert "resuming the unfinished full crawl" in resumed.log
    files = warc_files(folder)
    assert digests(left) == before, "the resumed run rewrote a file of the killed run"
    added = [file for file in files if file not in before]
    assert added and {file.name[:-len("-00001.warc.gz")] for file in added}.isdisjoint(
        {file.name[:-len("-00001.warc.gz")] for file in left}
    ), "a resumed run's files carry its own start time"
    assert warcio_check(files).returncode == 0

    records = read_jsonl(dataset)
    archived_ids = {record.id for file in files for record in read_records(file) if record.type == "response"}
    assert sorted(record["url"] for record in records) == sorted(gold)
    assert {record["source_warc"]["record_id"] for record in records} <= archived_ids

    workdir = tmp_path / "reextract"
    workdir.mkdir()
    reextracted = run_reextract([folder], workdir)
    assert reextracted.returncode == 0, reextracted.log[-3000:]
    by_url = {record["url"]: record for record in records}
    assert sorted(reextracted.urls()) == sorted(gold)
    for record in reextracted.records:
        assert {**record, "crawled_at": None} == {**by_url[record["url"]], "crawled_at": None}, record["url"]
