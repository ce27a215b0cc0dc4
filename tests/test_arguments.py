from datetime import date

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


@pytest.mark.unit
def test_base_url_keeps_its_prefix_and_drops_only_trailing_slashes():
    assert CrawlArguments.parse({"base_url": "http://127.0.0.1:8765/arsip-X//"}).base_url == (
        "http://127.0.0.1:8765/arsip-X"
    )


@pytest.mark.unit
def test_unknown_arguments_are_all_named_with_every_known_one():
    with pytest.raises(ArgumentError) as error:
        CrawlArguments.parse({"modes": "full", "baseurl": "http://127.0.0.1:8765", "_job": "abc123"})
    assert str(error.value) == (
        "unknown spider argument(s): baseurl, modes; known: base_url, categories, mode, render, since"
    )


@pytest.mark.unit
def test_defaults_without_arguments():
    assert CrawlArguments.parse({}) == CrawlArguments(
        base_url=None, render=None, mode="full", since=None, categories=None
    )


@pytest.mark.unit
def test_every_argument_at_once():
    raw = {
        "base_url": "http://127.0.0.1:8765/",
        "render": "never",
        "mode": "update",
        "since": "2024-01-31",
        "categories": "makassar,hukum",
    }
    assert CrawlArguments.parse(raw) == CrawlArguments(
        base_url="http://127.0.0.1:8765",
        render="never",
        mode="update",
        since=date(2024, 1, 31),
        categories=frozenset({"makassar", "hukum"}),
    )


@pytest.mark.unit
@pytest.mark.parametrize("mode", ["full", "update"])
def test_mode(mode):
    assert CrawlArguments.parse({"mode": mode}).mode == mode


@pytest.mark.unit
@pytest.mark.parametrize("mode", ["Update", "incremental", "full "])
def test_unknown_mode_is_refused_with_the_modes(mode):
    with pytest.raises(ArgumentError) as error:
        CrawlArguments.parse({"mode": mode})
    assert str(error.value) == f"mode {mode!r} is not one of full, update"


@pytest.mark.unit
@pytest.mark.parametrize(
    "value, day",
    [("2024-01-31", date(2024, 1, 31)), ("2024-02-29", date(2024, 2, 29)), ("1999-12-01", date(1999, 12, 1))],
)
def test_since(value, day):
    assert CrawlArguments.parse({"since": value}).since == day


@pytest.mark.unit
@pytest.mark.parametrize(
    "value",
    ["2024-02-30", "2023-02-29", "2024-13-01", "20240131", "2024-W05-3", "2024-1-31", "31-01-2024",
     "2024-01-31T00:00:00", "2024-01-31x", "kemarin"],
)
def test_since_that_is_not_a_day_is_refused(value):
    with pytest.raises(ArgumentError) as error:
        CrawlArguments.parse({"since": value})
    assert str(error.value) == f"since {value!r} is not a day such as 2024-01-31"


@pytest.mark.unit
@pytest.mark.parametrize(
    "value, slugs",
    [
        ("makassar", {"makassar"}),
        ("makassar,hukum", {"makassar", "hukum"}),
        (" makassar , hukum ,makassar", {"makassar", "hukum"}),
        ("pilkada-2024,sulsel", {"pilkada-2024", "sulsel"}),
    ],
)
def test_categories(value, slugs):
    assert CrawlArguments.parse({"categories": value}).categories == frozenset(slugs)


@pytest.mark.unit
@pytest.mark.parametrize(
    "value, bad",
    [
        ("Makassar", "Makassar"),
        ("makassar,Hukum,Bisnis", "Hukum"),
        ("makassar hukum", "makassar hukum"),
        ("makassar;hukum", "makassar;hukum"),
        ("makassar,,hukum", ""),
        ("makassar,", ""),
        ("kanal/makassar", "kanal/makassar"),
        ("makassar,hukum_kriminal", "hukum_kriminal"),
    ],
)
def test_category_that_is_not_a_slug_is_refused(value, bad):
    with pytest.raises(ArgumentError) as error:
        CrawlArguments.parse({"categories": value})
    assert str(error.value) == (
        f"categories {value!r}: {bad!r} is not a section slug such as makassar (a-z, 0-9, -)"
    )


@pytest.mark.unit
@pytest.mark.parametrize("name", ["base_url", "render", "mode", "since", "categories"])
@pytest.mark.parametrize("value", ["", "  ", "\t"])
def test_empty_argument_is_refused(name, value):
    with pytest.raises(ArgumentError) as error:
        CrawlArguments.parse({name: value})
    assert str(error.value) == f"spider argument {name} is empty; leave it out for the default"


@pytest.mark.unit
def test_first_empty_argument_is_named():
    with pytest.raises(ArgumentError) as error:
        CrawlArguments.parse({"since": "", "mode": "update", "categories": " ", "render": ""})
    assert str(error.value) == "spider argument categories is empty; leave it out for the default"


@pytest.mark.unit
def test_empty_scrapyd_job_argument_is_not_checked():
    assert CrawlArguments.parse({"_job": ""}).mode == "full"


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
