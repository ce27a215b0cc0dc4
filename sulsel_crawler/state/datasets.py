"""What a dataset file holds past the point the crawl state knows of.

The state learns of a record right after the feed wrote its line and stores
the file's size with it. A crawl killed between the two leaves records in the
file that the state does not know of, and maybe a last line cut short. Before
a crawl continues, :func:`records_after` reads what lies past the known size,
so that those records are counted as exported (never written twice), and
:func:`cut_broken_tail` removes a broken last line (its article is fetched
again).
"""

from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sulsel_crawler.items import ARTICLE_FIELDS

logger = logging.getLogger(__name__)

JSON_LINES_FORMATS = frozenset({"jsonlines", "jsonl", "jl"})
CSV_FORMATS = frozenset({"csv"})
TRACKED_FORMATS = JSON_LINES_FORMATS | CSV_FORMATS


@dataclass
class Tail:
    records: list[dict[str, Any]]
    whole_size: int  # where the last whole record ends
    size: int  # the file's size


def records_after(path: Path, format: str, known_size: int) -> Tail:
    """The whole records written to *path* after byte *known_size*."""
    with path.open("rb") as file:
        file.seek(known_size)
        data = file.read()
    size = known_size + len(data)
    # A CSV row ends in CRLF (the csv module's default); a body's own line
    # breaks inside a cell are bare LF.
    end = b"\n" if format in JSON_LINES_FORMATS else b"\r\n"
    whole = data[: data.rfind(end) + len(end)] if end in data else b""
    if format in JSON_LINES_FORMATS:
        records = [json.loads(line) for line in whole.splitlines() if line.strip()]
    else:
        records = _csv_records(whole.decode("utf-8"), header_expected=known_size == 0)
    return Tail(records, known_size + len(whole), size)


def _csv_records(text: str, header_expected: bool) -> list[dict[str, Any]]:
    rows = list(csv.reader(io.StringIO(text)))
    if header_expected and rows and tuple(rows[0]) == ARTICLE_FIELDS:
        rows = rows[1:]
    # CSV holds every contract column in order; an empty cell is null.
    return [{name: (value or None) for name, value in zip(ARTICLE_FIELDS, row)} for row in rows]


def cut_broken_tail(path: Path, tail: Tail) -> None:
    if tail.whole_size < tail.size:
        logger.warning(
            "Crawl state: %s ended in a record cut short by the interrupted run (%d bytes); "
            "removed, its article will be fetched again",
            path,
            tail.size - tail.whole_size,
        )
        with path.open("r+b") as file:
            file.truncate(tail.whole_size)
