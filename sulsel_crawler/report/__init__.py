"""The dataset report: ``<dataset>.report.html``, ``<dataset>.report.json``
and the dataset card ``README.md``, written beside a JSON Lines dataset with
no server and no network (docs/report.md).

``python -m sulsel_crawler.report output/articles.jsonl`` writes them for any
dataset; :class:`~sulsel_crawler.extensions.report.DatasetReport` at the end
of every crawl."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sulsel_crawler.report.card import render_card
from sulsel_crawler.report.figures import build_figures
from sulsel_crawler.report.html import render


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    json: Path
    card: Path


def report_files(dataset: Path) -> ReportFiles:
    return ReportFiles(
        html=dataset.with_suffix(".report.html"),
        json=dataset.with_suffix(".report.json"),
        card=dataset.parent / "README.md",
    )


def write_report(dataset: Path, stats: dict[str, Any] | None = None) -> ReportFiles:
    """Write the report, its figures and the card of *dataset*; *stats*
    (the crawl's final stats) add its timings. Without them, the timings a
    report written earlier beside the dataset holds are kept."""
    files = report_files(dataset)
    figures = build_figures(dataset, stats)
    if not figures["crawl"] and files.json.exists():
        figures["crawl"] = json.loads(files.json.read_text(encoding="utf-8")).get("crawl", {})
    files.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    files.html.write_text(render(figures), encoding="utf-8")
    files.card.write_text(render_card(figures, files.html.name), encoding="utf-8")
    return files
