"""The generic fallback reader (``pages/fallback.py``) and when the loader uses
it: on small pages built here, one rule per test."""

import pytest
from scrapy.http import HtmlResponse, Response, TextResponse

from sulsel_crawler.loaders import FALLBACK, SITE, build_article
from sulsel_crawler.pages import (
    CurrentArticlePage,
    FallbackArticlePage,
    LegacyArticlePage,
    UnknownLayout,
    article_page,
)
from sulsel_crawler.pages.fallback import MIN_BODY_WORDS, is_plainly_article
from sulsel_crawler.pipelines.validate import article_problems

pytestmark = pytest.mark.unit

URL = "https://www.sulselsatu.com/2022/03/11/makassar/judul-berita.html"
CRAWLED_AT = "2025-05-12T06:00:00Z"
IMAGE = "https://www.sulselsatu.com/assets/media/upload/2022/03/a.jpg"
RESIZED = "https://cdn.sulselsatu.com/imageresize/assets/media/upload/2022/03/a.jpg&width=700&height=393"
GALLERY = "https://www.sulselsatu.com/assets/media/upload/2022/03/b.jpg"
JSON_LD = (
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Judul Berita",'
    ' "datePublished": "2022-03-11T15:25:00+08:00", "author": {"name": "Rizky Amalia"},'
    f' "articleSection": "Makassar", "image": "{IMAGE}"}}</script>'
)
PARAGRAPHS = [
    "SULSELSATU.com, MAKASSAR – Warga Kecamatan Tamalate berkumpul di lapangan sejak pagi untuk kerja bakti, Jumat (11/3/2022).",
    "Camat Tamalate mengatakan kegiatan ini digelar setiap bulan bersama seluruh lurah dan ketua RT setempat.",
    "Menurutnya, partisipasi warga terus meningkat dibanding tahun lalu sehingga lingkungan makin bersih.",
]
STORY = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)


def page_html(story: str = STORY, head: str = JSON_LD, *, before: str = "", after: str = "") -> str:
    """A page in a theme no layout class knows: ``story`` is its body container's content."""
    return (
        f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Judul Berita | Sulselsatu</title>{head}</head>'
        '<body><header class="site-header"><nav><a href="/kanal/makassar">Makassar</a></nav></header>'
        f'<main><div class="story"><h1 class="story-headline">Judul Berita</h1>{before}'
        f'<div class="story-text">{story}</div>{after}</div></main>'
        '<aside class="sidebar"><h3>Terbaru</h3><p>SULSELSATU.com, GOWA – Berita lain di sidebar, Senin (1/1/2024).</p>'
        '<span class="date">1 Januari 2024 10:00</span></aside>'
        "<footer><p>&copy; Sulselsatu.com</p></footer></body></html>"
    )


def response(html: str, url: str = URL, status: int = 200) -> HtmlResponse:
    return HtmlResponse(url=url, body=html, encoding="utf-8", status=status)


def fallback(html: str, url: str = URL) -> FallbackArticlePage:
    page = article_page(response(html, url), fallback=True)
    assert isinstance(page, FallbackArticlePage)
    return page


# -- which reader -------------------------------------------------------------------


def test_a_page_in_no_layout_is_read_by_the_fallback_only_when_asked():
    with pytest.raises(UnknownLayout):
        article_page(response(page_html()))
    assert isinstance(article_page(response(page_html()), fallback=True), FallbackArticlePage)


@pytest.mark.parametrize(
    "page",
    [
        response(page_html(), url="https://www.sulselsatu.com/kanal/makassar"),
        response(page_html(), status=500),
        TextResponse(url=URL, body=page_html(), encoding="utf-8"),
    ],
    ids=["listing URL", "status 500", "not HTML"],
)
def test_only_a_plainly_article_page_is_read_by_the_fallback(page):
    assert not is_plainly_article(page)
    with pytest.raises(UnknownLayout):
        article_page(page, fallback=True)


def test_a_binary_response_is_no_article_even_with_the_fallback():
    with pytest.raises(UnknownLayout):
        article_page(Response(url=URL, body=b"\x89PNG"), fallback=True)


def test_a_known_layout_wins_over_the_fallback():
    html = f'<html><body><article class="post-detail">{STORY}</article></body></html>'
    assert isinstance(article_page(response(html), fallback=True), CurrentArticlePage)


# -- the fields ----------------------------------------------------------------------


def test_the_body_is_the_main_text_in_paragraphs():
    assert fallback(page_html()).body_paragraphs() == PARAGRAPHS


def test_baca_juga_share_and_editor_lines_are_left_out_and_the_editor_is_read():
    story = (
        f"<p>{PARAGRAPHS[0]}</p><p><strong>Baca Juga:</strong> <a href='/x.html'>Berita Lain</a></p>"
        f"<p>{PARAGRAPHS[1]}</p><p>{PARAGRAPHS[2]}</p><p>Editor: <b>Andi Suryadi</b></p>"
        "<p>Cek berita dan artikel yang lain di <a href='https://news.google.com/'>Google News</a></p>"
    )
    page = fallback(page_html(story))
    assert page.body_paragraphs() == PARAGRAPHS
    assert page.editor() == "Andi Suryadi"


def test_a_page_without_editor_line_has_no_editor():
    assert fallback(page_html()).editor() is None


def test_social_embeds_are_left_out():
    tweet = (
        '<blockquote class="twitter-tweet"><p>Kabar dari lapangan hari ini, simak videonya ya semua!</p>'
        "&mdash; Humas (@humas)</blockquote>"
    )
    story = f"<p>{PARAGRAPHS[0]}</p>{tweet}<p>{PARAGRAPHS[1]}</p><p>{PARAGRAPHS[2]}</p>"
    assert fallback(page_html(story)).body_paragraphs() == PARAGRAPHS


def test_what_comes_before_the_credit_line_is_not_the_article():
    story = f"<p>Laporan: Rizky Amalia | Jumat, 11 Maret 2022 15:25 WITA</p>{STORY}"
    assert fallback(page_html(story)).body_paragraphs() == PARAGRAPHS


def test_a_body_without_credit_line_is_kept_whole():
    paragraphs = [text.replace("SULSELSATU.com, MAKASSAR – ", "") for text in PARAGRAPHS]
    story = "".join(f"<p>{text}</p>" for text in paragraphs)
    assert fallback(page_html(story)).body_paragraphs() == paragraphs


def test_a_body_shorter_than_the_minimum_is_no_body():
    words = "Satu dua tiga empat lima enam tujuh delapan sembilan sepuluh".split()
    enough = " ".join((words * 3)[:MIN_BODY_WORDS]) + "."
    too_few = " ".join((words * 3)[: MIN_BODY_WORDS - 1]) + "."
    assert build_article([fallback(page_html(f"<p>{enough}</p>"))], CRAWLED_AT)["body"] == enough
    record = build_article([fallback(page_html(f"<p>{too_few}</p>"))], CRAWLED_AT)
    assert (record["body"], record["word_count"], record["extraction"]) == ("", 0, FALLBACK)
    assert "body: empty" in article_problems(dict(record))


def test_the_metadata_comes_first():
    page = fallback(page_html())
    assert page.title() == "Judul Berita"
    assert page.author() == "Rizky Amalia"
    assert page.published_at() == "2022-03-11T15:25:00+08:00"
    assert page.category() == "Makassar"
    assert page.dateline() == "MAKASSAR"


def test_without_metadata_the_headline_and_a_shown_date_are_read():
    byline = '<div class="byline"><span class="byline-time">Jumat, 11 Maret 2022 | 15:25 WITA</span></div>'
    page = fallback(page_html(head="", before=byline))
    assert page.title() == "Judul Berita"
    assert page.published_at() == "2022-03-11T15:25:00+08:00"


def test_a_time_element_gives_the_date_and_the_sidebar_never_does():
    time = '<time datetime="2022-03-11T15:25:00+08:00">kemarin</time>'
    assert fallback(page_html(head="", before=time)).published_at() == "2022-03-11T15:25:00+08:00"
    assert fallback(page_html(head="")).published_at() is None


def test_the_lead_image_is_the_metadata_image_with_the_caption_of_its_figure():
    figure = f'<figure class="story-media"><img src="{RESIZED}"><figcaption>Warga (Ist)</figcaption></figure>'
    assert fallback(page_html(before=figure)).lead_image() == {"url": IMAGE, "caption": "Warga (Ist)"}
    assert fallback(page_html()).lead_image() == {"url": IMAGE, "caption": None}
    assert fallback(page_html(head="", before=figure)).lead_image() is None


def test_the_og_image_names_the_lead_image_without_json_ld():
    head = f'<meta property="og:image" content="{RESIZED}">'
    assert fallback(page_html(head=head)).lead_image() == {"url": IMAGE, "caption": None}


@pytest.mark.parametrize(
    "image",
    [f'"{RESIZED}"', f'["{RESIZED}", "{GALLERY}"]', f'{{"@type": "ImageObject", "url": "{RESIZED}"}}', f'[{{"url": "{RESIZED}"}}]'],
    ids=["string", "list", "object", "list of objects"],
)
def test_every_json_ld_image_form_names_the_lead_image(image):
    head = f'<script type="application/ld+json">{{"@type": "NewsArticle", "image": {image}}}</script>'
    head += f'<meta property="og:image" content="{GALLERY}">'
    assert fallback(page_html(head=head)).lead_image() == {"url": IMAGE, "caption": None}


def test_an_empty_json_ld_image_leaves_the_og_image():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "image": []}</script>'
    head += f'<meta property="og:image" content="{GALLERY}">'
    assert fallback(page_html(head=head)).lead_image() == {"url": GALLERY, "caption": None}


def test_the_caption_is_that_of_the_figure_showing_the_lead_image():
    other = f'<figure><img src="{GALLERY}"><figcaption>Lurah (Ist)</figcaption></figure>'
    lead = f'<figure><img data-src="{RESIZED}" src="data:image/gif;base64,R0lGOD"><figcaption>Warga (Ist)</figcaption></figure>'
    page = fallback(page_html(before=other + '<figure><img src="data:x"></figure>' + lead))
    assert page.lead_image() == {"url": IMAGE, "caption": "Warga (Ist)"}
    assert page.gallery_images() == [{"url": GALLERY, "caption": "Lurah (Ist)"}]


def test_without_metadata_image_every_figure_is_the_gallery():
    figure = f'<figure><img src="{GALLERY}"></figure>'
    page = fallback(page_html(head="", before=figure))
    assert page.lead_image() is None
    assert page.gallery_images() == [{"url": GALLERY, "caption": None}]


def test_the_site_share_image_is_no_lead_image():
    head = '<meta property="og:image" content="https://www.sulselsatu.com/assets/images/default-share.jpg">'
    assert fallback(page_html(head=head)).lead_image() is None


def test_other_figures_of_the_page_are_the_gallery():
    lead = f'<figure><img src="{RESIZED}"><figcaption>Warga (Ist)</figcaption></figure>'
    other = f'<figure><img src="{GALLERY}"><figcaption>Lurah (Ist)</figcaption></figure>'
    chrome = '<figure><img src="https://www.sulselsatu.com/assets/media/upload/ad.jpg"></figure>'
    html = page_html(before=lead, after=other).replace("<h3>Terbaru</h3>", f"<h3>Terbaru</h3>{chrome}")
    assert fallback(html).gallery_images() == [{"url": GALLERY, "caption": "Lurah (Ist)"}]


# -- the loader: when the fallback reads, and the flag -------------------------------------


def test_a_site_record_says_site():
    html = f'<html><head>{JSON_LD}</head><body><article class="post-detail"><div class="post-content">{STORY}</div></article></body></html>'
    record = build_article([article_page(response(html), fallback=True)], CRAWLED_AT)
    assert record["extraction"] == SITE
    assert record["body"] == "\n\n".join(PARAGRAPHS)


def test_a_page_in_no_layout_gives_a_valid_flagged_record():
    record = build_article([fallback(page_html())], CRAWLED_AT)
    assert record["extraction"] == FALLBACK
    assert record["body"] == "\n\n".join(PARAGRAPHS)
    assert article_problems(dict(record)) == []


def test_a_known_layout_without_body_is_read_again_by_the_fallback():
    html = page_html().replace('<div class="story">', '<div class="story"><article class="post-detail"></article>')
    page = article_page(response(html), fallback=True)
    assert isinstance(page, CurrentArticlePage)
    record = build_article([page], CRAWLED_AT)
    assert record["extraction"] == FALLBACK
    assert record["body"] == "\n\n".join(PARAGRAPHS)


def test_a_known_layout_without_title_is_read_again_by_the_fallback():
    html = page_html(head="").replace("<title>Judul Berita | Sulselsatu</title>", "")
    html = html.replace('<div class="story">', '<div class="detail-berita"><div class="isi-berita">x</div></div><div class="story">')
    page = article_page(response(html), fallback=True)
    assert isinstance(page, LegacyArticlePage)
    record = build_article([page], CRAWLED_AT)
    assert record["extraction"] == FALLBACK
    assert record["title"] == "Judul Berita"


def test_the_site_record_stays_when_the_fallback_finds_no_body_either():
    html = page_html(story="").replace('<div class="story">', '<div class="story"><article class="post-detail"></article>')
    record = build_article([article_page(response(html), fallback=True)], CRAWLED_AT)
    assert record["extraction"] == SITE
    assert record["body"] == ""


def test_no_fallback_for_a_page_that_is_not_plainly_an_article():
    html = page_html().replace('<div class="story">', '<div class="story"><article class="post-detail"></article>')
    page = article_page(response(html, status=203), fallback=True)
    record = build_article([page], CRAWLED_AT)
    assert record["extraction"] == SITE
    assert record["body"] == ""


def test_a_split_article_is_read_again_page_by_page():
    first = page_html().replace('<div class="story">', '<div class="story"><article class="post-detail"></article>')
    more = ["Pada halaman kedua, camat menjelaskan rincian anggaran kegiatan dan jadwal kerja bakti berikutnya di tiap kelurahan."]
    second = page_html("".join(f"<p>{text}</p>" for text in more))
    pages = [
        article_page(response(first), fallback=True),
        article_page(response(second, url=f"{URL}?page=2"), fallback=True),
    ]
    record = build_article(pages, CRAWLED_AT)
    assert record["extraction"] == FALLBACK
    assert record["body"] == "\n\n".join(PARAGRAPHS + more)
