"""The replica server in a process of its own (`python -m replica`), so that
the CPU it uses is measured apart from the crawl's and the benchmark's."""

import subprocess
import sys
from pathlib import Path

from process_tree import cpu_seconds

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from replica.requests_log import read_log  # noqa: E402


class ReplicaProcess:
    """`python -m replica --site SITE --port 0 --log LOG [--api]`, as a context manager."""

    def __init__(self, site: Path, log: Path, api: bool = False):
        self.site, self.log, self.api = site, log, api
        self.base_url = ""
        self.cpu_seconds = 0.0

    def __enter__(self) -> "ReplicaProcess":
        command = [sys.executable, "-m", "replica", "--site", str(self.site), "--port", "0", "--log", str(self.log)]
        self.process = subprocess.Popen(
            command + (["--api"] if self.api else []), cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True
        )
        # "serving SITE at http://127.0.0.1:PORT"
        self.base_url = self.process.stdout.readline().split(" at ")[-1].strip()
        return self

    def requests(self) -> list[dict]:
        return read_log(self.log)

    def __exit__(self, *exc_info) -> None:
        self.cpu_seconds = cpu_seconds(self.process.pid)
        self.process.terminate()
        self.process.wait(timeout=30)
