"""python -m sulsel_crawler.merge: dataset files in, one dataset out, each
article once, in contract order; on the sample's gold records."""

import json
import subprocess
import sys

import pytest

from sulsel_crawler.items import ARTICLE_FIELDS
from sulsel_crawler.merge import main, merge, write
from tests.support.crawl import REPO_ROOT, read_jsonl
from tests.support.gold import gold_items

pytestmark = pytest.mark.unit


def jsonl(path, records, cut_short=None):
    text = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    path.write_text(text + (cut_short or ""), encoding="utf-8")
    return path


def test_the_workers_files_make_one_dataset(tmp_path, capsys):
    items = gold_items()
    first = jsonl(tmp_path / "worker-1.jsonl", items[:25])
    second = jsonl(tmp_path / "worker-2.jsonl", items[25:])
    out = tmp_path / "merged" / "2026" / "all.jsonl"
    assert main([str(first), str(second), "-o", str(out)]) == 0
    assert read_jsonl(out) == items
    assert [list(record) for record in read_jsonl(out)] == [list(ARTICLE_FIELDS)] * len(items)
    assert capsys.readouterr().out == (
        f"{out}: {len(items)} articles from {len(items)} records in 2 files "
        "(0 older versions of an article replaced or dropped, 0 same bodies under another URL dropped)\n"
    )


def test_the_version_crawled_last_replaces_the_older_in_its_place(tmp_path):
    items = gold_items()
    changed = {**items[1], "title": "Judul baru", "content_hash": "f" * 64, "crawled_at": "2025-06-01T00:00:00Z"}
    older = {**items[2], "crawled_at": "2025-01-01T00:00:00Z"}
    merged = merge([jsonl(tmp_path / "full.jsonl", items[:3]), jsonl(tmp_path / "update.jsonl", [changed, older])])
    assert list(merged.records.values()) == [items[0], changed, items[2]]
    assert (merged.read, merged.replaced, merged.same_body) == (5, 2, 0)


def test_of_two_versions_crawled_at_the_same_time_the_first_stays(tmp_path):
    items = gold_items()
    twin = {**items[0], "title": "Judul lain"}
    merged = merge([jsonl(tmp_path / "a.jsonl", [items[0], twin])])
    assert list(merged.records.values()) == [items[0]]


def test_a_body_under_a_second_url_is_dropped_unless_its_article_changed(tmp_path):
    items = gold_items()
    copy = {**items[1], "id": "0" * 40, "url": items[1]["url"].replace(".html", "-2.html")}
    other_copy = {**copy, "id": "1" * 40, "url": items[1]["url"].replace(".html", "-3.html")}
    merged = merge([jsonl(tmp_path / "a.jsonl", items[:2] + [copy, other_copy])])
    assert list(merged.records) == [items[0]["id"], items[1]["id"]]
    assert merged.same_body == 2
    # Once the first article's body changed, the old body is free again.
    changed = {**items[1], "content_hash": "f" * 64, "crawled_at": "2025-06-01T00:00:00Z"}
    merged = merge([jsonl(tmp_path / "b.jsonl", [items[1], changed, copy])])
    assert list(merged.records) == [items[1]["id"], copy["id"]]
    assert merged.records[copy["id"]] == copy
    # The changed body is the first article's now: under another URL it is a copy.
    new_copy = {**changed, "id": "2" * 40, "url": items[1]["url"].replace(".html", "-4.html")}
    merged = merge([jsonl(tmp_path / "c.jsonl", [items[1], changed, new_copy])])
    assert list(merged.records) == [items[1]["id"]]
    assert merged.same_body == 1


def test_an_article_changed_twice_frees_each_body_it_left(tmp_path):
    items = gold_items()
    second = {**items[0], "content_hash": "e" * 64, "crawled_at": "2025-06-01T00:00:00Z"}
    third = {**items[0], "content_hash": "f" * 64, "crawled_at": "2025-07-01T00:00:00Z"}
    other = {**items[1], "content_hash": "e" * 64}
    merged = merge([jsonl(tmp_path / "a.jsonl", [items[0], second, third, other])])
    assert list(merged.records.values()) == [third, other]
    assert merged.same_body == 0


def test_csv_files_read_back_with_their_types_and_written_again(tmp_path):
    items = gold_items()
    items[0]["source_warc"] = {"file": "www.sulselsatu.com/a.warc.gz", "record_id": "<urn:uuid:1>"}
    csv_file = tmp_path / "worker.csv"
    write(items, csv_file)
    merged = merge([csv_file])
    assert list(merged.records.values()) == items
    assert any(record["tags"] for record in items) and any(record["author"] is None for record in items)
    again = tmp_path / "again.csv"
    write(merged.records.values(), again)
    assert again.read_bytes() == csv_file.read_bytes()


def test_a_csv_file_without_the_contract_header_is_refused(tmp_path, capsys):
    odd = tmp_path / "odd.csv"
    odd.write_text("url,title\r\nx,y\r\n", encoding="utf-8")
    assert main([str(odd), "-o", str(tmp_path / "out.jsonl")]) == 2
    assert capsys.readouterr().err == f"error: {odd} does not start with the contract's CSV header\n"
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert merge([empty]).records == {}


def test_blank_lines_are_passed_over(tmp_path):
    items = gold_items()[:2]
    spaced = tmp_path / "spaced.jsonl"
    spaced.write_text(json.dumps(items[0]) + "\n\n" + json.dumps(items[1]) + "\n", encoding="utf-8")
    assert list(merge([spaced]).records.values()) == items


def test_the_help_says_what_the_command_does(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit) as exit:
        main(["--help"])
    assert exit.value.code == 0
    assert capsys.readouterr().out == (
        "usage: python -m sulsel_crawler.merge [-h] -o OUTPUT inputs [inputs ...]\n\n"
        "Merge dataset files (JSON Lines or CSV) into one dataset, each article once.\n\n"
        "positional arguments:\n"
        "  inputs                dataset files; rejects files are left out\n\n"
        "options:\n"
        "  -h, --help            show this help message and exit\n"
        "  -o OUTPUT, --output OUTPUT\n"
        "                        the merged file: .jsonl or .csv\n"
    )
    with pytest.raises(SystemExit) as exit:
        main(["a.jsonl"])
    assert exit.value.code == 2
    assert "the following arguments are required: -o/--output" in capsys.readouterr().err


def test_a_last_line_cut_short_is_skipped_with_a_warning(tmp_path, capsys):
    items = gold_items()
    killed = jsonl(tmp_path / "killed.jsonl", items[:2], cut_short='{"id": "abc", "url')
    out = tmp_path / "out.jsonl"
    assert main([str(killed), "-o", str(out)]) == 0
    assert read_jsonl(out) == items[:2]
    assert capsys.readouterr().err == f"warning: {killed}:3: a last line cut short, skipped\n"


def test_a_broken_line_inside_a_file_stops_the_merge(tmp_path, capsys):
    items = gold_items()
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps(items[0]) + "\nnot json\n" + json.dumps(items[1]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main([str(broken), "-o", str(out)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {broken}:2 is not a JSON record: ")
    assert not out.exists()


def test_missing_inputs_and_an_output_among_the_inputs_are_refused(tmp_path, capsys):
    assert main([str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "out.jsonl")]) == 2
    assert capsys.readouterr().err.startswith(f"error: cannot read {tmp_path / 'missing.jsonl'}: ")
    data = jsonl(tmp_path / "a.jsonl", gold_items()[:1])
    assert main([str(data), "-o", str(data)]) == 2
    assert capsys.readouterr().err == f"error: the output {data} is one of the inputs\n"
    assert len(read_jsonl(data)) == 1


def test_rejects_files_are_left_out(tmp_path):
    data = jsonl(tmp_path / "a.jsonl", gold_items()[:1])
    rejects = tmp_path / "a.rejects.jsonl"
    rejects.write_text('{"url": "x", "stage": "download", "reasons": ["HTTP 500"]}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main([str(data), str(rejects), "-o", str(out)]) == 0
    assert read_jsonl(out) == gold_items()[:1]


def test_the_command_runs_as_a_module(tmp_path):
    data = jsonl(tmp_path / "a.jsonl", gold_items()[:3])
    out = tmp_path / "out.csv"
    done = subprocess.run(
        [sys.executable, "-m", "sulsel_crawler.merge", str(data), "-o", str(out)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{out}: 3 articles from 3 records in 1 files")
    assert out.read_bytes().decode("utf-8").startswith(",".join(ARTICLE_FIELDS) + "\r\n")
