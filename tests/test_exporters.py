"""The article exporters, through Scrapy's feed exports and on their own."""

import codecs
import csv
import io
import json
import os

import pytest

from sulsel_crawler.exporters import CsvArticleExporter, JsonLinesArticleExporter
from sulsel_crawler.items import ARTICLE_FIELDS
from tests.support.crawl import read_jsonl
from tests.support.gold import gold_items
from tests.support.guards import crawl_records

JSON_COLUMNS = {"tags", "images"}


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def record_from_csv_row(header, row):
    """A CSV row back as a record, by the contract's CSV rules."""
    record = {}
    for name, cell in zip(header, row, strict=True):
        if name in JSON_COLUMNS:
            record[name] = json.loads(cell)
        elif name == "word_count":
            record[name] = int(cell)
        else:
            record[name] = cell if cell != "" else None
    return record


@pytest.fixture(scope="module")
def crawl_both_formats(tmp_path_factory):
    """One real crawl of every gold record into JSON Lines and CSV."""
    workdir = tmp_path_factory.mktemp("feeds")
    run = crawl_records(workdir, gold_items(), "-O", str(workdir / "out" / "articles.csv"))
    assert run.returncode == 0, run.log
    return workdir / "out"


@pytest.mark.crawl
def test_jsonl_feed_gives_back_the_records_exactly(crawl_both_formats):
    records = read_jsonl(crawl_both_formats / "articles.jsonl")
    assert records == gold_items()
    assert records and all(list(record) == list(ARTICLE_FIELDS) for record in records)


@pytest.mark.crawl
def test_jsonl_feed_is_utf8_one_record_per_line(crawl_both_formats):
    raw = (crawl_both_formats / "articles.jsonl").read_bytes()
    assert raw.endswith(b"\n")
    assert len(raw.splitlines()) == len(gold_items())
    assert "MAKASSAR –".encode() in raw  # an en dash, written as itself
    assert b"\\u2013" not in raw


@pytest.mark.crawl
def test_csv_feed_gives_back_the_records_exactly(crawl_both_formats):
    header, *rows = read_csv(crawl_both_formats / "articles.csv")
    assert header == list(ARTICLE_FIELDS)
    assert [record_from_csv_row(header, row) for row in rows] == gold_items()


@pytest.mark.crawl
def test_csv_feed_writes_lists_and_objects_as_json(crawl_both_formats):
    header, first_row, *_ = read_csv(crawl_both_formats / "articles.csv")
    cells = dict(zip(header, first_row, strict=True))
    first = gold_items()[0]
    assert cells["tags"] == json.dumps(first["tags"], ensure_ascii=False)
    assert cells["images"] == json.dumps(first["images"], ensure_ascii=False)
    assert cells["editor"] == ""  # None
    assert cells["word_count"] == str(first["word_count"])


@pytest.mark.crawl
def test_appending_to_a_csv_feed_does_not_repeat_the_header(tmp_path):
    records = gold_items()
    for batch in (records[:2], records[2:4]):
        run = crawl_records(tmp_path, batch, output="out/articles.csv", append=True)
        assert run.returncode == 0, run.log
    header, *rows = read_csv(tmp_path / "out" / "articles.csv")
    assert header == list(ARTICLE_FIELDS)
    assert [record_from_csv_row(header, row) for row in rows] == records[:4]


@pytest.mark.unit
@pytest.mark.parametrize("exporter_class", [JsonLinesArticleExporter, CsvArticleExporter])
def test_each_record_reaches_the_disk_whole(tmp_path, exporter_class):
    path = tmp_path / "feed"
    file = path.open("wb")  # buffered, as feed storages open files
    # Feed slots pass these options even when they are not set.
    exporter = exporter_class(file, encoding=None, fields_to_export=None)
    exporter.start_exporting()
    for count, record in enumerate(gold_items()[:5], start=1):
        exporter.export_item(record)
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n")
        if exporter_class is JsonLinesArticleExporter:
            assert len([json.loads(line) for line in text.splitlines()]) == count
        else:
            assert len(list(csv.reader(io.StringIO(text)))) == count + 1  # and the header
    exporter.finish_exporting()
    file.close()


@pytest.mark.unit
def test_exporters_write_contract_order_whatever_the_item_order(tmp_path):
    record = gold_items()[0]
    shuffled = dict(reversed(record.items()))
    jsonl, table = io.BytesIO(), io.BytesIO()
    for exporter in (JsonLinesArticleExporter(jsonl), CsvArticleExporter(table)):
        exporter.start_exporting()
        exporter.export_item(shuffled)
        exporter.finish_exporting()
    assert list(json.loads(jsonl.getvalue())) == list(ARTICLE_FIELDS)
    header, row = csv.reader(io.StringIO(table.getvalue().decode("utf-8")))
    assert header == list(ARTICLE_FIELDS)
    assert record_from_csv_row(header, row) == record


@pytest.mark.unit
def test_csv_always_has_every_column():
    table = io.BytesIO()
    exporter = CsvArticleExporter(table)
    exporter.start_exporting()
    exporter.export_item({"url": "https://www.sulselsatu.com/x.html", "tags": [], "author": None})
    exporter.finish_exporting()
    header, row = csv.reader(io.StringIO(table.getvalue().decode("utf-8")))
    cells = dict(zip(header, row, strict=True))
    assert header == list(ARTICLE_FIELDS)
    assert cells["tags"] == "[]"
    assert cells["author"] == ""
    assert cells["title"] == ""


@pytest.mark.unit
@pytest.mark.parametrize("exporter_class", [JsonLinesArticleExporter, CsvArticleExporter])
def test_exporters_write_utf8_unless_told_otherwise(exporter_class):
    for options in ({}, {"encoding": None}, {"encoding": ""}):
        exporter = exporter_class(io.BytesIO(), **options)
        assert codecs.lookup(exporter.encoding).name == "utf-8"


@pytest.mark.unit
def test_jsonl_writes_non_ascii_text_as_itself():
    file = io.BytesIO()
    exporter = JsonLinesArticleExporter(file, encoding=None, fields_to_export=None)
    exporter.start_exporting()
    exporter.export_item({"title": "Banjir – Makassar", "tags": ["Pemkot Makassar", "é"]})
    exporter.finish_exporting()
    assert file.getvalue() == '{"title": "Banjir – Makassar", "tags": ["Pemkot Makassar", "é"]}\n'.encode("utf-8")


@pytest.mark.unit
def test_csv_writes_non_ascii_json_cells_as_themselves():
    table = io.BytesIO()
    exporter = CsvArticleExporter(table, fields_to_export=["title", "tags", "images", "word_count", "editor"])
    exporter.start_exporting()
    exporter.export_item(
        {
            "title": "Banjir – Makassar",
            "tags": ["Pemkot Makassar", "é"],
            "images": [{"url": "https://www.sulselsatu.com/a.jpg", "caption": "Wali Kota – Makassar"}],
            "word_count": 12,
            "editor": None,
        }
    )
    exporter.finish_exporting()
    assert table.getvalue().decode("utf-8") == (
        "title,tags,images,word_count,editor\r\n"
        'Banjir – Makassar,"[""Pemkot Makassar"", ""é""]",'
        '"[{""url"": ""https://www.sulselsatu.com/a.jpg"", ""caption"": ""Wali Kota – Makassar""}]",12,\r\n'
    )


@pytest.mark.unit
@pytest.mark.parametrize("exporter_class", [JsonLinesArticleExporter, CsvArticleExporter])
def test_exporters_keep_an_encoding_they_are_given(exporter_class):
    file = io.BytesIO()
    exporter = exporter_class(file, encoding="latin-1", fields_to_export=["title"])
    exporter.start_exporting()
    exporter.export_item({"title": "Café Makassar"})
    exporter.finish_exporting()
    if exporter_class is JsonLinesArticleExporter:
        assert file.getvalue() == b'{"title": "Caf\xe9 Makassar"}\n'
    else:
        assert file.getvalue() == b"title\r\nCaf\xe9 Makassar\r\n"


@pytest.mark.unit
def test_exporters_keep_the_fields_they_are_given():
    record = {"url": "https://www.sulselsatu.com/x.html", "title": "Judul", "author": None, "tags": ["a"]}
    jsonl, table = io.BytesIO(), io.BytesIO()
    for exporter in (
        JsonLinesArticleExporter(jsonl, fields_to_export=["title", "url"]),
        CsvArticleExporter(table, fields_to_export=["title", "url"]),
    ):
        exporter.start_exporting()
        exporter.export_item(record)
        exporter.finish_exporting()
    assert jsonl.getvalue() == b'{"title": "Judul", "url": "https://www.sulselsatu.com/x.html"}\n'
    assert table.getvalue() == b"title,url\r\nJudul,https://www.sulselsatu.com/x.html\r\n"


def export_titles(file, *titles):
    exporter = CsvArticleExporter(file, fields_to_export=["title"])
    exporter.start_exporting()
    for title in titles:
        exporter.export_item({"title": title})
    exporter.finish_exporting()


@pytest.mark.unit
def test_csv_appended_to_a_file_with_rows_does_not_repeat_the_header(tmp_path):
    path = tmp_path / "articles.csv"
    for titles in (["Satu"], ["Dua", "Tiga"]):
        with path.open("ab") as file:
            export_titles(file, *titles)
    assert path.read_bytes() == b"title\r\nSatu\r\nDua\r\nTiga\r\n"


@pytest.mark.unit
@pytest.mark.parametrize("content, written", [(b"", b"title\r\nSatu\r\n"), (b"\n", b"\nSatu\r\n")])
def test_csv_header_only_at_the_start_of_the_file(content, written):
    file = io.BytesIO(content)
    file.seek(0, io.SEEK_END)
    export_titles(file, "Satu")
    assert file.getvalue() == written


@pytest.mark.unit
def test_csv_header_on_a_stream_that_cannot_tell_its_position():
    read_end, write_end = os.pipe()
    with open(read_end, "rb") as reader:
        with open(write_end, "wb") as writer:  # a pipe, as for a feed to stdout
            export_titles(writer, "Satu")
        assert reader.read() == b"title\r\nSatu\r\n"


@pytest.mark.unit
def test_csv_header_wanted_or_not_whatever_the_file_holds():
    file = io.BytesIO(b"title\r\n")
    file.seek(0, io.SEEK_END)
    exporter = CsvArticleExporter(file, fields_to_export=["title"], include_headers_line=True)
    exporter.start_exporting()
    exporter.export_item({"title": "Satu"})
    exporter.finish_exporting()
    assert file.getvalue() == b"title\r\ntitle\r\nSatu\r\n"
