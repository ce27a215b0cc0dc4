"""The components that guard the output (pipelines, exporters, the rejects
file, the monitors and the crawl's outcome), run as the project's settings
enable them.

Component tests build a real crawler with ``get_crawler`` and drive it with
real signals; end-to-end tests run ``scrapy crawl records``, a tiny spider
that yields given records, in a project of their own, and read what it wrote.
"""

import asyncio
import json
import os
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from sulsel_crawler import settings as project_settings
from tests.support.crawl import REPO_ROOT, CrawlRun, run_crawl

# The guards exactly as the project's settings enable them (not the whole
# project: no browser, no lock, no spider of its own).
GUARD_EXTENSIONS = {"RejectsLog", "CrawlOutcome"}
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
    **{name: getattr(project_settings, name) for name in dir(project_settings) if name.startswith("MONITOR_")},
}

# Extensions that need a running event loop, which component tests do not have.
QUIET_SETTINGS: dict[str, Any] = {"LOGSTATS_INTERVAL": 0, "MEMUSAGE_ENABLED": False}


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


SPIDER_MODULE = '''
import json
from pathlib import Path

import scrapy

from sulsel_crawler.signals import article_page_parsed


class RecordsSpider(scrapy.Spider):
    """Yields the records of the JSON file given as -a records=PATH, one
    article page each."""

    name = "records"

    async def start(self):
        for record in json.loads(Path(self.records).read_text(encoding="utf-8")):
            self.crawler.signals.send_catch_log(signal=article_page_parsed, url=record.get("url"))
            yield record
'''


def crawl_records(
    workdir: Path,
    records: list[dict[str, Any]],
    *options: str,
    output: str = "out/articles.jsonl",
    append: bool = False,
    settings: dict[str, Any] | None = None,
) -> CrawlRun:
    """``scrapy crawl records`` in *workdir*, as a user would, with the guards
    enabled and the spider yielding *records*, into the feed *output* (in
    *workdir*) and any other feeds *options* name."""
    project = workdir / "test_project"
    project.mkdir(exist_ok=True)
    (project / "__init__.py").write_text("", encoding="utf-8")
    (project / "spiders.py").write_text(SPIDER_MODULE, encoding="utf-8")
    all_settings = {
        **GUARD_SETTINGS,
        "SPIDER_MODULES": ["test_project.spiders"],
        "REMOTE_CONTROL_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
        **(settings or {}),
    }
    (project / "settings.py").write_text(
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
    return run_crawl(
        None, workdir, "-a", f"records={records_file}", *options,
        spider="records", output=output, append=append, cwd=workdir, env=env, timeout=120,
    )
