"""Reading what a killed run wrote past the point the crawl state knew of,
in JSON Lines and CSV files written by the project's own exporters."""

import logging

import pytest

from sulsel_crawler.exporters import CsvArticleExporter, JsonLinesArticleExporter
from sulsel_crawler.items import ARTICLE_FIELDS
from sulsel_crawler.state.datasets import cut_broken_tail, records_after

pytestmark = pytest.mark.unit

EXPORTERS = {"jsonlines": JsonLinesArticleExporter, "csv": CsvArticleExporter}


def article(number):
    record = dict.fromkeys(ARTICLE_FIELDS)
    record.update(
        url=f"https://www.sulselsatu.com/2022/03/11/makassar/a{number}.html",
        body="Paragraf satu.\n\nParagraf dua, dengan koma.",
        tags=["Makassar"],
        images=[],
        word_count=6,
    )
    return record


def write(path, format, records):
    """Appends the records as a crawl would; the file's size after each one."""
    sizes = []
    with path.open("ab") as file:
        exporter = EXPORTERS[format](file)
        exporter.start_exporting()
        for record in records:
            exporter.export_item(record)
            sizes.append(path.stat().st_size)
        exporter.finish_exporting()
    return sizes


@pytest.mark.parametrize("format", EXPORTERS)
def test_records_past_the_known_size_are_read_whole(tmp_path, format):
    path = tmp_path / f"a.{format}"
    sizes = write(path, format, [article(1), article(2), article(3)])
    tail = records_after(path, format, sizes[0])
    assert [record["url"] for record in tail.records] == [article(2)["url"], article(3)["url"]]
    assert tail.records[0]["body"] == "Paragraf satu.\n\nParagraf dua, dengan koma."
    assert tail.whole_size == tail.size == sizes[2]


@pytest.mark.parametrize("format", EXPORTERS)
def test_from_the_start_every_record_is_read(tmp_path, format):
    path = tmp_path / f"a.{format}"
    write(path, format, [article(1), article(2)])
    assert [record["url"] for record in records_after(path, format, 0).records] == [
        article(1)["url"],
        article(2)["url"],
    ]


@pytest.mark.parametrize("format", EXPORTERS)
def test_a_record_cut_short_is_not_read_and_is_cut_off(tmp_path, format):
    path = tmp_path / f"a.{format}"
    sizes = write(path, format, [article(1), article(2)])
    whole = path.read_bytes()
    # The kill came in the middle of the second record, inside its body's blank line.
    cut = whole.index(b"dua", sizes[0])
    path.write_bytes(whole[:cut])
    tail = records_after(path, format, 0)
    assert [record["url"] for record in tail.records] == [article(1)["url"]]
    assert (tail.whole_size, tail.size) == (sizes[0], cut)
    cut_broken_tail(path, tail)
    assert path.read_bytes() == whole[: sizes[0]]


@pytest.mark.parametrize("format", EXPORTERS)
def test_nothing_past_the_known_size(tmp_path, format, caplog):
    path = tmp_path / f"a.{format}"
    sizes = write(path, format, [article(1)])
    tail = records_after(path, format, sizes[0])
    assert (tail.records, tail.whole_size, tail.size) == ([], sizes[0], sizes[0])
    with caplog.at_level(logging.WARNING):
        cut_broken_tail(path, tail)
    assert path.stat().st_size == sizes[0]
    assert caplog.records == []


@pytest.mark.parametrize("format", EXPORTERS)
def test_only_a_record_cut_short_past_the_known_size(tmp_path, format):
    path = tmp_path / f"a.{format}"
    sizes = write(path, format, [article(1)])
    with path.open("ab") as file:
        file.write(b"https://www.sulselsatu.com/2022/03/11/makassar/a2.html,")
    tail = records_after(path, format, sizes[0])
    assert (tail.records, tail.whole_size, tail.size) == ([], sizes[0], sizes[0] + 55)


def test_cutting_a_broken_tail_says_what_and_how_much(tmp_path, caplog):
    path = tmp_path / "a.jsonlines"
    sizes = write(path, "jsonlines", [article(1), article(2)])
    path.write_bytes(path.read_bytes()[: sizes[0] + 10])
    with caplog.at_level(logging.WARNING):
        cut_broken_tail(path, records_after(path, "jsonlines", 0))
    assert [(record.levelno, record.getMessage()) for record in caplog.records] == [
        (
            logging.WARNING,
            f"Crawl state: {path} ended in a record cut short by the interrupted run (10 bytes); "
            "removed, its article will be fetched again",
        )
    ]


def test_csv_cells_come_back_as_text_and_empty_cells_as_null(tmp_path):
    path = tmp_path / "a.csv"
    write(path, "csv", [article(1)])
    (record,) = records_after(path, "csv", 0).records
    assert list(record) == list(ARTICLE_FIELDS)
    assert record["author"] is None
    assert record["tags"] == '["Makassar"]'
