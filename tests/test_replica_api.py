"""The replica's WordPress REST API (replica.api), over real HTTP on loopback."""

import json
import re

import pytest

from replica import SNAPSHOT_DIR, load_manifest
from replica.__main__ import parse_args
from replica.api import api_requests
from replica.evolve import evolve
from tests.support.http import fetch

pytestmark = pytest.mark.replica

ORIGIN = "https://www.sulselsatu.com"
MANIFEST = load_manifest(SNAPSHOT_DIR)
RECORDS = [json.loads(line) for line in (SNAPSHOT_DIR / "expected.jsonl").read_text(encoding="utf-8").splitlines()]
BY_URL = {record["url"]: record for record in RECORDS}
NEWEST = f"{ORIGIN}/2025/05/11/hukum/polrestabes-makassar-tangkap-20-terduga-pelaku-pencurian-kendaraan-bermotor.html"
JONGAYA = f"{ORIGIN}/2025/05/10/makassar/pemkot-makassar-siapkan-rp1-2-miliar-untuk-pembangunan-kanal-jongaya.html"
LORONG = f"{ORIGIN}/2025/05/10/makassar/350-lorong-di-sangkarrang-ikut-lomba-lorong-wisata.html"
OLDEST = f"{ORIGIN}/2016/01/09/makassar/pemkot-makassar-siapkan-rp21-3-miliar-untuk-penataan-kawasan-pantai-losari.html"
LEGACY_NO_SUMMARY = f"{ORIGIN}/2016/01/19/ekonomi/bi-sulsel-pertumbuhan-ekonomi-triwulan-ii-capai-6-94-persen.html"


@pytest.fixture
def api(make_replica):
    return make_replica(api=True)


def get(server, route: str, **options):
    """(status, headers, parsed JSON) of one API request."""
    status, headers, body = fetch(server.base_url + route, **options)
    return status, headers, json.loads(body) if body else None


def links(posts: list[dict]) -> list[str]:
    return [post["link"] for post in posts]


# On and off


@pytest.mark.parametrize("route", ["/wp-json/", "/wp-json/wp/v2/posts", "/wp-json/wp/v2/posts?per_page=5"])
def test_api_is_off_by_default(replica, route):
    status, headers, body = fetch(replica.base_url + route)
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"404" in body


def test_command_line_switches_the_api_on():
    assert parse_args(["--site", "x"]).api is False
    assert parse_args(["--site", "x", "--api"]).api is True


def test_index_names_the_wp_v2_namespace(api):
    status, headers, index = get(api, "/wp-json/")
    assert status == 200
    assert headers["Content-Type"] == "application/json; charset=UTF-8"
    assert index["namespaces"] == ["wp/v2"]
    assert "/wp/v2/posts" in index["routes"]
    assert get(api, "/wp-json")[2] == index


# Posts


def test_default_page_is_the_10_newest_posts(api):
    status, headers, posts = get(api, "/wp-json/wp/v2/posts")
    assert status == 200
    assert headers["Content-Type"] == "application/json; charset=UTF-8"
    assert (headers["X-WP-Total"], headers["X-WP-TotalPages"]) == ("40", "4")
    assert headers["Link"] == f'<{api.base_url}/wp-json/wp/v2/posts?page=2>; rel="next"'
    assert [post["id"] for post in posts] == list(range(40, 30, -1))
    assert links(posts)[:3] == [NEWEST, JONGAYA, LORONG]


def test_a_post_has_the_fields_of_its_record(api):
    _, _, posts = get(api, "/wp-json/wp/v2/posts?per_page=1")
    assert posts == [
        {
            "id": 40,
            "date": "2025-05-11T11:55:00",
            "date_gmt": "2025-05-11T03:55:00",
            "guid": {"rendered": f"{ORIGIN}/?p=40"},
            "modified": "2025-05-11T11:55:00",
            "modified_gmt": "2025-05-11T03:55:00",
            "slug": "polrestabes-makassar-tangkap-20-terduga-pelaku-pencurian-kendaraan-bermotor",
            "status": "publish",
            "type": "post",
            "link": NEWEST,
            "title": {"rendered": "Polrestabes Makassar Tangkap 20 Terduga Pelaku Pencurian Kendaraan Bermotor"},
            "excerpt": {
                "rendered": "<p>SULSELSATU.com, MAKASSAR – Tim Resmob Polrestabes Makassar menangkap 20 orang "
                "yang diduga terlibat kasus pencurian kendaraan bermotor, Minggu (11/5/2025).</p>\n",
                "protected": False,
            },
            "categories": [3],
            "tags": [_tag_id("penipuan-online"), _tag_id("sulsel")],
        }
    ]


def _tag_id(slug: str) -> int:
    """Tags are numbered after the 8 categories, in slug order."""
    slugs = sorted({re.sub(r"[^a-z0-9]+", "-", tag.lower()).strip("-") for r in RECORDS for tag in r["tags"]})
    return 9 + slugs.index(slug)


def test_modified_is_the_record_modified_at_in_site_time(api):
    _, _, post = get(api, "/wp-json/wp/v2/posts/38")
    assert post["link"] == LORONG
    assert (post["date"], post["date_gmt"]) == ("2025-05-10T00:05:00", "2025-05-09T16:05:00")
    assert (post["modified"], post["modified_gmt"]) == ("2025-05-11T01:13:45", "2025-05-10T17:13:45")


def test_legacy_post_is_modified_when_published_and_gets_wordpress_excerpt(api):
    _, _, post = get(api, "/wp-json/wp/v2/posts/2")
    words = BY_URL[LEGACY_NO_SUMMARY]["body"].split()
    assert post["link"] == LEGACY_NO_SUMMARY
    assert post["date"] == post["modified"] == "2016-01-19T08:15:00"
    assert post["modified_gmt"] == "2016-01-19T00:15:00"
    assert post["excerpt"]["rendered"] == f"<p>{' '.join(words[:55])} [&hellip;]</p>\n"
    assert post["tags"] == []


def test_every_record_is_a_post_once(api):
    _, _, posts = get(api, "/wp-json/wp/v2/posts?per_page=100")
    assert sorted(links(posts)) == sorted(BY_URL)
    for post in posts:
        record = BY_URL[post["link"]]
        assert post["title"]["rendered"] == record["title"].replace("&", "&amp;")
        assert post["date"] == record["published_at"].removesuffix("+08:00")
        assert post["modified"] == (record["modified_at"] or record["published_at"]).removesuffix("+08:00")
        assert post["slug"] == record["url"].rsplit("/", 1)[1].removesuffix(".html")


# Paging


@pytest.mark.parametrize("per_page", ["0", "101", "ten", "-1"])
def test_per_page_out_of_range_is_invalid(api, per_page):
    status, _, error = get(api, f"/wp-json/wp/v2/posts?per_page={per_page}")
    assert status == 400
    assert error["code"] == "rest_invalid_param"
    assert error["data"]["status"] == 400
    assert list(error["data"]["params"]) == ["per_page"]


def test_per_page_100_is_one_page(api):
    status, headers, posts = get(api, "/wp-json/wp/v2/posts?per_page=100")
    assert status == 200 and len(posts) == 40
    assert (headers["X-WP-Total"], headers["X-WP-TotalPages"]) == ("40", "1")
    assert "Link" not in headers


def test_page_past_the_end_is_400(api):
    status, headers, error = get(api, "/wp-json/wp/v2/posts?page=5")
    assert status == 400
    assert headers["Content-Type"] == "application/json; charset=UTF-8"
    assert error == {
        "code": "rest_post_invalid_page_number",
        "message": "The page number requested is larger than the number of pages available.",
        "data": {"status": 400},
    }


def test_last_page_links_back_only(api):
    status, headers, posts = get(api, "/wp-json/wp/v2/posts?page=4")
    assert status == 200
    assert [post["id"] for post in posts] == list(range(10, 0, -1))
    assert headers["Link"] == f'<{api.base_url}/wp-json/wp/v2/posts?page=3>; rel="prev"'


def test_middle_page_links_both_ways_keeping_the_query(api):
    query = "per_page=5&orderby=id&order=asc&_fields=id,link&page=3"
    status, headers, posts = get(api, f"/wp-json/wp/v2/posts?{query}")
    base = f"{api.base_url}/wp-json/wp/v2/posts?per_page=5&orderby=id&order=asc&_fields=id,link"
    assert status == 200
    assert [post["id"] for post in posts] == [11, 12, 13, 14, 15]
    assert (headers["X-WP-Total"], headers["X-WP-TotalPages"]) == ("40", "8")
    assert headers["Link"] == f'<{base}&page=2>; rel="prev", <{base}&page=4>; rel="next"'
    next_url = re.search(r'<([^>]+)>; rel="next"', headers["Link"])[1]
    assert [post["id"] for post in json.loads(fetch(next_url)[2])] == [16, 17, 18, 19, 20]


# Order


def test_orderby_id_ascending(api):
    _, _, posts = get(api, "/wp-json/wp/v2/posts?orderby=id&order=asc&per_page=3")
    assert [post["id"] for post in posts] == [1, 2, 3]
    assert posts[0]["link"] == OLDEST


def test_orderby_date_ascending(api):
    _, _, posts = get(api, "/wp-json/wp/v2/posts?order=asc&per_page=2&_fields=link")
    assert posts == [{"link": OLDEST}, {"link": LEGACY_NO_SUMMARY}]


def test_orderby_modified(api):
    _, _, posts = get(api, "/wp-json/wp/v2/posts?orderby=modified&per_page=100&_fields=link,modified")
    assert links(posts)[:3] == [NEWEST, LORONG, JONGAYA]
    modified = [post["modified"] for post in posts]
    assert modified == sorted(modified, reverse=True)


@pytest.mark.parametrize("query, name", [("orderby=title", "orderby"), ("order=up", "order")])
def test_unknown_order_is_invalid(api, query, name):
    status, _, error = get(api, f"/wp-json/wp/v2/posts?{query}")
    assert status == 400
    assert (error["code"], list(error["data"]["params"])) == ("rest_invalid_param", [name])


# Date filters


@pytest.mark.parametrize(
    "query, expected",
    [
        ("after=2025-05-09T22:16:00", [NEWEST, JONGAYA, LORONG]),  # strictly after 22:16
        ("after=2025-05-09T14:16:00Z", [NEWEST, JONGAYA, LORONG]),  # the same moment in UTC
        ("after=2025-05-09T22:16:00%2B08:00", [NEWEST, JONGAYA, LORONG]),
        ("before=2016-01-19T08:15:00", [OLDEST]),  # strictly before
        ("after=2025-05-10T00:00:00&before=2025-05-10T00:09:00", [LORONG]),
        ("modified_after=2025-05-11T00:00:00", [NEWEST, LORONG]),
        ("modified_after=2025-05-10T00:00:00&modified_before=2025-05-11T00:00:00", [JONGAYA]),
        ("after=2025-05-12T14:00:00", []),
    ],
)
def test_date_filters(api, query, expected):
    status, headers, posts = get(api, f"/wp-json/wp/v2/posts?{query}&per_page=100")
    assert status == 200
    assert links(posts) == expected
    assert headers["X-WP-Total"] == str(len(expected))


def test_nothing_found_is_an_empty_first_page(api):
    status, headers, posts = get(api, "/wp-json/wp/v2/posts?after=2030-01-01T00:00:00")
    assert (status, posts) == (200, [])
    assert (headers["X-WP-Total"], headers["X-WP-TotalPages"]) == ("0", "0")


@pytest.mark.parametrize("value", ["yesterday", "2025-05-10", "2025-13-01T00:00:00"])
def test_invalid_date_is_400(api, value):
    status, _, error = get(api, f"/wp-json/wp/v2/posts?modified_after={value}")
    assert status == 400
    assert (error["code"], list(error["data"]["params"])) == ("rest_invalid_param", ["modified_after"])


# Fields


def test_fields_keeps_the_named_top_level_fields(api):
    _, _, posts = get(api, "/wp-json/wp/v2/posts?per_page=2&_fields=link,id,modified")
    assert posts == [
        {"id": 40, "modified": "2025-05-11T11:55:00", "link": NEWEST},
        {"id": 39, "modified": "2025-05-10T00:09:00", "link": JONGAYA},
    ]
    assert list(posts[0]) == ["id", "modified", "link"]


def test_fields_can_name_a_nested_field(api):
    _, _, posts = get(api, "/wp-json/wp/v2/posts?per_page=1&_fields=title.rendered,id")
    assert posts == [{"id": 40, "title": {"rendered": "Polrestabes Makassar Tangkap 20 Terduga Pelaku Pencurian Kendaraan Bermotor"}}]


# Other routes


def test_single_post_and_unknown_ids_and_routes(api):
    assert get(api, "/wp-json/wp/v2/posts/40?_fields=id,link")[2] == {"id": 40, "link": NEWEST}
    status, _, error = get(api, "/wp-json/wp/v2/posts/41")
    assert (status, error["code"]) == (404, "rest_post_invalid_id")
    status, _, error = get(api, "/wp-json/wp/v2/users")
    assert (status, error["code"]) == (404, "rest_no_route")


def test_categories_count_the_posts(api):
    status, headers, categories = get(api, "/wp-json/wp/v2/categories?_fields=id,name,slug,count")
    assert status == 200 and headers["X-WP-Total"] == "8"
    assert categories == [
        {"id": 1, "count": 14, "name": "Makassar", "slug": "makassar"},
        {"id": 2, "count": 2, "name": "Sulsel", "slug": "sulsel"},
        {"id": 3, "count": 4, "name": "Hukum", "slug": "hukum"},
        {"id": 4, "count": 5, "name": "Ekonomi", "slug": "ekonomi"},
        {"id": 5, "count": 5, "name": "Politik", "slug": "politik"},
        {"id": 6, "count": 1, "name": "Olahraga", "slug": "olahraga"},
        {"id": 7, "count": 6, "name": "Pendidikan", "slug": "pendidikan"},
        {"id": 8, "count": 3, "name": "News", "slug": "news"},
    ]


def test_head_answers_headers_only(api):
    status, headers, body = fetch(api.base_url + "/wp-json/wp/v2/posts?per_page=20", method="HEAD")
    assert status == 200
    assert (headers["X-WP-Total"], headers["X-WP-TotalPages"]) == ("40", "2")
    assert body == b""


# With the rest of the replica


def test_api_is_not_behind_the_challenge_and_pages_still_are(api):
    assert fetch(api.base_url + "/wp-json/wp/v2/posts")[0] == 200
    assert fetch(api.base_url + MANIFEST["challenge"]["paths"][0])[0] == 503
    assert fetch(api.base_url + "/kanal/makassar?page=2")[0] == 200


def test_api_requests_are_logged_like_any_other(api):
    fetch(api.base_url + "/wp-json/wp/v2/posts?per_page=5&page=2", headers={"User-Agent": "t/1"})
    fetch(api.base_url + "/wp-json/wp/v2/posts?page=9")
    fetch(api.base_url + "/kanal/makassar")
    logged = [(r["path"], r["query"], r["status"]) for r in api.requests]
    assert logged == [
        ("/wp-json/wp/v2/posts", "per_page=5&page=2", 200),
        ("/wp-json/wp/v2/posts", "page=9", 400),
        ("/kanal/makassar", "", 200),
    ]
    assert api.requests[0]["user_agent"] == "t/1"
    assert [r["path"] for r in api_requests(api.requests)] == ["/wp-json/wp/v2/posts"] * 2


def test_evolved_snapshot_api_shows_the_evolution(tmp_path, make_replica):
    snapshot = evolve(SNAPSHOT_DIR, tmp_path / "evolved", new=4, modified=2, seed=2)
    evolution = load_manifest(snapshot)["evolution"]
    server = make_replica(snapshot, api=True)
    since = evolution["since"].removesuffix("+08:00")
    _, headers, changed = get(server, f"/wp-json/wp/v2/posts?modified_after={since}&per_page=100&orderby=modified")
    assert headers["X-WP-Total"] == "6"
    assert sorted(links(changed)) == sorted(evolution["new"] + evolution["modified"])
    _, _, new = get(server, f"/wp-json/wp/v2/posts?after={since}&_fields=id,link")
    assert new == [{"id": 44 - n, "link": url} for n, url in enumerate(evolution["new"])]
    _, _, first = get(server, "/wp-json/wp/v2/posts?orderby=id&order=asc&per_page=40&_fields=id,link")
    _, _, before = get(make_replica(api=True), "/wp-json/wp/v2/posts?orderby=id&order=asc&per_page=40&_fields=id,link")
    assert first == before  # old posts keep their ids
