"""The progress line a crawl logs every PROGRESS_INTERVAL seconds."""

from __future__ import annotations

from dataclasses import dataclass

from sulsel_crawler.coverage import Counts


@dataclass(frozen=True)
class Progress:
    counts: Counts
    queued: int  # requests waiting in the scheduler or in the downloader
    per_minute: float  # articles settled (exported, rejected, failed) a minute, lately
    total: int | None  # articles the crawl expects, where some source states it
    total_source: str = ""

    @property
    def share_done(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, self.counts.settled / self.total)

    @property
    def minutes_left(self) -> float | None:
        if not self.total or self.per_minute <= 0:
            return None
        return max(0, self.total - self.counts.settled) / self.per_minute

    def line(self) -> str:
        counts = self.counts
        text = (
            f"Progress: articles {counts.discovered} discovered, {counts.fetched} fetched, "
            f"{counts.exported} exported, {counts.rejected} rejected, {counts.failed} failed; "
            f"{self.queued} requests queued; {self.per_minute:.1f} articles/min"
        )
        share = self.share_done
        if share is not None:
            text += f"; {share:.0%} of {self.total} ({self.total_source})"
            minutes = self.minutes_left
            if minutes is not None:
                text += f", about {format_duration(minutes)} left"
        return text


def format_duration(minutes: float) -> str:
    """``45 s``, ``12 min``, ``3 h 05 min``, ``2 d 04 h``."""
    if minutes < 1:
        return f"{round(minutes * 60)} s"
    whole = round(minutes)
    if whole < 60:
        return f"{whole} min"
    hours, minutes_part = divmod(whole, 60)
    if hours < 24:
        return f"{hours} h {minutes_part:02d} min"
    days, hours_part = divmod(hours, 24)
    return f"{days} d {hours_part:02d} h"


def expected_total(discovered: int, stated: dict[str, int], previous_crawl: int | None) -> tuple[int | None, str]:
    """The largest total some source states (the sitemaps, the API, the
    previous full crawl), never less than what was discovered, and its
    source; ``(None, "")`` where no source states one."""
    candidates = dict(stated)
    if previous_crawl:
        candidates["previous crawl"] = previous_crawl
    if not candidates:
        return None, ""
    source = max(sorted(candidates), key=lambda name: candidates[name])
    if discovered > candidates[source]:
        return discovered, "discovered so far"
    return candidates[source], source
