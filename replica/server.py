"""The replica HTTP server: a snapshot folder served as the live site behaves."""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from .api import WordPressAPI
from .behaviour import SiteBehaviour
from .site import Snapshot


class RequestLog:
    """Every answered request, kept in memory and optionally appended to a JSON-lines file."""

    def __init__(self, path: Path | str | None = None):
        self._entries: list[dict] = []
        self._lock = threading.Lock()
        self._file = open(path, "a", encoding="utf-8") if path else None

    def record(self, entry: dict) -> None:
        with self._lock:
            self._entries.append(entry)
            if self._file:
                self._file.write(json.dumps(entry, ensure_ascii=False) + "\n")
                self._file.flush()

    def entries(self) -> list[dict]:
        with self._lock:
            return list(self._entries)

    def close(self) -> None:
        with self._lock:
            if self._file:
                self._file.close()
                self._file = None


class _ReplicaHandler(BaseHTTPRequestHandler):
    server: "_ReplicaHTTPServer"
    protocol_version = "HTTP/1.1"
    server_version = "SulselsatuReplica"
    timeout = 30  # closes idle keep-alive connections

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def _respond(self, with_body: bool) -> None:
        self.received = time.time()
        if self.server.latency:
            time.sleep(self.server.latency)
        url = urlsplit(self.path)
        response = self.server.behaviour.answer(url.path, url.query, self.headers.get("Cookie", ""))
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(response.body)

    # send_response() calls log_request() for every answer, errors included
    # (bad request line, unsupported method), so this is the one place to log.
    def log_request(self, code="-", size="-") -> None:
        url = urlsplit(getattr(self, "path", ""))
        headers = getattr(self, "headers", None)
        self.server.request_log.record(
            {
                "t": time.time(),
                "received": getattr(self, "received", None),
                "method": getattr(self, "command", None) or "",
                "path": url.path,
                "query": url.query,
                "status": int(code),
                "user_agent": headers.get("User-Agent", "") if headers else "",
                "cookie": headers.get("Cookie", "") if headers else "",
            }
        )

    def log_message(self, format, *args) -> None:
        """Silent: the JSON request log replaces the default stderr lines."""


class _ReplicaHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops connections when a crawler opens many at once.
    request_queue_size = 128
    behaviour: SiteBehaviour
    request_log: RequestLog
    latency: float = 0.0

    def handle_error(self, request, client_address) -> None:
        """Ignore clients that hang up mid-answer; report anything else."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class ReplicaServer:
    """Serves a snapshot folder (`site/` + `manifest.json`) on a local port.

    `port=0` picks a free port. `challenge` and `transient` switch the cookie
    challenge and the first-request 500s; `api=True` answers the WordPress
    REST API under `/wp-json/` (replica.api), off by default; `latency`
    makes every answer take that many seconds, as a distant site's would
    (each log entry has the time the request was `received` and the time
    `t` it was answered). Use as a
    context manager or call `start()` / `stop()`; `requests` lists every
    answered request.
    """

    def __init__(
        self,
        site_dir: Path | str,
        host: str = "127.0.0.1",
        port: int = 0,
        challenge: bool = True,
        transient: bool = True,
        log_path: Path | str | None = None,
        api: bool = False,
        latency: float = 0.0,
    ):
        self.snapshot = Snapshot(site_dir)
        self.host = host
        self.port = port
        self.challenge = challenge
        self.transient = transient
        self.log_path = log_path
        self.api = api
        self.latency = latency
        self._httpd: _ReplicaHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._log: RequestLog | None = None

    @property
    def manifest(self) -> dict:
        return self.snapshot.manifest

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the replica server is not started")
        return f"http://{self.host}:{self._httpd.server_address[1]}"

    @property
    def requests(self) -> list[dict]:
        return self._log.entries() if self._log else []

    def start(self) -> "ReplicaServer":
        self._httpd = _ReplicaHTTPServer((self.host, self.port), _ReplicaHandler)
        self._log = RequestLog(self.log_path)
        self._httpd.request_log = self._log
        self._httpd.behaviour = self.behaviour()
        self._httpd.latency = self.latency
        # A short poll interval keeps stop() fast: shutdown() waits for one poll.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.01},
            name="replica-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def behaviour(self) -> SiteBehaviour:
        """What the server answers; a variant of the site overrides it."""
        api = WordPressAPI.from_snapshot(self.snapshot.root, self.base_url) if self.api else None
        return SiteBehaviour(self.snapshot, self.base_url, self.challenge, self.transient, api=api)

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
        self._log.close()
        self._httpd = None

    def __enter__(self) -> "ReplicaServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
