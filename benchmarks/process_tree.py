"""Memory and CPU of a process and all its descendants, read from /proc (Linux).

`TreeSampler(pid)` samples, every `interval` seconds until stopped, the RSS
and PSS of the process itself and the PSS summed over the process and its
descendants (for a crawl: Scrapy, the Playwright driver, Chromium and its
helpers). PSS (proportional set size) shares each page among the processes
that map it, so a tree's sum counts shared libraries once, where a sum of
RSS would count them in every process.
"""

import os
import statistics
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.processes import descendants  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MIB = 1024  # KiB in a MiB


def tree(pid: int) -> list[int]:
    """`pid` and all its live descendants."""
    return [pid, *descendants(pid)]


def _kib(path: str, label: str) -> int:
    """The `label:` line of a /proc status-like file, in KiB (0 when the process is gone)."""
    try:
        with open(path) as lines:
            for line in lines:
                if line.startswith(label):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kib(pid: int) -> int:
    return _kib(f"/proc/{pid}/smaps_rollup", "Pss:")


def rss_kib(pid: int) -> int:
    return _kib(f"/proc/{pid}/status", "VmRSS:")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the live process `pid` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass
class TreeSampler:
    pid: int
    interval: float = 0.5
    process_rss: list[int] = field(default_factory=list)  # KiB, one per sample
    process_pss: list[int] = field(default_factory=list)
    tree_pss: list[int] = field(default_factory=list)
    most_processes: int = 0

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tree-sampler", daemon=True)

    def start(self) -> "TreeSampler":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = rss_kib(self.pid)
            if rss == 0:
                return  # the process has ended
            processes = tree(self.pid)
            self.most_processes = max(self.most_processes, len(processes))
            self.process_rss.append(rss)
            self.process_pss.append(pss_kib(self.pid))
            self.tree_pss.append(sum(map(pss_kib, processes)))
            self._stop.wait(self.interval)

    def summary(self) -> dict:
        """Peak and median of each series, in MiB."""

        def mib(values: list[int], how) -> float:
            return round(how(values) / MIB, 1) if values else 0.0

        return {
            "crawler_rss_mib": {"peak": mib(self.process_rss, max), "median": mib(self.process_rss, statistics.median)},
            "crawler_pss_mib": {"peak": mib(self.process_pss, max), "median": mib(self.process_pss, statistics.median)},
            "tree_pss_mib": {"peak": mib(self.tree_pss, max), "median": mib(self.tree_pss, statistics.median)},
            "most_processes": self.most_processes,
            "memory_samples": len(self.tree_pss),
        }
