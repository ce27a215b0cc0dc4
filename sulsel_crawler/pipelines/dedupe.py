"""One record per article: drops records already kept in this crawl."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, NoReturn

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from sulsel_crawler.signals import page_rejected

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class DedupePipeline:
    """Drops a record whose ``url`` was already kept, and a record whose
    ``content_hash`` equals a kept one's under another URL (the same article
    published twice).

    Runs after :class:`~sulsel_crawler.pipelines.validate.ValidationPipeline`,
    so both fields can be trusted. Keeps digests and one URL per body, never
    items. Each drop is sent as :data:`~sulsel_crawler.signals.page_rejected`
    (stage ``"duplicate"``), naming the record it duplicates.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.kept_url_digests: set[bytes] = set()
        self.first_url_by_content_hash: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = adapter["url"]
        content_hash = adapter["content_hash"]
        url_digest = hashlib.sha1(url.encode()).digest()
        if url_digest in self.kept_url_digests:
            self._drop(url, "url", "url: already kept in this crawl")
        first_url = self.first_url_by_content_hash.get(content_hash)
        if first_url is not None:
            self._drop(url, "content", f"content_hash: same body as {first_url}")
        self.kept_url_digests.add(url_digest)
        self.first_url_by_content_hash[content_hash] = url
        return item

    def _drop(self, url: str, kind: str, reason: str) -> NoReturn:
        self.crawler.stats.inc_value(f"sulselsatu/duplicates/{kind}")
        self.crawler.signals.send_catch_log(
            signal=page_rejected, url=url, reasons=[reason], stage="duplicate"
        )
        raise DropItem(f"Duplicate article {url}: {reason}", log_level="DEBUG")
