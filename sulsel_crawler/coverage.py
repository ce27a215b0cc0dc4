"""Coverage reconciliation: what became of every article URL a crawl
discovered, per discovery source and per category, and how that compares with
the totals the site states (its sitemaps, the WordPress API's ``X-WP-Total``).

Pure bookkeeping: :class:`~sulsel_crawler.extensions.coverage.CoverageLog`
feeds a :class:`CoverageLedger` from the crawl's signals;
:class:`~sulsel_crawler.extensions.progress.CrawlProgress` reads its counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sulsel_crawler.urls import category_slug

# The spider's names of link sources (discovery.Link.source), as a reader
# knows them.
SOURCE_NAMES = {"page": "links", "sitemap": "sitemaps", "feed": "feed", "api": "api", "retry": "retry", "seed": "seed"}
# Stages of a reject (sulsel_crawler.signals.page_rejected) where the page
# could not be fetched; every other stage read the page and refused it.
FAILURE_STAGES = frozenset({"download", "browser"})

EXPORTED = "exported"
REJECTED = "rejected"
FAILED = "failed"
NOT_FOUND = "not_found"
NO_RECORD = "fetched_no_record"
NOT_FETCHED = "not_fetched"
# Redirected to another article URL, whose fate is its own.
REDIRECTED = "redirected"
# Never requested: the crawl plan left it (exported earlier in this crawl,
# outside since/categories, given up after failing in several runs).
SKIPPED = "skipped"
FATES = (EXPORTED, REJECTED, FAILED, NOT_FOUND, NO_RECORD, REDIRECTED, NOT_FETCHED, SKIPPED)


@dataclass
class ArticleTrail:
    """What happened to one discovered article URL."""

    sources: set[str] = field(default_factory=set)
    requested: bool = False
    fetched: bool = False
    exported: bool = False
    not_found: bool = False
    redirected_to: str | None = None
    reject: tuple[str, str] | None = None  # (stage, reason)

    @property
    def fate(self) -> str:
        if self.exported:
            return EXPORTED
        if self.reject is not None:
            return FAILED if self.reject[0] in FAILURE_STAGES else REJECTED
        if self.not_found:
            return NOT_FOUND
        if self.fetched:
            return NO_RECORD
        if self.redirected_to is not None:
            return REDIRECTED
        return NOT_FETCHED if self.requested else SKIPPED


@dataclass(frozen=True)
class Counts:
    discovered: int
    fetched: int
    exported: int
    rejected: int
    failed: int

    @property
    def settled(self) -> int:
        """Articles the crawl is done with, well or badly."""
        return self.exported + self.rejected + self.failed


def source_name(source: str) -> str:
    return SOURCE_NAMES.get(source, source)


class CoverageLedger:
    def __init__(self) -> None:
        self.articles: dict[str, ArticleTrail] = {}
        # Totals the site states, by source: {"sitemaps": 1200, "api": 35}.
        self.stated: dict[str, int] = {}

    def _trail(self, url: str) -> ArticleTrail:
        return self.articles.setdefault(url, ArticleTrail())

    def discovered(self, url: str, source: str) -> None:
        self._trail(url).sources.add(source_name(source))

    def requested(self, url: str, source: str) -> None:
        trail = self._trail(url)
        trail.sources.add(source_name(source))
        trail.requested = True

    def fetched(self, url: str, status: int) -> None:
        trail = self._trail(url)
        trail.fetched = True
        trail.not_found = trail.not_found or status == 404

    def redirected(self, url: str, target: str) -> None:
        self._trail(url).redirected_to = target

    def exported(self, url: str) -> None:
        self._trail(url).exported = True

    def rejected(self, url: str, stage: str, reason: str) -> None:
        trail = self.articles.get(url)
        if trail is not None and trail.reject is None:
            trail.reject = (stage, reason)

    def state_total(self, source: str, total: int) -> None:
        self.stated[source_name(source)] = total

    def listed_by(self, source: str) -> int:
        """Article URLs that *source* (a reader's name: ``sitemaps``) listed."""
        return sum(1 for trail in self.articles.values() if source in trail.sources)

    def counts(self) -> Counts:
        fates = Counter(trail.fate for trail in self.articles.values())
        return Counts(
            discovered=len(self.articles),
            fetched=sum(trail.fetched for trail in self.articles.values()),
            exported=fates[EXPORTED],
            rejected=fates[REJECTED],
            failed=fates[FAILED] + fates[NOT_FOUND],
        )

    def reconciliation(self) -> dict[str, Any]:
        """Discovered, fetched and fates of the article URLs, overall, per
        source and per category; the totals the site states and their
        difference from what was exported; every URL the crawl wanted but did
        not export, and why."""
        by_source: dict[str, list[ArticleTrail]] = {}
        by_category: dict[str, list[ArticleTrail]] = {}
        for url, trail in self.articles.items():
            for source in trail.sources:
                by_source.setdefault(source, []).append(trail)
            by_category.setdefault(category_slug(url) or "unknown", []).append(trail)
        totals = _tally(list(self.articles.values()))
        return {
            "articles": totals,
            "by_source": {source: _tally(trails) for source, trails in sorted(by_source.items())},
            "by_category": {category: _tally(trails) for category, trails in sorted(by_category.items())},
            "stated_totals": {
                source: _against_stated(stated, _tally(by_source.get(source, [])))
                for source, stated in sorted(self.stated.items())
            },
            "not_exported": [
                {"url": url, "fate": trail.fate, "sources": sorted(trail.sources), **_why(trail)}
                for url, trail in sorted(self.articles.items())
                if trail.fate not in (EXPORTED, SKIPPED, REDIRECTED)
            ],
        }


def _tally(trails: list[ArticleTrail]) -> dict[str, int]:
    fates = Counter(trail.fate for trail in trails)
    return {"discovered": len(trails), "fetched": sum(trail.fetched for trail in trails)} | {
        fate: fates[fate] for fate in FATES
    }


def _against_stated(stated: int, tally: dict[str, int]) -> dict[str, int]:
    """The difference: what the site states, less what this run exported and
    what the crawl plan knew it did not need (exported earlier, unchanged)."""
    return {
        "stated": stated,
        "discovered": tally["discovered"],
        "exported": tally[EXPORTED],
        "skipped": tally[SKIPPED],
        "difference": stated - tally[EXPORTED] - tally[SKIPPED],
    }


def _why(trail: ArticleTrail) -> dict[str, str]:
    if trail.reject is None:
        return {}
    stage, reason = trail.reject
    return {"stage": stage, "reason": reason}
