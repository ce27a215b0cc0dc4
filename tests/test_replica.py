"""The replica server, tested with real HTTP requests over loopback."""

import shutil
import threading
import time

import pytest

from replica import SNAPSHOT_DIR, load_manifest
from replica.challenge import challenge_token
from replica.requests_log import (
    asset_requests,
    disallowed_requests,
    read_log,
    repeated_page_keys,
    unlinked_requests,
)
from tests.support.http import fetch

pytestmark = pytest.mark.replica

SITE = SNAPSHOT_DIR / "site"
MANIFEST = load_manifest(SNAPSHOT_DIR)
CHALLENGED = MANIFEST["challenge"]["paths"][0]
TOKEN = MANIFEST["challenge"]["token"]
SPLIT_ARTICLE = next(
    key.removesuffix("?page=2") for key in MANIFEST["linked"] if key.endswith(".html?page=2")
)
AGENT = {"User-Agent": "test-agent/1.0"}


def site_file(relative: str) -> bytes:
    return (SITE / relative).read_bytes()


# File mapping


@pytest.mark.parametrize(
    "url_path, file",
    [
        ("/", "index.html"),
        ("/feed/", "feed/index.html"),
        ("/kanal/makassar", "kanal/makassar"),
        ("/kanal/makassar?page=1", "kanal/makassar"),
        ("/kanal/makassar?page=2", "kanal/makassar__page-2"),
        ("/kanal/makassar?utm_source=kanal&utm_medium=referral", "kanal/makassar"),
        ("/kanal/makassar?utm_source=kanal&page=2", "kanal/makassar__page-2"),
        (SPLIT_ARTICLE + "?page=3", SPLIT_ARTICLE[1:] + "__page-3"),
    ],
)
def test_url_is_served_from_its_mapped_file(replica, url_path, file):
    status, _, body = fetch(replica.base_url + url_path)
    assert status == 200
    assert body == site_file(file)


def test_page_two_differs_from_page_one(replica):
    _, _, first = fetch(replica.base_url + "/kanal/makassar")
    _, _, second = fetch(replica.base_url + "/kanal/makassar?page=2")
    assert first != second


@pytest.mark.parametrize(
    "url_path",
    [
        "/no/such/page.html",
        "/kanal/makassar?page=9",
        "/feed",  # a folder of the snapshot, not a page
        "/../manifest.json",
        MANIFEST["not_found"][0],
    ],
)
def test_unknown_page_is_404_html(replica, url_path):
    status, headers, body = fetch(replica.base_url + url_path)
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"404" in body


def test_not_found_path_is_404_even_when_a_file_exists(tmp_path, make_replica):
    deleted = MANIFEST["not_found"][0]
    snapshot = tmp_path / "snapshot"
    (snapshot / "site" / deleted[1:]).parent.mkdir(parents=True)
    (snapshot / "site" / deleted[1:]).write_text("<html>deleted article</html>")
    shutil.copy(SNAPSHOT_DIR / "manifest.json", snapshot / "manifest.json")
    server = make_replica(snapshot)
    assert fetch(server.base_url + deleted)[0] == 404


def test_head_answers_headers_without_body(replica):
    status, headers, body = fetch(replica.base_url + "/robots.txt", method="HEAD")
    assert status == 200
    assert int(headers["Content-Length"]) == len(site_file("robots.txt"))
    assert body == b""


# Content types


@pytest.mark.parametrize(
    "url_path, content_type",
    [
        ("/", "text/html; charset=utf-8"),
        ("/kanal/makassar", "text/html; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/sitemap/2025-05.xml", "application/xml; charset=utf-8"),
        ("/feed/", "application/rss+xml; charset=utf-8"),
    ],
)
def test_content_type_follows_manifest(replica, url_path, content_type):
    status, headers, _ = fetch(replica.base_url + url_path)
    assert status == 200
    assert headers["Content-Type"] == content_type


@pytest.mark.parametrize(
    "url_path",
    [
        "/assets/images/logo-sulselsatu.png",
        "/assets/css/style.min.css",
        "/imageresize/assets/media/upload/2025/05/6933dc7e3fcb.jpg&width=300&height=200",
    ],
)
def test_asset_paths_answer_placeholder_image_and_are_logged(replica, url_path):
    status, headers, body = fetch(replica.base_url + url_path)
    assert status == 200
    assert headers["Content-Type"] == "image/png"
    assert body.startswith(b"\x89PNG\r\n\x1a\n")
    assert [request["path"] for request in replica.requests] == [url_path.split("?")[0]]


# Redirects


def test_moved_article_redirects_to_new_path_on_own_origin(replica):
    old, new = next(iter(MANIFEST["redirects"].items()))
    status, headers, _ = fetch(replica.base_url + old)
    assert status == 301
    assert headers["Location"] == replica.base_url + new
    assert fetch(headers["Location"])[0] == 200


def test_redirect_keeps_the_query(replica):
    old, new = next(iter(MANIFEST["redirects"].items()))
    _, headers, _ = fetch(replica.base_url + old + "?utm_source=baca-juga")
    assert headers["Location"] == replica.base_url + new + "?utm_source=baca-juga"


# Transient failures


def test_transient_path_fails_first_then_serves(replica):
    url = replica.base_url + MANIFEST["transient_500"][0]
    assert fetch(url)[0] == 500
    assert fetch(url)[0] == 200
    assert fetch(url)[0] == 200


def test_transient_failure_is_per_page(replica):
    first, second = MANIFEST["transient_500"][:2]
    assert fetch(replica.base_url + first)[0] == 500
    assert fetch(replica.base_url + second)[0] == 500


def test_transient_failures_can_be_switched_off(make_replica):
    server = make_replica(transient=False)
    assert fetch(server.base_url + MANIFEST["transient_500"][0])[0] == 200


# Cookie challenge


def test_manifest_token_follows_the_challenge_rule():
    n = MANIFEST["challenge"]["n"]
    assert challenge_token(n) == TOKEN == format(n * 7 + 3, "x")


def test_challenged_path_without_cookie_gets_503_challenge_page(replica):
    status, headers, body = fetch(replica.base_url + CHALLENGED)
    page = body.decode()
    assert status == 503
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert f'<div id="ss-chk" data-n="{MANIFEST["challenge"]["n"]}">' in page
    assert "<script>" in page
    assert "(n * 7 + 3).toString(16)" in page
    assert 'document.cookie = "sschk=" + token + "; path=/"' in page
    assert "location.reload()" in page


@pytest.mark.parametrize("cookie", [f"sschk={TOKEN}", f"theme=dark; sschk={TOKEN}; lang=id"])
def test_challenged_path_with_cookie_gets_real_page(replica, cookie):
    status, _, body = fetch(replica.base_url + CHALLENGED, headers={"Cookie": cookie})
    assert status == 200
    assert body == site_file(CHALLENGED[1:])


@pytest.mark.parametrize("cookie", ["sschk=deadbeef", f"other={TOKEN}"])
def test_challenged_path_with_wrong_cookie_stays_503(replica, cookie):
    assert fetch(replica.base_url + CHALLENGED, headers={"Cookie": cookie})[0] == 503


def test_challenge_covers_every_page_of_the_path(replica):
    assert fetch(replica.base_url + CHALLENGED + "?page=2")[0] == 503


def test_unchallenged_path_needs_no_cookie(replica):
    assert fetch(replica.base_url + SPLIT_ARTICLE)[0] == 200


def test_challenge_can_be_switched_off(make_replica):
    server = make_replica(challenge=False)
    assert fetch(server.base_url + CHALLENGED)[0] == 200


def test_challenge_of_300_sample_uses_its_own_token(replica_300):
    challenge = replica_300.manifest["challenge"]
    url = replica_300.base_url + challenge["paths"][0]
    assert fetch(url, headers={"Cookie": f"sschk={TOKEN}"})[0] == 503
    assert fetch(url, headers={"Cookie": f"sschk={challenge['token']}"})[0] == 200


# Request log


def test_request_log_records_each_request_in_memory_and_file(replica):
    before = time.time()
    fetch(replica.base_url + "/kanal/makassar?page=2&utm_source=x", headers=AGENT)
    fetch(replica.base_url + CHALLENGED, headers={**AGENT, "Cookie": f"sschk={TOKEN}"})
    listing, article = replica.requests
    assert listing == {
        "t": listing["t"],
        "received": listing["received"],
        "method": "GET",
        "path": "/kanal/makassar",
        "query": "page=2&utm_source=x",
        "status": 200,
        "user_agent": "test-agent/1.0",
        "cookie": "",
    }
    assert before <= listing["received"] <= listing["t"] <= article["received"] <= article["t"] <= time.time()
    assert article["path"] == CHALLENGED
    assert (article["status"], article["cookie"]) == (200, f"sschk={TOKEN}")
    assert read_log(replica.log_path) == replica.requests


def test_latency_makes_every_answer_wait(make_replica):
    slow = make_replica(latency=0.2)
    fetch(slow.base_url + "/kanal/makassar")
    (entry,) = slow.requests
    assert 0.2 <= entry["t"] - entry["received"] < 1


def test_request_log_is_complete_under_concurrent_requests(replica):
    urls = [f"{replica.base_url}/tag/bmkg?n={number}" for number in range(20)]
    threads = [threading.Thread(target=fetch, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    in_file = read_log(replica.log_path)
    assert sorted(request["query"] for request in in_file) == sorted(f"n={n}" for n in range(20))
    assert len(replica.requests) == 20


# Request-log analysis


def logged(*requests: tuple[str, int]) -> list[dict]:
    """Log entries for (url path with query, status) pairs, one second apart."""
    entries = []
    for second, (url_path, status) in enumerate(requests):
        path, _, query = url_path.partition("?")
        entries.append(
            {"t": float(second), "method": "GET", "path": path, "query": query, "status": status}
        )
    return entries


def test_disallowed_requests_are_found():
    requests = logged(("/cari?q=banjir", 200), ("/admin/", 200), ("/kanal/makassar", 200))
    disallowed = disallowed_requests(requests, MANIFEST)
    assert [request["path"] for request in disallowed] == ["/cari", "/admin/"]


def test_repeated_page_keys_ignore_tracking_queries():
    requests = logged(("/kanal/makassar", 200), ("/kanal/makassar?utm_source=homepage", 200))
    assert repeated_page_keys(requests) == {"/kanal/makassar": 1}


def test_repeated_page_keys_tell_pages_apart():
    requests = logged(
        ("/kanal/makassar", 200), ("/kanal/makassar?page=2", 200), ("/kanal/makassar?page=1", 200)
    )
    assert repeated_page_keys(requests) == {"/kanal/makassar": 1}


def test_retries_after_server_errors_are_not_repeats():
    requests = logged(
        ("/tag/bawaslu", 500), ("/tag/bawaslu", 200), (CHALLENGED, 503), (CHALLENGED, 200)
    )
    assert repeated_page_keys(requests) == {}


def test_a_repeat_after_success_counts_even_after_a_retry():
    requests = logged(("/tag/bawaslu", 500), ("/tag/bawaslu", 200), ("/tag/bawaslu", 200))
    assert repeated_page_keys(requests) == {"/tag/bawaslu": 1}


def test_robots_txt_read_twice_is_a_repeat():
    assert repeated_page_keys(logged(("/robots.txt", 200), ("/robots.txt", 200))) == {"/robots.txt": 1}


def test_unlinked_requests_are_found():
    manifest = {**MANIFEST, "linked": ["/kanal/makassar", "/kanal/makassar?page=2"]}
    new_path = next(iter(MANIFEST["redirects"].values()))
    requests = logged(
        ("/kanal/makassar?page=2", 200),
        ("/kanal/makassar?page=3", 404),
        ("/kanal/makassar?utm_source=homepage", 200),
        ("/robots.txt", 200),
        ("/sitemap.xml", 200),
        ("/feed/", 200),
        ("/wp-json/wp/v2/posts?page=2", 404),
        (new_path, 200),
        ("/2025/01/01/news/invented.html", 404),
        ("/wp-jsonx", 404),
    )
    unlinked = unlinked_requests(requests, manifest)
    assert [(request["path"], request["query"]) for request in unlinked] == [
        ("/kanal/makassar", "page=3"),
        ("/2025/01/01/news/invented.html", ""),
        ("/wp-jsonx", ""),
    ]


def test_asset_requests_are_found():
    requests = logged(
        ("/assets/images/logo-sulselsatu.png", 200),
        ("/imageresize/assets/media/upload/2025/05/6933dc7e3fcb.jpg&width=300&height=200", 200),
        ("/kanal/makassar", 200),
    )
    assert asset_requests(requests, MANIFEST) == requests[:2]


def test_analysis_reads_a_real_server_log(replica):
    fetch(replica.base_url + "/cari?q=banjir")
    fetch(replica.base_url + "/kanal/makassar?page=7")
    requests = read_log(replica.log_path)
    disallowed = disallowed_requests(requests, replica.manifest)
    unlinked = unlinked_requests(requests, replica.manifest)
    assert [request["path"] for request in disallowed] == ["/cari"]
    assert [request["query"] for request in unlinked] == ["page=7"]
