"""The monitors run at the end of every crawl: Spidermon monitors over what
the crawl did (:class:`CrawlFacts`), against thresholds kept in the settings
(:class:`Thresholds`, the ``MONITOR_*`` settings).

Each monitor has a *kind*, the outcome a failure of it leads to
(:func:`sulsel_crawler.outcome.decide`): ``extraction`` (article pages were
read but not extracted: the site's layout probably changed),
``too_few_records`` and ``monitor_failed`` (anything else about the records
or the requests). The checks are plain functions, each returning what failed;
:class:`~sulsel_crawler.extensions.outcome.CrawlOutcome` gathers the facts,
runs :class:`CrawlMonitorSuite` and decides the outcome.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from spidermon import Monitor, MonitorSuite

from sulsel_crawler.outcome import MONITOR_FAILED, TOO_FEW_RECORDS

if TYPE_CHECKING:
    from scrapy.settings import Settings

EXTRACTION = "extraction"


@dataclass(frozen=True)
class Thresholds:
    """The ``MONITOR_*`` settings (``sulsel_crawler/settings.py``)."""

    min_exported: int
    min_exported_mirror: int
    max_reject_ratio: float
    max_fallback_ratio: float
    max_error_ratio: float
    max_retry_ratio: float
    coverage_min_records: int
    field_coverage: Mapping[str, float]
    min_median_word_count: int
    short_body_words: int
    max_short_body_ratio: float
    site_life_start: date
    max_outside_site_life_ratio: float

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        return cls(
            min_exported=settings.getint("MONITOR_MIN_EXPORTED"),
            min_exported_mirror=settings.getint("MONITOR_MIN_EXPORTED_MIRROR"),
            max_reject_ratio=settings.getfloat("MONITOR_MAX_REJECT_RATIO"),
            max_fallback_ratio=settings.getfloat("MONITOR_MAX_FALLBACK_RATIO"),
            max_error_ratio=settings.getfloat("MONITOR_MAX_ERROR_RATIO"),
            max_retry_ratio=settings.getfloat("MONITOR_MAX_RETRY_RATIO"),
            coverage_min_records=settings.getint("MONITOR_COVERAGE_MIN_RECORDS"),
            field_coverage={name: float(share) for name, share in settings.getdict("MONITOR_FIELD_COVERAGE").items()},
            min_median_word_count=settings.getint("MONITOR_MIN_MEDIAN_WORD_COUNT"),
            short_body_words=settings.getint("MONITOR_SHORT_BODY_WORDS"),
            max_short_body_ratio=settings.getfloat("MONITOR_MAX_SHORT_BODY_RATIO"),
            site_life_start=date.fromisoformat(str(settings.get("MONITOR_SITE_LIFE_START"))),
            max_outside_site_life_ratio=settings.getfloat("MONITOR_MAX_OUTSIDE_SITE_LIFE_RATIO"),
        )


@dataclass
class RecordProfile:
    """What the monitors need to know of the records a crawl exported."""

    records: int = 0
    fallback: int = 0  # records with ``extraction: "fallback"``
    with_field: Counter[str] = field(default_factory=Counter)
    word_counts: list[int] = field(default_factory=list)
    published: list[date | None] = field(default_factory=list)

    def add(self, record: Mapping[str, Any]) -> None:
        self.records += 1
        self.fallback += record.get("extraction") == "fallback"
        self.with_field.update(name for name, value in record.items() if value)
        self.word_counts.append(int(record.get("word_count") or 0))
        self.published.append(published_day(record.get("published_at")))


@dataclass(frozen=True)
class CrawlFacts:
    """What a crawl did, as the monitors judge it."""

    # "full" or "update" for a crawl of the site; None for a spider that
    # takes no crawl arguments.
    mode: str | None = None
    filtered: bool = False  # -a since / -a categories
    mirror: bool = False  # -a base_url
    shared: bool = False  # one worker of a crawl shared on Redis
    exported: int = 0  # by this run
    exported_before: int = 0  # by the earlier runs of the crawl this run continues
    unchanged: int = 0  # update: fetched again, but unchanged
    duplicates: int = 0
    article_pages: int = 0
    rejected: int = 0  # pages or records rejected, duplicates left out
    failed_downloads: int = 0
    fallback: int = 0  # records extracted by the fallback extraction
    requests: int = 0
    error_lines: int = 0
    retries: int = 0
    profile: RecordProfile = field(default_factory=RecordProfile)

    @classmethod
    def from_stats(cls, stats: Mapping[str, Any], profile: RecordProfile, **facts: Any) -> CrawlFacts:
        return cls(
            exported=stats.get("item_scraped_count", 0),
            unchanged=stats.get("sulselsatu/update/unchanged", 0),
            duplicates=stats.get("sulselsatu/rejected/duplicate", 0),
            rejected=stats.get("sulselsatu/rejected", 0) - stats.get("sulselsatu/rejected/duplicate", 0),
            failed_downloads=stats.get("sulselsatu/rejected/download", 0),
            fallback=max(profile.fallback, stats.get("sulselsatu/extraction/fallback", 0)),
            requests=stats.get("downloader/request_count", 0),
            error_lines=stats.get("log_count/ERROR", 0),
            retries=stats.get("retry/count", 0),
            profile=profile,
            **facts,
        )


def check_extraction(facts: CrawlFacts, limits: Thresholds) -> list[str]:
    """Article pages read but not turned into records."""
    pages = facts.article_pages
    if not pages:
        return []
    if not facts.exported + facts.unchanged + facts.duplicates:
        return [f"extracted nothing from {pages} article pages"]
    problems = []
    if facts.rejected / pages > limits.max_reject_ratio:
        problems.append(
            f"rejected {facts.rejected} of {pages} article pages ({facts.rejected / pages:.0%}, "
            f"more than MONITOR_MAX_REJECT_RATIO={limits.max_reject_ratio})"
        )
    if facts.exported and facts.fallback / facts.exported > limits.max_fallback_ratio:
        problems.append(
            f"{facts.fallback} of {facts.exported} records came from the fallback extraction "
            f"(more than MONITOR_MAX_FALLBACK_RATIO={limits.max_fallback_ratio})"
        )
    return problems


def check_exported(facts: CrawlFacts, limits: Thresholds) -> list[str]:
    """A full, unfiltered crawl of the site exports at least the minimum,
    counting what the earlier runs of a resumed crawl exported. An update
    or a filtered crawl may rightly export nothing; one worker of a shared
    crawl cannot tell the crawl's total."""
    if facts.mode != "full" or facts.filtered or facts.shared:
        return []
    minimum, setting = (
        (limits.min_exported_mirror, "MONITOR_MIN_EXPORTED_MIRROR")
        if facts.mirror
        else (limits.min_exported, "MONITOR_MIN_EXPORTED")
    )
    total = facts.exported_before + facts.exported
    if total >= minimum:
        return []
    before = f" ({facts.exported_before} by its earlier runs)" if facts.exported_before else ""
    return [f"the full crawl exported {total} articles{before}, fewer than {setting}={minimum}"]


def check_requests(facts: CrawlFacts, limits: Thresholds) -> list[str]:
    """ERROR lines, pages given up on and retries, per request."""
    if not facts.requests:
        return []
    problems = []
    for count, what, limit, setting in (
        (facts.error_lines, "ERROR lines", limits.max_error_ratio, "MONITOR_MAX_ERROR_RATIO"),
        (facts.failed_downloads, "pages that failed to download", limits.max_error_ratio, "MONITOR_MAX_ERROR_RATIO"),
        (facts.retries, "retries", limits.max_retry_ratio, "MONITOR_MAX_RETRY_RATIO"),
    ):
        if count / facts.requests > limit:
            problems.append(f"{count} {what} for {facts.requests} requests (more than {setting}={limit})")
    return problems


def check_records(facts: CrawlFacts, limits: Thresholds, today: date) -> list[str]:
    """Field coverage, body word counts and publication dates, once enough
    records were exported to tell."""
    profile = facts.profile
    if profile.records < limits.coverage_min_records:
        return []
    problems = []
    for name, minimum in limits.field_coverage.items():
        share = profile.with_field[name] / profile.records
        if share < minimum:
            problems.append(f"{share:.0%} of records have {name} (MONITOR_FIELD_COVERAGE minimum {minimum:.0%})")
    median = statistics.median(profile.word_counts)
    if median < limits.min_median_word_count:
        problems.append(f"median body word count {median:g} (MONITOR_MIN_MEDIAN_WORD_COUNT={limits.min_median_word_count})")
    short = sum(1 for count in profile.word_counts if count < limits.short_body_words)
    if short / profile.records > limits.max_short_body_ratio:
        problems.append(
            f"{short} of {profile.records} bodies have fewer than {limits.short_body_words} words "
            f"(more than MONITOR_MAX_SHORT_BODY_RATIO={limits.max_short_body_ratio})"
        )
    outside = sum(1 for published in profile.published if not within_site_life(published, limits.site_life_start, today))
    if outside / profile.records > limits.max_outside_site_life_ratio:
        problems.append(
            f"{outside} of {profile.records} records published outside the site's life, "
            f"{limits.site_life_start.isoformat()} (MONITOR_SITE_LIFE_START) to today "
            f"(more than MONITOR_MAX_OUTSIDE_SITE_LIFE_RATIO={limits.max_outside_site_life_ratio})"
        )
    return problems


def published_day(published_at: Any) -> date | None:
    try:
        return datetime.fromisoformat(published_at).date()
    except (TypeError, ValueError):
        return None


def within_site_life(published: date | None, start: date, today: date) -> bool:
    # A day's slack after "today" for the time zones.
    return published is not None and start <= published <= today + timedelta(days=1)


class CrawlMonitor(Monitor):
    """A monitor whose failure leads to the outcome *kind*; each one below
    says in ``problems()`` what it finds wrong with the crawl's data."""

    kind: ClassVar[str]

    def test_passes(self) -> None:
        problems = list(self.problems())
        if problems:
            self.fail("; ".join(problems))


class ExtractionMonitor(CrawlMonitor):
    """Article pages give records."""

    kind = EXTRACTION

    def problems(self) -> Iterable[str]:
        return check_extraction(self.data.facts, self.data.thresholds)


class ExportedArticlesMonitor(CrawlMonitor):
    """A full crawl exports at least the minimum."""

    kind = TOO_FEW_RECORDS.name

    def problems(self) -> Iterable[str]:
        return check_exported(self.data.facts, self.data.thresholds)


class RequestsMonitor(CrawlMonitor):
    """Error, failed-download and retry ratios."""

    kind = MONITOR_FAILED.name

    def problems(self) -> Iterable[str]:
        return check_requests(self.data.facts, self.data.thresholds)


class RecordsMonitor(CrawlMonitor):
    """Field coverage, body word counts and dates."""

    kind = MONITOR_FAILED.name

    def problems(self) -> Iterable[str]:
        return check_records(self.data.facts, self.data.thresholds, self.data.today)


class CrawlMonitorSuite(MonitorSuite):
    monitors = [ExtractionMonitor, ExportedArticlesMonitor, RequestsMonitor, RecordsMonitor]
