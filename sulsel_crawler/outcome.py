"""A crawl's outcome: whether it did its job, and the exit status that says so.

The one place that maps what happened to an exit status. At the end of a
crawl :class:`~sulsel_crawler.extensions.outcome.CrawlOutcome` decides the
outcome (:func:`decide`) and puts it in the stats (``sulselsatu/outcome``,
``sulselsatu/outcome/exit_status``); the ``crawl`` command exits with that
status, and ``scripts/schedule.py --wait`` reads the same stat from a
Scrapyd job's log.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

OUTCOME_STAT = "sulselsatu/outcome"
EXIT_STATUS_STAT = "sulselsatu/outcome/exit_status"

# Finish reasons given by this project's components.
ANOTHER_CRAWL_RUNNING = "another_crawl_running"  # sulsel_crawler/extensions/single_run.py
OUTPUT_UNWRITABLE = "output_unwritable"  # sulsel_crawler/extensions/outcome.py
LOST_REDIS = "redis_lost"  # sulsel_crawler/distributed.py


@dataclass(frozen=True)
class Status:
    name: str
    exit_status: int
    meaning: str


OK = Status("ok", 0, "the crawl ran to its end and passed every monitor")
MONITOR_FAILED = Status(
    "monitor_failed", 1,
    "a monitor of the records failed: extraction (the site's layout probably changed), field coverage, "
    "word counts, dates, or the error and retry ratios",
)
# Exit status 1 is also Scrapy's own for a crawl that could not start, and 2
# is a bad spider argument (sulsel_crawler/commands/crawl.py): neither has a
# stat, as neither crawl ran.
ANOTHER_CRAWL = Status(
    "another_crawl_running", 3, "refused: another crawl of the site was running, this one stopped at once"
)
SITE_UNREACHABLE = Status("site_unreachable", 4, "the site could not be reached: no page answered")
CANNOT_WRITE = Status("output_unwritable", 5, "the output could not be written")
TOO_FEW_RECORDS = Status("too_few_records", 6, "nothing, or too little, was exported for the crawl's mode")
INTERRUPTED = Status(
    "interrupted", 7, "the crawl was stopped before its end (Ctrl-C, a signal, a CLOSESPIDER_* limit): "
    "run the same command again to continue it",
)

REDIS_LOST = Status(
    "redis_lost", 8, "a worker's Redis stopped answering for longer than REDIS_OUTAGE_MAX_SECONDS: "
    "run the same command again once Redis is back to continue the crawl",
)
# A worker that cannot start has no stats either: the crawl command exits
# with these itself (sulsel_crawler/distributed.py, FrontierError).
BAD_WORKER_SETTINGS = Status("bad_worker_settings", 2, "a worker's FRONTIER_CRAWL_ID is missing or not valid")
REDIS_UNREACHABLE = Status("redis_unreachable", 9, "a worker's Redis (REDIS_URL) did not answer: it did not start")

STATUSES = (
    OK, MONITOR_FAILED, ANOTHER_CRAWL, SITE_UNREACHABLE, CANNOT_WRITE, TOO_FEW_RECORDS, INTERRUPTED, REDIS_LOST,
    REDIS_UNREACHABLE,
)
BY_NAME = {status.name: status for status in STATUSES}

# When several monitors fail, the first of these statuses wins: a crawl that
# read article pages but extracted nothing is an extraction failure before it
# is a small export.
MONITOR_PRECEDENCE = ("extraction", TOO_FEW_RECORDS.name, MONITOR_FAILED.name)


def site_answered(stats: Mapping[str, object]) -> bool:
    """Whether any request got a 2xx answer (robots.txt included)."""
    prefix = "downloader/response_status_count/2"
    return any(key.startswith(prefix) and value for key, value in stats.items())


def decide(finish_reason: str, stats: Mapping[str, object], failed: Collection[str]) -> Status:
    """The outcome of a crawl that closed with *finish_reason* and *stats*,
    where *failed* holds the kind of each monitor that failed
    (``"extraction"``, ``"too_few_records"`` or ``"monitor_failed"``)."""
    if finish_reason == ANOTHER_CRAWL_RUNNING:
        return ANOTHER_CRAWL
    if finish_reason == OUTPUT_UNWRITABLE:
        return CANNOT_WRITE
    if finish_reason == LOST_REDIS:
        return REDIS_LOST
    if finish_reason != "finished":
        return INTERRUPTED
    if stats.get("downloader/request_count") and not site_answered(stats):
        return SITE_UNREACHABLE
    for name in MONITOR_PRECEDENCE:
        if name in failed:
            return MONITOR_FAILED if name == "extraction" else BY_NAME[name]
    return OK


def exit_status(stats: Mapping[str, object]) -> int:
    """The exit status a crawl's final *stats* call for (0 without an outcome)."""
    return int(stats.get(EXIT_STATUS_STAT) or 0)
