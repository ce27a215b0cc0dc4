"""replica.evolve: a later state of a snapshot, with new and modified articles,
every page that shows them, and gold records the crawler's own page code
reproduces."""

import hashlib
import json
import math
import re
from datetime import datetime
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from replica import SNAPSHOT_300_DIR, SNAPSHOT_DIR, load_manifest
from replica.evolve import (
    evolve,
    feed_item,
    headline_item,
    kanal_block_item,
    list_item,
    main,
    pagination,
    terbaru_list,
)
from sulsel_crawler.loaders import build_article
from sulsel_crawler.pages import article_page
from tests.support.gold import gold_record
from tests.support.http import fetch

pytestmark = pytest.mark.replica

ORIGIN = "https://www.sulselsatu.com"
CRAWLED_AT = "2025-05-13T06:00:00Z"
SINCE = "2025-05-12T14:00:00+08:00"


def read_records(snapshot: Path) -> list[dict]:
    return [json.loads(line) for line in (snapshot / "expected.jsonl").read_text(encoding="utf-8").splitlines()]


def site_file(snapshot: Path, path: str, page: int = 1) -> str:
    relative = path[1:] or "index.html"
    if relative.endswith("/"):
        relative += "index.html"
    if page > 1:
        relative += f"__page-{page}"
    return (snapshot / "site" / relative).read_text(encoding="utf-8")


def path_of(url: str) -> str:
    return url.removeprefix(ORIGIN)


def moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


def newest_first(records: list[dict]) -> list[dict]:
    return sorted(records, key=lambda record: (moment(record["published_at"]), record["url"]), reverse=True)


def public(href: str) -> str:
    """A link as a record URL: www host, no query, no fragment."""
    href = href.replace("&amp;", "&").split("#")[0].split("?")[0]
    return href.replace("https://sulselsatu.com/", ORIGIN + "/")


def listing_urls(page: str) -> list[str]:
    return [public(href) for href in re.findall(r'<h2 class="list-title"><a href="([^"]+)"', page)]


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(file.relative_to(folder)): hashlib.sha256(file.read_bytes()).hexdigest()
        for file in sorted(folder.rglob("*"))
        if file.is_file()
    }


@pytest.fixture(scope="module")
def evolved(tmp_path_factory) -> Path:
    """The 40-article sample, a day later: 5 new and 3 modified articles."""
    return evolve(SNAPSHOT_DIR, tmp_path_factory.mktemp("evolved") / "snapshot", new=5, modified=3)


@pytest.fixture(scope="module")
def evolved_300(tmp_path_factory) -> Path:
    """The 300-article sample with 30 new articles: the 5-page cap and new listing pages."""
    return evolve(
        SNAPSHOT_300_DIR,
        tmp_path_factory.mktemp("evolved-300") / "snapshot",
        new=30,
        modified=10,
        now="2025-05-14T08:00:00",
        seed=4,
    )


@pytest.fixture(scope="module", params=["40", "300"])
def case(request, evolved, evolved_300) -> tuple[Path, Path]:
    """(original snapshot, evolved snapshot) for both samples."""
    return (SNAPSHOT_DIR, evolved) if request.param == "40" else (SNAPSHOT_300_DIR, evolved_300)


# The evolution in the manifest


def test_manifest_records_the_evolution(evolved):
    old, manifest = load_manifest(SNAPSHOT_DIR), load_manifest(evolved)
    evolution = manifest["evolution"]
    assert manifest["site_now"] == "2025-05-13T14:00:00+08:00"
    assert evolution["since"] == SINCE
    assert (len(evolution["new"]), len(evolution["modified"])) == (5, 3)
    assert evolution["not_in_sitemap"] == evolution["new"][:1]
    assert manifest["articles"] == 45
    assert manifest["sitemap_missing"] == old["sitemap_missing"] + [path_of(evolution["new"][0])]
    assert set(old["linked"]) < set(manifest["linked"])
    assert manifest["linked"] == sorted(manifest["linked"])
    unchanged = {"challenge", "transient_500", "redirects", "not_found", "cross_listed", "content_types"}
    assert {key: manifest[key] for key in unchanged} == {key: old[key] for key in unchanged}


def test_now_is_given_in_site_time(evolved_300):
    manifest = load_manifest(evolved_300)
    assert manifest["site_now"] == "2025-05-14T08:00:00+08:00"
    assert len(manifest["evolution"]["not_in_sitemap"]) == 3  # a tenth of 30


def test_new_pages_are_all_linked(case):
    _, snapshot = case
    manifest = load_manifest(snapshot)
    linked = set(manifest["linked"])
    records = {record["url"]: record for record in read_records(snapshot)}
    for url in manifest["evolution"]["new"]:
        record = records[url]
        assert path_of(url) in linked
        image = path_of(record["image_url"])
        assert f"/imageresize{image}&width=700&height=393" in linked
        assert f"/imageresize{image}&width=300&height=200" in linked
    for category, pages in manifest["category_pages"].items():
        assert all(f"/kanal/{category}?page={page}" in linked for page in range(2, pages + 1))


def test_the_input_snapshot_is_not_changed(tmp_path):
    before = tree_digest(SNAPSHOT_DIR)
    evolve(SNAPSHOT_DIR, tmp_path / "out", new=2, modified=2, seed=7)
    assert tree_digest(SNAPSHOT_DIR) == before


def test_same_seed_same_snapshot_other_seed_other_articles(tmp_path, evolved):
    again = evolve(SNAPSHOT_DIR, tmp_path / "again", new=5, modified=3)
    other = evolve(SNAPSHOT_DIR, tmp_path / "other", new=5, modified=3, seed=1)
    assert tree_digest(again) == tree_digest(evolved)
    assert load_manifest(other)["evolution"] != load_manifest(evolved)["evolution"]


# Gold records


def test_crawler_extracts_every_new_and_modified_article_as_its_gold_record(case):
    _, snapshot = case
    evolution = load_manifest(snapshot)["evolution"]
    gold = {record["url"]: gold_record(record) for record in read_records(snapshot)}
    for url in evolution["new"] + evolution["modified"]:
        body = (snapshot / "site" / path_of(url)[1:]).read_bytes()
        response = HtmlResponse(url=url, body=body, encoding="utf-8")
        record = dict(build_article([article_page(response)], CRAWLED_AT))
        assert record.pop("crawled_at") == CRAWLED_AT
        assert record == gold[url], url


def test_new_records_follow_the_contract(case):
    original, snapshot = case
    manifest = load_manifest(snapshot)
    old = read_records(original)
    records = read_records(snapshot)
    new = records[: len(manifest["evolution"]["new"])]
    assert [record["url"] for record in new] == manifest["evolution"]["new"]
    assert records[len(new):] == [
        next(record for record in records if record["url"] == old_record["url"]) for old_record in old
    ]
    assert new == newest_first(new)
    old_urls = {record["url"] for record in old}
    old_hashes = {record["content_hash"] for record in old}
    since, now = moment(SINCE), moment(manifest["site_now"])
    for record in new:
        assert list(record) == list(old[0])
        assert record["url"] not in old_urls and record["content_hash"] not in old_hashes
        assert re.fullmatch(rf"{ORIGIN}/\d{{4}}/\d\d/\d\d/{record['category_slug']}/[a-z0-9-]+\.html", record["url"])
        assert record["url"].startswith(f"{ORIGIN}/{record['published_at'][:10].replace('-', '/')}/")
        assert since < moment(record["published_at"]) < now
        assert record["modified_at"] == record["published_at"]
        assert record["id"] == hashlib.sha1(record["url"].encode()).hexdigest()
        assert record["content_hash"] == hashlib.sha256(record["body"].encode()).hexdigest()
        assert record["word_count"] == len(record["body"].split())
        assert record["body"].startswith(f"SULSELSATU.com, {record['dateline']} – ")
        assert record["summary"] == record["body"].split("\n\n")[0]
        assert record["images"] == [{"url": record["image_url"], "caption": record["image_caption"]}]
    assert len({record["content_hash"] for record in new}) == len(new)


def test_modified_records_change_one_paragraph_and_modified_at(case):
    original, snapshot = case
    manifest = load_manifest(snapshot)
    old = {record["url"]: record for record in read_records(original)}
    new = {record["url"]: record for record in read_records(snapshot)}
    changed = sorted(url for url in old if old[url] != new[url])
    assert changed == manifest["evolution"]["modified"]
    split = {key.removesuffix("?page=2") for key in manifest["linked"] if key.endswith(".html?page=2")}
    for url in changed:
        before, after = old[url], new[url]
        path = path_of(url)
        assert before["modified_at"] is not None  # current template
        assert path not in manifest["challenge"]["paths"]
        assert path not in split
        assert path not in manifest["redirects"].values()
        assert path not in manifest["sitemap_missing"]
        assert {field for field in before if before[field] != after[field]} == {
            "body", "word_count", "content_hash", "modified_at"
        }
        assert moment(SINCE) < moment(after["modified_at"]) < moment(manifest["site_now"])
        old_paragraphs, new_paragraphs = before["body"].split("\n\n"), after["body"].split("\n\n")
        differing = [i for i, (a, b) in enumerate(zip(old_paragraphs, new_paragraphs)) if a != b]
        assert len(old_paragraphs) == len(new_paragraphs) and len(differing) == 1
        assert new_paragraphs[differing[0]].startswith(old_paragraphs[differing[0]] + " Pembaruan: ")
        assert after["content_hash"] == hashlib.sha256(after["body"].encode()).hexdigest()
        assert after["word_count"] == len(after["body"].split())


def test_modified_page_shows_the_update(evolved):
    url = load_manifest(evolved)["evolution"]["modified"][0]
    record = next(record for record in read_records(evolved) if record["url"] == url)
    page = site_file(evolved, path_of(url))
    modified = moment(record["modified_at"])
    day = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"][modified.weekday()]
    assert f'"dateModified": "{record["modified_at"]}"' in page
    assert f'<meta property="article:modified_time" content="{record["modified_at"]}">' in page
    assert page.count('<div class="post-updated">') == 1
    assert f'<div class="post-updated">Diperbarui: {day}, {modified.day} Mei 2025 {modified:%H:%M}</div>' in page


def test_new_page_is_the_current_template(evolved):
    url = load_manifest(evolved)["evolution"]["new"][0]
    record = next(record for record in read_records(evolved) if record["url"] == url)
    page = site_file(evolved, path_of(url))
    cdn = record["image_url"].replace(f"{ORIGIN}/assets/", "https://cdn.sulselsatu.com/imageresize/assets/")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page)[1])
    assert f'<link rel="canonical" href="{url}">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert f'<meta property="og:image" content="{cdn}&width=1200&height=675">' in page
    assert f'<meta property="article:published_time" content="{record["published_at"]}">' in page
    assert (ld["headline"], ld["datePublished"], ld["dateModified"]) == (
        record["title"], record["published_at"], record["published_at"]
    )
    assert ld["mainEntityOfPage"]["@id"] == url
    assert f'<time datetime="{record["published_at"]}">' in page
    assert f'<figure class="post-image"><img src="{cdn}&width=700&height=393"' in page
    assert '<div class="post-updated">' not in page
    assert page.count('<article class="post-detail"') == 1
    assert f'<div class="fb-comments" data-href="{url}"' in page


# Listings, homepage, feed


def test_category_listings_put_new_articles_on_top(case):
    original, snapshot = case
    manifest = load_manifest(snapshot)
    new = newest_first([r for r in read_records(snapshot) if r["url"] in manifest["evolution"]["new"]])
    for category in {record["category_slug"] for record in new}:
        path = f"/kanal/{category}"
        old_pages = load_manifest(original)["category_pages"][category]
        old_items = [url for n in range(1, old_pages + 1) for url in listing_urls(site_file(original, path, n))]
        expected = ([r["url"] for r in new if r["category_slug"] == category] + old_items)[:50]
        pages = manifest["category_pages"][category]
        assert pages == math.ceil(len(expected) / 10) <= 5
        items = [listing_urls(site_file(snapshot, path, n)) for n in range(1, pages + 1)]
        assert [url for page in items for url in page] == expected
        assert all(len(page) == 10 for page in items[:-1])
        assert not (snapshot / "site" / f"kanal/{category}__page-{pages + 1}").exists()
        for number in range(1, pages + 1):
            page = site_file(snapshot, path, number)
            canonical = ORIGIN + path + (f"?page={number}" if number > 1 else "")
            assert f'<link rel="canonical" href="{canonical}">' in page
            assert (f"?page={number - 1}\">&laquo;" in page) == (number > 1)
            assert (f'<a rel="next" href="{ORIGIN}{path}?page={number + 1}">' in page) == (number < pages)
            assert page.count('<nav class="pagination"') == (pages > 1)


def test_cap_of_five_pages_drops_the_oldest_items(evolved_300):
    page_5 = listing_urls(site_file(evolved_300, "/kanal/makassar", 5))
    old_page_5 = listing_urls(site_file(SNAPSHOT_300_DIR, "/kanal/makassar", 5))
    assert load_manifest(evolved_300)["category_pages"]["makassar"] == 5
    assert len(page_5) == 10 and page_5 != old_page_5
    assert old_page_5[-1] not in page_5


def test_tag_and_author_listings_show_the_newest_20(evolved_300):
    new = [r for r in read_records(evolved_300) if r["url"] in load_manifest(evolved_300)["evolution"]["new"]]
    for record in new:
        page = site_file(evolved_300, path_of(record["url"]))
        tags = re.findall(r'<a href="([^"]+)" rel="tag">', page)
        author = re.findall(r'<div class="post-author"><a href="([^"]+)"', page)
        for listing in map(path_of, tags + author):
            pages = [site_file(evolved_300, listing)]
            if (evolved_300 / "site" / f"{listing[1:]}__page-2").exists():
                pages.append(site_file(evolved_300, listing, 2))
            urls = [url for page in pages for url in listing_urls(page)]
            assert record["url"] in urls and len(urls) <= 20


def test_homepage_shows_the_newest_articles(case):
    _, snapshot = case
    records = newest_first(read_records(snapshot))
    newest = [record["url"] for record in records]
    page = site_file(snapshot, "/")
    headline = re.findall(r'<div class="headline-item"><div class="post-image-bg"><a href="([^"]+)"', page)
    terbaru = re.search(r'<section class="terbaru-home">.*?</section>', page, re.S)[0]
    assert [public(url) for url in headline] == newest[:5]
    assert listing_urls(terbaru)[:15] == newest[5:20]
    assert terbaru_list(records[:5]) in page
    for category in ("makassar", "politik"):
        block = re.search(rf'<section class="kanal-block"><h3 class="block-title"><a href="{ORIGIN}/kanal/{category}">.*?</section>', page)[0]
        in_category = [record["url"] for record in records if record["category_slug"] == category]
        assert [public(url) for url in re.findall(r'<li><a href="([^"]+)"', block)] == in_category[:4]


def test_feed_lists_the_20_newest(case):
    _, snapshot = case
    records = newest_first(read_records(snapshot))
    feed = site_file(snapshot, "/feed/")
    assert re.findall(r"<link>([^<]+)</link>\n<guid", feed) == [record["url"] for record in records[:20]]
    assert "".join(feed_item(record) for record in records[:20]) in feed
    newest = moment(records[0]["published_at"])
    assert f"<lastBuildDate>{newest:%a, %d %b %Y %H:%M:%S} +0800</lastBuildDate>" in feed


def test_new_and_modified_pages_show_the_newest_in_the_sidebar(evolved):
    records = newest_first(read_records(evolved))
    evolution = load_manifest(evolved)["evolution"]
    sidebar = terbaru_list(records[:5])
    for url in evolution["new"] + evolution["modified"] + [ORIGIN + "/kanal/makassar"]:
        assert sidebar in site_file(evolved, path_of(url))


# Sitemaps


def test_sitemaps_list_new_urls_but_the_newest_and_update_lastmod(case):
    original, snapshot = case
    manifest = load_manifest(snapshot)
    evolution = manifest["evolution"]
    records = {record["url"]: record for record in read_records(snapshot)}
    new = newest_first([records[url] for url in evolution["new"]])
    assert evolution["not_in_sitemap"] == [r["url"] for r in new[: math.ceil(len(new) / 10)]]
    index = site_file(snapshot, "/sitemap.xml")
    months = re.findall(r"<loc>https://www.sulselsatu.com/sitemap/(\d{4}-\d\d)\.xml</loc><lastmod>([^<]+)</lastmod>", index)
    assert [month for month, _ in months] == sorted((month for month, _ in months), reverse=True)
    listed = {}
    for month, lastmod in months:
        entries = re.findall(r"<loc>([^<]+)</loc><lastmod>([^<]+)</lastmod>", site_file(snapshot, f"/sitemap/{month}.xml"))
        assert lastmod == max((entry[1] for entry in entries), key=moment)
        listed.update(entries)
    for record in new:
        if record["url"] in evolution["not_in_sitemap"]:
            assert record["url"] not in listed
        else:
            assert listed[record["url"]] == record["published_at"]
    for url in evolution["modified"]:
        assert listed[url] == records[url]["modified_at"]
    old_index = site_file(original, "/sitemap.xml")
    changed = {url[len(ORIGIN) + 1: len(ORIGIN) + 8].replace("/", "-") for url in evolution["modified"]}
    changed |= {r["url"][len(ORIGIN) + 1: len(ORIGIN) + 8].replace("/", "-") for r in new[len(evolution["not_in_sitemap"]):]}
    for month, lastmod in months:
        assert (f"/sitemap/{month}.xml</loc><lastmod>{lastmod}<" not in old_index) == (month in changed)


# The markup is the site's own


@pytest.mark.parametrize("snapshot", [SNAPSHOT_DIR, SNAPSHOT_300_DIR], ids=["40", "300"])
def test_blocks_are_rendered_exactly_as_the_sample_site_renders_them(snapshot):
    records = {record["url"]: record for record in read_records(snapshot)}
    compared = 0
    for file in sorted((snapshot / "site" / "kanal").iterdir()):
        page = file.read_text(encoding="utf-8")
        for item in re.findall(r'<article class="list-item">\n.*?\n</article>\n', page, re.S):
            url = re.search(r'<h2 class="list-title"><a href="([^"]+)"', item)[1]
            if url in records and "comment-link" not in item:
                assert item == list_item(records[url])
                compared += 1
        path, _, number = f"/kanal/{file.name}".partition("__page-")
        pages = load_manifest(snapshot)["category_pages"][path.removeprefix("/kanal/")]
        nav = re.search(r'<nav class="pagination".*?</nav>\n', page)
        assert (nav[0] if nav else "") == pagination(ORIGIN + path, int(number or 1), pages)
    home = site_file(snapshot, "/")
    for line in re.findall(r'<div class="headline-item">.*\n', home):
        url = re.search(r'href="([^"]+)"', line)[1]
        if url in records:  # not a link with a tracking query
            assert line == headline_item(records[url])
            compared += 1
    for item in re.findall(r'<li><a href="[^"?]+">[^<]*</a> <span class="tgl">.*?</li>', home):
        assert item == kanal_block_item(records[re.search(r'href="([^"]+)"', item)[1]])
    assert terbaru_list(newest_first(list(records.values()))[:5]) in home
    assert compared > 20


# Serving, chaining, errors, command line


def test_evolved_snapshot_is_served(make_replica, evolved):
    server = make_replica(evolved)
    url = load_manifest(evolved)["evolution"]["new"][0]
    status, _, body = fetch(server.base_url + path_of(url))
    assert status == 200 and body == (evolved / "site" / path_of(url)[1:]).read_bytes()
    status, _, feed = fetch(server.base_url + "/feed/")
    assert status == 200 and url.encode() in feed


def test_an_evolved_snapshot_evolves_again(tmp_path, evolved):
    again = evolve(evolved, tmp_path / "again", new=2, modified=2, now="2025-05-14T10:00:00+08:00", seed=3)
    manifest = load_manifest(again)
    assert manifest["evolution"]["since"] == "2025-05-13T14:00:00+08:00"
    assert manifest["articles"] == 47
    gold = {record["url"]: gold_record(record) for record in read_records(again)}
    for url in manifest["evolution"]["new"] + manifest["evolution"]["modified"]:
        response = HtmlResponse(url=url, body=(again / "site" / path_of(url)[1:]).read_bytes(), encoding="utf-8")
        record = dict(build_article([article_page(response)], CRAWLED_AT))
        del record["crawled_at"]
        assert record == gold[url]


@pytest.mark.parametrize(
    "options, error",
    [
        ({"new": 1, "modified": 0, "now": "2025-05-12T14:00:00+08:00"}, ValueError),
        ({"new": 1, "modified": 0, "now": "2025-05-12T05:59:00Z"}, ValueError),
        ({"new": 0, "modified": 500}, ValueError),
        ({"new": -1, "modified": 0}, ValueError),
    ],
)
def test_impossible_evolutions_are_refused(tmp_path, options, error):
    with pytest.raises(error):
        evolve(SNAPSHOT_DIR, tmp_path / "out", **options)
    assert not (tmp_path / "out").exists()


def test_out_dir_must_be_new(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        evolve(SNAPSHOT_DIR, tmp_path / "out", new=1, modified=1)
    assert [file.name for file in (tmp_path / "out").iterdir()] == ["keep.txt"]


def test_nothing_new_changes_only_the_time(tmp_path):
    out = evolve(SNAPSHOT_DIR, tmp_path / "out", new=0, modified=0)
    manifest = load_manifest(out)
    assert manifest["evolution"] == {"since": SINCE, "new": [], "modified": [], "not_in_sitemap": []}
    assert read_records(out) == read_records(SNAPSHOT_DIR)


def test_command_line(tmp_path, capsys):
    main(["--site", str(SNAPSHOT_DIR), "--out", str(tmp_path / "out"), "--new", "3", "--modified", "2", "--seed", "5"])
    assert capsys.readouterr().out == f"{tmp_path / 'out'}: 3 new, 2 modified, 1 not in the sitemap\n"
    assert len(read_records(tmp_path / "out")) == 43
