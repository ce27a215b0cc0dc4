"""Helpers for the tests of the components that guard the output: pipelines,
exporters, the rejects file and the extraction alarm.

Component tests build a real crawler with ``get_crawler`` and drive it with
real signals; end-to-end tests run ``scrapy crawl`` in a subprocess, with a
tiny spider that yields given records, and read what it wrote.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from sulsel_crawler import settings as project_settings
from sulsel_crawler.items import ARTICLE_FIELDS
from tests.crawl_run import REPO_ROOT
from tests.replica import SNAPSHOT_DIR

GOLD_RECORDS = SNAPSHOT_DIR / "expected.jsonl"
CRAWLED_AT = "2025-05-12T06:00:00Z"

# The guards exactly as the project's settings enable them (not the whole
# project: no browser, no lock, no spider of its own).
GUARD_EXTENSIONS = {"RejectsLog", "ExtractionAlarm"}
GUARD_SETTINGS: dict[str, Any] = {
    "ITEM_PIPELINES": project_settings.ITEM_PIPELINES,
    "EXTENSIONS": {
        path: order
        for path, order in project_settings.EXTENSIONS.items()
        if path.rsplit(".", 1)[-1] in GUARD_EXTENSIONS
    },
    "FEED_EXPORTERS": project_settings.FEED_EXPORTERS,
    "FEED_EXPORT_FIELDS": project_settings.FEED_EXPORT_FIELDS,
    "FEED_EXPORT_ENCODING": project_settings.FEED_EXPORT_ENCODING,
    "COMMANDS_MODULE": project_settings.COMMANDS_MODULE,
    "DEFAULT_FEED_URI": project_settings.DEFAULT_FEED_URI,
}

# Extensions that need a running event loop, which component tests do not have.
QUIET_SETTINGS: dict[str, Any] = {"LOGSTATS_INTERVAL": 0, "MEMUSAGE_ENABLED": False}


@cache
def _gold_records() -> tuple[dict[str, Any], ...]:
    with GOLD_RECORDS.open(encoding="utf-8") as lines:
        return tuple({**json.loads(line), "crawled_at": CRAWLED_AT} for line in lines)


def gold_records() -> list[dict[str, Any]]:
    """The gold records of the site snapshot, each with a ``crawled_at``, in
    contract field order; a fresh copy on every call."""
    return [
        {name: copy.deepcopy(record[name]) for name in ARTICLE_FIELDS}
        for record in _gold_records()
    ]


def gold_record(index: int = 0) -> dict[str, Any]:
    return gold_records()[index]


def open_crawler(settings: dict[str, Any] | None = None) -> Crawler:
    """A real crawler with the guards enabled, its spider opened and its
    engine started as far as signal handlers can tell."""
    crawler = get_crawler(settings_dict={**GUARD_SETTINGS, **QUIET_SETTINGS, **(settings or {})})
    crawler.spider = crawler.spidercls.from_crawler(crawler)
    crawler.signals.send_catch_log(signal=signals.spider_opened, spider=crawler.spider)
    crawler.signals.send_catch_log(signal=signals.engine_started)
    return crawler


def close_crawler(crawler: Crawler, reason: str = "finished") -> None:
    # Some spider_closed handlers (the feed exporter's) are coroutines.
    asyncio.run(
        crawler.signals.send_catch_log_async(
            signal=signals.spider_closed, spider=crawler.spider, reason=reason
        )
    )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


SPIDER_MODULE = '''
import json
from pathlib import Path

import scrapy


class RecordsSpider(scrapy.Spider):
    """Yields the records of the JSON file given as -a records=PATH, one
    article page each."""

    name = "records"

    async def start(self):
        for record in json.loads(Path(self.records).read_text(encoding="utf-8")):
            self.crawler.stats.inc_value("sulselsatu/article_pages")
            yield record
'''


def run_crawl(
    workdir: Path,
    records: list[dict[str, Any]],
    *options: str,
    settings: dict[str, Any] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``scrapy crawl records`` in *workdir* as a user would, with the
    guards enabled, the spider yielding *records*, and *options* (``-O``,
    ``-s``…) on the command line."""
    (workdir / "test_project").mkdir(exist_ok=True)
    (workdir / "test_project" / "__init__.py").write_text("", encoding="utf-8")
    (workdir / "test_project" / "spiders.py").write_text(SPIDER_MODULE, encoding="utf-8")
    all_settings = {
        **GUARD_SETTINGS,
        "SPIDER_MODULES": ["test_project.spiders"],
        "REMOTE_CONTROL_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
        **(settings or {}),
    }
    (workdir / "test_project" / "settings.py").write_text(
        "".join(f"{name} = {value!r}\n" for name, value in all_settings.items()),
        encoding="utf-8",
    )
    records_file = workdir / "records.json"
    records_file.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    env = {
        **os.environ,
        "SCRAPY_SETTINGS_MODULE": "test_project.settings",
        "PYTHONPATH": os.pathsep.join([str(workdir), str(REPO_ROOT)]),
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "records",
            "-a",
            f"records={records_file}",
            *options,
        ],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
