"""Speed and memory of full crawls of the replica sites, throttling off.

Run with ``make bench``; the figures in the README come from it. Each case
runs in a fresh Python process, so that its peak memory is its own; it prints
one JSON object per case: articles, requests, wall time, requests per second,
browser renders, and the peak memory (max RSS) of the largest process of the
crawl (Scrapy itself, Playwright's driver or Chromium).
"""

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from replica import SNAPSHOT_300_DIR, SNAPSHOT_DIR, ReplicaServer  # noqa: E402
from tests.support.crawl import run_crawl  # noqa: E402

CASES = {
    "40 articles": (SNAPSHOT_DIR, ()),
    "300 articles": (SNAPSHOT_300_DIR, ()),
    "40 articles, render=always": (SNAPSHOT_DIR, ("-a", "render=always")),
}


def measure(case: str) -> dict:
    snapshot_dir, extra = CASES[case]
    with tempfile.TemporaryDirectory() as workdir, ReplicaServer(snapshot_dir) as server:
        started = time.perf_counter()
        run = run_crawl(server.base_url, Path(workdir), *extra)
        seconds = time.perf_counter() - started
        requests = len(server.requests)
    return {
        "case": case,
        "exit_code": run.returncode,
        "articles": len(run.records),
        "requests": requests,
        "seconds": round(seconds, 2),
        "requests_per_second": round(requests / seconds, 1),
        "browser_renders": run.stats.get("sulselsatu/browser/renders", 0),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(measure(sys.argv[1])), flush=True)
    else:
        for case in CASES:
            subprocess.run([sys.executable, __file__, case], check=True)
