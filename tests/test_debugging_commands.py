"""Looking at one page with Scrapy's own tools, inside the project, as an
operator does when the site changes: ``scrapy shell``, ``scrapy parse``,
``scrapy check`` and the project's ``scrapy extract``, each a real
subprocess run from the repository root, against the replica where they
fetch."""

import json
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from replica import SNAPSHOT_DIR, ReplicaServer
from replica.redesign import redesign
from sulsel_crawler.mirror import mirror_name
from tests.support.crawl import REPO_ROOT
from tests.support.gold import gold_by_url

pytestmark = pytest.mark.crawl

ARTICLE = "https://www.sulselsatu.com/2023/02/18/makassar/wali-kota-arifin-minta-jajaran-tuntaskan-parkir-liar-sebelum-ramadan.html"
SPLIT_ARTICLE = "https://www.sulselsatu.com/2021/09/07/makassar/pemkot-makassar-siapkan-rp35-miliar-untuk-revitalisasi-pasar-terong.html"
TIMEOUT = 120


def scrapy(*args: str, cwd=REPO_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT
    )


def path_of(url: str) -> str:
    return urlsplit(url).path


def printed_items(output: str) -> list:
    """The items ``scrapy parse`` prints (a Python literal list)."""
    start = output.index("# Scraped Items")
    block = output[output.index("\n", start) + 1 : output.index("# Requests", start)]
    return eval(block)  # noqa: S307 - scrapy parse prints items with pprint


@pytest.fixture(scope="module")
def replica(tmp_path_factory):
    log = tmp_path_factory.mktemp("replica") / "requests.jsonl"
    with ReplicaServer(SNAPSHOT_DIR, challenge=False, transient=False, log_path=log) as server:
        yield server


def requested_paths(server, since: int) -> list[str]:
    return [entry["path"] for entry in server.requests[since:]]


# -- scrapy shell ------------------------------------------------------------------------


def test_scrapy_shell_fetches_a_page_inside_the_project(replica):
    result = scrapy("shell", "-c", "(response.status, response.css('h1::text').get())", replica.base_url + path_of(ARTICLE))
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == repr((200, gold_by_url(SNAPSHOT_DIR)[ARTICLE]["title"]))


def test_scrapy_shell_reads_a_mirror_at_the_public_address(replica):
    expression = "(response.url, __import__('sulsel_crawler.pages').pages.article_page(response).layout)"
    result = scrapy("shell", "-s", f"MIRROR_BASE_URL={replica.base_url}", "-c", expression, ARTICLE)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == repr((ARTICLE, "current"))


def test_scrapy_fetch_is_no_crawl_either(replica, tmp_path):
    locks = tmp_path / "locks"
    result = scrapy("fetch", "-s", f"MIRROR_BASE_URL={replica.base_url}", "-s", f"SINGLE_RUN_LOCK_DIR={locks}", ARTICLE)
    assert result.returncode == 0, result.stderr[-3000:]
    assert '<article class="post-detail"' in result.stdout
    assert not locks.exists()
    assert not (REPO_ROOT / "output" / "state" / f"{mirror_name(replica.base_url)}.sqlite").exists()


# -- scrapy parse ------------------------------------------------------------------------


@pytest.mark.parametrize("callback", [[], ["-c", "parse_article"]], ids=["parse", "parse_article"])
def test_scrapy_parse_prints_the_record_and_crawls_nothing_else(replica, callback):
    before = len(replica.requests)
    result = scrapy("parse", "--spider", "sulselsatu", "-a", f"base_url={replica.base_url}", *callback, ARTICLE)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    [item] = printed_items(result.stdout)
    assert {k: v for k, v in item.items() if k != "crawled_at"} == gold_by_url(SNAPSHOT_DIR)[ARTICLE]
    assert sorted(requested_paths(replica, before)) == sorted(["/robots.txt", path_of(ARTICLE)])
    # A look at a page is no run of a crawl: no crawl state of the mirror.
    assert not (REPO_ROOT / "output" / "state" / f"{mirror_name(replica.base_url)}.sqlite").exists()


def test_scrapy_parse_reads_every_page_of_a_split_article(replica):
    before = len(replica.requests)
    result = scrapy("parse", "--spider", "sulselsatu", "-a", f"base_url={replica.base_url}", SPLIT_ARTICLE)
    assert result.returncode == 0, result.stderr[-3000:]
    [item] = printed_items(result.stdout)
    assert item["body"] == gold_by_url(SNAPSHOT_DIR)[SPLIT_ARTICLE]["body"]
    pages = [path_of(SPLIT_ARTICLE), f"{path_of(SPLIT_ARTICLE)}?page=2", f"{path_of(SPLIT_ARTICLE)}?page=3"]
    assert [path for path in requested_paths(replica, before) if path != "/robots.txt"] == [
        urlsplit(page).path for page in pages
    ]


# -- scrapy check ------------------------------------------------------------------------


def test_scrapy_check_runs_real_contracts_offline():
    result = scrapy("check", "sulselsatu", "-s", "LOG_ENABLED=True")
    assert result.returncode == 0, result.stderr[-3000:]
    ran = [line for line in result.stderr.splitlines() if line.startswith("Ran ")]
    assert ran and int(ran[0].split()[1]) >= 11, result.stderr[-2000:]
    assert result.stderr.rstrip().endswith("OK")
    # Every page came from the repository: nothing was downloaded, robots.txt included.
    assert "'downloader/response_count': 5," in result.stderr
    assert "downloader/request_count" not in result.stderr


def test_scrapy_check_lists_the_checked_callbacks():
    result = scrapy("check", "-l", "sulselsatu")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "* parse\n" in result.stdout
    assert "* parse_article\n" in result.stdout


# -- scrapy extract ----------------------------------------------------------------------


def extracted_record(output: str) -> dict:
    return json.loads(output[output.index("\n{") :])


def test_scrapy_extract_reads_a_stored_page():
    file = SNAPSHOT_DIR / "site" / path_of(ARTICLE).lstrip("/")
    result = scrapy("extract", str(file))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "layout      current (CurrentArticlePage)" in result.stdout
    assert "title           metadata" in result.stdout
    assert "body            markup" in result.stdout
    record = extracted_record(result.stdout)
    assert {k: v for k, v in record.items() if k != "crawled_at"} == gold_by_url(SNAPSHOT_DIR)[ARTICLE]


def test_scrapy_extract_shows_a_redesigned_page_read_by_the_fallback(tmp_path):
    folder = redesign(SNAPSHOT_DIR, tmp_path / "redesigned")
    result = scrapy("extract", str(folder / "site" / path_of(ARTICLE).lstrip("/")))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "layout      fallback (FallbackArticlePage): " in result.stdout
    assert "body            fallback" in result.stdout
    assert extracted_record(result.stdout)["extraction"] == "fallback"


def test_scrapy_extract_fetches_a_url_of_a_mirror(replica):
    result = scrapy("extract", "-s", f"MIRROR_BASE_URL={replica.base_url}", ARTICLE)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"page        {ARTICLE}" in result.stdout
    assert extracted_record(result.stdout)["title"] == gold_by_url(SNAPSHOT_DIR)[ARTICLE]["title"]


def test_scrapy_extract_fails_on_a_page_that_is_no_article():
    result = scrapy("extract", str(SNAPSHOT_DIR / "site" / "index.html"))
    assert result.returncode == 1
    assert "layout      none: " in result.stdout
