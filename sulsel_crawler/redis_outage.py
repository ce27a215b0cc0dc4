"""A worker's link to Redis through an outage.

Every Redis command of a worker (shared frontier, crawl state, heartbeats)
goes through one :class:`OutagePolicy`: when Redis stops answering, the
command is tried again with a growing pause, and the worker waits, for up to
``REDIS_OUTAGE_MAX_SECONDS``. If Redis answers within that time, the crawl
goes on where it was: no command was given up, so nothing is lost. If not,
the outage is *lost*: the policy says so once (``on_lost``), the worker
closes, and from then on every command fails at once; what the frontier and
the state could not learn is found again by the next run, which resumes
the unfinished crawl.

One log line for each change: the outage, its end, and giving up.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (redis.ConnectionError, redis.TimeoutError)
FIRST_PAUSE_SECONDS = 0.25
LONGEST_PAUSE_SECONDS = 5.0

T = TypeVar("T")


class OutagePolicy(Retry):
    def __init__(self, max_seconds: float, on_lost: Callable[[Exception], None], describe: str):
        # redis-py's own supported errors are the outage errors; the retry
        # count (-1: for ever) is never read, the time bound below decides.
        super().__init__(ExponentialBackoff(cap=LONGEST_PAUSE_SECONDS, base=FIRST_PAUSE_SECONDS), retries=-1)
        self.max_seconds = max_seconds
        self.on_lost = on_lost
        self.describe = describe
        self.outage_since: float | None = None
        self.lost = False
        self._lock = threading.Lock()

    def __deepcopy__(self, memo: dict) -> OutagePolicy:
        # redis-py copies the retry policy of each client: all must share this one.
        return self

    def call_with_retry(
        self,
        do: Callable[[], T],
        fail: Callable[..., Any],
        is_retryable: Callable[[Exception], bool] | None = None,
        with_failure_count: bool = False,
    ) -> T:
        failures = 0
        while True:
            try:
                result = do()
            except self._supported_errors as error:
                if is_retryable and not is_retryable(error):
                    raise
                failures += 1
                fail(error, failures) if with_failure_count else fail(error)
                pause = self._pause_or_give_up(error, failures)
                if pause is None:
                    raise
                time.sleep(pause)
            else:
                self._answered()
                return result

    def _pause_or_give_up(self, error: Exception, failures: int) -> float | None:
        with self._lock:
            if self.lost:
                return None
            now = time.monotonic()
            if self.outage_since is None:
                self.outage_since = now
                logger.warning(
                    "%s does not answer (%s): the worker waits for it, for up to %g s", self.describe, error, self.max_seconds
                )
            left = self.outage_since + self.max_seconds - now
            if left <= 0:
                self.lost = True
            else:
                return min(self._backoff.compute(failures - 1), left)
        logger.warning(
            "%s did not answer for %g s: the worker stops (finish reason redis_lost); "
            "run the same command again once Redis is back to continue the crawl",
            self.describe,
            self.max_seconds,
        )
        self.on_lost(error)
        return None

    def _answered(self) -> None:
        if self.outage_since is None:
            return
        with self._lock:
            if self.outage_since is None:
                return
            waited = time.monotonic() - self.outage_since
            self.outage_since = None
        logger.warning("%s answers again after %.1f s: the crawl goes on", self.describe, waited)


def answers_unknown_when_lost(default: Any = None) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """For a method of a Redis-backed component: once Redis is lost for
    good, the method answers *default* (nothing known, nothing written)
    instead of failing in every callback while the worker closes."""

    def decorate(method: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(method)
        def tolerant(*args: Any, **kwargs: Any) -> T:
            try:
                return method(*args, **kwargs)
            except OUTAGE_ERRORS:
                return default() if callable(default) else default

        return tolerant

    return decorate
