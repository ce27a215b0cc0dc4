"""A replica of the site at any size, for the benchmarks at the site's scale.

Made from the 300-article sample (`tests/data/site-snapshot-300`) by
`replica.evolve`, so it has the sample's templates, its cookie challenge,
redirects, deleted and split articles: the new articles are published at
`ARTICLES_PER_DAY` after the sample's `site_now` (20,000 articles span 197
days: seven new monthly sitemaps, May to November 2025), the listings stay
capped (5 pages a category, 2 a tag or author), and the sitemap is stale: its
newest `sitemap_missing` articles are missing, few enough that the
listings and the feed still link every one of them (checked: every article
of the replica is reachable by links from the homepage, the feed and the
sitemaps).

`updated_replica()` is the same site a day later with 1% more articles, for
an update crawl. Generated replicas are kept in `benchmarks/.cache/`, one
folder per size, seed, missing count and version of `replica/evolve.py`, so
a second run skips the generation (about two minutes at 20,000 articles).

    .venv/bin/python benchmarks/large_replica.py --articles 20000 [--out DIR] [--seed 0] [--sitemap-missing 50]
"""

import argparse
import hashlib
import json
import math
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from replica import SNAPSHOT_300_DIR, load_manifest, page_key  # noqa: E402
from replica.evolve import evolve, iso, linked_keys, parse_site_time  # noqa: E402
from replica.site import PLACEHOLDER, Snapshot, content_type_for  # noqa: E402

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
ARTICLES_PER_DAY = 100
DEFAULT_SITEMAP_MISSING = 50
ENTRY_POINTS = ("/", "/feed/", "/sitemap.xml")
EVOLVE_SOURCE = REPO_ROOT / "replica" / "evolve.py"


def title_numbers(articles: int) -> int:
    """The largest number in a new title: enough titles for every article to
    have its own (with the sample's 250 a category runs out of titles before
    20,000 articles)."""
    return max(250, articles // 10)


def generate(out: Path, articles: int, seed: int = 0, sitemap_missing: int = DEFAULT_SITEMAP_MISSING) -> Path:
    """Write a replica of `articles` articles to `out` (which must not exist or be empty)."""
    base = load_manifest(SNAPSHOT_300_DIR)
    new = articles - base["articles"]
    if new < 0:
        raise ValueError(f"at least {base['articles']} articles")
    since = parse_site_time(base["site_now"])
    now = since + timedelta(days=max(1, math.ceil(new / ARTICLES_PER_DAY)))
    evolve(
        SNAPSHOT_300_DIR, out, new=new, modified=0, now=iso(now), seed=seed,
        sitemap_missing=min(sitemap_missing, new), title_numbers=title_numbers(articles),
    )
    unreachable = unreachable_articles(out)
    if unreachable:
        shutil.rmtree(out)
        raise ValueError(
            f"{len(unreachable)} articles are linked from no page (sitemap_missing={sitemap_missing} is "
            f"more than the listings reach), e.g. {unreachable[0]}"
        )
    return out


def unreachable_articles(snapshot_dir: Path) -> list[str]:
    """Article paths that no chain of links from the entry points reaches
    (robots.txt's disallowed paths, images and assets not followed)."""
    snapshot = Snapshot(snapshot_dir)
    manifest = snapshot.manifest
    disallowed = tuple(manifest["robots_disallow"])
    seen, queue = set(ENTRY_POINTS), list(ENTRY_POINTS)
    while queue:
        key = queue.pop()
        path, _, query = key.partition("?")
        path = manifest["redirects"].get(path, path)
        file = snapshot.file_for(path, int(query.removeprefix("page=") or 1))
        if file is None:
            continue
        for link in linked_keys(file.read_text(encoding="utf-8")):
            link_path = link.partition("?")[0]
            if link in seen or link_path.startswith(disallowed):
                continue
            if content_type_for(manifest, link_path) == PLACEHOLDER:
                continue
            seen.add(link)
            queue.append(link)
    reached = {manifest["redirects"].get(key, key) for key in seen}
    with open(snapshot.root / "expected.jsonl", encoding="utf-8") as lines:
        articles = [page_key(json.loads(line)["url"].removeprefix(manifest["public_origin"])) for line in lines]
    return [path for path in articles if path not in reached]


def cache_key(articles: int, seed: int, sitemap_missing: int) -> str:
    version = hashlib.sha1(EVOLVE_SOURCE.read_bytes()).hexdigest()[:8]
    return f"replica-{articles}-seed{seed}-missing{sitemap_missing}-{version}"


def cached_replica(articles: int, seed: int = 0, sitemap_missing: int = DEFAULT_SITEMAP_MISSING) -> Path:
    """The replica of `articles` articles from the cache, generated first if it is not there."""
    folder = CACHE_DIR / cache_key(articles, seed, sitemap_missing)
    if not folder.exists():
        CACHE_DIR.mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE_DIR) as work:
            generate(Path(work) / "replica", articles, seed, sitemap_missing).rename(folder)
    return folder


def updated_replica(articles: int, seed: int = 0, sitemap_missing: int = DEFAULT_SITEMAP_MISSING) -> Path:
    """The cached replica of `articles` articles one day later, with 1% more
    articles (at least one): what an update crawl finds new."""
    base = cached_replica(articles, seed, sitemap_missing)
    folder = base.with_name(base.name + "-plus1pct")
    if not folder.exists():
        with tempfile.TemporaryDirectory(dir=CACHE_DIR) as work:
            out = evolve(
                base, Path(work) / "replica", new=max(1, articles // 100), modified=0, seed=seed + 1,
                title_numbers=title_numbers(articles),
            )
            out.rename(folder)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--out", help="copy the replica here (default: print its folder in the cache)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sitemap-missing", type=int, default=DEFAULT_SITEMAP_MISSING)
    args = parser.parse_args()
    folder = cached_replica(args.articles, args.seed, args.sitemap_missing)
    if args.out:
        shutil.copytree(folder, args.out)
        folder = Path(args.out)
    print(folder)


if __name__ == "__main__":
    main()
