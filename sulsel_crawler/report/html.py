"""The dataset report as one self-contained HTML file: inline CSS and SVG,
no script, nothing fetched (its Content-Security-Policy forbids it)."""

from __future__ import annotations

from html import escape
from typing import Any

from sulsel_crawler.report.charts import bar_chart, column_chart

STYLE = """
body{font-family:sans-serif;margin:2em auto;max-width:960px;color:#222;line-height:1.4}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
section{overflow-x:auto}table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}td.n,th.n{text-align:right}.ok{color:#1a7f37}.bad{color:#b42318}
.summary{display:flex;flex-wrap:wrap;gap:1em}.summary div{border:1px solid #ccc;padding:.5em 1em;border-radius:4px}
.summary b{display:block;font-size:1.4em}.empty{color:#666}code{word-break:break-all}
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'"


def render(figures: dict[str, Any]) -> str:
    dataset = figures["dataset"]
    sections = [
        _summary(figures),
        _section("Articles per category", bar_chart(list(figures["by_category"].items()), "Articles per category")),
        _section(
            "Articles per month (publication, Makassar time)",
            column_chart(list(figures["by_month"].items()), "Articles per month"),
        ),
        _section(
            "Field coverage (share of records with a value)",
            bar_chart(
                [(field, share * 100) for field, share in figures["field_coverage"].items()],
                "Field coverage",
                value_format="{:.0f} %",
            ),
        ),
        _section("Body length (words)", _word_counts(figures["word_count"])),
        _section("Top authors", bar_chart(list(figures["top_authors"].items()), "Top authors")),
        _section("Top tags", bar_chart(list(figures["top_tags"].items()), "Top tags")),
        _section("Rejects and failures", _rejects(figures["rejects"])),
        _section("Coverage: did the crawl get everything?", _coverage(figures["coverage"])),
        _section("Crawl", _crawl(figures["crawl"], figures["monitors"])),
    ]
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>Dataset report: {escape(dataset['file'])}</title><style>{STYLE}</style></head><body>"
        f"<h1>Dataset report: <code>{escape(dataset['file'])}</code></h1>"
        + "".join(sections)
        + "</body></html>\n"
    )


def _section(title: str, body: str) -> str:
    return f"<section><h2>{escape(title)}</h2>{body}</section>"


def _table(header: list[str], rows: list[list[Any]]) -> str:
    """Numbers right-aligned; ``not_found`` headed ``not found``."""
    numeric = [bool(rows) and all(isinstance(row[index], int | float) for row in rows) for index in range(len(header))]
    head = "".join(
        f'<th{_number_class(is_number)}>{escape(str(cell).replace("_", " "))}</th>' for cell, is_number in zip(header, numeric)
    )
    body = "".join(
        "<tr>" + "".join(f"<td{_number_class(is_number)}>{escape(str(cell))}</td>" for cell, is_number in zip(row, numeric)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _number_class(is_number: bool) -> str:
    return ' class="n"' if is_number else ""


def _summary(figures: dict[str, Any]) -> str:
    dataset, monitors, coverage = figures["dataset"], figures["monitors"], figures["coverage"]
    tiles = [
        ("articles", dataset["records"]),
        ("published", f"{(dataset['first_published'] or '–')[:10]} to {(dataset['last_published'] or '–')[:10]}"),
        ("categories", len(figures["by_category"])),
        ("rejected or failed", figures["rejects"]["total"]),
    ]
    if coverage:
        articles = coverage["articles"]
        tiles.append(("article URLs discovered", articles["discovered"]))
        tiles.append(("wanted, not exported", len(coverage["not_exported"])))
    if monitors:
        tiles.append(("outcome", monitors["outcome"]))
    boxes = "".join(f"<div><b>{escape(str(value))}</b>{escape(label)}</div>" for label, value in tiles)
    return f'<div class="summary">{boxes}</div><p>{dataset["bytes"]:,} bytes.</p>'


def _word_counts(word_count: dict[str, Any]) -> str:
    line = ", ".join(f"{name} {word_count[name]:g}" for name in ("min", "median", "mean", "max"))
    return f"<p>{escape(line)}</p>" + bar_chart(list(word_count["histogram"].items()), "Records per body length")


def _rejects(rejects: dict[str, Any]) -> str:
    if not rejects["total"]:
        return "<p>No page or record was rejected.</p>"
    return bar_chart(list(rejects["by_stage"].items()), "Rejects by stage") + _table(
        ["stage", "reason", "count"], [[row["stage"], row["reason"], row["count"]] for row in rejects["by_reason"]]
    )


def _coverage(coverage: dict[str, Any] | None) -> str:
    if not coverage:
        return '<p class="empty">No coverage file beside the dataset.</p>'
    fates = list(coverage["articles"])
    parts = [
        "<p>Every article URL the crawl found, by what became of it.</p>",
        _table(["", *fates], [["all sources", *coverage["articles"].values()]]
               + [[source, *tally.values()] for source, tally in coverage["by_source"].items()]),
    ]
    if coverage["stated_totals"]:
        parts.append(
            "<p>Totals the site states, against what was exported or known unchanged from earlier runs "
            "(skipped); the difference is what the crawl did not get:</p>"
        )
        parts.append(_table(
            ["source", "stated", "discovered", "exported", "skipped", "difference"],
            [[source, *row.values()] for source, row in coverage["stated_totals"].items()],
        ))
    parts.append(_table(["category", *fates], [[name, *tally.values()] for name, tally in coverage["by_category"].items()]))
    missing = coverage["not_exported"]
    if missing:
        parts.append(f"<p>{len(missing)} article URLs the crawl wanted but did not export:</p>")
        parts.append(_table(
            ["URL", "fate", "why"],
            [[row["url"], row["fate"], row.get("reason", "")] for row in missing],
        ))
    else:
        parts.append('<p class="ok">Every article URL the crawl wanted was exported.</p>')
    return "".join(parts)


def _crawl(crawl: dict[str, Any], monitors: dict[str, Any] | None) -> str:
    parts = [_table(["", "value"], [[name, value] for name, value in crawl.items()])] if crawl else []
    if monitors:
        parts.append(f"<p>Outcome: <b>{escape(monitors['outcome'])}</b>: {escape(monitors['cause'])}</p>")
        rows = "".join(
            f'<tr><td>{escape(row["monitor"])}</td><td class="{"ok" if row["passed"] else "bad"}">'
            f'{"passed" if row["passed"] else "failed"}</td><td>{escape(row["problem"] or "")}</td></tr>'
            for row in monitors["monitors"]
        )
        parts.append(f"<table><thead><tr><th>monitor</th><th>result</th><th>problem</th></tr></thead><tbody>{rows}</tbody></table>")
    return "".join(parts) or '<p class="empty">No crawl stats or monitors file beside the dataset.</p>'
