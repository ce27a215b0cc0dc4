"""The replica's command line, as the offline demo starts it: a server in a
process of its own."""

import signal
import subprocess
import sys

import pytest

from replica import SNAPSHOT_DIR, load_manifest
from replica.requests_log import read_log
from tests.support.crawl import REPO_ROOT
from tests.support.http import fetch

pytestmark = pytest.mark.crawl

CHALLENGED = load_manifest(SNAPSHOT_DIR)["challenge"]["paths"][0]


def test_command_line_serves_and_stops_on_sigterm(tmp_path):
    log = tmp_path / "requests.jsonl"
    command = [sys.executable, "-m", "replica", "--site", str(SNAPSHOT_DIR), "--port", "0"]
    command += ["--log", str(log), "--no-challenge"]
    process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith(f"serving {SNAPSHOT_DIR} at http://127.0.0.1:")
        base_url = line.split()[-1]
        assert fetch(base_url + CHALLENGED)[0] == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()
        process.stdout.close()
    assert [request["path"] for request in read_log(log)] == [CHALLENGED]
