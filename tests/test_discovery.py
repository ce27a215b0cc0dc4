"""Link kinds and URL normalisation: what the crawl requests, and how often."""

import pytest
from scrapy.http import HtmlResponse, XmlResponse

from sulsel_crawler.discovery import (
    PageKind,
    classify,
    links_in_feed,
    links_in_page,
    links_in_sitemap,
    sitemap_links,
)
from sulsel_crawler.urls import normalize_url

pytestmark = pytest.mark.unit

ARTICLE = "https://www.sulselsatu.com/2025/05/09/makassar/ketua-dprd-irma-tinjau.html"


@pytest.mark.parametrize(
    "link",
    [
        "https://sulselsatu.com/2025/05/09/makassar/ketua-dprd-irma-tinjau.html",
        "http://www.sulselsatu.com/2025/05/09/makassar/ketua-dprd-irma-tinjau.html",
        ARTICLE + "?utm_source=homepage&utm_medium=referral&utm_campaign=sulselsatu",
        ARTICLE + "#komentar",
        ARTICLE + "?utm_source=kanal#komentar",
        ARTICLE + "?page=1",
    ],
)
def test_links_to_one_article_normalise_to_one_url(link):
    assert normalize_url(link) == ARTICLE


def test_listing_page_one_is_the_listing_and_other_pages_stay_apart():
    assert normalize_url("https://www.sulselsatu.com/kanal/hukum?page=1") == "https://www.sulselsatu.com/kanal/hukum"
    assert normalize_url("https://www.sulselsatu.com/kanal/hukum?page=3") == "https://www.sulselsatu.com/kanal/hukum?page=3"


@pytest.mark.parametrize(
    "url, kind",
    [
        (ARTICLE, PageKind.ARTICLE),
        (ARTICLE + "?page=2", PageKind.ARTICLE_CONTINUATION),
        ("https://www.sulselsatu.com/", PageKind.HOME),
        ("https://www.sulselsatu.com/kanal/makassar", PageKind.LISTING),
        ("https://www.sulselsatu.com/kanal/makassar?page=4", PageKind.LISTING),
        ("https://www.sulselsatu.com/tag/pilkada-2024", PageKind.LISTING),
        ("https://www.sulselsatu.com/penulis/rizky-amalia?page=2", PageKind.LISTING),
        ("https://www.sulselsatu.com/feed/", PageKind.FEED),
        ("https://www.sulselsatu.com/sitemap.xml", PageKind.SITEMAP),
        ("https://www.sulselsatu.com/sitemap/2024-09.xml", PageKind.SITEMAP),
        ("https://www.sulselsatu.com/cari?q=banjir", None),
        ("https://www.sulselsatu.com/admin/", None),
        ("https://www.sulselsatu.com/page/redaksi", None),
        ("https://www.sulselsatu.com/assets/media/upload/2025/05/a.jpg", None),
        ("https://cdn.sulselsatu.com/imageresize/assets/media/upload/2025/05/a.jpg&width=300&height=200", None),
        ("https://www.facebook.com/sulselsatu", None),
    ],
)
def test_classify(url, kind):
    assert classify(url) is kind


def test_page_links_follow_the_site_and_skip_the_rest():
    html = f"""<html><body>
      <nav><a href="https://www.sulselsatu.com/kanal/makassar">Makassar</a></nav>
      <a href="{ARTICLE}?utm_source=homepage">a</a> <a href="{ARTICLE}#komentar">Komentar</a>
      <a href="{ARTICLE}?page=2">2</a>
      <a href="https://www.sulselsatu.com/cari?q=x">cari</a> <a href="https://www.sulselsatu.com/admin/">Login</a>
      <a href="https://www.youtube.com/@sulselsatu">YouTube</a>
      <a href="https://sulselsatu.com/tag/bmkg">#BMKG</a>
    </body></html>"""
    response = HtmlResponse(url="https://www.sulselsatu.com/", body=html, encoding="utf-8")
    assert [(link.url, link.kind) for link in links_in_page(response)] == [
        ("https://www.sulselsatu.com/kanal/makassar", PageKind.LISTING),
        (ARTICLE, PageKind.ARTICLE),
        ("https://www.sulselsatu.com/tag/bmkg", PageKind.LISTING),
    ]


def test_sitemap_index_and_monthly_sitemaps():
    index = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://www.sulselsatu.com/sitemap/2025-05.xml</loc><lastmod>2025-05-09T16:30:00+08:00</lastmod></sitemap>
</sitemapindex>"""
    monthly = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{ARTICLE}</loc><lastmod>2025-05-09T16:30:00+08:00</lastmod></url>
</urlset>""".encode()
    def links(body):
        response = XmlResponse(url="https://www.sulselsatu.com/sitemap.xml", body=body)
        return [(link.url, link.kind) for link in links_in_sitemap(response)]

    assert links(index) == [("https://www.sulselsatu.com/sitemap/2025-05.xml", PageKind.SITEMAP)]
    assert links(monthly) == [(ARTICLE, PageKind.ARTICLE)]


def test_feed_items():
    feed = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><link>https://www.sulselsatu.com/</link>
<item><title>A</title><link>{ARTICLE}</link><guid isPermaLink="true">{ARTICLE}</guid></item>
</channel></rss>""".encode()
    response = XmlResponse(url="https://www.sulselsatu.com/feed/", body=feed)
    assert [link.url for link in links_in_feed(response)] == [ARTICLE]


def test_robots_sitemaps_only():
    urls = ["https://www.sulselsatu.com/sitemap.xml", "https://www.sulselsatu.com/cari"]
    assert [link.url for link in sitemap_links(urls)] == ["https://www.sulselsatu.com/sitemap.xml"]
