"""Runs ``scrapy crawl sulselsatu`` as a user would, in a subprocess from the
repository root, reads back what it wrote, and compares it with a snapshot's
gold records."""

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRAPY = [sys.executable, "-m", "scrapy"]
UNTHROTTLED = ("-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0")


@dataclass
class CrawlRun:
    returncode: int
    log: str
    records: list[dict]
    rejects: list[dict]
    stats: dict

    def urls(self) -> list[str]:
        return [record["url"] for record in self.records]


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def expected_records(snapshot_dir: Path) -> dict[str, dict]:
    """The gold records of a snapshot folder (its ``expected.jsonl``), by URL."""
    with open(snapshot_dir / "expected.jsonl", encoding="utf-8") as lines:
        return {record["url"]: record for record in map(json.loads, lines)}


def assert_records_exact(records: list[dict], expected: dict[str, dict]) -> None:
    """Every record equals its gold record, field by field, ``crawled_at`` aside."""
    for record in records:
        got = {name: value for name, value in record.items() if name != "crawled_at"}
        assert got == expected[record["url"]], record["url"]


def run_crawl(base_url: str, workdir: Path, *extra: str, output_name="articles.jsonl", timeout=300) -> CrawlRun:
    output = workdir / output_name
    stats_file = workdir / "stats.json"
    command = [
        *SCRAPY, "crawl", "sulselsatu",
        "-a", f"base_url={base_url}",
        "-O", str(output),
        "-s", f"STATS_FILE={stats_file}",
        "-s", f"SINGLE_RUN_LOCK_DIR={workdir / 'locks'}",
        *UNTHROTTLED,
        *extra,
    ]
    process = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout
    )
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    return CrawlRun(
        returncode=process.returncode,
        log=process.stderr,
        records=read_jsonl(output) if output.suffix == ".jsonl" else [],
        rejects=read_jsonl(output.with_name(output.stem + ".rejects.jsonl")),
        stats=stats,
    )
