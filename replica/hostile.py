"""A hostile variant of the replica: the sample site plus pages that try to
send a crawler elsewhere, and a listener standing for "another site".

`HostileReplicaServer(snapshot_dir, offsite_url)` serves the snapshot as
`ReplicaServer` does, and:

- `/` links the hostile pages below (and the other site once);
- OFFSITE_REDIRECT answers 301 to `offsite_url + "/landing.html"`;
- META_REFRESH is a page whose meta refresh leads to `offsite_url + "/refresh.html"`;
- LOOP_A and LOOP_B answer 301 to each other;
- TOO_LARGE is a page of TOO_LARGE_BYTES bytes;
- the article FOREIGN_CANONICAL names the article FOREIGN_CANONICAL_TARGET
  as its canonical and og:url, and in its head asks for an icon and a
  script of the other site, and goes there once loaded.

`OffsiteListener` is that other site: a server on another port that answers
every request with a small page and remembers it. A crawler that stays on
its site leaves it with no request at all.
"""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .behaviour import HTML, Response, SiteBehaviour
from .server import ReplicaServer

PUBLIC_ORIGIN = "https://www.sulselsatu.com"
HOSTILE_DIR = "/2025/01/10/makassar/"
OFFSITE_REDIRECT = HOSTILE_DIR + "pindah-ke-situs-lain.html"
META_REFRESH = HOSTILE_DIR + "segarkan-ke-situs-lain.html"
LOOP_A = HOSTILE_DIR + "putar-a.html"
LOOP_B = HOSTILE_DIR + "putar-b.html"
TOO_LARGE = HOSTILE_DIR + "halaman-raksasa.html"
TOO_LARGE_BYTES = 300_000
# Two ordinary articles of the 40-article sample (replica.SNAPSHOT_DIR).
FOREIGN_CANONICAL = "/2023/07/18/hukum/hakim-pn-makassar-vonis-pelaku-begal-10-tahun-penjara.html"
FOREIGN_CANONICAL_TARGET = (
    "/2025/05/11/hukum/polrestabes-makassar-tangkap-20-terduga-pelaku-pencurian-kendaraan-bermotor.html"
)
HOSTILE_PATHS = (OFFSITE_REDIRECT, META_REFRESH, LOOP_A, LOOP_B, TOO_LARGE)

CANONICAL = re.compile(r'(<link rel="canonical" href=")[^"]*(")')
OG_URL = re.compile(r'(<meta property="og:url" content=")[^"]*(")')


def _page(title: str, head: str = "", body: str = "") -> bytes:
    return (
        f'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8"><title>{title}</title>{head}'
        f"</head><body><h1>{title}</h1>{body}</body></html>\n"
    ).encode()


class HostileBehaviour(SiteBehaviour):
    def __init__(self, *args, offsite_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.offsite_url = offsite_url

    def answer(self, path: str, query: str, cookie_header: str) -> Response:
        if path == OFFSITE_REDIRECT:
            return self._redirect(self.offsite_url + "/landing.html")
        if path == LOOP_A:
            return self._redirect(self.origin + LOOP_B)
        if path == LOOP_B:
            return self._redirect(self.origin + LOOP_A)
        if path == META_REFRESH:
            refresh = f'<meta http-equiv="refresh" content="0; url={self.offsite_url}/refresh.html">'
            return Response(200, HTML, _page("Segarkan", head=refresh))
        if path == TOO_LARGE:
            filler = "<p>" + "Halaman ini terlalu besar. " * 40 + "</p>\n"
            body = _page("Raksasa", body=filler * (TOO_LARGE_BYTES // len(filler) + 1))
            return Response(200, HTML, body)
        response = super().answer(path, query, cookie_header)
        if response.status == 200 and path == "/":
            response.body = self._with_hostile_links(response.body)
        elif response.status == 200 and path == FOREIGN_CANONICAL:
            response.body = self._with_foreign_canonical(response.body)
        return response

    def _redirect(self, location: str) -> Response:
        return Response(301, HTML, _page("301 Moved Permanently"), {"Location": location})

    def _with_hostile_links(self, page: bytes) -> bytes:
        links = "".join(
            f'<a href="{PUBLIC_ORIGIN}{path}">{path}</a>\n' for path in HOSTILE_PATHS if path != LOOP_B
        )
        links += f'<a href="{self.offsite_url}/linked.html">situs lain</a>\n'
        return page.replace(b"</body>", links.encode() + b"</body>", 1)

    def _with_foreign_canonical(self, page: bytes) -> bytes:
        text = page.decode("utf-8")
        target = PUBLIC_ORIGIN + FOREIGN_CANONICAL_TARGET
        text, canonicals = CANONICAL.subn(rf"\g<1>{target}\g<2>", text)
        text, og_urls = OG_URL.subn(rf"\g<1>{target}\g<2>", text)
        if (canonicals, og_urls) != (1, 1):
            raise ValueError(f"{FOREIGN_CANONICAL}: expected one canonical link and one og:url")
        offsite = self.offsite_url
        head = (
            f'<link rel="icon" href="{offsite}/icon.png">'
            f'<script src="{offsite}/tracker.js"></script>'
            f'<script>addEventListener("load", () => {{ location.href = "{offsite}/script.html"; }});</script>'
        )
        return text.replace("</head>", head + "</head>", 1).encode("utf-8")


class HostileReplicaServer(ReplicaServer):
    """The replica with the hostile pages, sending off-site to *offsite_url*."""

    def __init__(self, site_dir, offsite_url: str, **kwargs):
        super().__init__(site_dir, **kwargs)
        self.offsite_url = offsite_url

    def behaviour(self) -> HostileBehaviour:
        return HostileBehaviour(
            self.snapshot, self.base_url, self.challenge, self.transient, offsite_url=self.offsite_url
        )


class _ListenerHandler(BaseHTTPRequestHandler):
    server: "_ListenerServer"

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        body = _page("Situs lain")
        self.send_response(200)
        self.send_header("Content-Type", HTML)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        """Silent: `paths` keeps the requests."""


class _ListenerServer(ThreadingHTTPServer):
    daemon_threads = True
    paths: list[str]


class OffsiteListener:
    """Another site on *host*, a free port: `paths` lists every request it got."""

    def __init__(self, host: str = "127.0.0.1"):
        self._httpd = _ListenerServer((host, 0), _ListenerHandler)
        self._httpd.paths = []
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def paths(self) -> list[str]:
        return list(self._httpd.paths)

    def __enter__(self) -> "OffsiteListener":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
