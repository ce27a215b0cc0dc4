import pytest

from sulsel_crawler.arguments import ArgumentError, CrawlArguments
from tests.support.crawl import run_crawl


@pytest.mark.unit
def test_no_arguments_crawls_the_live_site():
    assert CrawlArguments.parse({}).base_url is None


@pytest.mark.unit
@pytest.mark.parametrize(
    "value, origin",
    [
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765"),
        ("https://archive.example.org/sulselsatu/", "https://archive.example.org/sulselsatu"),
    ],
)
def test_base_url(value, origin):
    assert CrawlArguments.parse({"base_url": value}).base_url == origin


@pytest.mark.unit
@pytest.mark.parametrize(
    "value",
    ["127.0.0.1:8765", "ftp://127.0.0.1", "http://", "http://127.0.0.1:99999", "http://127.0.0.1:8765/?x=1"],
)
def test_malformed_base_url_is_refused(value):
    with pytest.raises(ArgumentError, match="base_url"):
        CrawlArguments.parse({"base_url": value})


@pytest.mark.unit
def test_unknown_argument_is_refused_with_the_known_ones():
    with pytest.raises(ArgumentError, match=r"unknown spider argument\(s\): baseurl; known: base_url"):
        CrawlArguments.parse({"baseurl": "http://127.0.0.1:8765"})


@pytest.mark.unit
def test_scrapyd_job_argument_is_accepted():
    assert CrawlArguments.parse({"_job": "abc123"}).base_url is None


@pytest.mark.crawl
@pytest.mark.parametrize(
    "argument, message",
    [
        ("baseurl=http://127.0.0.1:8765", "unknown spider argument(s): baseurl"),
        ("base_url=127.0.0.1:8765", "base_url '127.0.0.1:8765' is not an http(s) origin"),
    ],
)
def test_scrapy_crawl_refuses_a_bad_argument_before_crawling(argument, message, tmp_path):
    run = run_crawl(None, tmp_path, "-a", argument, output="out.jsonl", timeout=60)
    assert run.returncode == 2
    assert f"error: {message}" in run.log
    assert "Traceback" not in run.log
    assert not (tmp_path / "out.jsonl").exists()
