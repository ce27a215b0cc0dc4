"""A crawl stopped part-way (Ctrl-C once) and resumed with the same JOBDIR
loses nothing and repeats nothing."""

import signal
import time

import pytest

from tests.support.crawl import DATASET, read_jsonl, run_crawl, start_crawl
from tests.support.gold import gold_by_url

pytestmark = pytest.mark.crawl


def records_written(output):
    return len(read_jsonl(output)) if output.exists() else 0


def test_interrupted_crawl_resumes_without_loss_or_repeat(make_replica, tmp_path):
    replica = make_replica(challenge=False)
    output, jobdir = tmp_path / DATASET, tmp_path / "job"
    slow = {"DOWNLOAD_DELAY": "0.1", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}

    first = start_crawl(replica.base_url, tmp_path, append=True, settings={"JOBDIR": jobdir, **slow})
    deadline = time.monotonic() + 60
    while records_written(output) < 5 and time.monotonic() < deadline and first.process.poll() is None:
        time.sleep(0.1)
    first.process.send_signal(signal.SIGINT)
    interrupted = first.finish(timeout=60)
    assert "shutting down gracefully" in interrupted.log.lower()
    interrupted_at = len(interrupted.records)
    assert 5 <= interrupted_at < 40, "the first run must stop part-way"

    resumed = run_crawl(replica.base_url, tmp_path, append=True, settings={"JOBDIR": jobdir}, timeout=120)
    assert resumed.returncode == 0, resumed.log[-3000:]

    urls = resumed.urls()
    assert len(urls) == len(set(urls)), "a record was written twice"
    assert set(urls) == set(gold_by_url(replica.snapshot.root))
