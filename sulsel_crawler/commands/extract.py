"""``scrapy extract FILE_OR_URL``: what the crawler reads from one page.

Prints which page class read the page (and why the generic fallback reader
did, if it did), every field of the record with where its value came from,
the record's problems against the contract, and the record as JSON. The
exit status is 0 for a record that meets the contract, 1 otherwise.

A field's source is ``metadata`` when the page's metadata alone (its
``<head>``, JSON-LD) gives the same value, else ``markup`` (the layout's
selectors) or ``fallback`` (the generic reader); ``derived`` fields are
computed from others (``id``, ``word_count``, ``content_hash`` …) and
``none`` means the page does not state the field. Only the given page is
read: for a split article ``scrapy parse`` builds the whole record.

A stored file is read as if fetched from ``--url`` (by default the address
its canonical link names, else its ``file://`` URI). A URL is fetched like
``scrapy fetch`` does; ``-s MIRROR_BASE_URL=http://127.0.0.1:8765`` reads a
mirror.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree
from scrapy.commands import ScrapyCommand
from scrapy.commands.fetch import Command as ScrapyFetchCommand
from scrapy.exceptions import UsageError
from scrapy.http import HtmlResponse, Response

from sulsel_crawler import urls
from sulsel_crawler.commands.one_page import OnePageCommand
from sulsel_crawler.items import ARTICLE_FIELDS
from sulsel_crawler.loaders import FALLBACK, assemble, build_article
from sulsel_crawler.pages import ArticlePage, FallbackArticlePage, UnknownLayout, article_page
from sulsel_crawler.pipelines.validate import article_problems

if TYPE_CHECKING:
    import argparse

# What a page says about itself in machine-readable form.
METADATA = "//head/title | //meta | //link | //script[@type='application/ld+json']"
DERIVED = {"id", "source", "word_count", "language", "crawled_at", "content_hash", "extraction"}
SHOWN_CHARACTERS = 100


def metadata_only(response: HtmlResponse) -> HtmlResponse:
    """The same response with only its metadata elements, in an empty body."""
    elements = b"".join(etree.tostring(node.root, encoding="utf-8") for node in response.xpath(METADATA))
    body = b'<html><head><meta charset="utf-8">' + elements + b"</head><body></body></html>"
    return response.replace(body=body, encoding="utf-8")


def field_sources(page: ArticlePage, record: dict[str, Any]) -> dict[str, str]:
    """Where each field of ``record`` (read by ``page``'s class) came from."""
    from_metadata = assemble([type(page)(metadata_only(page.response))], record["crawled_at"])
    reader = FALLBACK if isinstance(page, FallbackArticlePage) else "markup"
    sources = {}
    for field in ARTICLE_FIELDS:
        value = record[field]
        if field in DERIVED:
            sources[field] = "derived"
        elif value in (None, "", []):
            sources[field] = "none"
        elif from_metadata[field] == value:
            sources[field] = "metadata"
        else:
            sources[field] = reader
    return sources


def shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


def report(response: Response) -> tuple[str, bool]:
    """The text to print about ``response``, and whether it gave a valid record."""
    lines = [f"page        {response.url}"]
    if response.status != 200:
        return "\n".join([*lines, f"status      {response.status}: no record"]), False
    try:
        site_page: ArticlePage | None = article_page(response)
    except UnknownLayout as error:
        site_page, unknown = None, str(error)
    try:
        page = site_page or article_page(response, fallback=True)
    except UnknownLayout as error:
        return "\n".join([*lines, f"layout      none: {error}"]), False
    crawled_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    record = dict(build_article([page], crawled_at))
    if record["extraction"] == FALLBACK:
        why = unknown if site_page is None else f"the {site_page.layout} layout read no body or no title"
        page = page if isinstance(page, FallbackArticlePage) else FallbackArticlePage(response)
        lines.append(f"layout      {page.layout} ({type(page).__name__}): {why}")
    else:
        lines.append(f"layout      {page.layout} ({type(page).__name__})")
    lines.append(f"extraction  {record['extraction']}")
    if page.next_page_url():
        lines.append("note        a split article: this is one of its pages (scrapy parse reads them all)")
    sources = field_sources(page, record)
    lines += ["", f"{'field':<15} {'from':<9} value"]
    lines += [f"{field:<15} {sources[field]:<9} {shown(record[field])}" for field in ARTICLE_FIELDS]
    problems = article_problems(record)
    lines += ["", "problems    " + ("; ".join(problems) if problems else "none"), ""]
    lines.append(json.dumps(record, ensure_ascii=False, indent=2))
    return "\n".join(lines), not problems


def stored_page(path: Path, url: str | None) -> HtmlResponse:
    body = path.read_bytes()
    if url is None:
        canonical = HtmlResponse(url=path.resolve().as_uri(), body=body, encoding="utf-8").css(
            'link[rel~="canonical"]::attr(href)'
        ).get()
        url = canonical.strip() if canonical and urls.is_article_url(canonical.strip()) else path.resolve().as_uri()
    return HtmlResponse(url=url, body=body, encoding="utf-8")


class Command(OnePageCommand, ScrapyFetchCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options] <file or url>"

    def short_desc(self) -> str:
        return "Print the record the crawler reads from one page, and where each field came from"

    def long_desc(self) -> str:
        return __doc__ or self.short_desc()

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        # Not fetch's --headers and --no-redirect: this command prints a record.
        ScrapyCommand.add_options(self, parser)
        parser.add_argument("--spider", dest="spider", help="fetch with this spider (default: the one for the URL)")
        parser.add_argument("--url", dest="url", help="the public URL a stored file was fetched from")
        parser.set_defaults(headers=False, no_redirect=False)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one file or URL")
        path = Path(args[0])
        if path.is_file():
            self._print_response(stored_page(path, opts.url), opts)
        else:
            super().run(args, opts)

    def _print_response(self, response: Response, opts: argparse.Namespace) -> None:
        text, valid = report(response)
        print(text)
        self.exitcode = 0 if valid else 1
