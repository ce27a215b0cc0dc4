"""``scrapy crawl`` as a user runs it: one command line for every test crawl,
run in a subprocess from the repository root, and what the crawl wrote read
back."""

import json
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SPIDER = "sulselsatu"
DATASET = "articles.jsonl"
UNTHROTTLED = {"AUTOTHROTTLE_ENABLED": "0", "DOWNLOAD_DELAY": "0"}


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
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def setting_options(settings: Mapping[str, object]) -> list[str]:
    """*settings* as ``-s NAME=VALUE`` options."""
    return [option for name, value in settings.items() for option in ("-s", f"{name}={value}")]


def crawl_command(
    base_url: str | None,
    workdir: Path,
    *options: str,
    spider: str = SPIDER,
    output: str = DATASET,
    append: bool = False,
    settings: Mapping[str, object] | None = None,
) -> list[str]:
    """The command line of every test crawl: ``scrapy crawl`` of the mirror at
    *base_url* (None: no ``base_url`` argument) with this checkout's Python,
    writing the dataset *output* in *workdir* (``-o`` with *append*, else
    ``-O``), its stats to ``workdir/stats.json``, its lock to
    ``workdir/locks`` and its crawl state to ``workdir/state.sqlite``,
    unthrottled. *settings*, then *options*, win over these."""
    crawl_settings = {
        **UNTHROTTLED,
        "STATS_FILE": workdir / "stats.json",
        "SINGLE_RUN_LOCK_DIR": workdir / "locks",
        "CRAWL_STATE": workdir / "state.sqlite",
        **(settings or {}),
    }
    return [
        sys.executable, "-m", "scrapy", "crawl", spider,
        *(["-a", f"base_url={base_url}"] if base_url is not None else []),
        "-o" if append else "-O", str(workdir / output),
        *setting_options(crawl_settings),
        *options,
    ]


def crawl_result(workdir: Path, output: str, returncode: int, log: str) -> CrawlRun:
    """What a finished crawl wrote: its dataset, rejects file and stats (empty where it wrote none)."""
    dataset = workdir / output
    rejects = dataset.with_name(dataset.stem + ".rejects.jsonl")
    stats = workdir / "stats.json"
    return CrawlRun(
        returncode=returncode,
        log=log,
        records=read_jsonl(dataset) if dataset.suffix == ".jsonl" and dataset.exists() else [],
        rejects=read_jsonl(rejects) if rejects.exists() else [],
        stats=json.loads(stats.read_text()) if stats.exists() else {},
    )


def run_crawl(
    base_url: str | None,
    workdir: Path,
    *options: str,
    output: str = DATASET,
    timeout: float = 300,
    cwd: Path = REPO_ROOT,
    env: Mapping[str, str] | None = None,
    **command,
) -> CrawlRun:
    """Run ``crawl_command(base_url, workdir, *options, output=output, **command)``
    to its end in *cwd*, the repository root as a user would, and read back
    what it wrote."""
    process = subprocess.run(
        crawl_command(base_url, workdir, *options, output=output, **command),
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
    )
    return crawl_result(workdir, output, process.returncode, process.stderr)


@dataclass
class RunningCrawl:
    process: subprocess.Popen
    workdir: Path
    output: str

    def finish(self, timeout: float = 120) -> CrawlRun:
        """Wait for the crawl's end (killing it after *timeout*) and read back what it wrote."""
        try:
            log = self.process.communicate(timeout=timeout)[1]
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            raise
        return crawl_result(self.workdir, self.output, self.process.returncode, log)


def start_crawl(
    base_url: str | None, workdir: Path, *options: str, output: str = DATASET, **command
) -> RunningCrawl:
    """Start ``crawl_command(base_url, workdir, *options, output=output, **command)``
    from the repository root, in a process group of its own, and return at once."""
    process = subprocess.Popen(
        crawl_command(base_url, workdir, *options, output=output, **command),
        cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    return RunningCrawl(process, workdir, output)


def start_worker(
    base_url: str, redis_url: str, crawl_id: str, workdir: Path, settings: Mapping[str, object] | None = None,
    options: tuple[str, ...] = (),
) -> RunningCrawl:
    """One worker of the distributed crawl *crawl_id* on *redis_url*, as
    ``start_crawl`` in *workdir* (made if missing); the workers of a test
    share one lock folder, beside their workdirs."""
    workdir.mkdir(exist_ok=True)
    return start_crawl(
        base_url, workdir, *options,
        settings={
            "REDIS_URL": redis_url,
            "FRONTIER_CRAWL_ID": crawl_id,
            "SINGLE_RUN_LOCK_DIR": workdir.parent / "locks",
            **(settings or {}),
        },
    )
