"""The body rules of both templates, the dateline, and the images, one case per rule.

Current template: the ``<p>`` of ``div.post-content`` minus every non-article
block (by tag or class) and every share/Baca Juga line. Legacy template:
``div.isi-berita`` cut into chunks at double ``<br>`` (``TextChunks``).
"""

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse

from sulsel_crawler.pages import CurrentArticlePage, LegacyArticlePage, article_page
from sulsel_crawler.pages.base import node_text

pytestmark = pytest.mark.unit

URL = "https://www.sulselsatu.com/2022/03/11/makassar/judul-berita.html"
CDN = "https://cdn.sulselsatu.com/imageresize/assets/media/upload/2022/03"
ASSETS = "https://www.sulselsatu.com/assets/media/upload/2022/03"


def current(content: str = "", *, figure: str = "", outside: str = "") -> CurrentArticlePage:
    """A current-template page with ``content`` inside ``div.post-content``."""
    html = (
        '<html><head><meta charset="utf-8"></head><body><main><article class="post-detail">'
        f'{figure}<div class="post-content" id="post-content">{content}</div>'
        f"</article>{outside}</main></body></html>"
    )
    page = article_page(HtmlResponse(url=URL, body=html, encoding="utf-8"))
    assert isinstance(page, CurrentArticlePage)
    return page


def legacy(isi: str = "", *, foto: str = "") -> LegacyArticlePage:
    """A legacy-template page with ``isi`` inside ``div.isi-berita``."""
    html = (
        '<html><head><meta charset="utf-8"></head><body><main><div class="detail-berita">'
        f'{foto}<div class="isi-berita">{isi}</div></div></main></body></html>'
    )
    page = article_page(HtmlResponse(url=URL, body=html, encoding="utf-8"))
    assert isinstance(page, LegacyArticlePage)
    return page


def params(table: dict) -> list:
    """``{"case name": (values...)}`` as pytest parameters named by their keys."""
    return [pytest.param(*values, id=name) for name, values in table.items()]


# -- node_text -----------------------------------------------------------------------

NODE_TEXTS = {
    "tags dropped, text and tails kept": ("<p>Satu <b>dua</b> tiga</p>", "Satu dua tiga"),
    "br is a space": ("<p>Satu<br>dua<br/>tiga</p>", "Satu dua tiga"),
    "script skipped, its tail kept": ("<p>Satu<script>x()</script> dua</p>", "Satu dua"),
    "style skipped": ("<p>Satu<style>.a{}</style> dua</p>", "Satu dua"),
    "noscript skipped": ("<p>Satu<noscript>aktifkan js</noscript> dua</p>", "Satu dua"),
    "template skipped": ("<p>Satu<template>isi</template> dua</p>", "Satu dua"),
    "comment skipped": ("<p>Satu<!-- komentar --> dua</p>", "Satu dua"),
    "whitespace left as found": ("<p> Satu\n  dua </p>", " Satu\n  dua "),
    "nested elements in order": ("<p><a>Satu <i>dua</i></a> <span>tiga</span>.</p>", "Satu dua tiga."),
}


@pytest.mark.parametrize("html, expected", params(NODE_TEXTS))
def test_node_text(html, expected):
    element = Selector(text=f"<html><body>{html}</body></html>").css("p")[0].root
    assert node_text(element) == expected


def test_visible_fields_use_node_text():
    html = (
        '<html><body><article class="post-detail"><h1 class="post-title">Judul<br>Dua '
        "<script>x()</script>Baris</h1></article></body></html>"
    )
    page = article_page(HtmlResponse(url=URL, body=html, encoding="utf-8"))
    assert page.title() == "Judul Dua Baris"


# -- current template: what is not an article paragraph --------------------------------

NON_ARTICLE_BLOCKS = {
    "blockquote": "<blockquote><p>X</p></blockquote>",
    "figure": "<figure><p>X</p></figure>",
    "figcaption": "<figcaption><p>X</p></figcaption>",
    "aside": "<aside><p>X</p></aside>",
    "noscript": "<noscript><p>X</p></noscript>",
    "class ads": '<div class="ads"><p>X</p></div>',
    "class baca-juga": '<div class="baca-juga"><p>X</p></div>',
    "class gnews-line": '<div class="gnews-line"><p>X</p></div>',
    "class wa-line": '<div class="wa-line"><p>X</p></div>',
    "class video-embed": '<div class="video-embed"><p>X</p></div>',
    "class twitter-tweet": '<div class="twitter-tweet"><p>X</p></div>',
    "class instagram-media": '<div class="instagram-media"><p>X</p></div>',
    "class image-gallery": '<div class="image-gallery"><p>X</p></div>',
    "class on the paragraph itself": '<p class="baca-juga">X</p>',
    "one class among several": '<div class="box ads ads-inarticle"><p>X</p></div>',
    "deeply nested": '<div class="ads"><div><section><p>X</p></section></div></div>',
}


@pytest.mark.parametrize("block", params({name: (html,) for name, html in NON_ARTICLE_BLOCKS.items()}))
def test_paragraph_inside_a_non_article_block_is_left_out(block):
    assert current(f"<p>Satu.</p>{block}<p>Dua.</p>").body_paragraphs() == ["Satu.", "Dua."]


ARTICLE_BLOCKS = {
    "plain div": '<div class="isi"><p>X</p></div>',
    "class that only starts like ads": '<div class="ads-wrapper"><p>X</p></div>',
    "class that only ends like baca-juga": '<div class="no-baca-juga"><p>X</p></div>',
    "section": "<section><p>X</p></section>",
}


@pytest.mark.parametrize("block", params({name: (html,) for name, html in ARTICLE_BLOCKS.items()}))
def test_paragraph_inside_an_ordinary_block_is_kept(block):
    assert current(f"<p>Satu.</p>{block}<p>Dua.</p>").body_paragraphs() == ["Satu.", "X", "Dua."]


NOT_ARTICLE_LINES = {
    "Baca Juga with colon": "Baca Juga : Judul lain",
    "baca juga in upper case": "BACA JUGA: Judul lain",
    "baca juga without colon": "Baca juga Judul lain",
    "baca  juga with two spaces": "Baca  juga: Judul lain",
    "Google News line": "Cek berita dan artikel yang lain di Google News",
    "Google News line, other case": "cek Berita dan Artikel yang lain di google news sekarang",
    "WhatsApp line": "Yuk berbagi informasi tentang Sulawesi Selatan dengan join di group whatsapp",
    "WhatsApp line, other case": "YUK BERBAGI INFORMASI di grup",
}


@pytest.mark.parametrize("line", params({name: (line,) for name, line in NOT_ARTICLE_LINES.items()}))
def test_not_article_line_is_left_out_by_its_text(line):
    assert current(f"<p>Satu.</p><p>{line}</p><p>Dua.</p>").body_paragraphs() == ["Satu.", "Dua."]
    assert legacy(f"Satu.<br><br>{line}<br><br>Dua.").body_paragraphs() == ["Satu.", "Dua."]


ARTICLE_LINES = {
    "baca juga inside a sentence": "Warga diminta baca juga aturan baru.",
    "bacaan juga": "Bacaan juga penting.",
    "baca jugalah": "Baca jugalah bukunya.",
    "Google News mentioned later": "Berita ini ada di Google News juga.",
    "yuk without the share phrase": "Yuk berbagi cerita.",
}


@pytest.mark.parametrize("line", params({name: (line,) for name, line in ARTICLE_LINES.items()}))
def test_article_line_that_only_resembles_a_share_line_is_kept(line):
    assert current(f"<p>Satu.</p><p>{line}</p>").body_paragraphs() == ["Satu.", line]
    assert legacy(f"Satu.<br><br>{line}").body_paragraphs() == ["Satu.", line]


def test_paragraphs_nested_in_ordinary_blocks_keep_page_order():
    page = current("<p>Satu.</p><div><p>Dua.</p><div><p>Tiga.</p></div></div><p>Empat.</p>")
    assert page.body_paragraphs() == ["Satu.", "Dua.", "Tiga.", "Empat."]


def test_text_outside_paragraphs_is_not_body():
    assert current("Teks lepas<p>Satu.</p><div>Teks div</div>").body_paragraphs() == ["Satu."]


def test_page_without_content_block_has_no_paragraphs():
    html = '<html><body><article class="post-detail"><p>Bukan isi.</p></article></body></html>'
    page = article_page(HtmlResponse(url=URL, body=html, encoding="utf-8"))
    assert (page.body_paragraphs(), page.dateline()) == ([], None)


# -- legacy template: TextChunks -------------------------------------------------------

LEGACY_CHUNKS = {
    "double br splits": ("Satu<br><br>Dua", ["Satu", "Dua"]),
    "three br split once": ("Satu<br><br><br>Dua", ["Satu", "Dua"]),
    "br, whitespace, br still splits": ("Satu<br>\r\n <br>Dua", ["Satu", "Dua"]),
    "single br is a space": ("Satu<br>dua<br>tiga", ["Satu dua tiga"]),
    "leading and trailing breaks make no empty chunk": ("<br><br>Satu<br><br>", ["Satu"]),
    "block p is its own chunk": ("Satu<p>Dua</p>Tiga", ["Satu", "Dua", "Tiga"]),
    "block div is its own chunk, split inside": ("Satu<div>Dua<br><br>Tiga</div>Empat", ["Satu", "Dua", "Tiga", "Empat"]),
    "unknown element is a block": ("Satu <code>x</code> dua", ["Satu", "x", "dua"]),
    "class that only starts like ads is a block": ('Satu <div class="adsense">X</div> dua', ["Satu", "X", "dua"]),
    "comment dropped": ("Satu <!-- x --> dua", ["Satu dua"]),
    "entities decoded, nbsp collapsed": ("Koperasi&nbsp;&amp;&nbsp; UKM", ["Koperasi & UKM"]),
}


@pytest.mark.parametrize("isi, expected", params(LEGACY_CHUNKS))
def test_legacy_chunks(isi, expected):
    assert legacy(isi).body_paragraphs() == expected


@pytest.mark.parametrize(
    "tag", ["a", "abbr", "b", "em", "font", "i", "mark", "small", "span", "strong", "sub", "sup", "u"]
)
def test_legacy_inline_element_stays_inside_its_chunk(tag):
    assert legacy(f"Satu <{tag}>dua</{tag}> tiga").body_paragraphs() == ["Satu dua tiga"]


LEGACY_DROPPED = {
    "script": "<script>x()</script>",
    "noscript": "<noscript>aktifkan</noscript>",
    "style": "<style>.a{}</style>",
    "iframe": '<iframe src="https://www.youtube.com/embed/x">video</iframe>',
    "ins": '<ins class="adsbygoogle">iklan</ins>',
    "figure": '<figure><img src="a.jpg"><figcaption>Foto</figcaption></figure>',
    "blockquote": "<blockquote>kutipan</blockquote>",
    "img": '<img src="a.jpg">',
    "class ads": '<div class="ads">Iklan</div>',
    "class share-lines": '<div class="share-lines">Cek berita</div>',
    "class video-embed": '<div class="video-embed">Video</div>',
    "one class among several": '<div class="iklan ads">Iklan</div>',
}


@pytest.mark.parametrize("dropped", params({name: (html,) for name, html in LEGACY_DROPPED.items()}))
def test_legacy_dropped_element_leaves_no_text_and_no_split(dropped):
    assert legacy(f"Satu {dropped} dua").body_paragraphs() == ["Satu dua"]


def test_legacy_editor_line_is_no_body_paragraph():
    page = legacy("Satu.<br><br>Dua.<br><br>Editor: Abdul Rauf<br><br>editor : Budi")
    assert page.body_paragraphs() == ["Satu.", "Dua."]


def test_legacy_chunks_keep_baca_juga_and_editor_lines():
    page = legacy("Satu.<br><br><strong>Baca Juga : <a>Lain</a></strong><br><br>Editor: Abdul Rauf")
    assert page.chunks == ["Satu.", "Baca Juga : Lain", "Editor: Abdul Rauf"]


# -- dateline --------------------------------------------------------------------------

DATELINES = {
    "en dash": ("SULSELSATU.com, MAKASSAR – Warga berkumpul.", "MAKASSAR"),
    "em dash": ("SULSELSATU.com, MAKASSAR — Warga berkumpul.", "MAKASSAR"),
    "hyphen": ("SULSELSATU.com, GOWA - Warga berkumpul.", "GOWA"),
    "mixed case site name": ("Sulselsatu.com, Makassar – Warga berkumpul.", "Makassar"),
    "space before the comma": ("SULSELSATU.com , MAROS – Warga.", "MAROS"),
    "multi-word place": ("SULSELSATU.com, TANA TORAJA – Warga.", "TANA TORAJA"),
    "hyphen inside the place": ("SULSELSATU.com, PARE-PARE - Warga.", "PARE-PARE"),
    "the first dash ends the place": ("SULSELSATU.com, GOWA - Warga - anak-anak - hadir.", "GOWA"),
    "place in bold": ("<strong>SULSELSATU.com, LUWU UTARA</strong> – Warga.", "LUWU UTARA"),
    "no space after the dash": ("SULSELSATU.com, MAKASSAR –Warga.", None),
    "comma inside the place": ("SULSELSATU.com, GOWA, SULSEL – Warga.", None),
    "no dash": ("SULSELSATU.com, MAKASSAR. Warga berkumpul.", None),
    "credit line not at the start": ("Kemarin SULSELSATU.com, MAKASSAR – Warga.", None),
    "other site": ("TRIBUN.com, MAKASSAR – Warga.", None),
    "no credit line": ("Warga berkumpul – kemarin.", None),
}


@pytest.mark.parametrize("first_paragraph, expected", params(DATELINES))
def test_dateline_of_the_first_paragraph(first_paragraph, expected):
    assert current(f"<p>{first_paragraph}</p><p>Dua.</p>").dateline() == expected


def test_dateline_only_from_the_first_paragraph():
    assert current("<p>Satu.</p><p>SULSELSATU.com, MAKASSAR – Dua.</p>").dateline() is None


def test_dateline_skips_a_first_line_that_is_not_article():
    page = current('<div class="ads"><p>Iklan</p></div><p>SULSELSATU.com, MAROS – Satu.</p>')
    assert page.dateline() == "MAROS"


def test_legacy_dateline():
    assert legacy("SULSELSATU.com, BONE - Satu.<br><br>Dua.").dateline() == "BONE"


# -- images ------------------------------------------------------------------------------


def lead(img: str, caption: str = "") -> str:
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure class="post-image">{img}{figcaption}</figure>'


LEAD_IMAGES = {
    "src alone": (f'<img src="{ASSETS}/a.jpg">', "", {"url": f"{ASSETS}/a.jpg", "caption": None}),
    "data-src alone": (f'<img data-src="{ASSETS}/a.jpg">', "", {"url": f"{ASSETS}/a.jpg", "caption": None}),
    "data-src beats src": (
        f'<img data-src="{ASSETS}/real.jpg" src="{ASSETS}/placeholder.jpg">',
        "",
        {"url": f"{ASSETS}/real.jpg", "caption": None},
    ),
    "data-src beats a data: placeholder": (
        f'<img data-src="{ASSETS}/real.jpg" src="data:image/gif;base64,R0lGOD">',
        "",
        {"url": f"{ASSETS}/real.jpg", "caption": None},
    ),
    "blank data-src falls back to src": (
        f'<img data-src="  " src="{ASSETS}/a.jpg">',
        "",
        {"url": f"{ASSETS}/a.jpg", "caption": None},
    ),
    "data: URI alone is no image": ('<img src="data:image/gif;base64,R0lGOD">', "", None),
    "no src at all is no image": ('<img alt="Judul">', "", None),
    "CDN resize URL gives the original": (
        f'<img src="{CDN}/a.jpg&width=700&height=393">',
        "",
        {"url": f"{ASSETS}/a.jpg", "caption": None},
    ),
    "relative src is joined with the page URL": (
        '<img src="/assets/media/upload/2022/03/a.jpg">',
        "",
        {"url": f"{ASSETS}/a.jpg", "caption": None},
    ),
    "bare host and http become https www": (
        '<img src="http://sulselsatu.com/assets/media/upload/2022/03/a.jpg">',
        "",
        {"url": f"{ASSETS}/a.jpg", "caption": None},
    ),
    "site chrome under /assets/images/ is no article image": (
        '<img src="https://www.sulselsatu.com/assets/images/default-share.jpg">',
        "",
        None,
    ),
    "site chrome through the resizer is no article image": (
        '<img src="https://cdn.sulselsatu.com/imageresize/assets/images/logo.png&width=300&height=200">',
        "",
        None,
    ),
    "another site's /assets/images/ is kept as is": (
        '<img src="https://example.com/assets/images/a.jpg">',
        "",
        {"url": "https://example.com/assets/images/a.jpg", "caption": None},
    ),
    "caption from the figcaption, cleaned": (
        f'<img src="{ASSETS}/a.jpg" alt="Alt teks">',
        " Wali Kota &amp; warga\n (Ist) ",
        {"url": f"{ASSETS}/a.jpg", "caption": "Wali Kota & warga (Ist)"},
    ),
    "alt is never the caption": (f'<img src="{ASSETS}/a.jpg" alt="Judul Berita">', "", {"url": f"{ASSETS}/a.jpg", "caption": None}),
}


@pytest.mark.parametrize("img, caption, expected", params(LEAD_IMAGES))
def test_lead_image(img, caption, expected):
    page = current("<p>Satu.</p>", figure=lead(img, caption))
    assert page.lead_image() == expected
    assert page.images() == ([expected] if expected else [])


def test_lead_figure_outside_the_article_is_no_lead_image():
    page = current("<p>Satu.</p>", outside=lead(f'<img src="{ASSETS}/a.jpg">'))
    assert (page.lead_image(), page.images()) == (None, [])


def test_first_img_of_the_lead_figure_is_the_lead():
    page = current(figure=lead(f'<img src="{ASSETS}/a.jpg"><img src="{ASSETS}/b.jpg">'))
    assert page.lead_image() == {"url": f"{ASSETS}/a.jpg", "caption": None}


def test_legacy_lead_image_and_caption():
    page = legacy(
        foto=f'<div class="foto-berita"><img src="{ASSETS}/lama.jpg" alt="Cap lama">'
        '<div class="keterangan-foto">Cap lama (Ist)</div></div>'
    )
    assert page.lead_image() == {"url": f"{ASSETS}/lama.jpg", "caption": "Cap lama (Ist)"}


def test_legacy_reads_no_current_lead_figure():
    assert legacy(foto=lead(f'<img src="{ASSETS}/a.jpg">', "Cap")).lead_image() is None


def gallery(img: str, caption: str = "") -> str:
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure class="image-gallery">{img}{figcaption}</figure>'


def test_gallery_images_in_order_after_the_lead():
    page = current(
        "<p>Satu.</p>"
        + gallery(f'<img src="{CDN}/g1.jpg&width=700&height=393" alt="x">', "Foto satu")
        + "<p>Dua.</p>"
        + gallery(f'<img data-src="{ASSETS}/g2.jpg" src="data:image/gif;base64,R0lGOD">')
        + gallery("<span>tanpa gambar</span>", "Tanpa gambar")
        + gallery('<img src="data:image/gif;base64,R0lGOD">', "Placeholder")
        + gallery('<img src="https://www.sulselsatu.com/assets/images/logo.png">', "Logo"),
        figure=lead(f'<img src="{ASSETS}/lead.jpg">', "Lead"),
        outside=gallery(f'<img src="{ASSETS}/luar.jpg">', "Di luar isi"),
    )
    assert page.gallery_images() == [
        {"url": f"{ASSETS}/g1.jpg", "caption": "Foto satu"},
        {"url": f"{ASSETS}/g2.jpg", "caption": None},
    ]
    assert page.images() == [
        {"url": f"{ASSETS}/lead.jpg", "caption": "Lead"},
        {"url": f"{ASSETS}/g1.jpg", "caption": "Foto satu"},
        {"url": f"{ASSETS}/g2.jpg", "caption": None},
    ]


def test_gallery_without_lead():
    page = current(gallery(f'<img src="{ASSETS}/g1.jpg">', "Foto"))
    assert page.images() == [{"url": f"{ASSETS}/g1.jpg", "caption": "Foto"}]


def test_legacy_gallery_inside_its_body():
    page = legacy(gallery(f'<img src="{ASSETS}/g1.jpg">', "Foto lama"))
    assert page.gallery_images() == [{"url": f"{ASSETS}/g1.jpg", "caption": "Foto lama"}]
