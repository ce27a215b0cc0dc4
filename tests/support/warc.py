"""Web archives of test crawls: their files and records read back with
warcio, ``warcio check`` run on them, and ``scrapy reextract`` run as a
user runs it."""

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from tests.support.crawl import REPO_ROOT, crawl_result, setting_options

WARCIO = Path(sys.executable).parent / "warcio"


@dataclass
class WarcRecord:
    file: Path
    type: str
    id: str
    url: str | None
    date: str
    headers: dict[str, str]  # the WARC headers
    status: int | None  # a response's HTTP status
    http_headers: dict[str, str]
    body: bytes


def warc_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.warc.gz"))


def read_records(file: Path) -> list[WarcRecord]:
    """Every record of *file*; warcio raises on a broken one."""
    records = []
    with file.open("rb") as stream:
        for record in ArchiveIterator(stream):
            http = record.http_headers
            records.append(WarcRecord(
                file=file,
                type=record.rec_type,
                id=record.rec_headers.get_header("WARC-Record-ID"),
                url=record.rec_headers.get_header("WARC-Target-URI"),
                date=record.rec_headers.get_header("WARC-Date"),
                headers=dict(record.rec_headers.headers),
                status=int(http.get_statuscode()) if http and record.rec_type == "response" else None,
                http_headers=dict(http.headers) if http else {},
                body=record.raw_stream.read(),
            ))
    return records


def warcio_check(files: list[Path]) -> subprocess.CompletedProcess:
    """warcio's own checker: every record readable, every digest right."""
    return subprocess.run([str(WARCIO), "check", "-v", *map(str, files)], capture_output=True, text=True)


def run_reextract(sources: list[Path], workdir: Path, output: str = "reextracted.jsonl", timeout: float = 120):
    """``scrapy reextract SOURCES -O workdir/output``, its stats to
    ``workdir/stats.json``, as a user runs it from the repository root."""
    command = [
        sys.executable, "-m", "scrapy", "reextract", *map(str, sources), "-O", str(workdir / output),
        *setting_options({"STATS_FILE": workdir / "stats.json", "SINGLE_RUN_LOCK_DIR": workdir / "locks"}),
    ]
    process = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout)
    return crawl_result(workdir, output, process.returncode, process.stderr)
