"""The crawl's web archive: WARC files (ISO 28500, WARC/1.1), written as
the crawl goes and read back by ``scrapy reextract``.

Each fetch is one ``response`` record (the HTTP status, headers and body as
received) and one ``request`` record (``WARC-Concurrent-To`` the response).
Both go to the file in one write of two whole gzip members, so a crawl
killed at any instant leaves every record before it whole and none half
written. A file is closed once it reaches its size limit; the next one opens
with the next sequence number, each starting with a ``warcinfo`` record.

Headers of this project (``WARC-X-…``): the mirror's address a page was
fetched from, the final address of a browser render that followed
redirects, where a redirect chain started, and ``WARC-X-Rendered-By:
browser`` on the HTML a browser produced (``docs/archive.md``).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

logger = logging.getLogger(__name__)

WARC_VERSION = "WARC/1.1"
SUFFIX = ".warc.gz"
MIRROR_URI = "WARC-X-Mirror-URI"
FINAL_URI = "WARC-X-Final-URI"
REDIRECTED_FROM = "WARC-X-Redirected-From"
RENDERED_BY = "WARC-X-Rendered-By"
BROWSER = "browser"
# The body is stored as received, decoded from its transfer chunks: a
# reader would try to de-chunk it again. A browser's body is the HTML it
# produced, neither compressed nor of the announced length.
TRANSFER_HEADERS = frozenset({"transfer-encoding"})
BROWSER_DROPPED_HEADERS = frozenset({"transfer-encoding", "content-encoding", "content-length"})


@dataclass(frozen=True)
class Exchange:
    """One fetch: what was asked for and what came back."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    final_url: str | None = None  # a browser render that ended elsewhere
    redirected_from: str | None = None
    mirror_url: str | None = None
    rendered: bool = False
    protocol: str = "HTTP/1.1"


@dataclass(frozen=True)
class Archived:
    """Where a response is archived: the file's path under ``WARC_DIR``
    (``<crawl>/<file>``) and its record's ``WARC-Record-ID``."""

    file: str
    record_id: str

    def as_field(self) -> dict[str, str]:
        """The record's ``source_warc``."""
        return {"file": self.file, "record_id": self.record_id}


def file_reference(path: Path) -> str:
    """A WARC file as records name it: ``<crawl folder>/<file name>``."""
    return f"{path.parent.name}/{path.name}"


def crawled_at(warc_date: str) -> str:
    """A record's ``WARC-Date`` as the record contract's ``crawled_at`` (seconds, ``Z``)."""
    moment = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcWriter:
    """Writes exchanges to ``<folder>/<prefix>-<started>-<NNNNN>.warc.gz``,
    a new file once one reaches *max_size* bytes; never over an existing
    file (a later sequence number is taken)."""

    def __init__(self, folder: Path, prefix: str, started: datetime, info: Mapping[str, str], max_size: int):
        self.folder = folder
        self.stem = f"{prefix}-{started.strftime('%Y%m%dT%H%M%SZ')}"
        self.info = info
        self.max_size = max_size
        self.sequence = 0
        self.file: io.FileIO | None = None
        self.path: Path | None = None
        self.records = RecordBuilder(warc_version=WARC_VERSION)
        self.files_opened = 0
        self.bytes_written = 0

    def write(self, exchange: Exchange) -> Archived:
        if self.file is None:
            self._open_next()
        response = self._response_record(exchange)
        request = self._request_record(exchange)
        data = _members(response, request)
        self.file.write(data)  # one unbuffered write: whole records or none
        self.bytes_written += len(data)
        archived = Archived(file_reference(self.path), response.rec_headers.get_header("WARC-Record-ID"))
        if self.file.tell() >= self.max_size:
            self.close()
        return archived

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None

    def _open_next(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            self.sequence += 1
            path = self.folder / f"{self.stem}-{self.sequence:05d}{SUFFIX}"
            try:
                self.file = open(path, "xb", buffering=0)  # noqa: SIM115 - kept open across writes
            except FileExistsError:
                continue
            break
        self.path = path
        self.files_opened += 1
        warcinfo = self.records.create_warcinfo_record(path.name, dict(self.info))
        data = _members(warcinfo)
        self.file.write(data)
        self.bytes_written += len(data)

    def _response_record(self, exchange: Exchange):
        dropped = BROWSER_DROPPED_HEADERS if exchange.rendered else TRANSFER_HEADERS
        headers = [(name, value) for name, value in exchange.response_headers if name.lower() not in dropped]
        if exchange.rendered:
            headers.append(("Content-Length", str(len(exchange.body))))
        http_headers = StatusAndHeaders(_status_line(exchange.status), headers, protocol=exchange.protocol)
        extra = {
            FINAL_URI: exchange.final_url,
            REDIRECTED_FROM: exchange.redirected_from,
            MIRROR_URI: exchange.mirror_url,
            RENDERED_BY: BROWSER if exchange.rendered else None,
        }
        return self.records.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.body),
            length=len(exchange.body),
            http_headers=http_headers,
            warc_headers_dict={name: value for name, value in extra.items() if value},
        )

    def _request_record(self, exchange: Exchange):
        parts = urlsplit(exchange.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = [("Host", parts.netloc), *exchange.request_headers]
        http_headers = StatusAndHeaders(
            f"{exchange.method} {target} {exchange.protocol}", headers, is_http_request=True
        )
        return self.records.create_warc_record(
            exchange.url, "request", payload=io.BytesIO(b""), length=0, http_headers=http_headers
        )


def _members(*records) -> bytes:
    """*records* as gzip members, the first response's id named by the
    request that follows it."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version=WARC_VERSION)
    if len(records) == 2:
        writer.write_request_response_pair(records[1], records[0])
    else:
        for record in records:
            writer.write_record(record)
    return buffer.getvalue()


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


# -- reading --------------------------------------------------------------


@dataclass(frozen=True)
class ArchivedResponse:
    """A response record: where it is and what it says of itself."""

    path: Path
    offset: int
    url: str
    record_id: str
    date: str

    @property
    def archived(self) -> Archived:
        return Archived(file_reference(self.path), self.record_id)


@dataclass(frozen=True)
class StoredResponse:
    """A response record read back."""

    url: str  # the final address
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    protocol: str


def warc_files(paths: Iterable[Path]) -> list[Path]:
    """The WARC files of *paths* (files, or folders searched for ``*.warc.gz``),
    each once, in name order within a folder: the order they were written."""
    found: dict[Path, None] = {}
    for path in paths:
        for file in sorted(path.rglob(f"*{SUFFIX}")) if path.is_dir() else [path]:
            found.setdefault(file.resolve(), None)
    return list(found)


def response_records(path: Path) -> Iterator[ArchivedResponse]:
    """Every response record of a WARC file, up to its last whole record."""
    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        try:
            for record in records:
                if record.rec_type == "response":
                    headers = record.rec_headers
                    yield ArchivedResponse(
                        path,
                        records.get_record_offset(),
                        headers.get_header("WARC-Target-URI"),
                        headers.get_header("WARC-Record-ID"),
                        headers.get_header("WARC-Date"),
                    )
        except (ArchiveLoadFailed, EOFError, OSError) as error:
            logger.warning("%s is cut short (%s): read up to its last whole record", path, error)


def latest_responses(paths: Iterable[Path]) -> dict[str, ArchivedResponse]:
    """The latest response archived for each URL (by ``WARC-Date``; of two
    at the same instant, the one written later)."""
    latest: dict[str, ArchivedResponse] = {}
    for path in paths:
        for response in response_records(path):
            kept = latest.get(response.url)
            if kept is None or _instant(response.date) >= _instant(kept.date):
                latest[response.url] = response
    return latest


def read_response(response: ArchivedResponse) -> StoredResponse:
    with response.path.open("rb") as stream:
        stream.seek(response.offset)
        record = next(iter(ArchiveIterator(stream)))
        body = record.raw_stream.read()
        http = record.http_headers
        return StoredResponse(
            url=record.rec_headers.get_header(FINAL_URI) or response.url,
            status=int(http.get_statuscode()),
            headers=list(http.headers),
            body=body,
            protocol=http.protocol,
        )


def warcinfo(path: Path) -> dict[str, str]:
    """The fields of a WARC file's ``warcinfo`` record (empty without one)."""
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "warcinfo":
                return {}
            fields = {}
            for line in record.content_stream().read().decode("utf-8").splitlines():
                name, _, value = line.partition(":")
                fields[name.strip()] = value.strip()
            return fields
    return {}


def _instant(warc_date: str) -> datetime:
    return datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
