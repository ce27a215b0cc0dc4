"""A crawl of a hostile site, with ``render=auto`` and ``render=always``: the
40-article sample plus pages that try to send the crawler to another site
(replica.hostile). The other site is a real server on another port; a crawl
that stays on its site leaves it without a single request."""

import pytest

from replica import SNAPSHOT_DIR
from replica.hostile import (
    FOREIGN_CANONICAL,
    FOREIGN_CANONICAL_TARGET,
    HOSTILE_PATHS,
    LOOP_A,
    LOOP_B,
    META_REFRESH,
    OFFSITE_REDIRECT,
    TOO_LARGE,
    TOO_LARGE_BYTES,
    HostileReplicaServer,
    OffsiteListener,
)
from replica.requests_log import asset_requests, unlinked_requests
from tests.support.crawl import run_crawl
from tests.support.gold import assert_records_exact, gold_by_url

pytestmark = [pytest.mark.crawl, pytest.mark.browser]

PUBLIC = "https://www.sulselsatu.com"
MAXSIZE = 200_000  # the sample's pages are under 40 KB; TOO_LARGE is 300 KB


@pytest.fixture(scope="module", params=["auto", "always"])
def hostile_crawl(request, tmp_path_factory):
    """One crawl of the hostile site per render mode: the crawl, the site's
    request log and manifest, and what the other site received."""
    workdir = tmp_path_factory.mktemp(f"hostile-{request.param}")
    with OffsiteListener() as offsite, HostileReplicaServer(SNAPSHOT_DIR, offsite.base_url) as site:
        run = run_crawl(
            site.base_url, workdir, "-a", f"render={request.param}", settings={"DOWNLOAD_MAXSIZE": MAXSIZE}
        )
        return run, site.requests, site.manifest, offsite


def rejects_of(run, path: str) -> list[dict]:
    return [reject for reject in run.rejects if reject["url"] == PUBLIC + path]


def test_the_other_site_receives_nothing(hostile_crawl):
    run, _, _, offsite = hostile_crawl
    assert run.returncode == 0, run.log[-3000:]
    assert offsite.paths == []


def test_the_site_is_asked_only_for_linked_pages(hostile_crawl):
    """No favicon, no asset, nothing no page links: the browser loads the
    page's document and nothing else."""
    _, requests, manifest, _ = hostile_crawl
    hostile = set(HOSTILE_PATHS)
    assert [r["path"] for r in unlinked_requests(requests, manifest) if r["path"] not in hostile] == []
    assert asset_requests(requests, manifest) == []


def test_every_article_is_exported_under_its_own_address(hostile_crawl):
    """The page that names another article as its canonical keeps its own
    address, and the article it named is exported too, not dropped as its
    duplicate."""
    run, _, _, _ = hostile_crawl
    expected = gold_by_url(SNAPSHOT_DIR)
    assert sorted(run.urls()) == sorted(expected)
    assert {PUBLIC + FOREIGN_CANONICAL, PUBLIC + FOREIGN_CANONICAL_TARGET} <= set(run.urls())
    assert_records_exact(run.records, expected)


def test_a_foreign_canonical_is_counted_and_logged_not_rejected(hostile_crawl):
    run, _, _, _ = hostile_crawl
    assert run.stats["sulselsatu/foreign_canonicals"] == 1
    assert f"{PUBLIC}{FOREIGN_CANONICAL} names {PUBLIC}{FOREIGN_CANONICAL_TARGET} as its address" in run.log
    assert rejects_of(run, FOREIGN_CANONICAL) == []


def test_an_offsite_redirect_is_rejected_with_its_target(hostile_crawl):
    run, _, _, offsite = hostile_crawl
    [reject] = rejects_of(run, OFFSITE_REDIRECT)
    assert (reject["stage"], reject["reasons"]) == ("download", [f"redirect off site to {offsite.base_url}/landing.html"])


def test_an_offsite_meta_refresh_is_rejected_with_its_target(hostile_crawl):
    run, _, _, offsite = hostile_crawl
    [reject] = rejects_of(run, META_REFRESH)
    assert (reject["stage"], reject["reasons"]) == ("download", [f"redirect off site to {offsite.base_url}/refresh.html"])


def test_a_redirect_loop_is_rejected(hostile_crawl):
    run, requests, _, _ = hostile_crawl
    [reject] = rejects_of(run, LOOP_A)
    assert reject["stage"] == "download"
    [reason] = reject["reasons"]
    assert reason.startswith(f"redirect loop: {PUBLIC}{LOOP_A} → ")
    assert rejects_of(run, LOOP_B) == []


def test_a_page_over_the_size_limit_is_rejected_with_its_size(hostile_crawl):
    run, _, _, _ = hostile_crawl
    [reject] = rejects_of(run, TOO_LARGE)
    [reason] = reject["reasons"]
    assert reject["stage"] == "download"
    assert reason.startswith("too large: ") and reason.endswith(f" bytes > DOWNLOAD_MAXSIZE ({MAXSIZE})")
    assert int(reason.split()[2]) >= TOO_LARGE_BYTES


def test_nothing_else_is_rejected(hostile_crawl):
    """The moved article of the sample: with render=always the browser follows
    its redirect itself, so its new address is fetched twice and the second
    record dropped as a duplicate."""
    run, _, _, _ = hostile_crawl
    hostile = {PUBLIC + path for path in HOSTILE_PATHS}
    others = [reject for reject in run.rejects if reject["url"] not in hostile]
    assert {reject["stage"] for reject in others} <= {"duplicate"}
    assert run.stats.get("sulselsatu/browser/failures", 0) == 0
