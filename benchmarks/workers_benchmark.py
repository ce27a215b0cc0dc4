"""Wall time of one worker against three, with the cluster's shared
politeness budget on and off.

The replica answers every request after 300 ms, as a distant site does, so
what limits a crawl is how many requests it keeps in flight, not the CPU of
this machine: more workers are faster only by putting more load on the
site, which is what the shared budget forbids. Every case crawls the
300-article replica with a single-node budget of 4 requests in flight
(``CONCURRENT_REQUESTS_PER_DOMAIN=4``, no delay, AutoThrottle off) and its
own throw-away redis-server; it prints one JSON object per case.

    .venv/bin/python benchmarks/workers_benchmark.py
"""

import json
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from replica import SNAPSHOT_300_DIR, ReplicaServer  # noqa: E402
from replica.requests_log import most_in_flight  # noqa: E402
from tests.support.components import free_port  # noqa: E402
from tests.support.crawl import start_worker  # noqa: E402
from tests.support.redis_server import RedisServer  # noqa: E402

LATENCY_SECONDS = 0.3
BUDGET = {"CONCURRENT_REQUESTS_PER_DOMAIN": "4", "DOWNLOAD_DELAY": "0"}
CASES = {
    "1 worker": (1, True),
    "3 workers, shared budget": (3, True),
    "3 workers, budget per worker": (3, False),
}


def measure(case: str) -> dict:
    workers, shared = CASES[case]
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        redis_server = RedisServer(free_port(), workdir).start()
        try:
            with ReplicaServer(SNAPSHOT_300_DIR, latency=LATENCY_SECONDS) as server:
                settings = {**BUDGET, "CLUSTER_POLITENESS_ENABLED": "1" if shared else "0"}
                started = time.perf_counter()
                running = [
                    start_worker(server.base_url, redis_server.url, "bench", workdir / f"worker-{n}", settings)
                    for n in range(workers)
                ]
                runs = [worker.finish(timeout=600) for worker in running]
                seconds = time.perf_counter() - started
                requests = server.requests
        finally:
            redis_server.stop()
    articles = {record["url"] for run in runs for record in run.records}
    return {
        "case": case,
        "exit_codes": [run.returncode for run in runs],
        "articles": len(articles),
        "requests": len(requests),
        "seconds": round(seconds, 1),
        "requests_per_second": round(len(requests) / seconds, 1),
        "most_in_flight_at_the_site": most_in_flight(requests),
    }


if __name__ == "__main__":
    for case in sys.argv[1:] or CASES:
        print(json.dumps(measure(case)), flush=True)
