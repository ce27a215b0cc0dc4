"""Merge dataset files into one dataset: ``python -m sulsel_crawler.merge``.

The files of several workers, of the runs of a resumed crawl or of a full
crawl and its updates go in; one file comes out, in the record contract's
field order (JSON Lines or CSV, by the output's name), holding each article
once:

- records with the same ``id`` are versions of one article (an update writes
  a changed article again): the one crawled last is kept, in the place of
  the first;
- a record whose ``content_hash`` another article kept already has is the
  same body under a second URL: dropped, as the crawl's own de-duplication
  does.

A last line cut short (a killed crawl's file) is skipped with a warning.
Exit status 0, or 2 with one line when an input is missing or unreadable.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sulsel_crawler.exporters import CsvArticleExporter, JsonLinesArticleExporter
from sulsel_crawler.items import ARTICLE_FIELDS, RECORD_FIELDS

JSON_FIELDS = frozenset(f.name for f in RECORD_FIELDS if f.type.startswith(("list", "object")))
INTEGER_FIELDS = frozenset(f.name for f in RECORD_FIELDS if f.type.startswith("integer"))


class MergeError(Exception):
    """An input that cannot be merged: the whole merge stops."""


@dataclass
class Merged:
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    id_by_content_hash: dict[str, str] = field(default_factory=dict)
    read: int = 0
    replaced: int = 0
    same_body: int = 0
    broken: list[str] = field(default_factory=list)

    def add(self, record: dict[str, Any]) -> None:
        self.read += 1
        article, content_hash = record["id"], record["content_hash"]
        kept = self.records.get(article)
        if kept is not None:
            self.replaced += 1
            if record["crawled_at"] > kept["crawled_at"]:
                if self.id_by_content_hash.get(kept["content_hash"]) == article:
                    del self.id_by_content_hash[kept["content_hash"]]
                self.records[article] = record
                self.id_by_content_hash.setdefault(content_hash, article)
            return
        if content_hash in self.id_by_content_hash:
            self.same_body += 1
            return
        self.records[article] = record
        self.id_by_content_hash[content_hash] = article


def read_records(path: Path, broken: list[str]) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines or CSV dataset file, typed as in JSON."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise MergeError(f"cannot read {path}: {error}") from None
    if path.suffix == ".csv":
        yield from _csv_records(path, text)
        return
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as error:
            if number == len(lines):  # no newline after it: a line cut short
                broken.append(f"{path}:{number}")
                continue
            raise MergeError(f"{path}:{number} is not a JSON record: {error}") from None


def _csv_records(path: Path, text: str) -> Iterator[dict[str, Any]]:
    rows = csv.reader(text.splitlines(keepends=True))
    header = next(rows, None)
    if header is None:
        return
    if tuple(header) != ARTICLE_FIELDS[: len(header)]:
        raise MergeError(f"{path} does not start with the contract's CSV header")
    for row in rows:
        yield {name: _typed(name, value) for name, value in zip(header, row)}


def _typed(name: str, value: str) -> Any:
    if value == "":
        return None
    if name in JSON_FIELDS:
        return json.loads(value)
    if name in INTEGER_FIELDS:
        return int(value)
    return value


def merge(inputs: Iterable[Path]) -> Merged:
    merged = Merged()
    for path in inputs:
        for record in read_records(path, merged.broken):
            merged.add(record)
    return merged


def write(records: Iterable[dict[str, Any]], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    exporter_class = CsvArticleExporter if output.suffix == ".csv" else JsonLinesArticleExporter
    with output.open("wb") as file:
        exporter = exporter_class(file)
        exporter.start_exporting()
        for record in records:
            exporter.export_item(record)
        exporter.finish_exporting()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sulsel_crawler.merge",
        description="Merge dataset files (JSON Lines or CSV) into one dataset, each article once.",
    )
    parser.add_argument("inputs", nargs="+", type=Path, help="dataset files; rejects files are left out")
    parser.add_argument("-o", "--output", required=True, type=Path, help="the merged file: .jsonl or .csv")
    options = parser.parse_args(argv)
    inputs = [path for path in options.inputs if not path.name.endswith(".rejects.jsonl")]
    if options.output.resolve() in {path.resolve() for path in inputs}:
        print(f"error: the output {options.output} is one of the inputs", file=sys.stderr)
        return 2
    try:
        merged = merge(inputs)
    except MergeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    write(merged.records.values(), options.output)
    for place in merged.broken:
        print(f"warning: {place}: a last line cut short, skipped", file=sys.stderr)
    print(
        f"{options.output}: {len(merged.records)} articles from {merged.read} records in {len(inputs)} files "
        f"({merged.replaced} older versions of an article replaced or dropped, "
        f"{merged.same_body} same bodies under another URL dropped)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
