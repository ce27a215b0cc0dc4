"""Every source of every field's fallback chain, alone and against the next one.

Each field method of an article page reads several sources in order (JSON-LD,
meta tags, the visible markup). For every source there is a case where that
source ALONE supplies the field, and a case where it disagrees with the next
source and wins, so breaking a source or the order of the chain fails a test.

Pages are built bare: only the markup a case names is on the page.
"""

import json

import pytest
from scrapy.http import HtmlResponse, Response

from sulsel_crawler.pages import CurrentArticlePage, LegacyArticlePage, UnknownLayout, article_page

pytestmark = pytest.mark.unit

ARTICLE = "https://www.sulselsatu.com/2022/03/11/makassar/judul-berita.html"
OTHER_ARTICLE = "https://www.sulselsatu.com/2022/03/12/hukum/berita-lain.html"
OLD_ADDRESS = "https://www.sulselsatu.com/2021/01/01/news/alamat-lama.html"


# -- page builders -------------------------------------------------------------------


def current(head: str = "", body: str = "", *, outside: str = "", url: str = ARTICLE) -> CurrentArticlePage:
    """A current-template page: ``body`` inside ``article.post-detail``, ``outside`` after it."""
    html = (
        f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">{head}</head><body><main>'
        f'<article class="post-detail">{body}</article>{outside}</main></body></html>'
    )
    page = article_page(HtmlResponse(url=url, body=html, encoding="utf-8"))
    assert isinstance(page, CurrentArticlePage)
    return page


def legacy(head: str = "", body: str = "", *, outside: str = "", url: str = ARTICLE) -> LegacyArticlePage:
    """A legacy-template page: ``body`` inside ``div.detail-berita``, ``outside`` after it."""
    html = (
        f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">{head}</head><body><main>'
        f'<div class="detail-berita">{body}</div>{outside}</main></body></html>'
    )
    page = article_page(HtmlResponse(url=url, body=html, encoding="utf-8"))
    assert isinstance(page, LegacyArticlePage)
    return page


LAYOUTS = {"current": current, "legacy": legacy}


def ld(**fields) -> str:
    """A JSON-LD NewsArticle with the given fields."""
    return json_ld_script({"@type": "NewsArticle", **fields})


def json_ld_script(data) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def meta_property(key: str, value: str) -> str:
    return f'<meta property="{key}" content="{value}">'


def meta_name(key: str, value: str) -> str:
    return f'<meta name="{key}" content="{value}">'


def params(table: dict) -> list:
    """``{"case name": (values...)}`` as pytest parameters named by their keys."""
    return [pytest.param(*values, id=name) for name, values in table.items()]


# -- layouts -------------------------------------------------------------------------


def test_a_page_in_no_layout_names_the_layouts_it_expected():
    response = HtmlResponse(url=ARTICLE, body="<html><body><div class='artikel'></div></body></html>", encoding="utf-8")
    with pytest.raises(UnknownLayout) as error:
        article_page(response)
    assert str(error.value) == (
        f"{ARTICLE}: no article layout matches; "
        "expected one of article.post-detail (current), div.detail-berita (legacy)"
    )


def test_a_binary_response_is_no_article_page():
    with pytest.raises(UnknownLayout) as error:
        article_page(Response(url=ARTICLE, body=b"\x89PNG"))
    assert str(error.value) == f"{ARTICLE}: not a text response, cannot be an article page"


def test_a_page_names_its_layout_and_url():
    assert repr(current()) == f"<CurrentArticlePage {ARTICLE}>"
    assert repr(legacy()) == f"<LegacyArticlePage {ARTICLE}>"


def test_a_page_with_both_roots_is_read_as_the_current_template():
    html = '<html><body><article class="post-detail"></article><div class="detail-berita"></div></body></html>'
    page = article_page(HtmlResponse(url=ARTICLE, body=html, encoding="utf-8"))
    assert type(page) is CurrentArticlePage


# -- title: JSON-LD headline, og:title, the headline element, <title> without suffix ----

TITLE_SOURCES = {
    "current: JSON-LD headline alone": (current, ld(headline="Judul LD"), "", "Judul LD"),
    "legacy: JSON-LD headline alone": (legacy, ld(headline="Judul LD"), "", "Judul LD"),
    "current: og:title alone": (current, meta_property("og:title", "Judul OG"), "", "Judul OG"),
    "legacy: og:title alone": (legacy, meta_property("og:title", "Judul OG"), "", "Judul OG"),
    "current: h1.post-title alone": (current, "", '<h1 class="post-title">Judul H1</h1>', "Judul H1"),
    "legacy: h1.judul alone": (legacy, "", '<h1 class="judul">Judul H1</h1>', "Judul H1"),
    "current: <title> alone": (current, "<title>Judul Tag - Sulselsatu</title>", "", "Judul Tag"),
    "legacy: <title> alone": (legacy, "<title>Judul Tag - Sulselsatu</title>", "", "Judul Tag"),
    "current: JSON-LD beats og:title": (
        current,
        ld(headline="Judul LD") + meta_property("og:title", "Judul OG") + "<title>Judul Tag</title>",
        '<h1 class="post-title">Judul H1</h1>',
        "Judul LD",
    ),
    "current: og:title beats h1": (
        current,
        meta_property("og:title", "Judul OG") + "<title>Judul Tag</title>",
        '<h1 class="post-title">Judul H1</h1>',
        "Judul OG",
    ),
    "current: h1 beats <title>": (
        current,
        "<title>Judul Tag</title>",
        '<h1 class="post-title">Judul H1</h1>',
        "Judul H1",
    ),
    "legacy: h1 beats <title>": (legacy, "<title>Judul Tag</title>", '<h1 class="judul">Judul H1</h1>', "Judul H1"),
    "current: the legacy headline class is not read": (current, "", '<h1 class="judul">Judul H1</h1>', None),
    "legacy: the current headline class is not read": (legacy, "", '<h1 class="post-title">Judul H1</h1>', None),
    "current: empty JSON-LD headline falls through": (
        current,
        ld(headline="  ") + meta_property("og:title", "Judul OG"),
        "",
        "Judul OG",
    ),
    "no source at all": (current, "", "", None),
}


@pytest.mark.parametrize("build, head, body, expected", params(TITLE_SOURCES))
def test_title_source(build, head, body, expected):
    assert build(head, body).title() == expected


def test_headline_outside_the_article_is_not_the_title():
    page = current(outside='<h1 class="post-title">Judul Lain</h1>')
    assert page.title() is None


TITLE_TAGS = {
    "hyphen suffix": ("Judul Berita - Sulselsatu", "Judul Berita"),
    "en dash suffix": ("Judul Berita – Sulselsatu", "Judul Berita"),
    "bar suffix": ("Judul Berita | Sulselsatu", "Judul Berita"),
    ".com suffix": ("Judul Berita - Sulselsatu.com", "Judul Berita"),
    "upper-case suffix": ("Judul Berita - SULSELSATU", "Judul Berita"),
    "wide spaces around the dash": ("Judul Berita  -   Sulselsatu", "Judul Berita"),
    "entities decoded": ("Koperasi &amp; UKM - Sulselsatu", "Koperasi & UKM"),
    "only the final suffix goes": ("Judul - Sulselsatu - Sulselsatu", "Judul - Sulselsatu"),
    "site name at the start stays": ("Sulselsatu - Berita Makassar", "Sulselsatu - Berita Makassar"),
    "no space before the dash stays": ("Judul-Sulselsatu", "Judul-Sulselsatu"),
    "other site stays": ("Judul Berita - Tribun", "Judul Berita - Tribun"),
    "no suffix": ("Judul Berita", "Judul Berita"),
}


@pytest.mark.parametrize("title_tag, expected", params(TITLE_TAGS))
def test_title_tag_loses_the_site_suffix(title_tag, expected):
    assert current(f"<title>{title_tag}</title>").title() == expected


def test_og_title_is_cleaned():
    assert current(meta_property("og:title", "  Judul\n  &amp; Berita ")).title() == "Judul & Berita"


# -- author ------------------------------------------------------------------------

AVATAR = '<div class="post-author"><a href="/penulis/x"><img class="avatar" alt="Nama Avatar"></a></div>'
NAME_LINK = '<div class="post-author"><a class="author-name" href="/penulis/x">Nama Link</a></div>'
AVATAR_AND_NAME_LINK = (
    '<div class="post-author"><a href="/penulis/x"><img class="avatar" alt="Nama Avatar"></a> '
    '<a class="author-name" href="/penulis/x">Nama Link</a></div>'
)
REPORTER = '<div class="info-berita"><span class="reporter">Laporan: Nama Reporter</span></div>'

AUTHOR_SOURCES = {
    "current: JSON-LD author as a string": (current, ld(author="Nama LD"), "", "Nama LD"),
    "current: JSON-LD author as an object": (current, ld(author={"@type": "Person", "name": "Nama LD"}), "", "Nama LD"),
    "current: JSON-LD author as a list of objects, first wins": (
        current,
        ld(author=[{"name": "Nama Satu"}, {"name": "Nama Dua"}]),
        "",
        "Nama Satu",
    ),
    "current: JSON-LD author as a list of strings, first wins": (
        current,
        ld(author=["Nama Satu", "Nama Dua"]),
        "",
        "Nama Satu",
    ),
    "legacy: JSON-LD author as an object": (legacy, ld(author={"name": "Nama LD"}), "", "Nama LD"),
    "current: JSON-LD author name is cleaned": (current, ld(author={"name": " Nama \n LD "}), "", "Nama LD"),
    "current: meta author alone": (current, meta_name("author", "Nama Meta"), "", "Nama Meta"),
    "legacy: meta author alone": (legacy, meta_name("author", "Nama Meta"), "", "Nama Meta"),
    "current: name link alone": (current, "", NAME_LINK, "Nama Link"),
    "current: avatar alt alone": (current, "", AVATAR, "Nama Avatar"),
    "legacy: reporter alone": (legacy, "", REPORTER, "Nama Reporter"),
    "current: JSON-LD beats meta": (current, ld(author="Nama LD") + meta_name("author", "Nama Meta"), AVATAR_AND_NAME_LINK, "Nama LD"),
    "current: meta beats name link": (current, meta_name("author", "Nama Meta"), AVATAR_AND_NAME_LINK, "Nama Meta"),
    "current: name link beats avatar alt": (current, "", AVATAR_AND_NAME_LINK, "Nama Link"),
    "legacy: JSON-LD beats meta": (legacy, ld(author="Nama LD") + meta_name("author", "Nama Meta"), REPORTER, "Nama LD"),
    "legacy: meta beats reporter": (legacy, meta_name("author", "Nama Meta"), REPORTER, "Nama Meta"),
    "current: empty JSON-LD author list falls through": (current, ld(author=[]), NAME_LINK, "Nama Link"),
    "current: JSON-LD author object without name falls through": (
        current,
        ld(author={"url": "https://www.sulselsatu.com/penulis/x"}),
        NAME_LINK,
        "Nama Link",
    ),
    "current: JSON-LD author as a number falls through": (current, ld(author=5), NAME_LINK, "Nama Link"),
    "legacy: the current template's name link is not read": (legacy, "", NAME_LINK, None),
    "current: the legacy reporter is not read": (current, "", REPORTER, None),
    "no author anywhere": (current, "", "", None),
}


@pytest.mark.parametrize("build, head, body, expected", params(AUTHOR_SOURCES))
def test_author_source(build, head, body, expected):
    assert build(head, body).author() == expected


REPORTER_LINES = {
    "Laporan: NAME": ("Laporan: Zulkifli Baso", "Zulkifli Baso"),
    "space before the colon": ("Laporan : Zulkifli Baso", "Zulkifli Baso"),
    "no space after the colon": ("Laporan:Zulkifli Baso", "Zulkifli Baso"),
    "upper-case label": ("LAPORAN: Zulkifli Baso", "Zulkifli Baso"),
    "label without colon": ("Laporan Zulkifli Baso", "Zulkifli Baso"),
    "name without label": ("Zulkifli Baso", "Zulkifli Baso"),
    "label only": ("Laporan:", None),
    "whitespace collapsed": ("Laporan:  Zulkifli \n Baso ", "Zulkifli Baso"),
}


@pytest.mark.parametrize("line, expected", params(REPORTER_LINES))
def test_legacy_reporter_line(line, expected):
    body = f'<div class="info-berita"><span class="reporter">{line}</span></div>'
    assert legacy(body=body).author() == expected


# -- editor ------------------------------------------------------------------------

EDITORS = {
    "current: name in the span": (current, '<div class="post-editor">Editor: <span>Sukma Dewi</span></div>', "Sukma Dewi"),
    "current: line without span": (current, '<div class="post-editor">Editor: Sukma Dewi</div>', "Sukma Dewi"),
    "current: line with space before colon": (current, '<div class="post-editor">Editor : Sukma Dewi</div>', "Sukma Dewi"),
    "current: lower-case label": (current, '<div class="post-editor">editor:Sukma Dewi</div>', "Sukma Dewi"),
    "current: the span beats the line text": (
        current,
        '<div class="post-editor">Editor: Budi <span>Sukma Dewi</span></div>',
        "Sukma Dewi",
    ),
    "current: no editor block": (current, "", None),
    "current: empty editor block": (current, '<div class="post-editor">Editor:</div>', None),
    "legacy: last chunk": (legacy, '<div class="isi-berita">Satu.<br><br>Editor: Abdul Rauf</div>', "Abdul Rauf"),
    "legacy: space before the colon, upper case": (
        legacy,
        '<div class="isi-berita">Satu.<br><br>EDITOR : Abdul Rauf</div>',
        "Abdul Rauf",
    ),
    "legacy: the last Editor line wins": (
        legacy,
        '<div class="isi-berita">Editor: Budi<br><br>Satu.<br><br>Editor: Abdul Rauf</div>',
        "Abdul Rauf",
    ),
    "legacy: Editor inside a sentence is no editor line": (
        legacy,
        '<div class="isi-berita">Satu.<br><br>Kata Editor: tidak ada.</div>',
        None,
    ),
    "legacy: no editor line": (legacy, '<div class="isi-berita">Satu.<br><br>Dua.</div>', None),
    "legacy: the current editor block is not read": (legacy, '<div class="post-editor">Editor: <span>Sukma</span></div>', None),
}


@pytest.mark.parametrize("build, body, expected", params(EDITORS))
def test_editor(build, body, expected):
    assert build(body=body).editor() == expected


# -- published_at / modified_at ------------------------------------------------------

LD_PUBLISHED = "2022-03-11T15:25:00+08:00"
META_PUBLISHED = "2022-03-12T08:00:00+08:00"
TIME_ONLY = '<div class="post-date"><time datetime="2022-03-13T09:30:00+08:00"></time></div>'
TIME_ELEMENT = '<div class="post-date"><time datetime="2022-03-13T09:30:00+08:00">Senin, 14 Maret 2022 10:45</time></div>'
DATE_TEXT = '<div class="post-date">Senin, 14 Maret 2022 10:45</div>'
TANGGAL = '<div class="info-berita"><span class="tanggal">Selasa, 15 Maret 2016 - 11:47 WITA</span></div>'
META_DATES = meta_property("article:published_time", META_PUBLISHED)

PUBLISHED = {
    "current: JSON-LD alone": (current, ld(datePublished=LD_PUBLISHED), "", "2022-03-11T15:25:00+08:00"),
    "legacy: JSON-LD alone": (legacy, ld(datePublished=LD_PUBLISHED), "", "2022-03-11T15:25:00+08:00"),
    "current: article:published_time alone": (current, META_DATES, "", "2022-03-12T08:00:00+08:00"),
    "legacy: article:published_time alone": (legacy, META_DATES, "", "2022-03-12T08:00:00+08:00"),
    "current: <time datetime> alone": (current, "", TIME_ONLY, "2022-03-13T09:30:00+08:00"),
    "current: visible date text alone": (current, "", DATE_TEXT, "2022-03-14T10:45:00+08:00"),
    "legacy: span.tanggal alone": (legacy, "", TANGGAL, "2016-03-15T11:47:00+08:00"),
    "current: JSON-LD beats meta": (current, ld(datePublished=LD_PUBLISHED) + META_DATES, TIME_ELEMENT, "2022-03-11T15:25:00+08:00"),
    "current: meta beats the visible date": (current, META_DATES, TIME_ELEMENT, "2022-03-12T08:00:00+08:00"),
    "current: datetime attribute beats the text": (current, "", TIME_ELEMENT, "2022-03-13T09:30:00+08:00"),
    "legacy: JSON-LD beats meta": (legacy, ld(datePublished=LD_PUBLISHED) + META_DATES, TANGGAL, "2022-03-11T15:25:00+08:00"),
    "legacy: meta beats span.tanggal": (legacy, META_DATES, TANGGAL, "2022-03-12T08:00:00+08:00"),
    "current: unreadable JSON-LD date falls through to meta": (
        current,
        ld(datePublished="kemarin") + META_DATES,
        "",
        "2022-03-12T08:00:00+08:00",
    ),
    "current: unreadable meta date falls through to the visible date": (
        current,
        meta_property("article:published_time", "kemarin"),
        DATE_TEXT,
        "2022-03-14T10:45:00+08:00",
    ),
    "current: unreadable datetime attribute falls through to the text": (
        current,
        "",
        '<div class="post-date"><time datetime="sometime">Senin, 14 Maret 2022 10:45</time></div>',
        "2022-03-14T10:45:00+08:00",
    ),
    "current: JSON-LD in UTC is converted": (current, ld(datePublished="2022-03-11T07:25:00Z"), "", "2022-03-11T15:25:00+08:00"),
    "legacy: the current date block is not read": (legacy, "", DATE_TEXT, None),
    "current: the legacy date span is not read": (current, "", TANGGAL, None),
    "no date anywhere": (current, "", "", None),
}


@pytest.mark.parametrize("build, head, body, expected", params(PUBLISHED))
def test_published_at_source(build, head, body, expected):
    assert build(head, body).published_at() == expected


LD_MODIFIED = "2022-03-20T10:00:00+08:00"
META_MODIFIED = meta_property("article:modified_time", "2022-03-21T11:00:00+08:00")
UPDATED = '<div class="post-updated">Diperbarui: Selasa, 22 Maret 2022 12:05</div>'

MODIFIED = {
    "current: JSON-LD alone": (current, ld(dateModified=LD_MODIFIED), "", "2022-03-20T10:00:00+08:00"),
    "legacy: JSON-LD alone": (legacy, ld(dateModified=LD_MODIFIED), "", "2022-03-20T10:00:00+08:00"),
    "current: article:modified_time alone": (current, META_MODIFIED, "", "2022-03-21T11:00:00+08:00"),
    "legacy: article:modified_time alone": (legacy, META_MODIFIED, "", "2022-03-21T11:00:00+08:00"),
    "current: updated line alone": (current, "", UPDATED, "2022-03-22T12:05:00+08:00"),
    "current: updated line without label": (
        current,
        "",
        '<div class="post-updated">Selasa, 22 Maret 2022 12:05</div>',
        "2022-03-22T12:05:00+08:00",
    ),
    "current: JSON-LD beats meta": (current, ld(dateModified=LD_MODIFIED) + META_MODIFIED, UPDATED, "2022-03-20T10:00:00+08:00"),
    "current: meta beats the updated line": (current, META_MODIFIED, UPDATED, "2022-03-21T11:00:00+08:00"),
    "current: unreadable JSON-LD date falls through to meta": (
        current,
        ld(dateModified="kemarin") + META_MODIFIED,
        "",
        "2022-03-21T11:00:00+08:00",
    ),
    "current: the publication date is not a modification date": (
        current,
        ld(datePublished=LD_PUBLISHED) + META_DATES,
        TIME_ELEMENT,
        None,
    ),
    "legacy: span.tanggal is not a modification date": (legacy, "", TANGGAL, None),
    "legacy: the current updated line is not read": (legacy, "", UPDATED, None),
}


@pytest.mark.parametrize("build, head, body, expected", params(MODIFIED))
def test_modified_at_source(build, head, body, expected):
    assert build(head, body).modified_at() == expected


# -- category ----------------------------------------------------------------------

CURRENT_CRUMBS = (
    '<nav class="breadcrumb"><ol><li><a href="https://www.sulselsatu.com/">Home</a></li>'
    '<li><a href="https://www.sulselsatu.com/kanal/hukum">Hukum Crumb</a></li></ol></nav>'
)
LEGACY_CRUMBS = (
    '<div class="breadcrumb"><a href="https://www.sulselsatu.com/">Home</a> &raquo; '
    '<a href="https://www.sulselsatu.com/kanal/hukum">Hukum Crumb</a></div>'
)
SECTION = meta_property("article:section", "Hukum Meta")

CATEGORIES = {
    "current: JSON-LD articleSection string alone": (current, ld(articleSection="Hukum LD"), "", "Hukum LD"),
    "current: JSON-LD articleSection list, first wins": (current, ld(articleSection=["Hukum LD", "Sulsel"]), "", "Hukum LD"),
    "legacy: JSON-LD articleSection alone": (legacy, ld(articleSection="Hukum LD"), "", "Hukum LD"),
    "current: article:section alone": (current, SECTION, "", "Hukum Meta"),
    "legacy: article:section alone": (legacy, SECTION, "", "Hukum Meta"),
    "current: breadcrumb alone": (current, "", CURRENT_CRUMBS, "Hukum Crumb"),
    "legacy: breadcrumb alone": (legacy, "", LEGACY_CRUMBS, "Hukum Crumb"),
    "current: JSON-LD beats meta": (current, ld(articleSection="Hukum LD") + SECTION, CURRENT_CRUMBS, "Hukum LD"),
    "current: meta beats breadcrumb": (current, SECTION, CURRENT_CRUMBS, "Hukum Meta"),
    "legacy: meta beats breadcrumb": (legacy, SECTION, LEGACY_CRUMBS, "Hukum Meta"),
    "current: empty articleSection list falls through": (current, ld(articleSection=[]), CURRENT_CRUMBS, "Hukum Crumb"),
    "current: the last kanal link of the breadcrumb": (
        current,
        "",
        '<nav class="breadcrumb"><a href="/kanal/sulsel">Sulsel</a> <a href="/kanal/hukum">Hukum</a>'
        ' <a href="/2022/03/11/hukum/x.html">Judul</a></nav>',
        "Hukum",
    ),
    "current: breadcrumb without kanal link": (
        current,
        "",
        '<nav class="breadcrumb"><a href="https://www.sulselsatu.com/">Home</a></nav>',
        None,
    ),
    "legacy: the current breadcrumb is not read": (legacy, "", CURRENT_CRUMBS, None),
    "no category anywhere": (current, "", "", None),
}


@pytest.mark.parametrize("build, head, body, expected", params(CATEGORIES))
def test_category_source(build, head, body, expected):
    assert build(head, body).category() == expected


@pytest.mark.parametrize(
    "build, url, expected",
    [
        pytest.param(current, ARTICLE, "makassar", id="current: from the url"),
        pytest.param(legacy, OTHER_ARTICLE, "hukum", id="legacy: from the url"),
        pytest.param(current, "https://www.sulselsatu.com/kanal/hukum", None, id="no article url"),
    ],
)
def test_category_slug_comes_from_the_record_url(build, url, expected):
    assert build(CURRENT_CRUMBS, url=url).category_slug() == expected


def test_category_slug_follows_the_record_url_not_a_foreign_canonical():
    page = current(f'<link rel="canonical" href="{OTHER_ARTICLE}">', url=ARTICLE)
    assert page.category_slug() == "makassar"


# -- tags --------------------------------------------------------------------------


def tag_metas(*tags: str) -> str:
    return "".join(meta_property("article:tag", tag) for tag in tags)


def tag_links(*tags: str, rel: str = "tag") -> str:
    links = " ".join(f'<a href="/tag/{index}" rel="{rel}">{tag}</a>' for index, tag in enumerate(tags))
    return f'<div class="post-tags">{links}</div>'


TAGS = {
    "current: article:tag metas alone": (current, tag_metas("Banjir", "Makassar"), "", "", ["Banjir", "Makassar"]),
    "legacy: article:tag metas alone": (legacy, tag_metas("Banjir", "Makassar"), "", "", ["Banjir", "Makassar"]),
    "current: visible tag links alone": (current, "", tag_links("Banjir", "Makassar"), "", ["Banjir", "Makassar"]),
    "legacy: visible tag links alone": (legacy, "", tag_links("Banjir", "Makassar"), "", ["Banjir", "Makassar"]),
    "metas beat visible links": (current, tag_metas("Meta A"), tag_links("Link A", "Link B"), "", ["Meta A"]),
    "metas in page order, repeats dropped": (current, tag_metas("B", "A", "B", "C", "A"), "", "", ["B", "A", "C"]),
    "links in page order, repeats dropped": (current, "", tag_links("B", "A", "B", "C"), "", ["B", "A", "C"]),
    "rel with several values": (current, "", tag_links("Banjir", rel="tag nofollow"), "", ["Banjir"]),
    "link text cleaned, empty link skipped": (current, "", tag_links(" Pantai\n Losari ", " "), "", ["Pantai Losari"]),
    "empty meta skipped": (current, tag_metas("", "Banjir"), "", "", ["Banjir"]),
    "tag links outside the article are not its tags": (current, "", "", tag_links("Trending"), []),
    "links without rel=tag are not tags": (current, "", '<a href="/tag/x">Banjir</a>', "", []),
    "no tags": (current, "", "", "", []),
}


@pytest.mark.parametrize("build, head, body, outside, expected", params(TAGS))
def test_tags(build, head, body, outside, expected):
    assert build(head, body, outside=outside).tags() == expected


# -- summary -----------------------------------------------------------------------

SUMMARIES = {
    "meta description": (meta_name("description", "Ringkasan berita."), "Ringkasan berita."),
    "decoded and collapsed": (
        meta_name("description", "  Koperasi &amp; UKM\n menggelar&nbsp;pameran. "),
        "Koperasi & UKM menggelar pameran.",
    ),
    "og:description is no summary": (meta_property("og:description", "Ringkasan OG."), None),
    "JSON-LD description is no summary": (ld(description="Ringkasan LD."), None),
    "empty description": (meta_name("description", " "), None),
    "absent": ("", None),
}


@pytest.mark.parametrize("head, expected", params(SUMMARIES))
def test_summary(head, expected):
    assert current(head).summary() == expected
    assert legacy(head).summary() == expected


# -- canonical_url -------------------------------------------------------------------


def canonical(href: str) -> str:
    return f'<link rel="canonical" href="{href}">'


def og_url(href: str) -> str:
    return meta_property("og:url", href)


# The record's URL is the page's own address; the canonical link (else og:url)
# is taken only where it agrees with it (another article's address is not).
CANONICALS = {
    "canonical link alone": (canonical(ARTICLE), ARTICLE + "?utm_source=kanal", ARTICLE),
    "og:url alone": (og_url(ARTICLE), ARTICLE + "#komentar", ARTICLE),
    "response url alone": ("", ARTICLE + "?utm_source=kanal#komentar", ARTICLE),
    "canonical of another article loses": (canonical(OTHER_ARTICLE), ARTICLE, ARTICLE),
    "og:url of another article loses": (og_url(OTHER_ARTICLE), ARTICLE, ARTICLE),
    "canonical beats og:url": (canonical(ARTICLE) + og_url(OTHER_ARTICLE), ARTICLE, ARTICLE),
    "an old address keeps its own": (canonical(ARTICLE), OLD_ADDRESS, OLD_ADDRESS),
    "canonical off the site loses": (
        canonical("https://example.com/2022/03/11/makassar/judul-berita.html"),
        ARTICLE,
        ARTICLE,
    ),
    "canonical that is no article is skipped": (
        canonical("https://www.sulselsatu.com/kanal/makassar") + og_url(ARTICLE),
        ARTICLE,
        ARTICLE,
    ),
    "og:url that is no article is skipped": (
        canonical("https://www.sulselsatu.com/") + og_url("https://www.sulselsatu.com/"),
        ARTICLE,
        ARTICLE,
    ),
    "empty canonical is skipped": (canonical("") + og_url(ARTICLE), ARTICLE, ARTICLE),
    "page query dropped": (canonical(ARTICLE + "?page=2"), ARTICLE + "?page=2", ARTICLE),
    "fragment dropped": (canonical(ARTICLE + "#komentar"), ARTICLE, ARTICLE),
    "bare host and http become https www": (
        canonical("http://sulselsatu.com/2022/03/11/makassar/judul-berita.html"),
        ARTICLE,
        ARTICLE,
    ),
    "relative canonical is joined": (canonical("/2022/03/11/makassar/judul-berita.html"), ARTICLE, ARTICLE),
    "whitespace around the href": (canonical(f"  {ARTICLE}\n"), ARTICLE, ARTICLE),
    "rel with several values": (f'<link rel="canonical alternate" href="{ARTICLE}">', ARTICLE, ARTICLE),
    "response url on the bare host": ("", "http://sulselsatu.com/2022/03/11/makassar/judul-berita.html?page=3", ARTICLE),
}


@pytest.mark.parametrize("head, url, expected", params(CANONICALS))
def test_canonical_url(head, url, expected):
    assert current(head, url=url).canonical_url() == expected
    assert legacy(head, url=url).canonical_url() == expected


# -- next_page_url -----------------------------------------------------------------


def link_next(href: str) -> str:
    return f'<link rel="next" href="{href}">'


def a_next(href: str) -> str:
    return f'<div class="post-pagination"><a class="next" rel="next" href="{href}">Selanjutnya</a></div>'


NEXT_PAGES = {
    "head link rel=next alone": (link_next(ARTICLE + "?page=2"), "", "", ARTICLE, ARTICLE + "?page=2"),
    "pagination a rel=next alone": ("", a_next(ARTICLE + "?page=3"), "", ARTICLE + "?page=2", ARTICLE + "?page=3"),
    "head link beats the pagination link": (
        link_next(ARTICLE + "?page=2"),
        a_next(ARTICLE + "?page=3"),
        "",
        ARTICLE,
        ARTICLE + "?page=2",
    ),
    "next of another article is ignored": (link_next(OTHER_ARTICLE + "?page=2"), "", "", ARTICLE, None),
    "next pointing at this page is ignored": (
        link_next(ARTICLE + "?page=3&utm_source=x#komentar"),
        "",
        "",
        ARTICLE + "?page=3",
        None,
    ),
    "tracking and fragment dropped": (
        link_next(ARTICLE + "?utm_source=x&page=2#komentar"),
        "",
        "",
        ARTICLE,
        ARTICLE + "?page=2",
    ),
    "bare host next is the same article": (
        link_next("https://sulselsatu.com/2022/03/11/makassar/judul-berita.html?page=2"),
        "",
        "",
        ARTICLE,
        ARTICLE + "?page=2",
    ),
    "relative href is joined": ("", a_next("?page=2"), "", ARTICLE, ARTICLE + "?page=2"),
    "a rel=next outside the article is ignored": ("", "", a_next(ARTICLE + "?page=2"), ARTICLE, None),
    "no next link": ("", "", "", ARTICLE, None),
}


@pytest.mark.parametrize("head, body, outside, url, expected", params(NEXT_PAGES))
def test_next_page_url(head, body, outside, url, expected):
    assert current(head, body, outside=outside, url=url).next_page_url() == expected


# -- JSON-LD -----------------------------------------------------------------------

JSON_LDS = {
    "plain NewsArticle": (
        json_ld_script({"@type": "NewsArticle", "headline": "A"}),
        {"@type": "NewsArticle", "headline": "A"},
    ),
    "inside @graph, after other types": (
        json_ld_script({"@graph": [{"@type": "WebPage", "name": "W"}, {"@type": "NewsArticle", "headline": "A"}]}),
        {"@type": "NewsArticle", "headline": "A"},
    ),
    "top-level list, non-objects skipped": (
        json_ld_script([1, "x", {"@type": "Organization"}, {"@type": "NewsArticle", "headline": "A"}]),
        {"@type": "NewsArticle", "headline": "A"},
    ),
    "@type as a list": (
        json_ld_script({"@type": ["WebPage", "NewsArticle"], "headline": "A"}),
        {"@type": ["WebPage", "NewsArticle"], "headline": "A"},
    ),
    "type Article": (json_ld_script({"@type": "Article", "headline": "A"}), {"@type": "Article", "headline": "A"}),
    "type ReportageNewsArticle": (
        json_ld_script({"@type": "ReportageNewsArticle", "headline": "A"}),
        {"@type": "ReportageNewsArticle", "headline": "A"},
    ),
    "type BlogPosting": (
        json_ld_script({"@type": "BlogPosting", "headline": "A"}),
        {"@type": "BlogPosting", "headline": "A"},
    ),
    "broken script skipped, next one read": (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
        + json_ld_script({"@type": "NewsArticle", "headline": "B"}),
        {"@type": "NewsArticle", "headline": "B"},
    ),
    "non-news script skipped, next one read": (
        json_ld_script({"@type": "WebSite", "name": "S"}) + json_ld_script({"@type": "NewsArticle", "headline": "B"}),
        {"@type": "NewsArticle", "headline": "B"},
    ),
    "first news object wins": (
        json_ld_script({"@type": "NewsArticle", "headline": "A"}) + json_ld_script({"@type": "NewsArticle", "headline": "B"}),
        {"@type": "NewsArticle", "headline": "A"},
    ),
    "raw line break inside a string is accepted": (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Baris\nDua"}</script>',
        {"@type": "NewsArticle", "headline": "Baris\nDua"},
    ),
    "entities decoded in nested strings": (
        json_ld_script(
            {
                "@type": "NewsArticle",
                "headline": "Koperasi &amp; UKM",
                "author": {"name": "Pa&#39;baeng"},
                "keywords": ["A &amp; B"],
                "wordCount": 5,
            }
        ),
        {
            "@type": "NewsArticle",
            "headline": "Koperasi & UKM",
            "author": {"name": "Pa'baeng"},
            "keywords": ["A & B"],
            "wordCount": 5,
        },
    ),
    "only non-news types": (json_ld_script({"@type": "WebPage", "headline": "W"}), {}),
    "no @type": (json_ld_script({"headline": "W"}), {}),
    "@type that is no string": (json_ld_script({"@type": {"name": "NewsArticle"}, "headline": "W"}), {}),
    "@graph that is no list": (json_ld_script({"@graph": {"@type": "NewsArticle"}}), {}),
    "JSON that is a number": (json_ld_script(5), {}),
    "only broken JSON": ('<script type="application/ld+json">{not json</script>', {}),
    "script of another type": (
        '<script type="application/json">{"@type": "NewsArticle", "headline": "A"}</script>',
        {},
    ),
    "no script": ("", {}),
}


@pytest.mark.parametrize("head, expected", params(JSON_LDS))
def test_json_ld(head, expected):
    assert current(head).json_ld == expected


def test_json_ld_feeds_the_fields():
    page = current(
        ld(
            headline="Dinas Koperasi &amp; UKM",
            author={"name": "Rizky &amp; Amalia"},
            datePublished="2022-03-11T15:25:00+08:00",
            dateModified="2022-03-12T09:00:00+08:00",
            articleSection="Ekonomi &amp; Bisnis",
        )
    )
    assert (page.title(), page.author(), page.published_at(), page.modified_at(), page.category()) == (
        "Dinas Koperasi & UKM",
        "Rizky & Amalia",
        "2022-03-11T15:25:00+08:00",
        "2022-03-12T09:00:00+08:00",
        "Ekonomi & Bisnis",
    )
