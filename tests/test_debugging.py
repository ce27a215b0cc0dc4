"""The pieces of the one-page debugging tools, in process: the contracts of
``scrapy check``, the report of ``scrapy extract``, the settings of a look at
pages, and the single-run lock outside crawls. The commands themselves run
as subprocesses in tests/test_debugging_commands.py."""

import json
from urllib.parse import urlsplit

import pytest
from scrapy.exceptions import ContractFail, NotConfigured
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from replica import SNAPSHOT_DIR
from sulsel_crawler.commands.extract import field_sources, metadata_only, report, stored_page
from sulsel_crawler.commands.one_page import OUTCOME_EXTENSION, apply_one_page_settings
from sulsel_crawler.contracts import STORED_PAGE_META, StoredPageContract, StoredPagesMiddleware, ValidRecordsContract
from sulsel_crawler.extensions.single_run import SingleRun
from sulsel_crawler.loaders import build_article
from sulsel_crawler import settings as project_settings
from sulsel_crawler.pages import article_page
from sulsel_crawler.spiders.sulselsatu import SulselsatuSpider
from tests.support.gold import CRAWLED_AT, gold_by_url

pytestmark = pytest.mark.unit

CURRENT = "https://www.sulselsatu.com/2023/02/18/makassar/wali-kota-arifin-minta-jajaran-tuntaskan-parkir-liar-sebelum-ramadan.html"
LEGACY = "https://www.sulselsatu.com/2016/01/19/ekonomi/bi-sulsel-pertumbuhan-ekonomi-triwulan-ii-capai-6-94-persen.html"


def stored(url: str) -> str:
    return f"tests/data/site-snapshot/site{urlsplit(url).path}"


def response_of(url: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=(SNAPSHOT_DIR / "site" / urlsplit(url).path.lstrip("/")).read_bytes(), encoding="utf-8")


@pytest.fixture
def a_method():
    """A callback to hang contracts on."""
    return SulselsatuSpider().parse_article


# -- contracts --------------------------------------------------------------------------


def test_a_stored_page_is_requested_at_its_public_url_and_answered_from_its_file(a_method):
    args = StoredPageContract(a_method, stored(CURRENT)).adjust_request_args({"meta": {"kind": "x"}})
    assert args["url"] == CURRENT
    assert args["meta"]["kind"] == "x"
    request = Request(args["url"], meta=args["meta"])
    response = StoredPagesMiddleware().process_request(request)
    assert response.url == CURRENT
    assert response.body == response_of(CURRENT).body
    assert StoredPagesMiddleware().process_request(Request(CURRENT)) is None


@pytest.mark.parametrize("path", ["tests/data/site-snapshot/site/no-such-page.html", "README.md"])
def test_a_stored_page_contract_needs_a_page_in_a_site_folder(a_method, path):
    with pytest.raises(ContractFail):
        StoredPageContract(a_method, path).adjust_request_args({})


def test_valid_records_pass_and_others_fail(a_method):
    record = dict(build_article([article_page(response_of(CURRENT))], CRAWLED_AT))
    ValidRecordsContract(a_method, "site").post_process([record, object()])
    with pytest.raises(ContractFail, match="extraction 'site', expected 'fallback'"):
        ValidRecordsContract(a_method, "fallback").post_process([record])
    with pytest.raises(ContractFail, match="title: expected string, got null"):
        ValidRecordsContract(a_method, "site").post_process([{**record, "title": None}])


def test_the_stored_page_meta_key_is_the_contracts_only():
    assert STORED_PAGE_META == "stored_page"


# -- what a look at pages changes in the settings ----------------------------------------------


def test_a_look_at_pages_takes_no_lock_keeps_no_state_files_no_rejects_judges_no_outcome():
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    apply_one_page_settings(settings)
    assert settings.getbool("SINGLE_RUN_ENABLED") is False
    assert settings.get("CRAWL_STATE") == ""
    assert settings.get("REJECTS_URI") == "/dev/null"
    assert settings.getdict("EXTENSIONS")[OUTCOME_EXTENSION] is None
    assert settings.getdict("EXTENSIONS")["sulsel_crawler.extensions.rejects.RejectsLog"] == 500
    assert settings.getfloat("PROGRESS_INTERVAL") == 0
    assert settings.getbool("COVERAGE_ENABLED") is False and settings.getbool("REPORT_ENABLED") is False


def test_the_command_line_still_wins():
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    settings.set("CRAWL_STATE", "/tmp/state.sqlite", priority="cmdline")
    apply_one_page_settings(settings)
    assert settings.get("CRAWL_STATE") == "/tmp/state.sqlite"


def test_no_lock_without_a_spider():
    """``scrapy shell`` builds extensions before any spider: no crawl, no lock."""
    crawler = get_crawler(settings_dict={"SINGLE_RUN_ENABLED": True})
    assert crawler.spider is None
    with pytest.raises(NotConfigured):
        SingleRun.from_crawler(crawler)


# -- scrapy extract's report ----------------------------------------------------------------


def record_in(text: str) -> dict:
    return json.loads(text[text.index("\n{") :])


def test_the_report_names_the_layout_sources_and_the_record():
    text, valid = report(response_of(CURRENT))
    assert valid
    assert "layout      current (CurrentArticlePage)\n" in text
    assert "extraction  site\n" in text
    assert "title           metadata  Wali Kota Arifin" in text
    assert "body            markup    SULSELSATU.com, MAKASSAR" in text
    assert "editor          none      null" in text
    assert "problems    none" in text
    record = record_in(text)
    assert {k: v for k, v in record.items() if k != "crawled_at"} == gold_by_url(SNAPSHOT_DIR)[CURRENT]


def test_the_report_of_a_legacy_page():
    text, valid = report(response_of(LEGACY))
    assert valid
    assert "layout      legacy (LegacyArticlePage)\n" in text
    assert "published_at    markup    2016-01-19T08:15:00+08:00" in text


def test_the_report_of_a_page_in_no_layout_says_why_the_fallback_read_it():
    page = response_of(CURRENT)
    page = page.replace(body=page.body.replace(b"post-detail", b"story"))
    text, valid = report(page)
    assert valid
    assert "layout      fallback (FallbackArticlePage): " in text
    assert "no article layout matches" in text
    assert "body            fallback  SULSELSATU.com" in text
    assert "title           metadata" in text
    assert record_in(text)["extraction"] == "fallback"


def test_the_report_says_when_the_layout_read_no_body():
    page = response_of(CURRENT)
    page = page.replace(body=page.body.replace(b'class="post-content"', b'class="story-text"'))
    text, _ = report(page)
    assert "layout      fallback (FallbackArticlePage): the current layout read no body or no title" in text


def test_the_report_of_no_article_is_invalid():
    listing = HtmlResponse(url="https://www.sulselsatu.com/kanal/makassar", body=b"<html><body></body></html>")
    text, valid = report(listing)
    assert not valid
    assert "layout      none: " in text
    text, valid = report(response_of(CURRENT).replace(status=404))
    assert not valid
    assert "status      404: no record" in text


def test_the_report_of_an_invalid_record_lists_its_problems():
    page = response_of(CURRENT)
    page = page.replace(body=page.body.replace(b'"datePublished": "2023', b'"datePublished": "kemarin').replace(
        b'content="2023-02-18T12:09:28+08:00"', b'content="kemarin"'
    ).replace(b'datetime="2023-02-18T12:09:28+08:00"', b'datetime="x"').replace(b"Sabtu, 18 Februari 2023 12:09", b"x"))
    text, valid = report(page)
    assert not valid
    assert "problems    published_at: " in text


def test_a_split_article_page_is_noted():
    url = "https://www.sulselsatu.com/2021/09/07/makassar/pemkot-makassar-siapkan-rp35-miliar-untuk-revitalisasi-pasar-terong.html"
    text, _ = report(response_of(url))
    assert "note        a split article" in text


def test_metadata_only_keeps_head_and_json_ld_and_drops_the_markup():
    page = metadata_only(response_of(CURRENT))
    assert page.css('script[type="application/ld+json"]')
    assert page.css('link[rel="canonical"]')
    assert not page.css("article, h1")


def test_field_sources_of_a_page_without_metadata_are_markup():
    page = response_of(LEGACY)
    record = dict(build_article([article_page(page)], CRAWLED_AT))
    sources = field_sources(article_page(page), record)
    assert sources["author"] == "markup"
    assert sources["title"] == "metadata"  # og:title
    assert sources["id"] == "derived"
    assert sources["tags"] == "none"


def test_a_stored_file_is_read_at_its_canonical_url_unless_told(tmp_path):
    file = SNAPSHOT_DIR / "site" / urlsplit(CURRENT).path.lstrip("/")
    assert stored_page(file, None).url == CURRENT
    assert stored_page(file, LEGACY).url == LEGACY
    bare = tmp_path / "page.html"
    bare.write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    assert stored_page(bare, None).url == bare.resolve().as_uri()
