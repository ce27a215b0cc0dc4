"""Scrapy contracts of this project, for ``scrapy check`` (``SPIDER_CONTRACTS``).

The spider's callbacks carry contracts in their docstrings
(https://docs.scrapy.org/en/latest/topics/contracts.html). These two make
them check real records offline, from pages kept in the repository:

* ``@stored_page PATH``: instead of ``@url``, the page stored at ``PATH``
  (relative to the project folder, the one with ``scrapy.cfg``) in a
  snapshot's ``site/`` folder, requested at its public URL (its path below
  ``site/``) and answered from the file by ``StoredPagesMiddleware``, which
  the ``check`` command enables: no network, no replica server;
* ``@valid_records EXTRACTION``: every record the callback returns meets the
  record contract (``pipelines.validate.article_problems``) and says
  ``"extraction": EXTRACTION``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter, is_item
from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail
from scrapy.responsetypes import responsetypes
from scrapy.utils.conf import closest_scrapy_cfg

from sulsel_crawler.pipelines.validate import article_problems
from sulsel_crawler.urls import PUBLIC_ORIGIN

STORED_PAGE_META = "stored_page"
SNAPSHOT_SITE_FOLDER = "site"


def project_folder() -> Path:
    """The folder of the project's ``scrapy.cfg`` (the working folder without one)."""
    config = closest_scrapy_cfg()
    return Path(config).parent if config else Path.cwd()


class StoredPageContract(Contract):
    """``@stored_page tests/data/site-snapshot/site/2023/02/18/makassar/a.html``"""

    name = "stored_page"

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        page = project_folder() / self.args[0]
        parts = Path(self.args[0]).parts
        if not page.is_file() or SNAPSHOT_SITE_FOLDER not in parts:
            raise ContractFail(f"no stored page at {page} (in a snapshot's site/ folder)")
        below_site = "/".join(parts[len(parts) - parts[::-1].index(SNAPSHOT_SITE_FOLDER) :])
        # The replica's file mapping: /dir/ is dir/index.html.
        args["url"] = f"{PUBLIC_ORIGIN}/{below_site.removesuffix('index.html')}"
        args["meta"] = {**(args.get("meta") or {}), STORED_PAGE_META: str(page.resolve())}
        return args


class StoredPagesMiddleware:
    """Answers a request that names a stored page (``@stored_page``) with
    that file, before any other downloader middleware sees it."""

    def process_request(self, request):
        stored = request.meta.get(STORED_PAGE_META)
        if stored is None:
            return None
        body = Path(stored).read_bytes()
        response_class = responsetypes.from_args(url=request.url, body=body)
        return response_class(url=request.url, body=body, request=request)


class ValidRecordsContract(Contract):
    """``@valid_records site``"""

    name = "valid_records"

    def post_process(self, output: list[Any]) -> None:
        expected = self.args[0] if self.args and self.args[0] else "site"
        for record in (ItemAdapter(item).asdict() for item in output if is_item(item)):
            problems = article_problems(record)
            if problems:
                raise ContractFail(f"{record.get('url')}: {'; '.join(problems)}")
            if record.get("extraction") != expected:
                raise ContractFail(f"{record.get('url')}: extraction {record.get('extraction')!r}, expected {expected!r}")
