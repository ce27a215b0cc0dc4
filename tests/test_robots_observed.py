"""robots.txt is observed: a disallowed page is never requested, even where the
site links it and discovery would follow it.

The sample's own robots.txt disallows only /cari and /admin/, which discovery
skips anyway, so a crawler that ignored robots.txt would pass every other test.
Here a copy of the sample serves a robots.txt that also disallows pages the
crawl follows when robots.txt is ignored: a tag listing, an author listing, a
monthly sitemap and the second page of a category listing. Every article stays
reachable through the other sources (category listings, other sitemaps, tag and
author listings, Terbaru and Baca Juga links, the feed): the sole article of
/sitemap/2017-05.xml, whose author listing is disallowed too, is still listed
on /kanal/pendidikan. A /wp-admin/ line, linked from the homepage's footer,
documents that such links are not followed either.

The same crawl with ``ROBOTSTXT_OBEY=False`` is the control: it requests the
disallowed listings, so the first case fails when robots.txt is not obeyed.
The replica runs without its cookie challenge, so no Chromium is needed.
"""

import json
import shutil
from collections import Counter

import pytest

from replica import SNAPSHOT_DIR
from tests.support.crawl import run_crawl
from tests.support.gold import assert_records_exact, gold_by_url

pytestmark = pytest.mark.crawl

CANONICAL_HOST = "www.sulselsatu.com"
PUBLIC_ORIGIN = f"https://{CANONICAL_HOST}"

# Disallowed pages that discovery follows when robots.txt is ignored; each is
# linked from the site (manifest "linked").
TAG_LISTING = "/tag/pppk"
AUTHOR_LISTING = "/penulis/nuraini-syarif"
MONTHLY_SITEMAP = "/sitemap/2017-05.xml"
CATEGORY_PAGE_2 = "/kanal/makassar?page=2"  # a rule with a query
FOLLOWED_WHEN_IGNORED = (TAG_LISTING, AUTHOR_LISTING, MONTHLY_SITEMAP, CATEGORY_PAGE_2)
# Disallowed and linked, but never followed: discovery skips it by itself.
WP_ADMIN = "/wp-admin/"
ORIGINAL_DISALLOWS = ("/cari", "/admin/")
DISALLOWED = (*ORIGINAL_DISALLOWS, *FOLLOWED_WHEN_IGNORED, WP_ADMIN)

FOOTER_LAST_LINK = 'rel="nofollow">Login Redaksi</a></li></ul>'
WP_ADMIN_LINK = f'<li><a href="{PUBLIC_ORIGIN}{WP_ADMIN}" rel="nofollow">WP Admin</a></li>'


def disallowed_by(request: dict, rule: str) -> bool:
    """robots.txt's own matching (rules here have no wildcards): the rule is a
    prefix of the path with its query, so any query of a disallowed path counts."""
    target = request["path"] + (f"?{request['query']}" if request["query"] else "")
    return target.startswith(rule)


def rules_requested(requests: list[dict]) -> set[str]:
    return {rule for rule in DISALLOWED if any(disallowed_by(request, rule) for request in requests)}


@pytest.fixture(scope="module")
def robots_site(tmp_path_factory):
    """A copy of the sample site whose robots.txt disallows pages the crawl would follow."""
    snapshot = tmp_path_factory.mktemp("robots-site") / "site-snapshot"
    shutil.copytree(SNAPSHOT_DIR, snapshot)

    robots = snapshot / "site" / "robots.txt"
    lines = robots.read_text(encoding="utf-8").splitlines()
    last_disallow = max(i for i, line in enumerate(lines) if line.startswith("Disallow:"))
    added = [f"Disallow: {rule}" for rule in (*FOLLOWED_WHEN_IGNORED, WP_ADMIN)]
    lines[last_disallow + 1:last_disallow + 1] = added
    robots.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert f"Sitemap: {PUBLIC_ORIGIN}/sitemap.xml" in lines

    home = snapshot / "site" / "index.html"
    html = home.read_text(encoding="utf-8")
    assert html.count(FOOTER_LAST_LINK) == 1
    home.write_text(
        html.replace(FOOTER_LAST_LINK, FOOTER_LAST_LINK.removesuffix("</ul>") + WP_ADMIN_LINK + "</ul>"),
        encoding="utf-8",
    )

    manifest_file = snapshot / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["robots_disallow"] = list(DISALLOWED)
    manifest["linked"] = sorted({*manifest["linked"], WP_ADMIN})
    manifest_file.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")

    # Every disallowed page the test counts on is linked from the site.
    assert set(FOLLOWED_WHEN_IGNORED) <= set(manifest["linked"])
    return snapshot


@pytest.mark.parametrize(
    "obeyed", [True, False], ids=["robots-obeyed", "control-robots-ignored"]
)
def test_disallowed_pages_are_never_requested(obeyed, robots_site, make_replica, tmp_path):
    replica = make_replica(robots_site, challenge=False)
    options = () if obeyed else ("-s", "ROBOTSTXT_OBEY=False")
    run = run_crawl(replica.base_url, tmp_path, *options)
    requests = replica.requests
    gold = gold_by_url(robots_site)

    assert run.returncode == 0, run.log[-3000:]
    assert run.stats.get("log_count/ERROR", 0) == 0, run.log[-3000:]
    # Every article is still found, through the sources robots.txt allows.
    assert sorted(run.urls()) == sorted(gold)
    assert_records_exact(run.records, gold)
    # A page robots.txt forbids is left alone, not lost: no reject.
    assert run.rejects == []
    assert Counter(request["path"] for request in requests)["/robots.txt"] == 1

    requested = rules_requested(requests)
    if obeyed:
        assert requested == set(), [
            request for request in requests if any(disallowed_by(request, rule) for rule in DISALLOWED)
        ]
        assert run.stats["robotstxt/request_count"] == 1
        assert run.stats["robotstxt/response_status_count/200"] == 1
        # The crawl did reach for the disallowed pages; robots.txt stopped it.
        assert run.stats.get("robotstxt/forbidden", 0) == len(FOLLOWED_WHEN_IGNORED)
    else:
        # Ignoring robots.txt, the crawl requests the disallowed listings and
        # sitemap: the case above catches a crawler that does so.
        assert requested == set(FOLLOWED_WHEN_IGNORED)
        assert WP_ADMIN not in requested  # linked, but discovery never follows it
