"""``article_problems``: every reason it gives, asserted whole, on a small record built here.

One case per schema keyword it describes (missing, type, empty, pattern,
unexpected field, const, not, uniqueItems, any other keyword) and per rule
between fields (id, content_hash, word_count, category_slug, lead image,
real dates). Each case changes one thing of a valid record and expects the
complete list of reasons.
"""

import hashlib

import pytest

from sulsel_crawler.pipelines.validate import article_problems

pytestmark = pytest.mark.unit

URL = "https://www.sulselsatu.com/2022/03/11/makassar/judul-berita.html"
BODY = "SULSELSATU.com, MAKASSAR – Warga berkumpul.\n\nDua kata."
IMAGE = "https://www.sulselsatu.com/assets/media/upload/2022/03/a.jpg"
OTHER_IMAGE = "https://www.sulselsatu.com/assets/media/upload/2022/03/b.jpg"
RESIZED = "https://cdn.sulselsatu.com/imageresize/assets/a.jpg&width=700"
LINE_PATTERN = r"^\S+(?: \S+)*$"
URL_PATTERN = r"^https://www\.sulselsatu\.com/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/[^/?#]+\.html$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$"
URL_SHA1 = hashlib.sha1(URL.encode("utf-8")).hexdigest()
BODY_SHA256 = hashlib.sha256(BODY.encode("utf-8")).hexdigest()

VALID = {
    "id": URL_SHA1,
    "url": URL,
    "source": "sulselsatu.com",
    "title": "Judul Berita",
    "author": "Rizky Amalia",
    "editor": None,
    "published_at": "2022-03-11T15:25:00+08:00",
    "modified_at": None,
    "category": "Makassar",
    "category_slug": "makassar",
    "tags": ["Sulsel", "Makassar"],
    "summary": None,
    "dateline": "MAKASSAR",
    "body": BODY,
    "image_url": IMAGE,
    "image_caption": "Warga (Ist)",
    "images": [{"url": IMAGE, "caption": "Warga (Ist)"}, {"url": OTHER_IMAGE, "caption": None}],
    "word_count": 7,
    "language": "id",
    "crawled_at": "2025-05-12T06:00:00Z",
    "content_hash": BODY_SHA256,
    "extraction": "site",
    "source_warc": None,
}


def changed(**fields) -> dict:
    return {**VALID, **fields}


def without(*names: str) -> dict:
    return {key: value for key, value in VALID.items() if key not in names}


def test_the_record_of_these_tests_is_valid():
    assert article_problems(VALID) == []


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(changed(author=None, summary="Ringkasan.", editor="Sukma"), id="optional lines set or null"),
        pytest.param(changed(modified_at="2022-03-12T08:00:00+08:00"), id="modified_at set"),
        pytest.param(changed(tags=[]), id="no tags"),
        pytest.param(changed(image_url=None, image_caption=None, images=[]), id="no images"),
        pytest.param(
            changed(image_caption=None, images=[{"url": IMAGE, "caption": None}]), id="lead image without caption"
        ),
        pytest.param(changed(crawled_at="2025-05-12T06:00:00.123456Z"), id="crawled_at with a fraction"),
        pytest.param(changed(image_url="http://example.com/x.jpg", images=[{"url": "http://example.com/x.jpg", "caption": "Warga (Ist)"}]), id="image on another host"),
    ],
)
def test_valid_variants(record):
    assert article_problems(record) == []


BAD_RECORDS = {
    # required
    "missing field": (without("title"), ["title: missing"]),
    "two missing fields, each once, in contract order": (without("body", "title"), ["title: missing", "body: missing"]),
    "missing key of an image": (
        changed(images=[{"url": IMAGE}]),
        ["images[0].caption: missing"],
    ),
    # type
    "number for a line": (changed(author=5), ["author: expected string or null, got integer 5"]),
    "string for a list": (changed(tags="Sulsel, Makassar"), ["tags: expected array, got string 'Sulsel, Makassar'"]),
    "tuple for a list": (changed(tags=("Sulsel",)), ["tags: expected array, got tuple ('Sulsel',)"]),
    "boolean for an integer": (changed(word_count=True), ["word_count: expected integer, got boolean True"]),
    "float for an integer": (changed(word_count=7.0), ["word_count: expected integer, got number 7.0"]),
    "null for a string": (changed(published_at=None), ["published_at: expected string, got null None"]),
    "object for a string": (changed(title={"a": 1}), ["title: expected string, got object {'a': 1}"]),
    "number for an image url": (
        changed(images=[{"url": 5, "caption": None}]),
        ["images[0].url: expected string, got integer 5", "images[0].url: expected string or null, got integer 5"],
    ),
    # empty
    "empty line": (changed(title=""), ["title: empty"]),
    "empty optional line": (changed(summary=""), ["summary: empty"]),
    "empty body": (changed(body="", word_count=1, content_hash=hashlib.sha256(b"").hexdigest()), ["body: empty"]),
    "empty date": (changed(crawled_at=""), ["crawled_at: empty"]),
    # pattern
    "doubled space in a line": (
        changed(title="Judul  Berita"),
        [f"title: 'Judul  Berita' does not match {LINE_PATTERN}"],
    ),
    "line ending in a line break": (
        changed(title="Judul Berita\n"),
        [f"title: 'Judul Berita\\n' does not match {LINE_PATTERN}"],
    ),
    "body with three line breaks": (
        changed(body="Satu.\n\n\nDua.", word_count=2, content_hash=hashlib.sha256(b"Satu.\n\n\nDua.").hexdigest()),
        ["body: 'Satu.\\n\\n\\nDua.' does not match ^\\S+(?: \\S+)*(?:\\n\\n\\S+(?: \\S+)*)*$"],
    ),
    "url with a query": (changed(url=URL + "?page=2"), [f"url: '{URL}?page=2' does not match {URL_PATTERN}"]),
    "url on the bare host": (
        changed(url=URL.replace("://www.", "://")),
        [f"url: 'https://sulselsatu.com/2022/03/11/makassar/judul-berita.html' does not match {URL_PATTERN}"],
    ),
    "id in capitals": (
        changed(id=URL_SHA1.upper()),
        [f"id: '{URL_SHA1.upper()}' does not match ^[0-9a-f]{{40}}$"],
    ),
    "date without seconds": (
        changed(published_at="2022-03-11T15:25+08:00"),
        [f"published_at: '2022-03-11T15:25+08:00' does not match {DATE_PATTERN}"],
    ),
    "date in WIB": (
        changed(modified_at="2022-03-11T15:25:00+07:00"),
        [f"modified_at: '2022-03-11T15:25:00+07:00' does not match {DATE_PATTERN}"],
    ),
    "crawled_at not in UTC": (
        changed(crawled_at="2025-05-12T14:00:00+08:00"),
        [
            "crawled_at: '2025-05-12T14:00:00+08:00' does not match "
            r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$"
        ],
    ),
    "category_slug with a capital": (changed(category_slug="Makassar"), ["category_slug: 'Makassar' does not match ^[a-z0-9-]+$"]),
    "relative image url": (
        changed(image_url="/assets/a.jpg", images=[{"url": "/assets/a.jpg", "caption": "Warga (Ist)"}]),
        [
            "image_url: '/assets/a.jpg' does not match ^https?://[^/\\s]+/\\S*$",
            "images[0].url: '/assets/a.jpg' does not match ^https?://[^/\\s]+/\\S*$",
        ],
    ),
    # additionalProperties
    "unexpected field": (changed(html="<p>"), ["record: unexpected field(s) html"]),
    "two unexpected fields": (changed(html="<p>", raw="x"), ["record: unexpected field(s) html, raw"]),
    "unexpected key of an image": (
        changed(images=[{"url": IMAGE, "caption": "Warga (Ist)", "width": 700}]),
        ["images[0]: unexpected field(s) width"],
    ),
    # const
    "wrong source": (changed(source="www.sulselsatu.com"), ["source: must be 'sulselsatu.com', got 'www.sulselsatu.com'"]),
    "wrong language": (changed(language="en"), ["language: must be 'id', got 'en'"]),
    # enum
    "unknown extraction": (changed(extraction="guess"), ["extraction: 'guess' is not one of ['site', 'fallback']"]),
    "fallback extraction is valid": (changed(extraction="fallback"), []),
    # not
    "resized image url": (changed(image_url=RESIZED), [f"image_url: '{RESIZED}' must not match /imageresize/"]),
    "resized image in images": (
        changed(images=[{"url": IMAGE, "caption": "Warga (Ist)"}, {"url": RESIZED, "caption": None}]),
        [f"images[1].url: '{RESIZED}' must not match /imageresize/"],
    ),
    # uniqueItems
    "repeated tag": (changed(tags=["Sulsel", "Sulsel"]), ["tags: has repeated items ['Sulsel', 'Sulsel']"]),
    # any other keyword
    "word_count below the minimum": (
        changed(word_count=0),
        ["word_count: 0 is less than the minimum of 1"],
    ),
    # rules between fields
    "id of another url": (changed(id="0" * 40), ["id: '" + "0" * 40 + "' is not the SHA-1 of url"]),
    "content_hash of another body": (
        changed(content_hash="f" * 64),
        ["content_hash: '" + "f" * 64 + "' is not the SHA-256 of body"],
    ),
    "word_count off by one": (changed(word_count=8), ["word_count: 8 but body has 7 words"]),
    "category_slug not the url's": (
        changed(category_slug="hukum"),
        ["category_slug: 'hukum' but the URL's section is 'makassar'"],
    ),
    "image_url not the first image": (
        changed(image_url=OTHER_IMAGE),
        [f"image_url: '{OTHER_IMAGE}' is not the first image's url '{IMAGE}'"],
    ),
    "image_caption not the first image's": (
        changed(image_caption="Lain"),
        ["image_caption: 'Lain' is not the first image's caption 'Warga (Ist)'"],
    ),
    "lead image but no images": (
        changed(images=[]),
        [
            f"image_url: '{IMAGE}' is not the first image's url None",
            "image_caption: 'Warga (Ist)' is not the first image's caption None",
        ],
    ),
    "images but no lead image": (
        changed(image_url=None, image_caption=None),
        [
            f"image_url: None is not the first image's url '{IMAGE}'",
            "image_caption: None is not the first image's caption 'Warga (Ist)'",
        ],
    ),
    "unreal published_at": (
        changed(published_at="2022-02-30T15:25:00+08:00"),
        ["published_at: '2022-02-30T15:25:00+08:00' is not a real date and time"],
    ),
    "unreal modified_at": (
        changed(modified_at="2022-03-11T24:00:00+08:00"),
        ["modified_at: '2022-03-11T24:00:00+08:00' is not a real date and time"],
    ),
    "unreal crawled_at": (
        changed(crawled_at="2025-13-12T06:00:00Z"),
        ["crawled_at: '2025-13-12T06:00:00Z' is not a real date and time"],
    ),
    # a field that breaks the schema is not compared with others
    "broken url: no id or category_slug rule": (
        changed(url="http://127.0.0.1:8765/2022/03/11/hukum/x.html"),
        [f"url: 'http://127.0.0.1:8765/2022/03/11/hukum/x.html' does not match {URL_PATTERN}"],
    ),
    "broken body: no content_hash or word_count rule": (
        changed(body="Satu  dua"),
        ["body: 'Satu  dua' does not match ^\\S+(?: \\S+)*(?:\\n\\n\\S+(?: \\S+)*)*$"],
    ),
    "broken images: no lead image rule": (
        changed(images=[{"url": OTHER_IMAGE}]),
        ["images[0].caption: missing"],
    ),
    "missing url: no id or category_slug rule": (without("url"), ["url: missing"]),
    "missing body: no content_hash or word_count rule": (without("body"), ["body: missing"]),
    "missing image_caption: no lead image rule": (without("image_caption"), ["image_caption: missing"]),
    "missing content_hash: no hash rule": (without("content_hash"), ["content_hash: missing"]),
    "missing id: no id rule": (without("id"), ["id: missing"]),
    "missing word_count: no word count rule": (without("word_count"), ["word_count: missing"]),
    "missing category_slug: no section rule": (without("category_slug"), ["category_slug: missing"]),
    # several problems: root problems first, then fields in contract order
    "problems in contract order": (
        {**without("title"), "id": "x", "html": "<p>", "language": "en", "word_count": "7"},
        [
            "title: missing",
            "record: unexpected field(s) html",
            "id: 'x' does not match ^[0-9a-f]{40}$",
            "word_count: expected integer, got string '7'",
            "language: must be 'id', got 'en'",
        ],
    ),
}


@pytest.mark.parametrize("record, reasons", [pytest.param(*case, id=name) for name, case in BAD_RECORDS.items()])
def test_reasons(record, reasons):
    assert article_problems(record) == reasons


@pytest.mark.parametrize(
    "title, reason",
    [
        pytest.param(
            "Judul  " + "x" * 71,
            "title: 'Judul  " + "x" * 71 + f"' does not match {LINE_PATTERN}",
            id="80 characters shown whole",
        ),
        pytest.param(
            "Judul  " + "x" * 72,
            "title: 'Judul  " + "x" * 69 + f"... does not match {LINE_PATTERN}",
            id="81 characters cut to 77 and an ellipsis",
        ),
    ],
)
def test_long_values_are_shortened(title, reason):
    assert article_problems(changed(title=title)) == [reason]



def test_messages_of_other_keywords_are_cut_at_200_characters():
    # jsonschema's own message, "<value> is less than the minimum of 1", cut to 200 characters.
    assert article_problems(changed(word_count=-(10**250))) == ["word_count: -" + "1" + "0" * 198]
