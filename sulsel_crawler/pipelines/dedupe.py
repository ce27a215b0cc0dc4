"""One record per article: drops records already kept in this crawl."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from sulsel_crawler.extensions.crawl_state import CrawlState
from sulsel_crawler.signals import page_rejected

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class DedupePipeline:
    """Drops a record whose ``url`` was already kept, and a record whose
    ``content_hash`` equals a kept one's under another URL (the same article
    published twice).

    "Kept" spans the whole crawl: this run, and with a crawl state
    (:class:`~sulsel_crawler.extensions.crawl_state.CrawlState`) the earlier
    runs of a crawl that this run continues. In an update, a record that the
    state holds with the same ``content_hash`` is unchanged: it is dropped
    without a reject (``sulselsatu/update/unchanged``); one with another
    ``content_hash`` is a changed article and is kept.

    Runs after :class:`~sulsel_crawler.pipelines.validate.ValidationPipeline`,
    so ``id``, ``url`` and ``content_hash`` can be trusted. Keeps digests and
    one URL per body, never items. Each duplicate is sent as
    :data:`~sulsel_crawler.signals.page_rejected` (stage ``"duplicate"``),
    naming the record it duplicates.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.kept_url_digests: set[bytes] = set()
        self.first_url_by_content_hash: dict[str, str] = {}
        self.state = crawler.get_extension(CrawlState)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = adapter["url"]
        content_hash = adapter["content_hash"]
        # The validated id is the SHA-1 of the URL: kept as its 20 bytes.
        url_digest = bytes.fromhex(adapter["id"])
        if url_digest in self.kept_url_digests:
            self._drop(url, "url", "url: already kept in this crawl")
        first_url = self.first_url_by_content_hash.get(content_hash)
        if first_url is not None:
            self._drop(url, "content", f"content_hash: same body as {first_url}")
        if self.state is not None:
            self._check_against_state(url, content_hash)
        self.kept_url_digests.add(url_digest)
        self.first_url_by_content_hash[content_hash] = url
        return item

    def _check_against_state(self, url: str, content_hash: str) -> None:
        state = self.state
        update = state.mode == "update"
        known = state.known_article(url)
        if known is not None and known.crawl == state.crawl:
            self._drop(url, "url", "url: already kept in this crawl (by an earlier run of it)")
        if known is not None and update and known.content_hash == content_hash:
            self.crawler.stats.inc_value("sulselsatu/update/unchanged")
            raise DropItem(f"Unchanged article {url}", log_level="DEBUG")
        same_body = state.article_with_content_hash(content_hash)
        if same_body is not None and same_body.url != url and (update or same_body.crawl == state.crawl):
            self._drop(url, "content", f"content_hash: same body as {same_body.url}")

    def _drop(self, url: str, kind: str, reason: str) -> NoReturn:
        self.crawler.stats.inc_value(f"sulselsatu/duplicates/{kind}")
        self.crawler.signals.send_catch_log(
            signal=page_rejected, url=url, reasons=[reason], stage="duplicate"
        )
        raise DropItem(f"Duplicate article {url}: {reason}", log_level="DEBUG")
