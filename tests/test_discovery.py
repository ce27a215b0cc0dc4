"""Link kinds and URL normalisation: what the crawl requests, and how often."""

import json

import pytest
from scrapy.http import HtmlResponse, TextResponse, XmlResponse

from sulsel_crawler.discovery import (
    Link,
    PageKind,
    api_posts_url,
    api_total,
    classify,
    links_in_api,
    links_in_feed,
    links_in_page,
    links_in_sitemap,
    next_api_page,
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


# --- Link.source and Link.modified of every source ---------------------------

OTHER_ARTICLE = "https://www.sulselsatu.com/2025/05/08/hukum/polisi-tangkap-pelaku.html"


def test_page_links_say_they_come_from_a_page_with_no_modification_time():
    html = f'<html><body><a href="{ARTICLE}">a</a> <a href="https://www.sulselsatu.com/feed/">RSS</a></body></html>'
    response = HtmlResponse(url="https://www.sulselsatu.com/", body=html, encoding="utf-8")
    assert list(links_in_page(response)) == [
        Link(ARTICLE, PageKind.ARTICLE, "page", None),
        Link("https://www.sulselsatu.com/feed/", PageKind.FEED, "page", None),
    ]


def test_sitemap_links_carry_their_lastmod_in_makassar_time():
    index = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://www.sulselsatu.com/sitemap/2025-05.xml</loc><lastmod>2025-05-09T16:30:00+08:00</lastmod></sitemap>
<sitemap><loc>https://www.sulselsatu.com/sitemap/2025-04.xml</loc></sitemap>
</sitemapindex>"""
    monthly = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{ARTICLE}</loc><lastmod>2025-05-09T08:30:00Z</lastmod></url>
<url><loc>{OTHER_ARTICLE}</loc><lastmod>2025-05-08</lastmod></url>
<url><loc>https://www.sulselsatu.com/kanal/hukum</loc><lastmod>2025-05-08</lastmod></url>
<url><loc>https://sulselsatu.com/2025/05/07/makassar/banjir.html</loc></url>
<url><loc>{ARTICLE}?utm_source=sitemap</loc><lastmod>2025-05-10T10:00:00+08:00</lastmod></url>
</urlset>""".encode()

    def links(body):
        return list(links_in_sitemap(XmlResponse(url="https://www.sulselsatu.com/sitemap.xml", body=body)))

    assert links(index) == [
        Link("https://www.sulselsatu.com/sitemap/2025-05.xml", PageKind.SITEMAP, "sitemap", "2025-05-09T16:30:00+08:00"),
        Link("https://www.sulselsatu.com/sitemap/2025-04.xml", PageKind.SITEMAP, "sitemap", None),
    ]
    assert links(monthly) == [
        Link(ARTICLE, PageKind.ARTICLE, "sitemap", "2025-05-09T16:30:00+08:00"),
        Link(OTHER_ARTICLE, PageKind.ARTICLE, "sitemap", "2025-05-08T00:00:00+08:00"),
        Link("https://www.sulselsatu.com/2025/05/07/makassar/banjir.html", PageKind.ARTICLE, "sitemap", None),
    ]


def test_sitemap_lastmod_that_is_not_a_date_is_left_out():
    body = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{ARTICLE}</loc><lastmod>kemarin</lastmod></url>
</urlset>""".encode()
    response = XmlResponse(url="https://www.sulselsatu.com/sitemap.xml", body=body)
    assert list(links_in_sitemap(response)) == [Link(ARTICLE, PageKind.ARTICLE, "sitemap", None)]


def test_feed_links_say_they_come_from_the_feed():
    feed = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><link>https://www.sulselsatu.com/</link>
<item><title>A</title><link> {ARTICLE} </link><guid isPermaLink="true">{ARTICLE}</guid>
<pubDate>Fri, 09 May 2025 16:30:00 +0800</pubDate></item>
<item><title>B</title><link>{OTHER_ARTICLE}?utm_source=rss</link></item>
<item><title>C</title><link>https://www.sulselsatu.com/kanal/hukum</link></item>
</channel></rss>""".encode()
    response = XmlResponse(url="https://www.sulselsatu.com/feed/", body=feed)
    assert list(links_in_feed(response)) == [
        Link(ARTICLE, PageKind.ARTICLE, "feed", None),
        Link(OTHER_ARTICLE, PageKind.ARTICLE, "feed", None),
    ]


def test_robots_sitemap_links_say_they_come_from_robots():
    urls = ["https://www.sulselsatu.com/sitemap.xml", "https://sulselsatu.com/sitemap.xml", ARTICLE]
    assert list(sitemap_links(urls)) == [Link("https://www.sulselsatu.com/sitemap.xml", PageKind.SITEMAP, "robots", None)]


# --- the WordPress REST API ----------------------------------------------------

API_FIRST_PAGE = (
    "https://www.sulselsatu.com/wp-json/wp/v2/posts?_fields=link%2Cmodified"
    "&modified_after=2025-05-01T00%3A00%3A00&order=desc&orderby=modified&per_page=100"
)


def api_page(number):
    """The API's page *number* (> 1) of posts modified after 2025-05-01T00:00:00."""
    return (
        "https://www.sulselsatu.com/wp-json/wp/v2/posts?_fields=link%2Cmodified"
        f"&modified_after=2025-05-01T00%3A00%3A00&order=desc&orderby=modified&page={number}&per_page=100"
    )


def test_api_posts_url_first_page():
    assert api_posts_url("2025-05-01T00:00:00") == API_FIRST_PAGE
    assert api_posts_url("2025-05-01T00:00:00", 1) == API_FIRST_PAGE
    assert classify(API_FIRST_PAGE) is PageKind.API


def test_api_posts_url_later_pages():
    assert api_posts_url("2025-05-01T00:00:00", 2) == api_page(2)
    assert api_posts_url("2025-05-01T00:00:00", page=7) == api_page(7)
    assert api_posts_url("2024-12-31T23:59:59", 3) == (
        "https://www.sulselsatu.com/wp-json/wp/v2/posts?_fields=link%2Cmodified"
        "&modified_after=2024-12-31T23%3A59%3A59&order=desc&orderby=modified&page=3&per_page=100"
    )


def api_response(posts, url=API_FIRST_PAGE, total_pages=None):
    headers = {"Content-Type": "application/json; charset=UTF-8"}
    if total_pages is not None:
        headers["X-WP-TotalPages"] = total_pages
    body = posts if isinstance(posts, str) else json.dumps(posts)
    return TextResponse(url=url, body=body, encoding="utf-8", headers=headers)


def test_api_links_are_the_articles_with_their_modification_time():
    posts = [
        {"link": ARTICLE, "modified": "2025-05-09T16:30:00"},
        {"link": OTHER_ARTICLE + "?utm_source=api", "modified": "2025-05-08T07:05:09"},
        {"link": "https://www.sulselsatu.com/page/redaksi", "modified": "2025-05-08T07:00:00"},
        {"link": "https://sulselsatu.com/2025/05/07/makassar/banjir.html"},
        {"link": ARTICLE, "modified": "2025-05-01T00:00:01"},
    ]
    assert list(links_in_api(api_response(posts))) == [
        Link(ARTICLE, PageKind.ARTICLE, "api", "2025-05-09T16:30:00+08:00"),
        Link(OTHER_ARTICLE, PageKind.ARTICLE, "api", "2025-05-08T07:05:09+08:00"),
        Link("https://www.sulselsatu.com/2025/05/07/makassar/banjir.html", PageKind.ARTICLE, "api", None),
    ]


def test_api_posts_without_a_usable_link_are_skipped():
    posts = [
        "https://www.sulselsatu.com/2025/05/07/makassar/banjir.html",
        None,
        {"modified": "2025-05-09T16:30:00"},
        {"link": None, "modified": "2025-05-09T16:30:00"},
        {"link": ["https://www.sulselsatu.com/2025/05/07/makassar/banjir.html"]},
        {"link": ARTICLE, "modified": "bukan tanggal"},
    ]
    assert list(links_in_api(api_response(posts))) == [Link(ARTICLE, PageKind.ARTICLE, "api", None)]


def test_api_page_without_posts_has_no_links():
    assert list(links_in_api(api_response([]))) == []


@pytest.mark.parametrize(
    "url, total_pages, next_url",
    [
        (API_FIRST_PAGE, "2", api_page(2)),
        (API_FIRST_PAGE, "12", api_page(2)),
        (api_page(2), "3", api_page(3)),
        (api_page(9), "12", api_page(10)),
        (api_page(11), "12", api_page(12)),
    ],
)
def test_next_api_page(url, total_pages, next_url):
    assert next_api_page(api_response([], url=url, total_pages=total_pages)) == next_url


@pytest.mark.parametrize(
    "url, total_pages",
    [
        (API_FIRST_PAGE, "1"),
        (API_FIRST_PAGE, "0"),
        (API_FIRST_PAGE, ""),
        (API_FIRST_PAGE, None),
        (api_page(2), "2"),
        (api_page(12), "12"),
        (api_page(13), "12"),
    ],
)
def test_no_next_api_page_after_the_last(url, total_pages):
    assert next_api_page(api_response([], url=url, total_pages=total_pages)) is None


EVERY_POST = (
    "https://www.sulselsatu.com/wp-json/wp/v2/posts?_fields=link%2Cmodified&order=asc&orderby=id"
)


def test_every_post_is_asked_for_oldest_first():
    assert api_posts_url() == EVERY_POST + "&per_page=100"
    assert api_posts_url(page=2) == EVERY_POST + "&page=2&per_page=100"
    assert next_api_page(api_response([], url=api_posts_url(), total_pages="3")) == api_posts_url(page=2)
    assert next_api_page(api_response([], url=api_posts_url(page=3), total_pages="3")) is None


def api_answer(body, total):
    headers = {"Content-Type": "application/json"} | ({"X-WP-Total": total} if total is not None else {})
    return TextResponse(url=EVERY_POST, body=body, encoding="utf-8", headers=headers)


@pytest.mark.parametrize(
    "body, total, expected",
    [
        ('[{"link": "x"}]', "1250", 1250),
        ("[]", "0", 0),
        ("[]", " 7 ", 7),
        ('[{"link": "x"}]', None, None),
        ('[{"link": "x"}]', "", None),
        ('[{"link": "x"}]', "many", None),
        ('{"code": "rest_no_route"}', "3", None),
        ("<html><body>Beranda</body></html>", "3", None),
    ],
)
def test_an_api_answer_is_a_json_list_of_posts_with_their_total(body, total, expected):
    assert api_total(api_answer(body, total)) == expected
