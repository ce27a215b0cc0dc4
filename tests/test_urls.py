"""Each URL rule of ``sulsel_crawler.urls`` with the exact string it gives."""

import pytest

from sulsel_crawler.urls import (
    article_url,
    category_slug,
    is_article_url,
    is_site_url,
    normalize_url,
    original_image_url,
)

pytestmark = pytest.mark.unit

ARTICLE = "https://www.sulselsatu.com/2022/03/11/makassar/judul-berita.html"
LISTING = "https://www.sulselsatu.com/kanal/hukum"


def params(table: dict) -> list:
    """``{"case name": (values...)}`` as pytest parameters named by their keys."""
    return [pytest.param(*values, id=name) for name, values in table.items()]


NORMALIZED = {
    "already normal": (ARTICLE, ARTICLE),
    "utm_ parameters dropped": (
        ARTICLE + "?utm_source=homepage&utm_medium=referral&utm_campaign=sulselsatu",
        ARTICLE,
    ),
    "fbclid dropped": (ARTICLE + "?fbclid=IwAR0abc", ARTICLE),
    "gclid dropped": (ARTICLE + "?gclid=Cj0KCQ", ARTICLE),
    "names only resembling tracking kept": (
        LISTING + "?fbclidx=1&utm=2&xutm_a=3&xgclid=4",
        LISTING + "?fbclidx=1&utm=2&xgclid=4&xutm_a=3",
    ),
    "page=1 dropped": (LISTING + "?page=1", LISTING),
    "page=2 kept": (LISTING + "?page=2", LISTING + "?page=2"),
    "page=1 dropped, other page parameters kept": (LISTING + "?pages=1&page=1", LISTING + "?pages=1"),
    "tracking dropped, page kept": (ARTICLE + "?utm_source=kanal&page=3", ARTICLE + "?page=3"),
    "parameters sorted": (LISTING + "?b=2&a=1", LISTING + "?a=1&b=2"),
    "blank value kept": ("https://www.sulselsatu.com/cari?q=", "https://www.sulselsatu.com/cari?q="),
    "fragment dropped": (ARTICLE + "#komentar", ARTICLE),
    "fragment and tracking dropped": (ARTICLE + "?utm_source=kanal#komentar", ARTICLE),
    "bare host becomes www": ("https://sulselsatu.com/kanal/hukum", LISTING),
    "host in capitals": ("https://WWW.SULSELSATU.COM/kanal/hukum", LISTING),
    "http becomes https": ("http://www.sulselsatu.com/kanal/hukum", LISTING),
    "cdn host stays cdn": ("http://cdn.sulselsatu.com/a.jpg", "https://cdn.sulselsatu.com/a.jpg"),
    "other host stays, https": ("http://example.com/x?utm_source=a#f", "https://example.com/x"),
    "empty path becomes /": ("https://www.sulselsatu.com", "https://www.sulselsatu.com/"),
    "path case kept": ("https://www.sulselsatu.com/Kanal/Hukum", "https://www.sulselsatu.com/Kanal/Hukum"),
    "spaces percent-encoded": (
        "https://www.sulselsatu.com/tag/pantai losari",
        "https://www.sulselsatu.com/tag/pantai%20losari",
    ),
}


@pytest.mark.parametrize("url, expected", params(NORMALIZED))
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected


SITE_URLS = {
    "www host": ("https://www.sulselsatu.com/kanal/hukum", True),
    "bare host": ("http://sulselsatu.com/", True),
    "cdn host": ("https://cdn.sulselsatu.com/imageresize/assets/a.jpg&width=1", True),
    "host in capitals": ("https://WWW.SulselSatu.COM/", True),
    "host with port": ("https://www.sulselsatu.com:443/", True),
    "other site": ("https://www.facebook.com/sulselsatu", False),
    "site name as a subdomain of another": ("https://sulselsatu.com.evil.example/", False),
    "longer host ending in the name": ("https://notsulselsatu.com/", False),
    "other subdomain": ("https://m.sulselsatu.com/", False),
    "relative URL": ("/kanal/hukum", False),
}


@pytest.mark.parametrize("url, expected", params(SITE_URLS))
def test_is_site_url(url, expected):
    assert is_site_url(url) is expected


ARTICLE_URLS = {
    "www article": (ARTICLE, True),
    "bare host, http": ("http://sulselsatu.com/2022/03/11/makassar/judul-berita.html", True),
    "with page query and fragment": (ARTICLE + "?page=2#komentar", True),
    "digits and hyphens in the category": ("https://www.sulselsatu.com/2022/03/11/pilkada-2024/x.html", True),
    "cdn host": ("https://cdn.sulselsatu.com/2022/03/11/makassar/judul-berita.html", False),
    "other host": ("https://example.com/2022/03/11/makassar/judul-berita.html", False),
    "single-digit month": ("https://www.sulselsatu.com/2022/3/11/makassar/x.html", False),
    "capital in the category": ("https://www.sulselsatu.com/2022/03/11/Makassar/x.html", False),
    "no .html": ("https://www.sulselsatu.com/2022/03/11/makassar/judul-berita", False),
    "no category": ("https://www.sulselsatu.com/2022/03/11/judul-berita.html", False),
    "extra folder": ("https://www.sulselsatu.com/2022/03/11/makassar/x/judul.html", False),
    "prefix before the date": ("https://www.sulselsatu.com/amp/2022/03/11/makassar/x.html", False),
    "listing": (LISTING, False),
    "home": ("https://www.sulselsatu.com/", False),
}


@pytest.mark.parametrize("url, expected", params(ARTICLE_URLS))
def test_is_article_url(url, expected):
    assert is_article_url(url) is expected


ARTICLE_ADDRESSES = {
    "already public": (ARTICLE, ARTICLE),
    "query and fragment dropped": (ARTICLE + "?page=2&utm_source=x#komentar", ARTICLE),
    "bare host and http": ("http://sulselsatu.com/2022/03/11/makassar/judul-berita.html", ARTICLE),
    "mirror origin becomes the public origin": (
        "http://127.0.0.1:8765/2022/03/11/makassar/judul-berita.html?page=3",
        ARTICLE,
    ),
}


@pytest.mark.parametrize("url, expected", params(ARTICLE_ADDRESSES))
def test_article_url(url, expected):
    assert article_url(url) == expected


CATEGORY_SLUGS = {
    "makassar": (ARTICLE, "makassar"),
    "hyphenated slug": ("https://www.sulselsatu.com/2024/10/01/pilkada-2024/x.html", "pilkada-2024"),
    "query ignored": ("https://www.sulselsatu.com/2022/03/11/news/x.html?page=2", "news"),
    "listing has no slug": (LISTING, None),
    "home has no slug": ("https://www.sulselsatu.com/", None),
}


@pytest.mark.parametrize("url, expected", params(CATEGORY_SLUGS))
def test_category_slug(url, expected):
    assert category_slug(url) == expected


ASSET = "https://www.sulselsatu.com/assets/media/upload/2022/03/a.jpg"

ORIGINAL_IMAGES = {
    "resizer with & sizes": (
        "https://cdn.sulselsatu.com/imageresize/assets/media/upload/2022/03/a.jpg&width=700&height=393",
        ASSET,
    ),
    "resizer with ? sizes": (
        "https://cdn.sulselsatu.com/imageresize/assets/media/upload/2022/03/a.jpg?width=700&height=393",
        ASSET,
    ),
    "resizer over http": ("http://cdn.sulselsatu.com/imageresize/assets/media/upload/2022/03/a.jpg&width=1", ASSET),
    "already the original": (ASSET, ASSET),
    "original on the cdn host moves to www": ("https://cdn.sulselsatu.com/assets/media/upload/2022/03/a.jpg", ASSET),
    "original keeps its query, loses its fragment": (
        "http://sulselsatu.com/assets/media/upload/2022/03/a.jpg?v=2#x",
        ASSET + "?v=2",
    ),
    "WordPress upload path kept": (
        "http://www.sulselsatu.com/wp-content/uploads/2017/10/a.jpg",
        "https://www.sulselsatu.com/wp-content/uploads/2017/10/a.jpg",
    ),
    "resizer path outside /assets/ is no resize": (
        "https://cdn.sulselsatu.com/imageresize/foto/a.jpg&width=1",
        "https://www.sulselsatu.com/imageresize/foto/a.jpg&width=1",
    ),
    "other site unchanged": (
        "http://example.com/imageresize/assets/a.jpg&width=1#f",
        "http://example.com/imageresize/assets/a.jpg&width=1#f",
    ),
}


@pytest.mark.parametrize("url, expected", params(ORIGINAL_IMAGES))
def test_original_image_url(url, expected):
    assert original_image_url(url) == expected


def test_a_url_without_a_host_keeps_an_empty_host():
    assert normalize_url("/kanal/hukum") == "https:///kanal/hukum"
