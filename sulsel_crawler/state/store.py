"""The crawl state of one site in one SQLite file.

Every change is one transaction, and SQLite's write-ahead log makes each
commit survive a killed process, so the file is consistent whenever the
crawl stops, ``kill -9`` included. What it holds:

- ``runs``: every run of a crawl (mode, started, finished or not, why it
  ended, what it exported); a run that continues an unfinished one belongs
  to the same ``crawl``;
- ``articles``: every article exported (url, id, content_hash, published_at,
  modified_at, when, into which dataset file, by which crawl);
- ``aliases``: a URL that led to an exported article under another URL (a
  redirect), so that it is not fetched again to find that out;
- ``failures``: URLs that failed for good in a run (reason, attempts, in how
  many runs in a row), until they succeed or are given up;
- ``gone``: article URLs that answered 404 (deleted articles still linked);
- ``datasets``: each dataset file a run wrote, with the size it had when the
  state last learned of a record in it (see ``datasets.py``);
- ``sitemaps``: each sitemap file's ``lastmod`` when it was last read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    crawl INTEGER NOT NULL,
    mode TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    finish_reason TEXT,
    exported INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS articles (
    url TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    published_at TEXT,
    modified_at TEXT,
    exported_at TEXT NOT NULL,
    dataset TEXT,
    crawl INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_by_content_hash ON articles (content_hash);
CREATE TABLE IF NOT EXISTS aliases (
    url TEXT PRIMARY KEY,
    article_url TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
    url TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    runs_in_a_row INTEGER NOT NULL,
    last_run INTEGER NOT NULL,
    first_failed_at TEXT NOT NULL,
    last_failed_at TEXT NOT NULL,
    given_up INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS gone (
    url TEXT PRIMARY KEY,
    crawl INTEGER NOT NULL,
    seen_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS datasets (
    path TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    crawl INTEGER NOT NULL,
    committed_size INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sitemaps (
    url TEXT PRIMARY KEY,
    lastmod TEXT NOT NULL
);
"""


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Run:
    id: int
    crawl: int
    mode: str
    started_at: str
    finished_at: str | None
    finish_reason: str | None
    exported: int
    failed: int

    @property
    def finished(self) -> bool:
        return self.finish_reason == "finished"


@dataclass(frozen=True)
class KnownArticle:
    url: str
    content_hash: str
    published_at: str | None
    modified_at: str | None
    crawl: int


@dataclass(frozen=True)
class Failure:
    url: str
    reason: str
    attempts: int
    runs_in_a_row: int
    given_up: bool


class SqliteState:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are explicit (``with self.db``
        # does not begin one then), each write below is one.
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def __str__(self) -> str:
        return str(self.path)

    def close(self) -> None:
        self.db.close()

    def _write(self, statements: list[tuple[str, tuple[Any, ...]]]) -> None:
        with self._transaction():
            for sql, parameters in statements:
                self.db.execute(sql, parameters)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- runs -----------------------------------------------------------

    def starting(self) -> nullcontext[None]:
        """Nothing to wait for: the single-run lock keeps one run of a site
        on one machine at a time."""
        return nullcontext()

    def is_running(self, crawl: int) -> bool:
        """Never: with the single-run lock, no other run is working on it."""
        return False

    def last_run(self) -> Run | None:
        row = self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return Run(*row) if row else None

    def last_finished_run(self) -> Run | None:
        row = self.db.execute(
            "SELECT * FROM runs WHERE finish_reason = 'finished' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return Run(*row) if row else None

    def start_run(self, mode: str, continues: Run | None) -> Run:
        """A new run: of the crawl *continues* belongs to, else of a new crawl."""
        with self._transaction():
            cursor = self.db.execute(
                "INSERT INTO runs (crawl, mode, started_at) VALUES (0, ?, ?)", (mode, utc_now())
            )
            run_id = cursor.lastrowid
            crawl = continues.crawl if continues else run_id
            self.db.execute("UPDATE runs SET crawl = ? WHERE id = ?", (crawl, run_id))
        return self.run(run_id)

    def run(self, run_id: int) -> Run:
        return Run(*self.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone())

    def finish_run(self, run: Run, reason: str) -> None:
        self._write(
            [("UPDATE runs SET finished_at = ?, finish_reason = ? WHERE id = ?", (utc_now(), reason, run.id))]
        )

    def newest_change(self) -> str | None:
        """The latest ``modified_at`` (else ``published_at``) of the exported articles."""
        return self.db.execute("SELECT MAX(COALESCE(modified_at, published_at)) FROM articles").fetchone()[0]

    def crawl_exported(self, crawl: int) -> int:
        return self.db.execute("SELECT COUNT(*) FROM articles WHERE crawl = ?", (crawl,)).fetchone()[0]

    # -- articles -------------------------------------------------------

    def known_article(self, url: str) -> KnownArticle | None:
        row = self.db.execute(
            "SELECT url, content_hash, published_at, modified_at, crawl FROM articles WHERE url = ?"
            " UNION ALL SELECT a.url, a.content_hash, a.published_at, a.modified_at, a.crawl"
            " FROM aliases JOIN articles a ON a.url = aliases.article_url WHERE aliases.url = ?"
            " LIMIT 1",
            (url, url),
        ).fetchone()
        return KnownArticle(*row) if row else None

    def article_with_content_hash(self, content_hash: str) -> KnownArticle | None:
        row = self.db.execute(
            "SELECT url, content_hash, published_at, modified_at, crawl FROM articles"
            " WHERE content_hash = ? LIMIT 1",
            (content_hash,),
        ).fetchone()
        return KnownArticle(*row) if row else None

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
        statements = [
            (
                "INSERT INTO articles (url, id, content_hash, published_at, modified_at, exported_at, dataset, crawl)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
                " id = excluded.id, content_hash = excluded.content_hash, published_at = excluded.published_at,"
                " modified_at = excluded.modified_at, exported_at = excluded.exported_at,"
                " dataset = excluded.dataset, crawl = excluded.crawl",
                (
                    url,
                    record["id"],
                    record["content_hash"],
                    record.get("published_at"),
                    record.get("modified_at"),
                    utc_now(),
                    next(iter(dataset_sizes), None),
                    run.crawl,
                ),
            ),
            ("UPDATE runs SET exported = exported + 1 WHERE id = ?", (run.id,)),
        ]
        for fetched in fetched_urls:
            statements.append(("DELETE FROM failures WHERE url = ?", (fetched,)))
            statements.append(("DELETE FROM gone WHERE url = ?", (fetched,)))
            if fetched != url:
                statements.append(
                    ("INSERT OR REPLACE INTO aliases (url, article_url) VALUES (?, ?)", (fetched, url))
                )
        for dataset, size in dataset_sizes.items():
            statements.append(("UPDATE datasets SET committed_size = ? WHERE path = ?", (size, dataset)))
        self._write(statements)

    def record_alias(self, url: str, article_url: str) -> None:
        """*url* leads to *article_url* (a redirect), exported or not yet."""
        self._write([("INSERT OR REPLACE INTO aliases (url, article_url) VALUES (?, ?)", (url, article_url))])

    def record_gone(self, url: str, crawl: int) -> None:
        self._write(
            [("INSERT OR REPLACE INTO gone (url, crawl, seen_at) VALUES (?, ?, ?)", (url, crawl, utc_now()))]
        )

    def gone_in(self, url: str) -> int | None:
        """The crawl that last found *url* gone (404), if any did."""
        row = self.db.execute("SELECT crawl FROM gone WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    # -- failures -------------------------------------------------------

    def record_failure(self, run: Run, url: str, reason: str, give_up_after_runs: int) -> Failure:
        """A URL that failed for good in *run*; given up once it has failed in
        *give_up_after_runs* runs in a row."""
        now = utc_now()
        self._write(
            [
                (
                    "INSERT INTO failures (url, reason, attempts, runs_in_a_row, last_run, first_failed_at,"
                    " last_failed_at) VALUES (?, ?, 1, 1, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
                    " reason = excluded.reason, attempts = attempts + 1,"
                    " runs_in_a_row = runs_in_a_row + (last_run != excluded.last_run),"
                    " last_run = excluded.last_run, last_failed_at = excluded.last_failed_at",
                    (url, reason, run.id, now, now),
                ),
                (
                    "UPDATE failures SET given_up = 1 WHERE url = ? AND runs_in_a_row >= ?",
                    (url, give_up_after_runs),
                ),
                ("UPDATE runs SET failed = failed + 1 WHERE id = ?", (run.id,)),
            ]
        )
        return self.failure(url)

    def failure(self, url: str) -> Failure | None:
        row = self.db.execute(
            "SELECT url, reason, attempts, runs_in_a_row, given_up FROM failures WHERE url = ?", (url,)
        ).fetchone()
        return Failure(row[0], row[1], row[2], row[3], bool(row[4])) if row else None

    def urls_to_retry(self) -> list[str]:
        """URLs that failed and are not given up, in the order they first failed."""
        rows = self.db.execute("SELECT url FROM failures WHERE given_up = 0 ORDER BY rowid").fetchall()
        return [url for (url,) in rows]

    # -- dataset files --------------------------------------------------

    def add_dataset(self, path: str, format: str, run: Run, size: int) -> None:
        """A dataset file *run* writes for its crawl; *size* is what it held before."""
        self._write(
            [
                (
                    "INSERT INTO datasets (path, format, crawl, committed_size) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (path) DO UPDATE SET format = excluded.format, crawl = excluded.crawl,"
                    " committed_size = excluded.committed_size",
                    (path, format, run.crawl, size),
                )
            ]
        )

    def datasets(self, crawl: int) -> list[tuple[str, str, int]]:
        """(path, format, committed size) of the crawl's dataset files."""
        return self.db.execute(
            "SELECT path, format, committed_size FROM datasets WHERE crawl = ? ORDER BY path", (crawl,)
        ).fetchall()

    # -- sitemaps -------------------------------------------------------

    def sitemap_lastmod(self, url: str) -> str | None:
        row = self.db.execute("SELECT lastmod FROM sitemaps WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def record_sitemap(self, url: str, lastmod: str) -> None:
        self._write([("INSERT OR REPLACE INTO sitemaps (url, lastmod) VALUES (?, ?)", (url, lastmod))])
