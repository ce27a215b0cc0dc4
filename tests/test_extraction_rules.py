"""One test per extraction and cleaning rule, on small pages of both templates."""

import logging

import pytest
from scrapy.http import HtmlResponse, Response

from sulsel_crawler.loaders import ArticleLoader, build_article, read
from sulsel_crawler.pages import CurrentArticlePage, LegacyArticlePage, UnknownLayout, article_page

pytestmark = pytest.mark.unit

URL = "https://www.sulselsatu.com/2022/03/11/makassar/judul-berita.html"
CDN = "https://cdn.sulselsatu.com/imageresize/assets/media/upload/2022/03"
ASSETS = "https://www.sulselsatu.com/assets/media/upload/2022/03"
CRAWLED_AT = "2025-05-12T06:00:00Z"


def current(
    content: str = "<p>Isi berita.</p>",
    *,
    head: str = "",
    meta: str = "",
    figure: str = "",
    after: str = "",
    url: str = URL,
) -> CurrentArticlePage:
    html = f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>Judul Berita - Sulselsatu</title>{head}</head><body><main><div class="col-main">
<article class="post-detail">
<nav class="breadcrumb"><ol><li><a href="https://www.sulselsatu.com/">Home</a></li>
<li><a href="https://www.sulselsatu.com/kanal/makassar">Makassar</a></li></ol></nav>
<h1 class="post-title">Judul Berita</h1>
<div class="post-meta">{meta}</div>{figure}
<div class="post-content" id="post-content">{content}</div>{after}
</article></div></main></body></html>"""
    page = article_page(HtmlResponse(url=url, body=html.encode("utf-8"), encoding="utf-8"))
    assert isinstance(page, CurrentArticlePage)
    return page


def legacy(isi: str = "Isi berita.", *, info: str = "", foto: str = "", head: str = "") -> LegacyArticlePage:
    html = f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>Judul Lama - Sulselsatu</title>{head}</head><body class="single-post detail-lama"><main>
<div class="detail-berita">
<div class="breadcrumb"><a href="https://www.sulselsatu.com/">Home</a> &raquo;
<a href="https://www.sulselsatu.com/kanal/makassar">Makassar</a></div>
<h1 class="judul">Judul Lama</h1>
<div class="info-berita">{info}</div>{foto}
<div class="isi-berita">{isi}</div>
<div class="share-lines"><p class="gnews-line">Cek berita dan artikel yang lain di Google News</p></div>
</div></main></body></html>"""
    page = article_page(HtmlResponse(url=URL, body=html.encode("utf-8"), encoding="utf-8"))
    assert isinstance(page, LegacyArticlePage)
    return page


def lead_figure(src: str, caption: str | None = None) -> str:
    """A current-template lead figure; without a caption its alt repeats the headline."""
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    alt = caption or "Judul Berita"
    return f'<figure class="post-image"><img src="{src}" alt="{alt}">{figcaption}</figure>'


# -- layouts ---------------------------------------------------------------------


def test_a_page_in_no_known_layout_is_loud():
    response = HtmlResponse(url=URL, body=b"<html><body><div class='artikel'>x</div></body></html>")
    with pytest.raises(UnknownLayout, match="no article layout matches"):
        article_page(response)


@pytest.mark.parametrize(
    "response",
    [Response(url=URL, body=b"\x89PNG"), HtmlResponse(url=URL, body=b"")],
    ids=["binary", "empty"],
)
def test_a_binary_or_empty_response_is_no_article(response):
    with pytest.raises(UnknownLayout):
        article_page(response)


# -- body: what is left out -----------------------------------------------------------


def test_baca_juga_in_strong_is_left_out():
    page = current('<p>Satu.</p><p><strong>Baca Juga : <a href="/x.html">Lain</a></strong></p>')
    assert page.body_paragraphs() == ["Satu."]


def test_baca_juga_paragraph_class_is_left_out():
    page = current('<p>Satu.</p><p class="baca-juga">Baca Juga : <a href="/x.html">Lain</a></p><p>Dua.</p>')
    assert page.body_paragraphs() == ["Satu.", "Dua."]


def test_ads_and_scripts_are_left_out():
    page = current(
        '<p>Satu.</p><div class="ads ads-inarticle"><script async src="ads.js"></script>'
        '<ins class="adsbygoogle"></ins>'
        "<script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div>"
        "<p>Dua.<script>track('x')</script></p>"
    )
    assert page.body_paragraphs() == ["Satu.", "Dua."]


def test_tweet_embed_and_its_paragraph_are_left_out():
    page = current(
        '<p>Satu.</p><blockquote class="twitter-tweet"><p lang="in" dir="ltr">Isi cuitan '
        '<a href="https://t.co/x">pic.twitter.com/x</a></p>&mdash; Humas (@humas) '
        '<a href="https://twitter.com/humas/status/1">Mei 1, 2023</a></blockquote>'
        '<script async src="https://platform.twitter.com/widgets.js"></script><p>Dua.</p>'
    )
    assert page.body_paragraphs() == ["Satu.", "Dua."]


def test_instagram_embed_and_its_paragraphs_are_left_out():
    page = current(
        '<p>Satu.</p><blockquote class="instagram-media" data-instgrm-permalink="https://instagr.am/p/x/">'
        '<div><p>Postingan dibagikan oleh Humas</p></div></blockquote>'
        '<script async src="//www.instagram.com/embed.js"></script><p>Dua.</p>'
    )
    assert page.body_paragraphs() == ["Satu.", "Dua."]


def test_gallery_figures_are_images_not_paragraphs():
    page = current(
        f'<p>Satu.</p><figure class="image-gallery"><img src="{CDN}/a.jpg&width=700&height=393" alt="Foto A">'
        f"<figcaption><p>Foto A (Ist)</p></figcaption></figure>"
        f'<figure class="image-gallery"><img src="{CDN}/b.jpg&width=700&height=393" alt=""></figure>'
        "<p>Dua.</p>"
    )
    assert page.body_paragraphs() == ["Satu.", "Dua."]
    assert page.images() == [
        {"url": f"{ASSETS}/a.jpg", "caption": "Foto A (Ist)"},
        {"url": f"{ASSETS}/b.jpg", "caption": None},
    ]


def test_video_embed_is_left_out_and_is_no_image():
    page = current(
        '<div class="video-embed"><iframe src="https://www.youtube.com/embed/abc"></iframe></div>'
        "<p>Simak videonya.</p>"
    )
    record = build_article([page], CRAWLED_AT)
    assert record["body"] == "Simak videonya."
    assert (record["image_url"], record["image_caption"], record["images"]) == (None, None, [])


def test_google_news_and_whatsapp_lines_are_left_out():
    page = current(
        '<p>Satu.</p><p class="gnews-line"><em>Cek berita dan artikel yang lain di '
        '<a href="#">Google News</a></em></p>'
        '<p class="wa-line">Yuk berbagi informasi tentang Sulawesi Selatan dengan join di group whatsapp : '
        '<a href="#">Citizen Journalism Sulsel</a></p>'
    )
    assert page.body_paragraphs() == ["Satu."]


def test_share_lines_without_their_classes_are_left_out_by_text():
    page = current(
        "<p>Satu.</p><p>Cek berita dan artikel yang lain di Google News</p>"
        "<p>Yuk berbagi informasi tentang Sulawesi Selatan dengan join di group whatsapp</p>"
    )
    assert page.body_paragraphs() == ["Satu."]


def test_empty_nbsp_paragraph_is_left_out():
    page = current("<p>Satu.</p><p>&nbsp;</p><p> </p><p>Dua.</p>")
    assert page.body_paragraphs() == ["Satu.", "Dua."]


# -- body: text cleaning --------------------------------------------------------------


def test_nbsp_becomes_one_space():
    page = current("<p>Kata&nbsp;&nbsp;satu&nbsp; dua.&nbsp;</p>")
    assert page.body_paragraphs() == ["Kata satu dua."]


def test_entities_are_decoded():
    page = current("<p>Koperasi &amp; UKM &#34;maju&#34; &quot;terus&quot; &#8211; ya</p>")
    assert page.body_paragraphs() == ['Koperasi & UKM "maju" "terus" – ya']


def test_curly_quotes_are_kept_as_written():
    page = current("<p>&#8220;Kami siap,&#8221; ujarnya. ” Harus sampai,” imbuhnya .</p>")
    assert page.body_paragraphs() == ["“Kami siap,” ujarnya. ” Harus sampai,” imbuhnya ."]


def test_inline_tags_are_dropped_without_adding_spaces():
    page = current(
        '<p><strong>SULSELSATU.com, MAKASSAR</strong> – Anggaran Rp<strong>1</strong>,2 miliar '
        '<span style="font-weight: 400;">untuk</span> <em>kanal</em> <a href="/x">Jongaya</a>.</p>'
    )
    assert page.body_paragraphs() == [
        "SULSELSATU.com, MAKASSAR – Anggaran Rp1,2 miliar untuk kanal Jongaya."
    ]


def test_line_break_inside_a_paragraph_is_a_space():
    page = current("<p>Baris satu<br>baris dua</p>")
    assert page.body_paragraphs() == ["Baris satu baris dua"]


def test_date_in_the_body_never_wins():
    page = current(
        "<p>Rapat digelar pada Senin, 7 Februari 2022 09:30 di kantor.</p>",
        meta='<div class="post-date"><time datetime="2022-03-11T15:25:00+08:00">'
        "Jumat, 11 Maret 2022 15:25</time></div>",
    )
    assert page.published_at() == "2022-03-11T15:25:00+08:00"


# -- legacy body ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "separator", ["<br><br>", "<br />\r\n<br />", "<br/><br/>", "<br/><br/>\n", "<br>\n<br>\n<br>"]
)
def test_legacy_chunks_split_at_double_line_breaks(separator):
    page = legacy(f"Satu{separator}Dua{separator}Tiga")
    assert page.body_paragraphs() == ["Satu", "Dua", "Tiga"]


def test_legacy_single_line_break_stays_inside_the_chunk():
    page = legacy("Baris satu<br>\nbaris dua<br><br>Dua")
    assert page.body_paragraphs() == ["Baris satu baris dua", "Dua"]


def test_legacy_ads_baca_juga_and_editor_line_are_left_out():
    page = legacy(
        "SULSELSATU.com,&nbsp;MAKASSAR&nbsp;<span>- Satu</span>.<br><br>"
        '<div class="ads iklan-dalam"><script>x()</script><ins class="adsbygoogle"></ins></div><br><br>'
        "Dua&nbsp;<em>kata</em>.<br><br>"
        '<strong>Baca Juga : <a href="https://www.sulselsatu.com/x.html">Lain</a></strong><br><br>'
        "Tiga.<br><br>Editor: Abdul Rauf Sanusi"
    )
    assert page.body_paragraphs() == ["SULSELSATU.com, MAKASSAR - Satu.", "Dua kata.", "Tiga."]
    assert page.editor() == "Abdul Rauf Sanusi"
    assert page.dateline() == "MAKASSAR"


def test_legacy_double_break_inside_inline_tag_still_splits():
    page = legacy("<strong>Baca Juga : <a href='/x.html'>Lain</a><br><br></strong>Dua.")
    assert page.body_paragraphs() == ["Dua."]


def test_legacy_without_editor_line_has_no_editor():
    assert legacy("Satu.<br><br>Dua.").editor() is None


# -- dateline -------------------------------------------------------------------------


def test_dateline_of_the_credit_line():
    page = current("<p>SULSELSATU.com, MAKASSAR – Pemerintah Kota Makassar menyiapkan anggaran.</p>")
    assert page.dateline() == "MAKASSAR"


def test_multi_word_dateline_in_bold():
    page = current("<p><strong>SULSELSATU.com, TANA TORAJA</strong> – Warga Rantepao, kemarin.</p>")
    assert page.dateline() == "TANA TORAJA"


def test_dateline_with_hyphen_in_the_place_name():
    assert legacy("SULSELSATU.com, PARE-PARE - Warga.").dateline() == "PARE-PARE"


def test_no_credit_line_means_no_dateline():
    page = current("<p>Rekaman video yang diterima redaksi memperlihatkan suasana di lokasi – kemarin.</p>")
    assert page.dateline() is None


# -- images -----------------------------------------------------------------------------


def test_cdn_resize_url_gives_the_original_asset():
    page = current(figure=lead_figure(f"{CDN}/lead.jpg&width=700&height=393", "Cap"))
    assert page.lead_image() == {"url": f"{ASSETS}/lead.jpg", "caption": "Cap"}


def test_captionless_lead_image_has_no_caption():
    page = current(figure=lead_figure(f"{CDN}/lead.jpg&width=700&height=393"))
    record = build_article([page], CRAWLED_AT)
    assert record["image_url"] == f"{ASSETS}/lead.jpg"
    assert record["image_caption"] is None
    assert record["images"] == [{"url": f"{ASSETS}/lead.jpg", "caption": None}]


def test_legacy_lead_image_and_caption():
    page = legacy(
        foto=f'<div class="foto-berita"><img src="{ASSETS}/lama.jpg" alt="Cap lama">'
        '<div class="keterangan-foto">Cap lama</div></div>'
    )
    assert page.images() == [{"url": f"{ASSETS}/lama.jpg", "caption": "Cap lama"}]


def test_default_share_image_is_not_an_article_image():
    default = "https://www.sulselsatu.com/assets/images/default-share.jpg"
    page = current(
        head=f'<meta property="og:image" content="{default}">',
        figure=lead_figure(default),
    )
    record = build_article([page], CRAWLED_AT)
    assert (record["image_url"], record["images"]) == (None, [])


# -- metadata and its fallbacks ---------------------------------------------------------


def test_json_ld_strings_are_html_decoded():
    page = current(
        head='<script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Dinas Koperasi &amp; UKM Pa&#39;baeng-baeng"}</script>'
    )
    assert page.title() == "Dinas Koperasi & UKM Pa'baeng-baeng"


def test_title_without_metadata_is_the_headline():
    assert current().title() == "Judul Berita"


def test_title_from_the_title_tag_loses_the_site_suffix():
    response = HtmlResponse(
        url=URL,
        body=b"<html><head><title>Judul &amp; Lain - Sulselsatu</title></head>"
        b"<body><article class='post-detail'><div class='post-content'></div></article></body></html>",
    )
    assert article_page(response).title() == "Judul & Lain"


def test_tag_listed_twice_is_kept_once():
    page = current(
        after='<div class="post-tags"><a href="/tag/a" rel="tag">Pantai Losari</a> '
        '<a href="/tag/b" rel="tag">Drainase</a> <a href="/tag/a" rel="tag">Pantai Losari</a></div>'
    )
    assert page.tags() == ["Pantai Losari", "Drainase"]


def test_article_tag_metas_come_first_and_are_deduplicated():
    head = "".join(f'<meta property="article:tag" content="{tag}">' for tag in ("A", "B", "A"))
    assert current(head=head).tags() == ["A", "B"]


def test_no_tags_is_an_empty_list():
    assert build_article([current()], CRAWLED_AT)["tags"] == []


def test_author_is_the_name_once_not_the_avatar_alt():
    page = current(
        meta='<div class="post-author"><a href="/penulis/rizky"><img class="avatar" alt="Rizky Amalia"></a> '
        '<a class="author-name" href="/penulis/rizky">Rizky Amalia</a></div>'
    )
    assert page.author() == "Rizky Amalia"


def test_no_author():
    assert current().author() is None
    assert legacy(info='<span class="tanggal">Senin, 18 Juli 2016 - 11:47 WITA</span>').author() is None


def test_legacy_author_after_laporan():
    page = legacy(
        info='<span class="reporter">Laporan: Zulkifli Baso</span> | '
        '<span class="tanggal">Kamis, 15 November 2018 - 16:13 WITA</span>'
    )
    assert page.author() == "Zulkifli Baso"
    assert page.published_at() == "2018-11-15T16:13:00+08:00"
    assert page.modified_at() is None


def test_editor_line_of_the_current_template():
    page = current(meta='<div class="post-editor">Editor: <span>Sukma Dewi</span></div>')
    assert page.editor() == "Sukma Dewi"


def test_summary_absent_is_none():
    assert current().summary() is None


def test_summary_is_the_decoded_meta_description():
    page = current(head='<meta name="description" content="  Koperasi &amp; UKM\n menggelar&nbsp;pameran. ">')
    assert page.summary() == "Koperasi & UKM menggelar pameran."


def test_modified_time_from_the_updated_line():
    page = current(meta='<div class="post-updated">Diperbarui: Jumat, 12 Juli 2024 03:34</div>')
    assert page.modified_at() == "2024-07-12T03:34:00+08:00"


def test_category_from_breadcrumb_and_slug_from_url():
    page = current()
    assert (page.category(), page.category_slug()) == ("Makassar", "makassar")


# -- split articles ---------------------------------------------------------------------


def test_canonical_of_page_two_is_stripped_of_its_page_query():
    page = current(head=f'<link rel="canonical" href="{URL}?page=2">', url=f"{URL}?page=2")
    assert page.canonical_url() == URL


def test_canonical_on_the_bare_host_becomes_www():
    bare = URL.replace("://www.", "://")
    page = current(head=f'<link rel="canonical" href="{bare}">')
    assert page.canonical_url() == URL


def test_canonical_that_is_no_article_address_falls_back_to_og_url():
    page = current(
        head='<link rel="canonical" href="https://www.sulselsatu.com/">'
        f'<meta property="og:url" content="{URL}#komentar">',
        url=f"{URL}?utm_source=homepage",
    )
    assert page.canonical_url() == URL


def test_without_canonical_or_og_url_the_response_url_is_used():
    assert current(url=f"{URL}?utm_source=kanal#komentar").canonical_url() == URL


def test_next_page_url_from_rel_next():
    page = current(head=f'<link rel="next" href="{URL}?page=2">')
    assert page.next_page_url() == f"{URL}?page=2"


def test_next_page_url_from_the_pagination_link():
    page = current(
        after=f'<div class="post-pagination"><a class="next" rel="next" href="{URL}?page=3">'
        "Selanjutnya</a></div>",
        url=f"{URL}?page=2",
    )
    assert page.next_page_url() == f"{URL}?page=3"


def test_last_page_has_no_next_page():
    assert current(url=f"{URL}?page=3").next_page_url() is None


def test_split_article_is_one_record_with_pages_in_order():
    pages = [current("<p>SULSELSATU.com, MAKASSAR – Satu.</p>", figure=lead_figure(f"{CDN}/lead.jpg"))]
    for number, text in ((2, "Dua."), (3, "Tiga.")):
        page_url = f"{URL}?page={number}"
        canonical = f'<link rel="canonical" href="{page_url}">'
        pages.append(current(f"<p>{text}</p>", url=page_url, head=canonical))
    record = build_article(pages, CRAWLED_AT)
    assert record["url"] == URL
    assert record["body"] == "SULSELSATU.com, MAKASSAR – Satu.\n\nDua.\n\nTiga."
    assert record["word_count"] == 6
    assert record["images"] == [{"url": f"{ASSETS}/lead.jpg", "caption": None}]


# -- a broken page never breaks the build -------------------------------------------------


def test_garbage_page_gives_a_record_with_empty_fields():
    response = HtmlResponse(
        url=URL,
        body=b"<html><head><script type='application/ld+json'>{not json</script>"
        b"<meta property='article:published_time' content='kemarin'></head>"
        b"<body><article class='post-detail'></article></body></html>",
    )
    record = build_article([article_page(response)], CRAWLED_AT)
    assert record["url"] == URL
    assert record["title"] is None
    assert record["published_at"] is None
    assert record["body"] == ""
    assert record["word_count"] == 0
    assert record["tags"] == [] and record["images"] == []
    assert record["source"] == "sulselsatu.com" and record["language"] == "id"
    assert record["crawled_at"] == CRAWLED_AT


# -- the loader's processors -----------------------------------------------------------


def test_loader_takes_the_first_value_the_page_read():
    loader = ArticleLoader()
    loader.add_value("title", [None, "Judul berita baru", "Lain"])
    assert loader.load_item()["title"] == "Judul berita baru"


def test_loader_keeps_the_tags_as_the_page_read_them():
    loader = ArticleLoader()
    loader.add_value("tags", ["Sulsel", "Makassar"])
    assert loader.load_item()["tags"] == ["Sulsel", "Makassar"]


def test_loader_joins_paragraphs_with_a_blank_line():
    loader = ArticleLoader()
    loader.add_value("body", ["Satu.", "Dua kata."])
    assert loader.load_item()["body"] == "Satu.\n\nDua kata."


def test_loader_keeps_each_image_once_with_its_first_caption():
    loader = ArticleLoader()
    loader.add_value("images", [{"url": "a.jpg", "caption": "A"}, {"url": "b.jpg", "caption": None}])
    loader.add_value("images", [{"url": "a.jpg", "caption": None}])
    assert loader.load_item()["images"] == [{"url": "a.jpg", "caption": "A"}, {"url": "b.jpg", "caption": None}]


class BrokenPage:
    def title(self):
        raise ValueError("no title here")

    def __repr__(self):
        return "<BrokenPage>"


def test_a_field_the_page_cannot_read_is_the_default_and_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="sulsel_crawler.loaders"):
        assert read(BrokenPage(), "title", "default") == "default"
    [warning] = caplog.records
    assert (warning.levelno, warning.getMessage()) == (logging.WARNING, "could not read title from <BrokenPage>")
    assert warning.exc_info[0] is ValueError


def test_an_article_needs_a_page():
    with pytest.raises(ValueError, match="^build_article needs at least one page$"):
        build_article([], CRAWLED_AT)
