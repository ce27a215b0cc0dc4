"""The web archive's parts, each on its own: WARC files written and read
back (rotation, never over a file, the latest response per URL, a file cut
short), a fetch as an exchange, the record's provenance and its schema."""

import gzip
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response
from warcio.checker import Checker

from sulsel_crawler.commands.reextract import archives_mirror
from sulsel_crawler.items import Article
from sulsel_crawler.middlewares.archive import SOURCE_WARC_KEY, exchange
from sulsel_crawler.mirror import mirror_url
from sulsel_crawler.middlewares.provenance import ARCHIVED_AT_KEY, with_provenance
from sulsel_crawler.pipelines.validate import article_problems
from sulsel_crawler.warc import (
    Exchange,
    WarcWriter,
    crawled_at,
    latest_responses,
    read_response,
    response_records,
    warc_files,
    warcinfo,
)
from tests.support.gold import gold_items
from tests.support.warc import read_records

pytestmark = pytest.mark.unit

PAGE = "https://www.sulselsatu.com/2022/03/11/makassar/judul-berita.html"
STARTED = datetime(2025, 5, 12, 6, 0, 0, tzinfo=timezone.utc)


def page(url=PAGE, body=b"<html><body>satu</body></html>", status=200, headers=(("Content-Type", "text/html"),),
         **fields) -> Exchange:
    return Exchange(url=url, method="GET", request_headers=[("User-Agent", "test")], status=status,
                    response_headers=list(headers), body=body, **fields)


def writer(folder, max_size=1_000_000, info=None) -> WarcWriter:
    return WarcWriter(folder, "sulselsatu", STARTED, info or {"software": "test"}, max_size)


def test_a_file_is_closed_at_its_size_and_the_next_starts_with_warcinfo(tmp_path):
    archive = writer(tmp_path / "site", max_size=1_000)
    places = [archive.write(page(body=bytes(range(256)) * 8)) for _ in range(3)]
    archive.close()
    names = [path.name for path in warc_files([tmp_path])]
    assert names == [f"sulselsatu-20250512T060000Z-0000{n}.warc.gz" for n in (1, 2, 3)]
    assert [place.file for place in places] == [f"site/{name}" for name in names]
    for path in warc_files([tmp_path]):
        assert [record.type for record in read_records(path)] == ["warcinfo", "response", "request"]
    assert Checker(SimpleNamespace(inputs=[str(p) for p in warc_files([tmp_path])], verbose=False)).process_all() == 0


def test_an_existing_file_is_never_written_over(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    taken = folder / "sulselsatu-20250512T060000Z-00001.warc.gz"
    taken.write_bytes(b"another run's file")
    archive = writer(folder)
    place = archive.write(page())
    archive.close()
    assert taken.read_bytes() == b"another run's file"
    assert place.file == "site/sulselsatu-20250512T060000Z-00002.warc.gz"


def test_the_response_record_is_the_fetch_as_received(tmp_path):
    compressed = gzip.compress(b"<html>isi</html>")
    headers = [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked"),
               ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]
    archive = writer(tmp_path / "site")
    archive.write(page(body=compressed, status=503, headers=headers, mirror_url="http://127.0.0.1:1/x",
                       redirected_from="https://www.sulselsatu.com/old.html"))
    archive.close()
    response = latest_responses(warc_files([tmp_path]))[PAGE]
    stored = read_response(response)
    assert (stored.url, stored.status, stored.body) == (PAGE, 503, compressed)
    assert stored.headers == [("Content-Encoding", "gzip"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]
    record = read_records(response.path)[1]
    assert record.headers["WARC-X-Mirror-URI"] == "http://127.0.0.1:1/x"
    assert record.headers["WARC-X-Redirected-From"] == "https://www.sulselsatu.com/old.html"
    assert "WARC-X-Rendered-By" not in record.headers


def test_a_browser_render_is_marked_and_stored_as_the_html_it_produced(tmp_path):
    html = "<html><body>rendered é</body></html>".encode()
    archive = writer(tmp_path / "site")
    archive.write(page(body=html, headers=[("Content-Encoding", "br"), ("Content-Length", "7")], rendered=True,
                       final_url="https://www.sulselsatu.com/final.html"))
    archive.close()
    response = latest_responses(warc_files([tmp_path]))[PAGE]
    record = read_records(response.path)[1]
    assert record.headers["WARC-X-Rendered-By"] == "browser"
    assert record.headers["WARC-X-Final-URI"] == "https://www.sulselsatu.com/final.html"
    stored = read_response(response)
    assert (stored.url, stored.body) == ("https://www.sulselsatu.com/final.html", html)
    assert stored.headers == [("Content-Length", str(len(html)))]


def test_the_latest_response_of_each_url_wins_across_files(tmp_path):
    first, second = writer(tmp_path / "site"), WarcWriter(
        tmp_path / "site", "sulselsatu", STARTED.replace(hour=7), {"software": "test"}, 1_000_000
    )
    first.write(page(body=b"old"))
    first.write(page(url="https://www.sulselsatu.com/", body=b"home"))
    second.write(page(body=b"new"))
    first.close(), second.close()
    latest = latest_responses(warc_files([tmp_path / "site"]))
    assert read_response(latest[PAGE]).body == b"new"
    assert read_response(latest["https://www.sulselsatu.com/"]).body == b"home"


def test_a_file_cut_short_is_read_up_to_its_last_whole_record(tmp_path):
    archive = writer(tmp_path / "site")
    archive.write(page(url="https://www.sulselsatu.com/a.html"))
    whole = archive.file.tell()
    archive.write(page(url="https://www.sulselsatu.com/b.html"))
    archive.close()
    path = warc_files([tmp_path])[0]
    path.write_bytes(path.read_bytes()[: whole + 40])
    assert [response.url for response in response_records(path)] == ["https://www.sulselsatu.com/a.html"]


def test_crawled_at_is_the_warc_date_to_the_second():
    assert crawled_at("2025-05-12T06:00:01.999999Z") == "2025-05-12T06:00:01Z"
    assert crawled_at("2025-05-12T06:00:01Z") == "2025-05-12T06:00:01Z"


def test_an_exchange_is_what_the_download_handler_returned():
    request = Request(PAGE, headers={"User-Agent": "ua"}, meta={"redirect_urls": ["https://www.sulselsatu.com/a"]})
    response = Response(PAGE, status=301, headers={"Location": "/b"}, body=b"", protocol="HTTP/1.0")
    fetch = exchange(request, response, "http://127.0.0.1:8765")
    assert (fetch.url, fetch.status, fetch.protocol, fetch.rendered) == (PAGE, 301, "HTTP/1.0", False)
    assert fetch.redirected_from == "https://www.sulselsatu.com/a"
    assert fetch.mirror_url == "http://127.0.0.1:8765/2022/03/11/makassar/judul-berita.html"
    assert ("User-Agent", "ua") in fetch.request_headers and ("Location", "/b") in fetch.response_headers
    assert fetch.final_url is None


def test_a_browser_render_is_an_exchange_of_its_own_kind():
    request = Request(PAGE, meta={"playwright": True})
    response = HtmlResponse("https://www.sulselsatu.com/final.html", body=b"<html></html>", flags=["playwright"])
    fetch = exchange(request, response, None)
    assert fetch.rendered and fetch.final_url == "https://www.sulselsatu.com/final.html"
    assert (fetch.mirror_url, fetch.protocol) == (None, "HTTP/1.1")


def test_mirror_url_keeps_path_and_query():
    assert mirror_url("http://h:1/pre", "https://www.sulselsatu.com/kanal/a?page=2") == "http://h:1/pre/kanal/a?page=2"
    assert mirror_url("http://h:1", "https://www.sulselsatu.com") == "http://h:1/"


def test_a_record_names_its_archived_page_and_a_replayed_one_its_fetch_time():
    source = {"file": "site/sulselsatu-20250512T060000Z-00001.warc.gz", "record_id": "<urn:uuid:" + "0" * 36 + ">"}
    item = Article(gold_items()[0])
    live = HtmlResponse(PAGE, body=b"", request=Request(PAGE, meta={SOURCE_WARC_KEY: source}))
    assert with_provenance(item, live)["source_warc"] == source
    assert item["crawled_at"] == gold_items()[0]["crawled_at"]
    replayed = HtmlResponse(PAGE, body=b"", request=Request(
        PAGE, meta={SOURCE_WARC_KEY: source, ARCHIVED_AT_KEY: "2020-01-01T00:00:00Z"}
    ))
    assert with_provenance(item, replayed)["crawled_at"] == "2020-01-01T00:00:00Z"
    unarchived = HtmlResponse(PAGE, body=b"", request=Request(PAGE))
    assert with_provenance(item, unarchived)["source_warc"] is None
    request = Request(PAGE)
    assert with_provenance(request, live) is request


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        (None, None),
        ({"file": "site/a.warc.gz", "record_id": "<urn:uuid:12345678-1234-1234-1234-123456789abc>"}, None),
        ({"file": "a.warc.gz", "record_id": "<urn:uuid:12345678-1234-1234-1234-123456789abc>"}, "source_warc.file"),
        ({"file": "site/a.warc.gz", "record_id": "12345678"}, "source_warc.record_id"),
        ({"file": "site/a.warc.gz"}, "source_warc.record_id: missing"),
        ("site/a.warc.gz", "source_warc: expected object or null"),
    ],
)
def test_the_schema_holds_source_warc_to_its_shape(source, problem):
    problems = article_problems({**gold_items()[0], "source_warc": source})
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_reextraction_judges_the_archive_of_a_mirror_as_a_mirror_crawl(tmp_path):
    for name, arguments in (("live", '{"base_url": null}'), ("mirror", '{"base_url": "http://127.0.0.1:8765"}')):
        archive = writer(tmp_path / name, info={"software": "test", "spider-arguments": arguments})
        archive.write(page())
        archive.close()
    live, mirror = warc_files([tmp_path / "live"]), warc_files([tmp_path / "mirror"])
    assert warcinfo(mirror[0])["spider-arguments"] == '{"base_url": "http://127.0.0.1:8765"}'
    assert (archives_mirror(live), archives_mirror(mirror), archives_mirror(live + mirror)) == (False, True, True)
