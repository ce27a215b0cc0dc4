"""Judging a crawler by the replica's request log.

Each function takes the logged requests (`ReplicaServer.requests`, or
`read_log()` of a `--log` file) and, where needed, the snapshot's manifest,
and returns what a polite crawler should not have done.
"""

import json
from collections import defaultdict
from pathlib import Path

from .api import is_api_path
from .site import PLACEHOLDER, content_type_for, page_key

DISCOVERY_ENTRY_POINTS = ("/robots.txt", "/sitemap.xml", "/feed/")


def read_log(path: Path | str) -> list[dict]:
    with open(path, encoding="utf-8") as log:
        return [json.loads(line) for line in log if line.strip()]


def disallowed_requests(requests: list[dict], manifest: dict) -> list[dict]:
    """Requests for paths that robots.txt disallows."""
    prefixes = tuple(manifest["robots_disallow"])
    return [request for request in requests if request["path"].startswith(prefixes)]


def repeated_page_keys(requests: list[dict]) -> dict[str, int]:
    """Page key → number of needless repeat requests, for keys that have any.

    A repeat right after a server error (500, or the 503 cookie challenge) is a
    legitimate retry.
    """
    by_key: dict[str, list[dict]] = defaultdict(list)
    for request in sorted(requests, key=lambda request: request["t"]):
        by_key[_key(request)].append(request)
    repeats = {}
    for key, key_requests in by_key.items():
        needless = sum(1 for previous in key_requests[:-1] if previous["status"] < 500)
        if needless:
            repeats[key] = needless
    return repeats


def unlinked_requests(requests: list[dict], manifest: dict) -> list[dict]:
    """Requests for pages no page links to (guessed `?page=` numbers, invented paths).

    Robots.txt, the sitemap index, the feed and the WordPress REST API
    (SITE.md: use it where it answers) are known entry points; a redirect
    target is reached by following the server's own answer.
    """
    known = set(manifest["linked"]) | set(DISCOVERY_ENTRY_POINTS)
    known |= set(manifest["redirects"].values())
    return [request for request in requests if _key(request) not in known and not is_api_path(request["path"])]


def asset_requests(requests: list[dict], manifest: dict) -> list[dict]:
    """Requests for images, stylesheets and scripts, which a crawler never needs."""
    return [
        request
        for request in requests
        if content_type_for(manifest, request["path"]) == PLACEHOLDER
    ]


def _key(request: dict) -> str:
    return page_key(request["path"], request["query"])


def most_in_flight(requests: list[dict]) -> int:
    """The most requests the site was answering at one instant (from the
    time each was received to the time it was answered)."""
    events = sorted([(request["received"], 1) for request in requests] + [(request["t"], -1) for request in requests])
    most = now = 0
    for _, change in events:
        now += change
        most = max(most, now)
    return most


def most_starts_in_a_second(requests: list[dict]) -> int:
    """The most requests the site received within one second."""
    starts = sorted(request["received"] for request in requests)
    return max((sum(1 for later in starts[i:] if later - start < 1.0) for i, start in enumerate(starts)), default=0)
