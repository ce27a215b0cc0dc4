"""Each record's provenance: the archived response it was read from.

A spider middleware: the response a record comes with is the article's
(first) page, whose place in the web archive the archive middleware
(:mod:`sulsel_crawler.middlewares.archive`) or, in ``scrapy reextract``,
the archive's download handler (:mod:`sulsel_crawler.replay`) put in its
meta. The record's ``source_warc`` names it (null without an archive). A
record re-extracted from the archive was fetched when the archive says, so
its ``crawled_at`` is the response's ``WARC-Date``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sulsel_crawler.items import Article
from sulsel_crawler.middlewares.archive import SOURCE_WARC_KEY

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Iterator

    from scrapy.http import Response

# The archived fetch time of a replayed response (set by sulsel_crawler.replay).
ARCHIVED_AT_KEY = "archived_crawled_at"


def with_provenance(output: Any, response: Response) -> Any:
    if isinstance(output, Article):
        output["source_warc"] = response.meta.get(SOURCE_WARC_KEY)
        archived_at = response.meta.get(ARCHIVED_AT_KEY)
        if archived_at:
            output["crawled_at"] = archived_at
    return output


class ProvenanceMiddleware:
    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        for output in result:
            yield with_provenance(output, response)

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in result:
            yield with_provenance(output, response)
