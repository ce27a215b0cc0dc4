"""Speed and memory of a full crawl of the 300-article replica, throttling off.

Run with ``make bench``; the figures in the README come from it. Prints one
JSON object per sample site: articles, requests, wall time, pages per second
and the crawl process's peak memory (max RSS).
"""

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from tests.crawl_run import run_crawl  # noqa: E402
from tests.replica import SNAPSHOT_300_DIR, SNAPSHOT_DIR, ReplicaServer  # noqa: E402


def measure(snapshot_dir: Path) -> dict:
    with tempfile.TemporaryDirectory() as workdir, ReplicaServer(snapshot_dir) as server:
        started = time.perf_counter()
        run = run_crawl(server.base_url, Path(workdir))
        seconds = time.perf_counter() - started
        requests = len(server.requests)
    peak_rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "site": snapshot_dir.name,
        "exit_code": run.returncode,
        "articles": len(run.records),
        "requests": requests,
        "seconds": round(seconds, 2),
        "requests_per_second": round(requests / seconds, 1),
        "browser_renders": run.stats.get("sulselsatu/browser/renders", 0),
        "peak_rss_mib_of_largest_crawl_so_far": round(peak_rss_mib, 1),
    }


if __name__ == "__main__":
    for snapshot in (SNAPSHOT_DIR, SNAPSHOT_300_DIR):
        print(json.dumps(measure(snapshot)))
