"""The challenge cookie shared by the workers of a site through Redis, so
that the cluster renders the cookie challenge in a browser once, not once
per worker (:class:`~sulsel_crawler.middlewares.challenge.ChallengeMiddleware`).

A worker that needs a cookie takes the one another worker published, unless
it is the one that just failed; otherwise the first worker to claim the
render renders it and publishes the cookie, while the others wait for it,
up to a render's time limit (then they render themselves). The add-on
(:mod:`sulsel_crawler.distributed`) sets ``CHALLENGE_COOKIE_KEY`` for workers.
"""

from __future__ import annotations

import asyncio

from scrapy.settings import Settings
from scrapy_redis.connection import get_redis_from_settings

POLL_SECONDS = 0.2


class SharedChallengeCookie:
    def __init__(self, client, key: str):
        self.client = client
        self.key = key
        self.render_key = f"{key}:render"

    @classmethod
    def from_settings(cls, settings: Settings) -> SharedChallengeCookie | None:
        key = settings.get("CHALLENGE_COOKIE_KEY")
        return cls(get_redis_from_settings(settings), key) if key else None

    def _current(self, stale: str | None) -> str | None:
        value = self.client.get(self.key)
        value = value.decode() if value else None
        return value if value != stale else None

    async def from_another_worker(self, stale: str | None, wait_seconds: float) -> str | None:
        """A cookie other than *stale* that another worker has or is about
        to get; None when this worker is to render it."""
        value = self._current(stale)
        if value is not None or self.client.set(self.render_key, 1, nx=True, ex=max(1, round(wait_seconds))):
            return value
        deadline = asyncio.get_running_loop().time() + wait_seconds
        while asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(POLL_SECONDS)
            value = self._current(stale)
            if value is not None:
                return value
        return None

    def publish(self, value: str) -> None:
        with self.client.pipeline() as transaction:
            transaction.set(self.key, value)
            transaction.delete(self.render_key)
            transaction.execute()
