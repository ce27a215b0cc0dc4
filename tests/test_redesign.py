"""A theme change on the whole site (``replica/redesign.py``): no layout class
reads the new pages, and the generic fallback reader keeps every article,
each record flagged, bodies close to the truth, while the crawl fails loudly.

Bodies are scored with token F1 against the true records (the snapshot's
``expected.jsonl``); the floor is ``BODY_F1_FLOOR`` for every record.
"""

import json
from collections import Counter
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse

from replica import SNAPSHOT_300_DIR, SNAPSHOT_DIR, ReplicaServer
from replica.redesign import page_files, redesign
from sulsel_crawler.loaders import build_article
from sulsel_crawler.pages import UnknownLayout, article_page
from tests.support.crawl import read_jsonl, run_crawl
from tests.support.gold import CRAWLED_AT

BODY_F1_FLOOR = 0.95
# Fields the fallback reader takes from the body: scored, not compared.
FROM_THE_BODY = {"body", "word_count", "content_hash", "crawled_at"}


def token_f1(got: str, truth: str) -> float:
    got_tokens, true_tokens = Counter(got.split()), Counter(truth.split())
    common = sum((got_tokens & true_tokens).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got_tokens.values()), common / sum(true_tokens.values())
    return 2 * precision * recall / (precision + recall)


def pages_of(folder, url: str) -> list[HtmlResponse]:
    files = page_files(folder / "site", url)
    return [
        HtmlResponse(url=url if number == 1 else f"{url}?page={number}", body=file.read_bytes(), encoding="utf-8")
        for number, file in enumerate(files, start=1)
    ]


def assert_close_to_the_truth(records: list[dict], truth: dict[str, dict]) -> None:
    """Every true article has a record, flagged, its body at least BODY_F1_FLOOR
    from the truth and every other field exact."""
    assert sorted(record["url"] for record in records) == sorted(truth)
    scores = {}
    for record in records:
        expected = truth[record["url"]]
        assert record["extraction"] == "fallback", record["url"]
        scores[record["url"]] = token_f1(record["body"], expected["body"])
        others = {field: value for field, value in record.items() if field not in FROM_THE_BODY}
        assert others == {field: value for field, value in expected.items() if field not in FROM_THE_BODY}
    worst = min(scores, key=scores.get)
    assert scores[worst] >= BODY_F1_FLOOR, f"body F1 {scores[worst]:.3f} for {worst}"


@pytest.fixture(scope="module")
def redesigned(tmp_path_factory):
    return redesign(SNAPSHOT_DIR, tmp_path_factory.mktemp("redesign") / "site-redesigned")


# -- the generator ---------------------------------------------------------------------------


@pytest.mark.replica
def test_no_layout_class_reads_a_redesigned_article_page(redesigned):
    truth = read_jsonl(redesigned / "expected.jsonl")
    pages = [page for record in truth for page in pages_of(redesigned, record["url"])]
    assert len(pages) > len(truth)  # split articles are redesigned page by page
    for page in pages:
        with pytest.raises(UnknownLayout):
            article_page(page)


@pytest.mark.replica
def test_the_redesign_keeps_the_true_records_and_flags_them(redesigned):
    original = read_jsonl(SNAPSHOT_DIR / "expected.jsonl")
    truth = read_jsonl(redesigned / "expected.jsonl")
    assert truth == [{**record, "extraction": "fallback", "source_warc": None} for record in original]
    manifest = json.loads((redesigned / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["redesign"]["articles"] == len(original)


@pytest.mark.replica
def test_the_redesign_leaves_its_input_alone(redesigned):
    record = read_jsonl(SNAPSHOT_DIR / "expected.jsonl")[0]
    page = SNAPSHOT_DIR / "site" / urlsplit(record["url"]).path.lstrip("/")
    assert article_page(HtmlResponse(url=record["url"], body=page.read_bytes(), encoding="utf-8"))


@pytest.mark.replica
def test_redesigned_pages_keep_metadata_but_not_the_old_meta_tags(redesigned):
    record = read_jsonl(redesigned / "expected.jsonl")[0]
    [page, *_] = pages_of(redesigned, record["url"])
    assert page.css('script[type="application/ld+json"]')
    assert page.css('meta[property="og:title"]')
    assert not page.css('meta[property^="article:"]')
    assert not page.css('meta[name="author"]')


# -- the fallback reader on every redesigned page ------------------------------------------


@pytest.mark.corpus
def test_the_fallback_reads_the_redesigned_larger_sample_close_to_the_truth(tmp_path):
    folder = redesign(SNAPSHOT_300_DIR, tmp_path / "redesigned")
    truth = {record["url"]: record for record in read_jsonl(folder / "expected.jsonl")}
    records = []
    for url in truth:
        pages = [article_page(response, fallback=True) for response in pages_of(folder, url)]
        records.append({**build_article(pages, CRAWLED_AT)})
    assert_close_to_the_truth(records, {url: {**record, "crawled_at": CRAWLED_AT} for url, record in truth.items()})


# -- a crawl of the redesigned site ---------------------------------------------------------------


@pytest.fixture(scope="module")
def redesigned_crawl(redesigned, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("redesigned-crawl")
    with ReplicaServer(redesigned) as server:
        return run_crawl(server.base_url, workdir)


@pytest.mark.crawl
@pytest.mark.browser
def test_a_crawl_of_the_redesigned_site_keeps_every_article_close_to_the_truth(redesigned, redesigned_crawl):
    run = redesigned_crawl
    truth = {record["url"]: record for record in read_jsonl(redesigned / "expected.jsonl")}
    records = [{key: value for key, value in record.items() if key != "crawled_at"} for record in run.records]
    assert_close_to_the_truth(records, truth)
    assert not [reject for reject in run.rejects if reject["stage"] in {"extraction", "validation"}]


@pytest.mark.crawl
@pytest.mark.browser
def test_a_crawl_of_the_redesigned_site_counts_its_fallback_records_and_fails(redesigned_crawl):
    run = redesigned_crawl
    assert run.stats["sulselsatu/extraction/fallback"] == len(run.records) > 0
    assert "sulselsatu/extraction/site" not in run.stats
    assert run.returncode != 0
    assert "came from the fallback extraction" in run.log
