"""The robots.txt parser: Scrapy's rules, plus the file's ``Sitemap:`` lines."""

import pytest

from sulsel_crawler.robots import SitemapAwareRobotParser

pytestmark = pytest.mark.unit

SITE = "https://www.sulselsatu.com"
ROBOTS = b"""User-agent: *
Disallow: /cari
Disallow: /admin/

User-agent: BadBot
Disallow: /

Sitemap: https://www.sulselsatu.com/sitemap.xml
sitemap:  https://www.sulselsatu.com/sitemap/2025-05.xml
"""


@pytest.fixture
def parser():
    return SitemapAwareRobotParser(ROBOTS, None)


def test_sitemap_lines_are_kept_in_order(parser):
    assert parser.sitemaps == [
        "https://www.sulselsatu.com/sitemap.xml",
        "https://www.sulselsatu.com/sitemap/2025-05.xml",
    ]


@pytest.mark.parametrize(
    "path, user_agent, allowed",
    [
        pytest.param("/cari?q=banjir", "sulsel_crawler", False, id="disallowed search"),
        pytest.param("/admin/", "sulsel_crawler", False, id="disallowed admin"),
        pytest.param("/admin/login", "sulsel_crawler", False, id="below a disallowed folder"),
        pytest.param("/kanal/hukum", "sulsel_crawler", True, id="listing allowed"),
        pytest.param("/2022/03/11/makassar/judul.html", "sulsel_crawler", True, id="article allowed"),
        pytest.param("/administrasi", "sulsel_crawler", True, id="only the folder is disallowed"),
        pytest.param("/kanal/hukum", "BadBot", False, id="agent-specific group"),
    ],
)
def test_rules_are_obeyed(parser, path, user_agent, allowed):
    assert parser.allowed(SITE + path, user_agent) is allowed


def test_empty_body_has_no_sitemaps_and_allows_everything():
    parser = SitemapAwareRobotParser(b"", None)
    assert parser.sitemaps == []
    assert parser.allowed(SITE + "/cari?q=banjir", "sulsel_crawler") is True
    assert parser.allowed(SITE + "/admin/", "sulsel_crawler") is True


def test_rules_without_sitemap_lines():
    parser = SitemapAwareRobotParser(b"User-agent: *\nDisallow: /cari\n", None)
    assert parser.sitemaps == []
    assert parser.allowed(SITE + "/cari", "sulsel_crawler") is False


def test_sitemap_only_file_allows_everything():
    parser = SitemapAwareRobotParser(b"Sitemap: https://www.sulselsatu.com/sitemap.xml\n", None)
    assert parser.sitemaps == ["https://www.sulselsatu.com/sitemap.xml"]
    assert parser.allowed(SITE + "/cari", "sulsel_crawler") is True


def test_crlf_line_ends():
    parser = SitemapAwareRobotParser(
        b"User-agent: *\r\nDisallow: /cari\r\nSitemap: https://www.sulselsatu.com/sitemap.xml\r\n", None
    )
    assert parser.sitemaps == ["https://www.sulselsatu.com/sitemap.xml"]
    assert parser.allowed(SITE + "/cari", "sulsel_crawler") is False


def test_byte_order_mark_keeps_the_first_sitemap_line():
    parser = SitemapAwareRobotParser(
        "\ufeffSitemap: https://www.sulselsatu.com/sitemap.xml\nUser-agent: *\nDisallow: /cari\n".encode(),
        None,
    )
    assert parser.allowed(SITE + "/cari", "sulsel_crawler") is False
    assert parser.sitemaps == ["https://www.sulselsatu.com/sitemap.xml"]


def test_the_parser_keeps_its_spider():
    spider = object()
    assert SitemapAwareRobotParser(b"User-agent: *\nDisallow: /x\n", spider).spider is spider
