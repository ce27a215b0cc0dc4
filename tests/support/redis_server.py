"""A real redis-server for tests, on its own port and folder; optionally
persistent (every write in its append-only file before the reply), so that
it can be killed and started again with its data."""

import subprocess
import time
from pathlib import Path

import redis

from tests.support.components import require_component


class RedisServer:
    def __init__(self, port: int, folder: Path, persistent: bool = False):
        self.port = port
        self.folder = folder
        self.persistent = persistent
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if self.persistent else ["--appendonly", "no"]
        self.process = subprocess.Popen(
            [require_component("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             *persistence],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.kill()
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)

    def kill(self) -> None:
        """``kill -9``: no goodbye to the clients, nothing saved but what the
        append-only file already holds."""
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
