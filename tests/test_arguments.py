import subprocess

import pytest

from sulsel_crawler.arguments import ArgumentError, CrawlArguments
from tests.crawl_run import REPO_ROOT, SCRAPY


def test_no_arguments_crawls_the_live_site():
    assert CrawlArguments.parse({}).base_url is None


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


@pytest.mark.parametrize(
    "value",
    ["127.0.0.1:8765", "ftp://127.0.0.1", "http://", "http://127.0.0.1:99999", "http://127.0.0.1:8765/?x=1"],
)
def test_malformed_base_url_is_refused(value):
    with pytest.raises(ArgumentError, match="base_url"):
        CrawlArguments.parse({"base_url": value})


def test_unknown_argument_is_refused_with_the_known_ones():
    with pytest.raises(ArgumentError, match=r"unknown spider argument\(s\): baseurl; known: base_url"):
        CrawlArguments.parse({"baseurl": "http://127.0.0.1:8765"})


def test_scrapyd_job_argument_is_accepted():
    assert CrawlArguments.parse({"_job": "abc123"}).base_url is None


@pytest.mark.parametrize(
    "argument, message",
    [
        ("baseurl=http://127.0.0.1:8765", "unknown spider argument(s): baseurl"),
        ("base_url=127.0.0.1:8765", "base_url '127.0.0.1:8765' is not an http(s) origin"),
    ],
)
def test_scrapy_crawl_refuses_a_bad_argument_before_crawling(argument, message, tmp_path):
    process = subprocess.run(
        [*SCRAPY, "crawl", "sulselsatu", "-a", argument, "-O", str(tmp_path / "out.jsonl")],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
    )
    assert process.returncode == 2
    assert f"error: {message}" in process.stderr
    assert "Traceback" not in process.stderr
    assert not (tmp_path / "out.jsonl").exists()
