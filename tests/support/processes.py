"""A running crawl's processes, read from /proc: which programs it started
(Playwright's driver, Chromium) and when."""

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


def children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended meanwhile
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return children


def descendants(pid: int) -> list[int]:
    children = children_by_parent()
    found, pending = [], list(children.get(pid, []))
    while pending:
        child = pending.pop()
        found.append(child)
        pending.extend(children.get(child, []))
    return found


def is_running(pid: int) -> bool:
    """True until the process has ended (a zombie has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def program_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


@dataclass
class ProcessWatch:
    """Samples, every *interval* seconds while the process *pid* runs, the
    names of the programs it has started: ``samples`` is a list of
    ``(time.time(), set of program names)``."""

    pid: int
    interval: float = 0.05
    samples: list[tuple[float, frozenset[str]]] = field(default_factory=list)

    def __post_init__(self):
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while is_running(self.pid):
            names = frozenset(filter(None, map(program_name, descendants(self.pid))))
            self.samples.append((time.time(), names))
            time.sleep(self.interval)

    def join(self, timeout: float = 10) -> "ProcessWatch":
        self._thread.join(timeout)
        return self
