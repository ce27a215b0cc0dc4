"""Feed exporters that write the article record exactly as its contract
(``sulsel_crawler/items.py``) states.

Both write UTF-8, all columns in contract order, and each record with one
write followed by a flush, so a crawl that is killed never leaves a
half-written last record.
"""

from __future__ import annotations

import json
from typing import IO, Any

from scrapy.exporters import CsvItemExporter, JsonLinesItemExporter

from sulsel_crawler.items import ARTICLE_FIELDS


def _article_defaults(options: dict[str, Any]) -> dict[str, Any]:
    # Feed slots pass these keys even when unset (as None).
    options["encoding"] = options.get("encoding") or "utf-8"
    options["fields_to_export"] = options.get("fields_to_export") or list(ARTICLE_FIELDS)
    return options


class JsonLinesArticleExporter(JsonLinesItemExporter):
    """One JSON object per line, non-ASCII text written as is."""

    def __init__(self, file: IO[bytes], **kwargs: Any):
        kwargs = _article_defaults(kwargs)
        kwargs.setdefault("ensure_ascii", False)
        super().__init__(file, **kwargs)

    def export_item(self, item: Any) -> None:
        super().export_item(item)  # one write of the whole line
        self.file.flush()


class CsvArticleExporter(CsvItemExporter):
    """Every contract column, always, in contract order.

    Lists and objects are JSON in their cell, ``None`` is an empty cell (the
    contract never allows an empty string, so an empty cell always means
    null). When appending to a file that already has rows, the header is not
    written again.
    """

    def __init__(self, file: IO[bytes], **kwargs: Any):
        kwargs.setdefault("include_headers_line", not _has_content(file))
        super().__init__(file, **_article_defaults(kwargs))

    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, (list, tuple, dict)):
            return json.dumps(value, ensure_ascii=False)
        return value

    def export_item(self, item: Any) -> None:
        super().export_item(item)
        self.stream.flush()


def _has_content(file: IO[bytes]) -> bool:
    try:
        return file.tell() > 0
    except (AttributeError, OSError):
        return False
