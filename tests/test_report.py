"""The dataset report's figures, charts, HTML and card, from the sample's gold
records written as a dataset (sulsel_crawler.report)."""

import json
import re
from collections import Counter

import pytest

from replica import SNAPSHOT_DIR
from sulsel_crawler.items import ARTICLE_FIELDS
from sulsel_crawler.report import write_report
from sulsel_crawler.report.card import FEATURES
from sulsel_crawler.report.charts import bar_chart, column_chart
from sulsel_crawler.report.figures import build_figures, word_count_histogram

pytestmark = pytest.mark.unit

GOLD = [json.loads(line) for line in (SNAPSHOT_DIR / "expected.jsonl").read_text(encoding="utf-8").splitlines()]
REJECTS = [
    {"url": "https://www.sulselsatu.com/a.html", "stage": "download", "reasons": ["redirect off site to https://a.example/x"]},
    {"url": "https://www.sulselsatu.com/b.html", "stage": "download", "reasons": ["redirect off site to http://b.example/"]},
    {"url": "https://www.sulselsatu.com/c.html", "stage": "validation", "reasons": ["title: missing", "body: empty"]},
]


@pytest.fixture
def dataset(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in GOLD), encoding="utf-8")
    path.with_suffix(".rejects.jsonl").write_text("".join(json.dumps(reject) + "\n" for reject in REJECTS))
    return path


def test_the_figures_count_the_dataset(dataset):
    figures = build_figures(dataset)
    assert figures["dataset"]["records"] == len(GOLD)
    assert figures["by_category"] == dict(Counter(record["category_slug"] for record in GOLD))
    assert sum(figures["by_month"].values()) == len(GOLD)
    months = list(figures["by_month"])
    assert months == sorted(months) and months[0] == min(record["published_at"][:7] for record in GOLD)
    assert figures["field_coverage"]["title"] == 1.0
    assert figures["field_coverage"]["editor"] == sum(bool(record["editor"]) for record in GOLD) / len(GOLD)
    assert list(figures["field_coverage"]) == list(ARTICLE_FIELDS)
    assert sum(figures["word_count"]["histogram"].values()) == len(GOLD)
    assert figures["word_count"]["max"] == max(record["word_count"] for record in GOLD)
    assert figures["top_tags"] == dict(Counter(tag for record in GOLD for tag in record["tags"]).most_common(15))
    assert figures["coverage"] is None and figures["monitors"] is None and figures["crawl"] == {}


def test_rejects_are_counted_by_stage_and_reason(dataset):
    rejects = build_figures(dataset)["rejects"]
    assert rejects["total"] == 3
    assert rejects["by_stage"] == {"download": 2, "validation": 1}
    # Alike reasons group, their URLs left out.
    assert rejects["by_reason"][0] == {"stage": "download", "reason": "redirect off site to …", "count": 2}
    assert len(rejects["by_reason"]) == 3


def test_months_without_articles_are_shown_empty(tmp_path):
    path = tmp_path / "two.jsonl"
    records = [GOLD[0] | {"published_at": "2023-11-30T23:00:00+08:00"}, GOLD[1] | {"published_at": "2024-02-01T00:30:00+08:00"}]
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    assert build_figures(path)["by_month"] == {"2023-11": 1, "2023-12": 0, "2024-01": 0, "2024-02": 1}


def test_the_word_count_histogram_bins_at_their_upper_bound():
    histogram = dict(word_count_histogram([1, 50, 51, 1200, 1201]))
    assert histogram["1–50"] == 2 and histogram["51–100"] == 1 and histogram["801–1200"] == 1 and histogram["> 1200"] == 1


def test_charts_are_svg_with_one_bar_per_value():
    chart = bar_chart([("makassar", 14), ("hukum", 0), ("<politik>", 5)], "Per category")
    assert chart.startswith("<svg") and chart.count("<rect") == 3
    assert 'width="380.0"' in chart and 'width="0.0"' in chart and "&lt;politik&gt;" in chart
    assert column_chart([("2024-01", 2), ("2024-02", 4)], "Per month").count("<rect") == 2
    assert "nothing to show" in bar_chart([], "Top tags")


def test_the_report_files_are_written_beside_the_dataset(dataset):
    files = write_report(dataset, {"elapsed_time_seconds": 12.54, "finish_reason": "finished"})
    assert (files.html.name, files.json.name, files.card) == ("articles.report.html", "articles.report.json", dataset.parent / "README.md")
    figures = json.loads(files.json.read_text(encoding="utf-8"))
    assert figures["crawl"] == {"seconds": 12.5, "finish_reason": "finished"}
    assert '<td>redirect off site to …</td><td class="n">2</td>' in files.html.read_text(encoding="utf-8")
    html = files.html.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "<script" not in html
    assert not re.search(r'(src|href)="https?:', html)
    # Written again without stats, the report keeps the crawl's timings.
    write_report(dataset)
    assert json.loads(files.json.read_text(encoding="utf-8"))["crawl"]["seconds"] == 12.5


def test_the_card_describes_every_field_with_its_type(dataset):
    card = write_report(dataset).card.read_text(encoding="utf-8")
    assert list(FEATURES) == list(ARTICLE_FIELDS)
    header = card.split("---")[1]
    assert re.findall(r"^  - name: (\w+)", header, re.M) == list(ARTICLE_FIELDS)
    assert "path: articles.jsonl" in header and f"{len(GOLD)} Indonesian-language news articles" in card
    for field in ARTICLE_FIELDS:
        assert f"| `{field}` |" in card
    assert '"published_at": Value("string")' in card and '"word_count": Value("int64")' in card


def test_the_command_writes_the_report_of_a_json_lines_dataset(dataset, tmp_path, capsys):
    from sulsel_crawler.report.__main__ import main

    stats = tmp_path / "stats.json"
    stats.write_text(json.dumps({"elapsed_time_seconds": 3.0}))
    assert main([str(dataset), "--stats", str(stats)]) == 0
    assert "articles.report.html" in capsys.readouterr().out
    assert json.loads(dataset.with_suffix(".report.json").read_text())["crawl"] == {"seconds": 3.0}
    csv = tmp_path / "articles.csv"
    csv.write_text("id\n")
    for arguments in ([str(tmp_path / "missing.jsonl")], [str(csv)]):
        with pytest.raises(SystemExit) as stopped:
            main(arguments)
        assert stopped.value.code == 2
