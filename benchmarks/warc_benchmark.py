"""The web archive's cost and re-extraction's speed, throttling off.

For each sample site: a full crawl of its replica with ``WARC_ENABLED`` and
the same crawl without it (pages per second of each, so the archive's own
cost shows), then ``scrapy reextract`` of the archive (pages per second,
with the replica stopped). Pages are responses: the crawl's requests to the
replica, re-extraction's responses replayed from the archive. The archive's
size is given in all and per 1,000 articles. Prints one JSON object per
site.

    .venv/bin/python benchmarks/warc_benchmark.py
"""

import json
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from replica import SNAPSHOT_300_DIR, SNAPSHOT_DIR, ReplicaServer  # noqa: E402
from sulsel_crawler.mirror import mirror_name  # noqa: E402
from tests.support.crawl import run_crawl  # noqa: E402
from tests.support.warc import run_reextract, warc_files  # noqa: E402

SITES = {"40 articles": SNAPSHOT_DIR, "300 articles": SNAPSHOT_300_DIR}
MIB = 1024 * 1024


def timed_crawl(snapshot_dir: Path, workdir: Path, settings: dict) -> tuple[object, int, float, str]:
    with ReplicaServer(snapshot_dir) as server:
        started = time.perf_counter()
        run = run_crawl(server.base_url, workdir, settings=settings)
        seconds = time.perf_counter() - started
        return run, len(server.requests), seconds, server.base_url


def measure(site: str) -> dict:
    snapshot_dir = SITES[site]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        (workdir / "plain").mkdir()
        (workdir / "archived").mkdir()
        (workdir / "reextract").mkdir()
        plain, plain_pages, plain_seconds, _ = timed_crawl(snapshot_dir, workdir / "plain", {})
        archived, pages, seconds, base_url = timed_crawl(
            snapshot_dir, workdir / "archived", {"WARC_ENABLED": 1, "WARC_DIR": workdir / "warc"}
        )
        folder = workdir / "warc" / mirror_name(base_url)
        files = warc_files(folder)
        size = sum(file.stat().st_size for file in files)
        started = time.perf_counter()
        reextracted = run_reextract([folder], workdir / "reextract")
        reextract_seconds = time.perf_counter() - started
    replayed = reextracted.stats.get("sulselsatu/reextract/replayed", 0)
    articles = len(archived.records)
    return {
        "site": site,
        "exit_codes": {"crawl": plain.returncode, "archived_crawl": archived.returncode,
                       "reextract": reextracted.returncode},
        "articles": {"crawl": len(plain.records), "archived_crawl": articles,
                     "reextracted": len(reextracted.records)},
        "crawl": {"pages": plain_pages, "seconds": round(plain_seconds, 2),
                  "pages_per_second": round(plain_pages / plain_seconds, 1)},
        "archived_crawl": {"pages": pages, "seconds": round(seconds, 2),
                           "pages_per_second": round(pages / seconds, 1)},
        "reextract": {"pages": replayed, "seconds": round(reextract_seconds, 2),
                      "pages_per_second": round(replayed / reextract_seconds, 1),
                      "engine_seconds": round(reextracted.stats.get("elapsed_time_seconds", 0), 2)},
        "archive": {"files": len(files), "mib": round(size / MIB, 2),
                    "mib_per_1000_articles": round(size / MIB / articles * 1000, 1) if articles else None},
    }


if __name__ == "__main__":
    for site in sys.argv[1:] or SITES:
        print(json.dumps(measure(site)), flush=True)
