"""``python -m sulsel_crawler.report DATASET [--stats STATS_FILE]``."""

import argparse
import json
import sys
from pathlib import Path

from sulsel_crawler.report import write_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sulsel_crawler.report",
        description="Write the HTML report, report.json and the dataset card (README.md) beside a JSON Lines dataset.",
    )
    parser.add_argument("dataset", type=Path, help="the dataset, e.g. output/articles.jsonl")
    parser.add_argument("--stats", type=Path, help="the crawl's stats file (-s STATS_FILE=…), for its timings")
    arguments = parser.parse_args(argv)
    if not arguments.dataset.is_file():
        parser.error(f"no such dataset: {arguments.dataset}")
    if arguments.dataset.suffix not in (".jsonl", ".jl"):
        parser.error("the report reads JSON Lines datasets (.jsonl, .jl)")
    stats = json.loads(arguments.stats.read_text(encoding="utf-8")) if arguments.stats else None
    files = write_report(arguments.dataset, stats)
    print(f"Wrote {files.html}, {files.json} and {files.card}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
