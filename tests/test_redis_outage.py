"""The outage policy every Redis command of a worker goes through: it waits
for Redis within the bound, then gives up once, and fails at once after."""

import logging
import re

import pytest
import redis

from sulsel_crawler.redis_outage import OutagePolicy, answers_unknown_when_lost

pytestmark = pytest.mark.unit

LOGGER = "sulsel_crawler.redis_outage"


class FlakyCommand:
    """A command that fails *failures* times with *error*, then answers."""

    def __init__(self, failures, error=redis.ConnectionError("Connection refused")):
        self.failures = failures
        self.error = error
        self.calls = 0
        self.failed = []

    def do(self):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return "PONG"

    def fail(self, error, *count):
        self.failed.append((error, *count))


def messages(caplog):
    return [(record.levelname, record.getMessage()) for record in caplog.records if record.name == LOGGER]


def test_a_short_outage_is_waited_out_and_said_once(caplog, monkeypatch):
    monkeypatch.setattr("sulsel_crawler.redis_outage.time.sleep", lambda seconds: None)
    lost = []
    policy = OutagePolicy(30, lost.append, "Redis at r:6379")
    command = FlakyCommand(3)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert policy.call_with_retry(command.do, command.fail, with_failure_count=True) == "PONG"
    assert command.calls == 4
    assert command.failed == [(command.error, 1), (command.error, 2), (command.error, 3)]
    assert lost == [] and policy.lost is False and policy.outage_since is None
    (warning, back) = messages(caplog)
    assert warning == ("WARNING", "Redis at r:6379 does not answer (Connection refused): the worker waits for it, for up to 30 s")
    assert back[0] == "WARNING"
    waited = re.fullmatch(r"Redis at r:6379 answers again after (\d+\.\d) s: the crawl goes on", back[1])
    assert waited and float(waited[1]) < 5


class Clock:
    """time.monotonic and time.sleep of the policy: a sleep moves the clock."""

    def __init__(self, monkeypatch):
        self.now = 100.0
        self.pauses = []
        monkeypatch.setattr("sulsel_crawler.redis_outage.time.monotonic", lambda: self.now)
        monkeypatch.setattr("sulsel_crawler.redis_outage.time.sleep", self.sleep)

    def sleep(self, seconds):
        self.pauses.append(seconds)
        self.now += seconds


def test_an_outage_longer_than_the_bound_is_given_up_once(caplog, monkeypatch):
    clock = Clock(monkeypatch)
    lost = []
    policy = OutagePolicy(1.0, lost.append, "Redis at r:6379")
    command = FlakyCommand(1000)
    with caplog.at_level(logging.INFO, logger=LOGGER), pytest.raises(redis.ConnectionError):
        policy.call_with_retry(command.do, command.fail)
    # 0.25 + 0.5, then what is left of the second: exactly the bound.
    assert clock.pauses == [0.25, 0.5, 0.25]
    assert command.calls == 4
    assert policy.lost is True
    assert len(lost) == 1 and lost[0] is command.error
    assert messages(caplog)[-1] == (
        "WARNING",
        "Redis at r:6379 did not answer for 1 s: the worker stops (finish reason redis_lost); "
        "run the same command again once Redis is back to continue the crawl",
    )
    # From then on, a command fails at once, without a word.
    caplog.clear()
    again = FlakyCommand(1)
    with caplog.at_level(logging.INFO, logger=LOGGER), pytest.raises(redis.ConnectionError):
        policy.call_with_retry(again.do, again.fail)
    assert again.calls == 1 and messages(caplog) == [] and len(lost) == 1


def test_the_pause_grows_but_never_passes_the_bound(monkeypatch):
    pauses = []
    monkeypatch.setattr("sulsel_crawler.redis_outage.time.sleep", pauses.append)
    policy = OutagePolicy(100, lambda error: None, "Redis")
    command = FlakyCommand(8)
    policy.call_with_retry(command.do, command.fail)
    assert pauses == sorted(pauses) and pauses[0] == 0.25 and pauses[-1] == 5.0
    assert all(0 < pause <= 5.0 for pause in pauses)


def test_other_errors_are_not_waited_for(monkeypatch):
    monkeypatch.setattr("sulsel_crawler.redis_outage.time.sleep", lambda seconds: None)
    policy = OutagePolicy(30, lambda error: None, "Redis")
    command = FlakyCommand(1, redis.ResponseError("WRONGTYPE"))
    with pytest.raises(redis.ResponseError):
        policy.call_with_retry(command.do, command.fail)
    timeout = FlakyCommand(1, redis.TimeoutError("Timeout reading"))
    assert policy.call_with_retry(timeout.do, timeout.fail) == "PONG"
    assert timeout.failed == [(timeout.error,)]
    refused = FlakyCommand(1)
    with pytest.raises(redis.ConnectionError):
        policy.call_with_retry(refused.do, refused.fail, is_retryable=lambda error: "refused" not in str(error))
    assert refused.calls == 1
    assert refused.failed == []


def test_every_client_shares_the_one_policy():
    policy = OutagePolicy(30, lambda error: None, "Redis")
    client = redis.Redis.from_url("redis://127.0.0.1:1/0", retry=policy)
    assert client.get_retry() is policy
    assert client.connection_pool.connection_kwargs["retry"] is policy


def test_a_component_answers_unknown_once_redis_is_lost():
    @answers_unknown_when_lost(list)
    def urls():
        raise redis.ConnectionError("gone")

    @answers_unknown_when_lost(0)
    def count():
        raise redis.TimeoutError("gone")

    @answers_unknown_when_lost()
    def wrong():
        raise redis.ResponseError("WRONGTYPE")

    assert urls() == [] and count() == 0
    with pytest.raises(redis.ResponseError):
        wrong()
