"""Extraction speed: article pages per CPU second, on the same stored pages.

Four readers of every article page of a replica (default: the 300-article
sample; a split article's pages are read together, as the spider does):

- `project`: what the spider does with an article page, then the item
  pipelines of every crawl: the page class (`article_page`), the loaders
  (`build_article`), `ValidationPipeline` and `DedupePipeline` (no crawl
  state);
- `project, extraction only`: the page class and loaders, no pipeline;
- `trafilatura`: `trafilatura.extract(html)`, a general-purpose extractor;
- `parsel ceiling`: `parsel.Selector(text=html)` reading the title, the
  JSON-LD and the text of the body (the paragraphs of the current layout,
  the whole text block of the legacy one): the least any extraction with
  parsel does.

CPU time is `time.process_time()` over `--rounds` passes after one pass of
warming up. Prints one JSON object per reader and the ratios.

    .venv/bin/python benchmarks/extraction_benchmark.py [--site DIR] [--rounds 5]
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import parsel  # noqa: E402
import trafilatura  # noqa: E402
from scrapy.crawler import Crawler  # noqa: E402
from scrapy.exceptions import DropItem  # noqa: E402
from scrapy.http import HtmlResponse  # noqa: E402

from replica import SNAPSHOT_300_DIR, load_manifest  # noqa: E402
from replica.site import Snapshot  # noqa: E402
from sulsel_crawler.loaders import build_article  # noqa: E402
from sulsel_crawler.pages import article_page  # noqa: E402
from sulsel_crawler.pipelines import DedupePipeline, ValidationPipeline  # noqa: E402
from tests.support.crawl import read_jsonl  # noqa: E402
from tests.support.guards import open_crawler  # noqa: E402

CRAWLED_AT = "2025-05-12T06:00:00Z"
BODY_TEXT = "div.post-content p ::text, div.isi-berita ::text"  # the two layouts' bodies (legacy: no <p>)
Article = list[tuple[str, bytes]]  # (URL, page) for each page of one article, page 1 first


def stored_articles(site: Path) -> list[Article]:
    """Every article of a replica as its stored pages, continuation pages included."""
    snapshot = Snapshot(site)
    origin = load_manifest(site)["public_origin"]
    articles = []
    for record in read_jsonl(site / "expected.jsonl"):
        path = record["url"].removeprefix(origin)
        pages, number = [], 1
        while file := snapshot.file_for(path, number):
            pages.append((record["url"] + (f"?page={number}" if number > 1 else ""), file.read_bytes()))
            number += 1
        articles.append(pages)
    return articles


def project(articles: list[Article], crawler: Crawler | None) -> int:
    """Records kept: each article read as the spider reads it, then (with a
    `crawler`) validated and de-duplicated by a fresh pair of pipelines."""
    if crawler:
        validate, dedupe = ValidationPipeline.from_crawler(crawler), DedupePipeline.from_crawler(crawler)
    kept = 0
    for pages in articles:
        responses = [HtmlResponse(url=url, body=body, encoding="utf-8") for url, body in pages]
        record = build_article([article_page(response, fallback=True) for response in responses], CRAWLED_AT)
        if crawler:
            try:
                dedupe.process_item(validate.process_item(record))
            except DropItem:
                continue
        kept += 1
    return kept


def with_trafilatura(texts: list[str]) -> int:
    return sum(1 for html in texts if trafilatura.extract(html))


def parsel_ceiling(texts: list[str]) -> int:
    found = 0
    for html in texts:
        selector = parsel.Selector(text=html)
        title = selector.css("title::text").get()
        selector.xpath("//script[@type='application/ld+json']/text()").getall()
        body = " ".join(selector.css(BODY_TEXT).getall())
        found += bool(title and body)
    return found


def pages_per_cpu_second(read, pages: int, rounds: int) -> dict:
    read()  # warm-up: imports, caches, the schema's compiled patterns
    started = time.process_time()
    for _ in range(rounds):
        results = read()
    seconds = time.process_time() - started
    return {"pages": pages, "rounds": rounds, "cpu_seconds": round(seconds, 2),
            "pages_per_cpu_second": round(pages * rounds / seconds, 1), "read": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=SNAPSHOT_300_DIR, help="replica folder (default: the 300 sample)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    articles = stored_articles(args.site)
    texts = [body.decode("utf-8") for pages in articles for _, body in pages]
    crawler = open_crawler({"REJECTS_URI": str(Path(tempfile.mkdtemp()) / "rejects.jsonl")})
    readers = {
        "project": lambda: project(articles, crawler),
        "project, extraction only": lambda: project(articles, None),
        "trafilatura": lambda: with_trafilatura(texts),
        "parsel ceiling": lambda: parsel_ceiling(texts),
    }
    speed = {}
    for name, read in readers.items():
        result = pages_per_cpu_second(read, len(texts), args.rounds)
        speed[name] = result["pages_per_cpu_second"]
        print(json.dumps({"reader": name, "articles": len(articles), **result}), flush=True)
    print(json.dumps({
        "project / trafilatura": round(speed["project"] / speed["trafilatura"], 2),
        "project / parsel ceiling": round(speed["project"] / speed["parsel ceiling"], 2),
        "extraction only / trafilatura": round(speed["project, extraction only"] / speed["trafilatura"], 2),
        "extraction only / parsel ceiling": round(speed["project, extraction only"] / speed["parsel ceiling"], 2),
    }), flush=True)


if __name__ == "__main__":
    main()
