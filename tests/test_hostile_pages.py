"""Hostile pages, rule by rule: which address a record takes when the page
names another, which hosts a render may reach, and the reasons of the pages
the crawl refuses (off-site redirects, redirect loops, pages too large).
The whole crawl of a hostile site: tests/test_hostile_crawl.py."""

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.utils._download_handlers import get_maxsize_msg
from scrapy.utils.test import get_crawler

from sulsel_crawler.browser import BLOCKED_KEY, BLOCKING_PROXY, allowed_hosts, confine_page, context_proxy
from sulsel_crawler.middlewares.refusals import PageRefused, RefusalsMiddleware
from sulsel_crawler.middlewares.rendering import RenderMiddleware
from sulsel_crawler.pages import CurrentArticlePage
from sulsel_crawler.signals import page_rejected

pytestmark = pytest.mark.unit

ARTICLE = "https://www.sulselsatu.com/2022/03/11/makassar/judul-berita.html"
OTHER_ARTICLE = "https://www.sulselsatu.com/2022/03/12/hukum/berita-lain.html"
OFFSITE = "http://127.0.0.1:9999/landing.html"


def page(head: str, url: str = ARTICLE) -> CurrentArticlePage:
    html = f'<html><head>{head}</head><body><article class="post-detail"></article></body></html>'
    return CurrentArticlePage(HtmlResponse(url=url, body=html, encoding="utf-8"))


def canonical(href: str) -> str:
    return f'<link rel="canonical" href="{href}">'


def og_url(href: str) -> str:
    return f'<meta property="og:url" content="{href}">'


# -- the record's address ------------------------------------------------------------

FOREIGN = {
    "another article": (canonical(OTHER_ARTICLE), ARTICLE, OTHER_ARTICLE),
    "another article in og:url": (og_url(OTHER_ARTICLE), ARTICLE, OTHER_ARTICLE),
    "the article on another site": (
        canonical("https://example.com/2022/03/11/makassar/judul-berita.html"),
        ARTICLE,
        "https://example.com/2022/03/11/makassar/judul-berita.html",
    ),
    "no article": (canonical("https://www.sulselsatu.com/kanal/makassar"), ARTICLE, "https://www.sulselsatu.com/kanal/makassar"),
    "the new address, on the old one": (canonical(ARTICLE), OTHER_ARTICLE, ARTICLE),
    "another article in og:url, canonical blank": (canonical("  ") + og_url(OTHER_ARTICLE), ARTICLE, OTHER_ARTICLE),
}
OWN = {
    "its own": (canonical(ARTICLE), ARTICLE),
    "its own, from a tracked link": (canonical(ARTICLE), ARTICLE + "?utm_source=kanal#komentar"),
    "its own on the bare host": (canonical("http://sulselsatu.com/2022/03/11/makassar/judul-berita.html"), ARTICLE),
    "its own, relative": (canonical("/2022/03/11/makassar/judul-berita.html"), ARTICLE),
    "page 2 of itself": (canonical(ARTICLE + "?page=2"), ARTICLE + "?page=2"),
    "none": ("", ARTICLE),
}


@pytest.mark.parametrize("head, url, claimed", FOREIGN.values(), ids=FOREIGN)
def test_a_foreign_canonical_gives_way_to_the_page_address(head, url, claimed):
    read = page(head, url)
    assert read.canonical_url() == url
    assert read.foreign_canonical() == claimed


@pytest.mark.parametrize("head, url", OWN.values(), ids=OWN)
def test_a_canonical_that_agrees_is_no_foreign_canonical(head, url):
    read = page(head, url)
    assert read.canonical_url() == ARTICLE
    assert read.foreign_canonical() is None


def test_a_canonical_that_agrees_beats_a_foreign_og_url():
    assert page(canonical(ARTICLE) + og_url(OTHER_ARTICLE)).foreign_canonical() is None


# -- what a render may reach -----------------------------------------------------------


@pytest.mark.parametrize(
    "mirror, expected",
    [
        ("", ["sulselsatu.com", "*.sulselsatu.com"]),
        ("http://127.0.0.1:8765", ["127.0.0.1:8765"]),
        ("http://127.0.0.1", ["127.0.0.1:80"]),
        ("https://archive.example.org/sulselsatu", ["archive.example.org:443"]),
        ("http://[::1]:8765", ["[::1]:8765"]),
    ],
)
def test_a_render_reaches_the_hosts_of_the_plain_downloader(mirror, expected):
    assert allowed_hosts(mirror, ["sulselsatu.com"]) == expected


def test_every_other_host_goes_to_the_blocking_proxy_loopback_included():
    assert context_proxy(["127.0.0.1:8765"]) == {"server": BLOCKING_PROXY, "bypass": "<-loopback>,127.0.0.1:8765"}


def render_middleware(**settings) -> RenderMiddleware:
    crawler = get_crawler(settings_dict={"DOWNLOAD_MAXSIZE": 1000, **settings})
    crawler.spider = Spider("test", allowed_domains=["sulselsatu.com"])
    return RenderMiddleware.from_crawler(crawler)


def test_every_render_is_confined():
    request = Request(ARTICLE, meta={"playwright": True, "playwright_context_kwargs": {"locale": "id-ID"}})
    render_middleware(MIRROR_BASE_URL="http://127.0.0.1:8765").process_request(request)
    assert request.meta["playwright_context_kwargs"] == {"locale": "id-ID", "proxy": context_proxy(["127.0.0.1:8765"])}
    assert request.meta["playwright_page_init_callback"] is confine_page
    assert request.meta[BLOCKED_KEY] == []


def test_a_plain_request_is_left_alone():
    request = Request(ARTICLE)
    render_middleware().process_request(request)
    assert request.meta == {}


def test_a_render_stopped_at_the_allow_list_is_an_offsite_redirect():
    request = Request(ARTICLE, meta={"playwright": True, BLOCKED_KEY: [OFFSITE]})
    error = Exception("Page.goto: net::ERR_PROXY_CONNECTION_FAILED at http://127.0.0.1:8765/x")
    with pytest.raises(PageRefused, match=f"^redirect off site to {OFFSITE}$"):
        render_middleware().process_exception(request, error)


def test_a_render_that_redirects_for_ever_is_a_redirect_loop():
    request = Request(ARTICLE, meta={"playwright": True, BLOCKED_KEY: []})
    with pytest.raises(PageRefused, match=f"^redirect loop: {ARTICLE} → "):
        render_middleware().process_exception(request, Exception("Page.goto: net::ERR_TOO_MANY_REDIRECTS at …"))


@pytest.mark.parametrize("size, refused", [(1000, False), (1001, True)])
def test_a_rendered_page_over_the_size_limit_is_refused(size, refused):
    request = Request(ARTICLE, meta={"playwright": True})
    response = HtmlResponse(ARTICLE, body=b"x" * size, flags=["playwright"], request=request)
    middleware = render_middleware()
    if refused:
        with pytest.raises(PageRefused, match=r"^too large: 1001 bytes > DOWNLOAD_MAXSIZE \(1000\)$"):
            middleware.process_response(request, response)
    else:
        assert middleware.process_response(request, response) is response


# -- refusals of the plain downloader ----------------------------------------------------


@pytest.fixture
def refusals():
    crawler = get_crawler()
    crawler.spider = Spider("test", allowed_domains=["sulselsatu.com"])
    rejects = []
    crawler.signals.connect(
        lambda url, reasons, stage, **_: rejects.append((url, reasons, stage)), signal=page_rejected, weak=False
    )
    middleware = RefusalsMiddleware.from_crawler(crawler)
    middleware.spider_opened(crawler.spider)
    return middleware, rejects


def redirected(url: str, *chain: str) -> Request:
    return Request(url, meta={"redirect_urls": list(chain), "redirect_reasons": [301] * len(chain)})


def rejected(url: str, reason: str) -> tuple:
    return (url, [reason], "download")


def test_a_redirect_off_the_site_is_rejected_and_not_followed(refusals):
    middleware, rejects = refusals
    with pytest.raises(IgnoreRequest):
        middleware.process_request(redirected(OFFSITE, ARTICLE))
    assert rejects == [rejected(ARTICLE, f"redirect off site to {OFFSITE}")]


def test_a_redirect_on_the_site_is_followed(refusals):
    middleware, rejects = refusals
    assert middleware.process_request(redirected(OTHER_ARTICLE, ARTICLE)) is None
    assert rejects == []


def test_an_offsite_request_that_is_no_redirect_is_dropped_as_scrapy_drops_it(refusals):
    middleware, rejects = refusals
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request(OFFSITE))
    assert rejects == []


def test_a_redirect_back_into_its_own_chain_is_a_loop(refusals):
    middleware, rejects = refusals
    middleware.request_dropped(redirected(ARTICLE + "?utm_source=x", ARTICLE, OTHER_ARTICLE))
    loop = f"redirect loop: {ARTICLE} → {OTHER_ARTICLE} → {ARTICLE}?utm_source=x"
    assert rejects == [rejected(ARTICLE, loop)]


@pytest.mark.parametrize(
    "request_",
    [redirected(OTHER_ARTICLE, ARTICLE), Request(ARTICLE)],
    ids=["a redirect to a page requested before", "a duplicate link"],
)
def test_other_dropped_requests_are_no_loop(refusals, request_):
    middleware, rejects = refusals
    middleware.request_dropped(request_)
    assert rejects == []


def test_a_download_cancelled_for_its_size_names_the_size(refusals):
    middleware, _ = refusals
    request = Request(ARTICLE)
    error = DownloadCancelledError(get_maxsize_msg(9_000_000, 8_388_608, request, expected=True))
    with pytest.raises(PageRefused, match=r"^too large: 9000000 bytes > DOWNLOAD_MAXSIZE \(8388608\)$"):
        middleware.process_exception(request, error)


def test_a_download_cancelled_past_the_size_limit_names_the_limit(refusals):
    """Without Content-Length, Scrapy cancels once the limit is passed, saying nothing."""
    middleware, _ = refusals
    with pytest.raises(PageRefused, match=r"^too large: over DOWNLOAD_MAXSIZE \(5000 bytes\)$"):
        middleware.process_exception(Request(ARTICLE, meta={"download_maxsize": 5000}), DownloadCancelledError())


@pytest.mark.parametrize("error", [DownloadCancelledError("cancelled"), DownloadTimeoutError("slow")])
def test_other_download_errors_pass_on(refusals, error):
    middleware, _ = refusals
    assert middleware.process_exception(Request(ARTICLE), error) is None


def test_a_canonical_that_agrees_is_the_record_address_as_the_page_writes_it():
    """The address requested has its letters percent-encoded; the canonical
    link names the same page in its own letters, and the record keeps those."""
    written = "https://www.sulselsatu.com/2022/03/11/makassar/kopi-café.html"
    read = page(canonical(written), written.replace("é", "%C3%A9"))
    assert read.canonical_url() == written
    assert read.foreign_canonical() is None
