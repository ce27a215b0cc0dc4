"""A crawl stopped part-way (Ctrl-C once) and resumed with the same JOBDIR
loses nothing and repeats nothing."""

import json
import signal
import subprocess
import time

from tests.crawl_run import REPO_ROOT, SCRAPY, UNTHROTTLED, expected_records, read_jsonl


def crawl_command(base_url, output, jobdir, *extra):
    return [
        *SCRAPY, "crawl", "sulselsatu",
        "-a", f"base_url={base_url}",
        "-o", str(output),
        "-s", f"JOBDIR={jobdir}",
        *UNTHROTTLED,
        *extra,
    ]


def test_interrupted_crawl_resumes_without_loss_or_repeat(make_replica, tmp_path):
    replica = make_replica(challenge=False)
    output, jobdir = tmp_path / "articles.jsonl", tmp_path / "job"
    slow = ("-s", "DOWNLOAD_DELAY=0.1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")

    first = subprocess.Popen(
        crawl_command(replica.base_url, output, jobdir, *slow),
        cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while len(read_jsonl(output)) < 5 and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.1)
    first.send_signal(signal.SIGINT)
    first_log = first.communicate(timeout=60)[1]
    assert "shutting down gracefully" in first_log.lower()
    interrupted_at = len(read_jsonl(output))
    assert 5 <= interrupted_at < 40, "the first run must stop part-way"

    resumed = subprocess.run(
        crawl_command(replica.base_url, output, jobdir),
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr[-3000:]

    lines = output.read_text(encoding="utf-8").splitlines()
    urls = [json.loads(line)["url"] for line in lines]
    assert len(urls) == len(set(urls)), "a record was written twice"
    assert set(urls) == set(expected_records(replica.snapshot.root))
