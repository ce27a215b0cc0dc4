"""What the replica answers to one request: the manifest's dynamic behaviours."""

import threading
from dataclasses import dataclass, field

from .challenge import challenge_page, challenge_token, has_valid_cookie
from .placeholder import PLACEHOLDER_PNG
from .site import PLACEHOLDER, Snapshot, content_type_for, page_key, page_number

HTML = "text/html; charset=utf-8"


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _small_page(title: str) -> bytes:
    return (
        f'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><h1>{title}</h1></body></html>\n"
    ).encode()


def _not_found() -> Response:
    return Response(404, HTML, _small_page("404 Halaman tidak ditemukan"))


class SiteBehaviour:
    """Answers requests for one snapshot the way the live site would.

    Order of checks: the WordPress REST API (when on), placeholder images,
    redirects, deleted articles, the cookie challenge, transient failures,
    then the page file itself.
    """

    def __init__(
        self,
        snapshot: Snapshot,
        origin: str,
        challenge: bool = True,
        transient: bool = True,
        api=None,
    ):
        manifest = snapshot.manifest
        # The WordPress REST API (replica.api.WordPressAPI) when it is on:
        # answered first, never challenged nor failing.
        self.api = api
        self.snapshot = snapshot
        self.origin = origin
        self.redirects: dict[str, str] = manifest["redirects"]
        self.not_found = set(manifest["not_found"])
        self.challenge_paths = set(manifest["challenge"]["paths"]) if challenge else set()
        self.cookie_name = manifest["challenge"]["cookie"]
        self.challenge_n = manifest["challenge"]["n"]
        self.token = challenge_token(self.challenge_n)
        self.transient_keys = set(manifest["transient_500"]) if transient else set()
        self._failed_once: set[str] = set()
        self._lock = threading.Lock()

    def answer(self, path: str, query: str, cookie_header: str) -> Response:
        if self.api is not None:
            api_response = self.api.answer(path, query)
            if api_response is not None:
                return api_response
        content_type = content_type_for(self.snapshot.manifest, path)
        if content_type == PLACEHOLDER:
            return Response(200, "image/png", PLACEHOLDER_PNG)
        if path in self.redirects:
            location = self.origin + self.redirects[path] + (f"?{query}" if query else "")
            return Response(301, HTML, _small_page("301 Moved Permanently"), {"Location": location})
        if path in self.not_found:
            return _not_found()
        if path in self.challenge_paths and not self._has_cookie(cookie_header):
            page = challenge_page(self.challenge_n, self.cookie_name).encode()
            return Response(503, HTML, page, {"Cache-Control": "no-store"})
        if self._fails_this_time(page_key(path, query)):
            return Response(500, HTML, _small_page("500 Internal Server Error"))
        file = self.snapshot.file_for(path, page_number(query))
        if file is None:
            return _not_found()
        return Response(200, content_type, file.read_bytes())

    def _has_cookie(self, cookie_header: str) -> bool:
        return has_valid_cookie(cookie_header, self.cookie_name, self.token)

    def _fails_this_time(self, key: str) -> bool:
        """True only for the first request of a transient-failure page."""
        if key not in self.transient_keys:
            return False
        with self._lock:
            if key in self._failed_once:
                return False
            self._failed_once.add(key)
            return True
