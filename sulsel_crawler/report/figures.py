"""The figures of a dataset report, from the dataset and the files a crawl
writes beside it (rejects, coverage, monitors): plain data for
``report.json``, the HTML report and the dataset card."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from sulsel_crawler.items import ARTICLE_FIELDS

TOP = 15
URL = re.compile(r"https?://\S+")
# Upper bounds of the body length (word_count) histogram's bins.
WORD_COUNT_BINS = (50, 100, 200, 300, 400, 600, 800, 1200)


def side_file(dataset: Path, suffix: str) -> Path:
    """``output/articles.jsonl`` and ``.rejects.jsonl`` give ``output/articles.rejects.jsonl``."""
    return dataset.with_suffix(suffix)


def read_records(dataset: Path) -> list[dict[str, Any]]:
    """The records of a JSON Lines dataset (blank lines skipped)."""
    with dataset.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return read_records(path) if path.exists() else []


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {})


def word_count_histogram(word_counts: list[int]) -> list[tuple[str, int]]:
    """``[("1–50", n), ("51–100", n), …, ("> 1200", n)]``."""
    bins = Counter()
    for count in word_counts:
        bins[next((bound for bound in WORD_COUNT_BINS if count <= bound), None)] += 1
    labels, low = [], 1
    for bound in WORD_COUNT_BINS:
        labels.append((f"{low}–{bound}", bins[bound]))
        low = bound + 1
    labels.append((f"> {WORD_COUNT_BINS[-1]}", bins[None]))
    return labels


def _months(records: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Articles a month (site time, as ``published_at`` states it), every
    month from the first to the last, empty ones included."""
    counts = Counter(record["published_at"][:7] for record in records if record.get("published_at"))
    if not counts:
        return []
    year, month = map(int, min(counts).split("-"))
    last = max(counts)
    months = []
    while (key := f"{year:04d}-{month:02d}") <= last:
        months.append((key, counts[key]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _rejects(rejects: list[dict[str, Any]]) -> dict[str, Any]:
    by_stage = Counter(reject.get("stage", "unknown") for reject in rejects)
    by_reason = Counter(
        (reject.get("stage", "unknown"), _reason_kind(reason)) for reject in rejects for reason in reject.get("reasons") or [""]
    )
    return {
        "total": len(rejects),
        "by_stage": dict(by_stage.most_common()),
        "by_reason": [{"stage": stage, "reason": reason, "count": count} for (stage, reason), count in by_reason.most_common(TOP)],
    }


def _reason_kind(reason: str) -> str:
    """A reason without its URLs, so alike ones group."""
    head = URL.sub("…", reason)
    return head if len(head) <= 120 else head[:119] + "…"


def build_figures(dataset: Path, stats: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every figure of the report on *dataset* (JSON Lines); *stats* are the
    crawl's final stats, where known (timings)."""
    records = read_records(dataset)
    word_counts = [record["word_count"] for record in records if isinstance(record.get("word_count"), int)]
    authors = Counter(record["author"] for record in records if record.get("author"))
    tags = Counter(tag for record in records for tag in record.get("tags") or [])
    published = sorted(record["published_at"] for record in records if record.get("published_at"))
    return {
        "dataset": {
            "file": dataset.name,
            "records": len(records),
            "bytes": dataset.stat().st_size,
            "first_published": published[0] if published else None,
            "last_published": published[-1] if published else None,
        },
        "by_category": dict(Counter(record.get("category_slug") or "unknown" for record in records).most_common()),
        "by_month": dict(_months(records)),
        "field_coverage": {
            field: (sum(_filled(record.get(field)) for record in records) / len(records)) if records else 0.0
            for field in ARTICLE_FIELDS
        },
        "extraction": dict(Counter(record.get("extraction") or "unknown" for record in records).most_common()),
        "word_count": {
            "min": min(word_counts, default=0),
            "median": statistics.median(word_counts) if word_counts else 0,
            "mean": round(statistics.fmean(word_counts), 1) if word_counts else 0,
            "max": max(word_counts, default=0),
            "histogram": dict(word_count_histogram(word_counts)),
        },
        "top_authors": dict(authors.most_common(TOP)),
        "top_tags": dict(tags.most_common(TOP)),
        "rejects": _rejects(_read_jsonl(side_file(dataset, ".rejects.jsonl"))),
        "coverage": _read_json(side_file(dataset, ".coverage.json")),
        "monitors": _read_json(side_file(dataset, ".monitors.json")),
        "crawl": _timings(stats or {}),
    }


def _timings(stats: dict[str, Any]) -> dict[str, Any]:
    names = {
        "start_time": "started",
        "finish_time": "finished",
        "elapsed_time_seconds": "seconds",
        "finish_reason": "finish_reason",
        "downloader/request_count": "requests",
        "downloader/response_count": "responses",
        "retry/count": "retries",
        "sulselsatu/outcome": "outcome",
    }
    timings = {name: stats[key] for key, name in names.items() if key in stats}
    for name in ("started", "finished"):
        if name in timings:
            timings[name] = str(timings[name])
    if "seconds" in timings:
        timings["seconds"] = round(timings["seconds"], 1)
    return timings
