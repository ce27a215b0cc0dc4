"""The crawl state of one site in Redis, for several workers that share a crawl.

It holds what :class:`~sulsel_crawler.state.store.SqliteState` holds, with the
same methods, under one key prefix (``sulselsatu:<site>:state``), so that
every worker sees the others' exports, failures and runs. Each change is
one ``MULTI``/``EXEC`` transaction: whole or not at all.

Runs of several workers overlap: a run is *running* while its process
lives, known from its pid on the same host and from a heartbeat written
every :data:`HEARTBEAT_SECONDS` elsewhere. The dataset files a run writes
are kept per host, as only that host can read them again.

Once the worker has given Redis up (:mod:`sulsel_crawler.redis_outage`), the
store knows nothing and writes nothing while the worker closes: the run
stays unfinished, and the next run takes over what this one wrote.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis

from sulsel_crawler.redis_outage import answers_unknown_when_lost
from sulsel_crawler.state.store import Failure, KnownArticle, Run, utc_now

HEARTBEAT_SECONDS = 10
# A run on another host whose heartbeat is older than this has died.
HEARTBEAT_TIMEOUT_SECONDS = 3 * HEARTBEAT_SECONDS
START_LOCK_SECONDS = 60


class RedisState:
    def __init__(self, client: redis.Redis, prefix: str):
        self.client = client
        self.prefix = prefix
        self.host = socket.gethostname()
        self._heartbeat_stop = threading.Event()
        self._heartbeat: threading.Thread | None = None
        self._beating_run: int | None = None

    def __str__(self) -> str:
        connection = self.client.connection_pool.connection_kwargs
        return f"redis://{connection.get('host')}:{connection.get('port')}/{connection.get('db', 0)} {self.prefix}:*"

    def key(self, *parts: object) -> str:
        return ":".join([self.prefix, *map(str, parts)])

    def close(self) -> None:
        self._heartbeat_stop.set()
        if self._heartbeat is not None:
            self._heartbeat.join()

    # -- runs -----------------------------------------------------------

    @contextmanager
    def starting(self) -> Iterator[None]:
        """Workers starting at once decide one after another whether to
        join, continue or begin a crawl."""
        with self.client.lock(self.key("start-lock"), timeout=START_LOCK_SECONDS, blocking_timeout=START_LOCK_SECONDS):
            yield

    def run(self, run_id: int) -> Run:
        fields = self.client.hgetall(self.key("run", run_id))
        return _run(fields)

    def last_run(self) -> Run | None:
        """The finished run of the latest crawl, else that crawl's latest run."""
        latest = self.client.get(self.key("run-seq"))
        if latest is None:
            return None
        run = self.run(int(latest))
        finished = self.client.hget(self.key("crawl", run.crawl), "finished_run")
        return self.run(int(finished)) if finished else run

    def last_finished_run(self) -> Run | None:
        finished = self.client.get(self.key("last-finished-run"))
        return self.run(int(finished)) if finished else None

    def is_running(self, crawl: int) -> bool:
        """Whether a run of *crawl* still works on it (in another worker)."""
        for run_id in self.client.smembers(self.key("crawl", crawl, "runs")):
            fields = self.client.hgetall(self.key("run", int(run_id)))
            if not fields.get(b"finish_reason") and self._alive(fields):
                return True
        return False

    def _alive(self, fields: dict[bytes, bytes]) -> bool:
        if fields[b"host"].decode() == self.host:
            return _process_exists(int(fields[b"pid"]))
        return time.time() - float(fields[b"heartbeat"]) < HEARTBEAT_TIMEOUT_SECONDS

    def start_run(self, mode: str, continues: Run | None) -> Run:
        """This process's run: of the crawl *continues* belongs to, else of a new crawl."""
        run_id = self.client.incr(self.key("run-seq"))
        crawl = continues.crawl if continues else run_id
        with self.client.pipeline() as transaction:
            transaction.hset(
                self.key("run", run_id),
                mapping={
                    "id": run_id,
                    "crawl": crawl,
                    "mode": mode,
                    "started_at": utc_now(),
                    "exported": 0,
                    "failed": 0,
                    "host": self.host,
                    "pid": os.getpid(),
                    "heartbeat": time.time(),
                },
            )
            transaction.sadd(self.key("crawl", crawl, "runs"), run_id)
            transaction.execute()
        self._beating_run = run_id
        if self._heartbeat is None:
            self._heartbeat = threading.Thread(target=self._beat, name="crawl-state-heartbeat", daemon=True)
            self._heartbeat.start()
        return self.run(run_id)

    def _beat(self) -> None:
        while not self._heartbeat_stop.wait(HEARTBEAT_SECONDS):
            try:
                self.client.hset(self.key("run", self._beating_run), "heartbeat", time.time())
            except redis.RedisError:
                pass  # the outage policy has reported it

    @answers_unknown_when_lost()
    def finish_run(self, run: Run, reason: str) -> None:
        with self.client.pipeline() as transaction:
            transaction.hset(self.key("run", run.id), mapping={"finished_at": utc_now(), "finish_reason": reason})
            if reason == "finished":
                transaction.hset(self.key("crawl", run.crawl), "finished_run", run.id)
                transaction.set(self.key("last-finished-run"), run.id)
            transaction.execute()

    @answers_unknown_when_lost()
    def newest_change(self) -> str | None:
        newest = self.client.get(self.key("newest-change"))
        return newest.decode() if newest else None

    @answers_unknown_when_lost(0)
    def crawl_exported(self, crawl: int) -> int:
        return int(self.client.hget(self.key("crawl", crawl), "exported") or 0)

    # -- articles -------------------------------------------------------

    def _article(self, url: str) -> dict[str, Any] | None:
        stored = self.client.hget(self.key("articles"), url)
        return json.loads(stored) if stored else None

    @answers_unknown_when_lost()
    def known_article(self, url: str) -> KnownArticle | None:
        article = self._article(url)
        if article is None:
            target = self.client.hget(self.key("aliases"), url)
            article = self._article(target.decode()) if target else None
        return _known(article) if article else None

    @answers_unknown_when_lost()
    def article_with_content_hash(self, content_hash: str) -> KnownArticle | None:
        url = self.client.hget(self.key("content-hashes"), content_hash)
        article = self._article(url.decode()) if url else None
        return _known(article) if article else None

    @answers_unknown_when_lost()
    def record_export(
        self,
        run: Run,
        record: dict[str, Any],
        fetched_urls: list[str],
        dataset_sizes: dict[str, int],
    ) -> None:
        """One exported record, the URLs that led to it, and how far each
        dataset file it went to is written, in one transaction."""
        url = record["url"]
        if record.get("content_hash") is None:
            raise ValueError(f"record of {url} without content_hash")
        earlier = self._article(url)
        article = {
            "url": url,
            "id": record["id"],
            "content_hash": record["content_hash"],
            "published_at": record.get("published_at"),
            "modified_at": record.get("modified_at"),
            "exported_at": utc_now(),
            "dataset": next(iter(dataset_sizes), None),
            "crawl": run.crawl,
        }
        change = article["modified_at"] or article["published_at"]
        newest = self.newest_change()
        hashes = self.key("content-hashes")
        with self.client.pipeline() as transaction:
            transaction.hset(self.key("articles"), url, json.dumps(article))
            if earlier and earlier["content_hash"] != article["content_hash"]:
                if self.client.hget(hashes, earlier["content_hash"]) == url.encode():
                    transaction.hdel(hashes, earlier["content_hash"])
            transaction.hsetnx(hashes, article["content_hash"], url)
            transaction.hincrby(self.key("run", run.id), "exported", 1)
            if earlier is None or earlier["crawl"] != run.crawl:
                transaction.hincrby(self.key("crawl", run.crawl), "exported", 1)
            if change and (newest is None or change > newest):
                transaction.set(self.key("newest-change"), change)
            for fetched in fetched_urls:
                transaction.hdel(self.key("failures"), fetched)
                transaction.zrem(self.key("failure-order"), fetched)
                transaction.hdel(self.key("gone"), fetched)
                if fetched != url:
                    transaction.hset(self.key("aliases"), fetched, url)
            for dataset, size in dataset_sizes.items():
                transaction.hset(self.key("dataset-sizes"), self._dataset_key(dataset), size)
            transaction.execute()

    @answers_unknown_when_lost()
    def record_alias(self, url: str, article_url: str) -> None:
        self.client.hset(self.key("aliases"), url, article_url)

    @answers_unknown_when_lost()
    def record_gone(self, url: str, crawl: int) -> None:
        self.client.hset(self.key("gone"), url, json.dumps({"crawl": crawl, "seen_at": utc_now()}))

    @answers_unknown_when_lost()
    def gone_in(self, url: str) -> int | None:
        gone = self.client.hget(self.key("gone"), url)
        return json.loads(gone)["crawl"] if gone else None

    # -- failures -------------------------------------------------------

    @answers_unknown_when_lost()
    def record_failure(self, run: Run, url: str, reason: str, give_up_after_runs: int) -> Failure:
        now = utc_now()
        stored = self.client.hget(self.key("failures"), url)
        if stored:
            failure = json.loads(stored)
            failure["runs_in_a_row"] += failure["last_run"] != run.id
            failure.update(reason=reason, attempts=failure["attempts"] + 1, last_run=run.id, last_failed_at=now)
        else:
            failure = {
                "reason": reason,
                "attempts": 1,
                "runs_in_a_row": 1,
                "last_run": run.id,
                "first_failed_at": now,
                "last_failed_at": now,
                "given_up": False,
            }
        failure["given_up"] = failure["given_up"] or failure["runs_in_a_row"] >= give_up_after_runs
        order = self.client.incr(self.key("failure-seq")) if not stored else None
        with self.client.pipeline() as transaction:
            transaction.hset(self.key("failures"), url, json.dumps(failure))
            if order is not None:
                transaction.zadd(self.key("failure-order"), {url: order}, nx=True)
            transaction.hincrby(self.key("run", run.id), "failed", 1)
            transaction.execute()
        return _failure(url, failure)

    @answers_unknown_when_lost()
    def failure(self, url: str) -> Failure | None:
        stored = self.client.hget(self.key("failures"), url)
        return _failure(url, json.loads(stored)) if stored else None

    @answers_unknown_when_lost(list)
    def urls_to_retry(self) -> list[str]:
        """URLs that failed and are not given up, in the order they first failed."""
        urls = [url.decode() for url in self.client.zrange(self.key("failure-order"), 0, -1)]
        failures = self.client.hmget(self.key("failures"), urls) if urls else []
        return [url for url, stored in zip(urls, failures) if stored and not json.loads(stored)["given_up"]]

    # -- dataset files --------------------------------------------------

    def _dataset_key(self, path: str) -> str:
        return f"{self.host}\t{path}"

    @answers_unknown_when_lost()
    def add_dataset(self, path: str, format: str, run: Run, size: int) -> None:
        """A dataset file *run* writes on this host; *size* is what it held before."""
        key = self._dataset_key(path)
        dataset = {"format": format, "crawl": run.crawl, "writer": run.id}
        with self.client.pipeline() as transaction:
            transaction.hset(self.key("datasets"), key, json.dumps(dataset))
            transaction.hset(self.key("dataset-sizes"), key, size)
            transaction.execute()

    @answers_unknown_when_lost(list)
    def datasets(self, crawl: int) -> list[tuple[str, str, int]]:
        """(path, format, committed size) of the crawl's dataset files on
        this host, but those that another worker here is writing."""
        found = []
        sizes = self.client.hgetall(self.key("dataset-sizes"))
        for key, stored in self.client.hgetall(self.key("datasets")).items():
            host, path = key.decode().split("\t", 1)
            dataset = json.loads(stored)
            if host == self.host and dataset["crawl"] == crawl and not self._written_by_another_worker(dataset):
                found.append((path, dataset["format"], int(sizes.get(key, 0))))
        return sorted(found)

    def _written_by_another_worker(self, dataset: dict[str, Any]) -> bool:
        writer = self.client.hgetall(self.key("run", dataset["writer"]))
        return (
            int(writer[b"pid"]) != os.getpid() and not writer.get(b"finish_reason") and self._alive(writer)
        )

    # -- sitemaps -------------------------------------------------------

    @answers_unknown_when_lost()
    def sitemap_lastmod(self, url: str) -> str | None:
        lastmod = self.client.hget(self.key("sitemaps"), url)
        return lastmod.decode() if lastmod else None

    @answers_unknown_when_lost()
    def record_sitemap(self, url: str, lastmod: str) -> None:
        self.client.hset(self.key("sitemaps"), url, lastmod)


def _run(fields: dict[bytes, bytes]) -> Run:
    def text(name: str) -> str | None:
        value = fields.get(name.encode())
        return value.decode() if value else None

    return Run(
        id=int(fields[b"id"]),
        crawl=int(fields[b"crawl"]),
        mode=text("mode"),
        started_at=text("started_at"),
        finished_at=text("finished_at"),
        finish_reason=text("finish_reason"),
        exported=int(fields[b"exported"]),
        failed=int(fields[b"failed"]),
    )


def _known(article: dict[str, Any]) -> KnownArticle:
    return KnownArticle(
        article["url"], article["content_hash"], article["published_at"], article["modified_at"], article["crawl"]
    )


def _failure(url: str, failure: dict[str, Any]) -> Failure:
    return Failure(url, failure["reason"], failure["attempts"], failure["runs_in_a_row"], failure["given_up"])


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
