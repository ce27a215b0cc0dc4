#!/usr/bin/env python3
"""Mutation score per module from mutmut's results, checked against thresholds.

    scripts/mutation_score.py [--min-total 90] [--min-module 80]
                              [--equivalents docs/mutation-equivalents.txt]
                              [--results FILE] [--show-survivors]

Reads `mutmut results --all true` (run from the project root after
`mutmut run`; or a saved copy of its output with --results) and prints, for
each mutated module, the mutants caught out of all its mutants, and the total.

What counts as caught: killed (a test failed), timeout (the tests hung or ran
far past their usual time: the mutant changed behaviour), segfault (the test
process died), caught by type check, and the accepted equivalent mutants
listed in the equivalents file. Not caught: survived, no tests (no unit test
runs the mutated function), suspicious (pytest ended in an unexpected way:
neither a verdict nor a failure), not checked and interrupted (the run did not
finish). Skipped mutants (pragma: no mutate) are left out of the count.

The equivalents file lists mutants that cannot change behaviour, one a line:
the mutant's name, then a one-line reason. `#` starts a comment.

Exit status: 0 every threshold met; 1 a threshold missed (the modules below
theirs are named); 2 no results, or a bad equivalents file.
"""

import argparse
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXIT_BELOW_THRESHOLD = 1
EXIT_UNUSABLE = 2

CAUGHT = {"killed", "timeout", "segfault", "caught by type check"}
NOT_CAUGHT = {"survived", "no tests", "suspicious", "not checked", "check was interrupted by user"}
LEFT_OUT = {"skipped"}
# Columns of the table, beside caught / total.
SHOWN = ("survived", "no tests", "timeout", "suspicious")
# Statuses that mean the run stopped before testing every mutant.
UNFINISHED = {"not checked", "check was interrupted by user"}


def parse_results(text: str) -> dict[str, str]:
    """`mutmut results --all true` lines, `    name: status`, as {name: status}."""
    results = {}
    for line in text.splitlines():
        name, sep, status = line.strip().partition(": ")
        if not sep or "__mutmut_" not in name:
            continue
        if status not in CAUGHT | NOT_CAUGHT | LEFT_OUT:
            raise ValueError(f"unknown mutmut status {status!r} of {name}")
        results[name] = status
    return results


def module_of(mutant: str) -> str:
    """sulsel_crawler.pages.base.xǁArticlePageǁtitle__mutmut_3 -> sulsel_crawler.pages.base"""
    parts = mutant.split(".")
    for i in range(len(parts) - 1, 0, -1):
        if parts[i].startswith(("x_", "xǁ")):
            return ".".join(parts[:i])
    raise ValueError(f"not a mutmut mutant name: {mutant}")


def read_equivalents(path: Path) -> dict[str, str]:
    """{mutant name: reason} from the equivalents file (missing file: none)."""
    if not path.exists():
        return {}
    accepted = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, reason = line.partition(" ")
        if not reason.strip():
            raise ValueError(f"{path}:{number}: {name} needs a one-line reason after its name")
        if name in accepted:
            raise ValueError(f"{path}:{number}: {name} is listed twice")
        accepted[name] = reason.strip()
    return accepted


def score(results: dict[str, str], accepted: dict[str, str]) -> dict[str, Counter]:
    """Counters per module: caught, total and each status."""
    by_module: dict[str, Counter] = defaultdict(Counter)
    for name, status in sorted(results.items()):
        if status in LEFT_OUT:
            continue
        counts = by_module[module_of(name)]
        counts[status] += 1
        counts["total"] += 1
        if status in CAUGHT:
            counts["caught"] += 1
        elif status == "survived" and name in accepted:
            counts["caught"] += 1
            counts["accepted"] += 1
    return by_module


def percent(counts: Counter) -> float:
    return 100.0 * counts["caught"] / counts["total"] if counts["total"] else 100.0


def print_table(by_module: dict[str, Counter]) -> Counter:
    width = max([len(module) for module in by_module] + [len("TOTAL")])
    header = f"{'module':<{width}}  {'caught / total':>14}  {'score':>6}  " + "  ".join(SHOWN) + "  accepted"
    print(header)
    print("-" * len(header))
    total: Counter = Counter()
    for module, counts in sorted(by_module.items()):
        total.update(counts)
        print(row(module, counts, width))
    print("-" * len(header))
    print(row("TOTAL", total, width))
    return total


def row(label: str, counts: Counter, width: int) -> str:
    fraction = f"{counts['caught']} / {counts['total']}"
    columns = "  ".join(f"{counts[status]:>{len(status)}}" for status in SHOWN)
    return f"{label:<{width}}  {fraction:>14}  {percent(counts):5.1f}%  {columns}  {counts['accepted']:>8}"


def mutmut_results() -> str:
    candidates = (Path(sys.executable).parent / "mutmut", ROOT / ".venv" / "bin" / "mutmut")
    found = [path for path in candidates if path.exists()]
    command = [str(found[0]) if found else "mutmut", "results", "--all", "true"]
    return subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-total", type=float, default=90.0, help="lowest total score, in percent (90)")
    parser.add_argument("--min-module", type=float, default=80.0, help="lowest score of any module, in percent (80)")
    parser.add_argument(
        "--equivalents", type=Path, default=ROOT / "docs" / "mutation-equivalents.txt",
        help="accepted equivalent mutants, one a line with its reason (docs/mutation-equivalents.txt)",
    )
    parser.add_argument("--results", type=Path, help="saved `mutmut results --all true` output, instead of running it")
    parser.add_argument("--show-survivors", action="store_true", help="list every mutant not caught, by module")
    args = parser.parse_args()

    try:
        accepted = read_equivalents(args.equivalents)
        text = args.results.read_text(encoding="utf-8") if args.results else mutmut_results()
        results = parse_results(text)
    except (OSError, ValueError, subprocess.CalledProcessError) as error:
        print(f"mutation score: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    if not results:
        print("mutation score: no mutmut results; run `mutmut run` (make mutants) first", file=sys.stderr)
        return EXIT_UNUSABLE

    print("Mutation score: caught / total per module (caught: killed, timeout, segfault, accepted equivalent;")
    print("not caught: survived, no tests, suspicious, not checked)")
    print()
    by_module = score(results, accepted)
    total = print_table(by_module)

    unknown = sorted(set(accepted) - set(results))
    for name in unknown:
        print(f"warning: accepted equivalent {name} is no longer a mutant; remove it from {args.equivalents}")
    for name in sorted(name for name in accepted if results.get(name) in CAUGHT):
        print(f"note: accepted equivalent {name} is now {results[name]}; remove it from {args.equivalents}")
    unfinished = sum(1 for status in results.values() if status in UNFINISHED)
    if unfinished:
        print(f"warning: {unfinished} mutants were not tested (an interrupted run?); they count as not caught")

    if args.show_survivors:
        print()
        for name, status in sorted(results.items()):
            if status in NOT_CAUGHT and name not in accepted:
                print(f"  {name}: {status}")

    failures = [
        f"{module} {percent(counts):.1f}% < {args.min_module:g}%"
        for module, counts in sorted(by_module.items())
        if percent(counts) < args.min_module
    ]
    if percent(total) < args.min_total:
        failures.insert(0, f"total {percent(total):.1f}% < {args.min_total:g}%")
    print()
    if failures:
        print("Mutation score below threshold: " + "; ".join(failures))
        print("See the survivors with `mutmut results`, one with `mutmut show NAME` (docs/testing.md#mutation-testing).")
        return EXIT_BELOW_THRESHOLD
    print(f"Mutation score OK: total {percent(total):.1f}% >= {args.min_total:g}%, every module >= {args.min_module:g}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
