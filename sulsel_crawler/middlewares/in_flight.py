"""At most ``CONCURRENT_REQUESTS_PER_DOMAIN`` requests to the site at once.

Scrapy's downloader is meant to keep that limit, but under the asyncio
reactor (Scrapy 2.19) it starts each request of a slot's queue as a task
and counts it as in flight only once the task runs: with no download delay,
or a delay shorter than the site takes to answer, it sends more requests at
once than the setting allows (16 at once with the setting at 1 against a
site answering in 100 ms). This middleware, last before the download handler
(order 940), holds a request until one of the site's places is free, and
frees it when the answer or the error comes. Retries, redirects and browser
renders each take a place of their own.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

PLACE_KEY = "in_flight_place"


class RequestsInFlight:
    def __init__(self, places: int):
        self.places = asyncio.Semaphore(places)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RequestsInFlight:
        return cls(crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))

    async def process_request(self, request: Request) -> None:
        await self.places.acquire()
        request.meta[PLACE_KEY] = True

    def process_response(self, request: Request, response: Response) -> Response:
        self._free(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._free(request)

    def _free(self, request: Request) -> None:
        if request.meta.pop(PLACE_KEY, False):
            self.places.release()
