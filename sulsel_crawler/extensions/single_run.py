"""One crawl of a site at a time.

A crawl takes an OS file lock (``fcntl.flock``) named after its spider and
site in ``SINGLE_RUN_LOCK_DIR``. A crawl that finds the lock taken logs which
lock and which process holds it, and closes at once with the finish reason
``another_crawl_running``. The OS drops the lock when its process ends, however
it ends, so a crashed crawl never leaves a stale lock behind.

A mirror of the site (``MIRROR_BASE_URL``, set by ``-a base_url=…``) counts as
a site of its own: crawls of local replicas never wait for the live crawl.

Only crawls lock: ``scrapy shell`` (which builds its extensions before any
spider) and the other one-page commands (``commands/one_page.py``) do not.
"""

import fcntl
import logging
import os
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured

from sulsel_crawler.mirror import mirror_name

logger = logging.getLogger(__name__)

FINISH_REASON = "another_crawl_running"

# Above every named priority (cmdline is 40): the settings a losing crawl drops
# must stay dropped even when they came from the command line or Scrapyd.
_OVERRIDE_PRIORITY = 100


class SingleRun:
    def __init__(self, lock_path: Path):
        self.lock_path = lock_path
        self.lock_fd: int | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        # No spider yet: ``scrapy shell`` fetching pages, not a crawl.
        if not settings.getbool("SINGLE_RUN_ENABLED") or crawler.spider is None:
            raise NotConfigured
        lock_dir = Path(settings.get("SINGLE_RUN_LOCK_DIR"))
        extension = cls(lock_dir / lock_name(crawler.spider.name, settings.get("MIRROR_BASE_URL")))
        # Locking here, while extensions are built, comes before the feed
        # exporter opens its files and before the scheduler reads JOBDIR.
        if extension.acquire():
            crawler.signals.connect(extension.release, signal=signals.engine_stopped)
        else:
            # The losing crawl must not touch the running crawl's output or
            # job state when both were started with the same -O file or JOBDIR,
            # nor its crawl state.
            settings.set("FEEDS", {}, priority=_OVERRIDE_PRIORITY)
            settings.set("JOBDIR", None, priority=_OVERRIDE_PRIORITY)
            settings.set("CRAWL_STATE", "", priority=_OVERRIDE_PRIORITY)
            crawler.signals.connect(extension.refuse, signal=signals.spider_opened)
            crawler.signals.connect(extension.report_refusal, signal=signals.spider_closed)
        return extension

    def acquire(self) -> bool:
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.lock_fd = fd
        return True

    def release(self):
        if self.lock_fd is not None:
            os.close(self.lock_fd)
            self.lock_fd = None

    def holder_pid(self) -> str:
        try:
            return self.lock_path.read_text().strip() or "unknown"
        except OSError:
            return "unknown"

    def refuse(self, spider):
        raise CloseSpider(FINISH_REASON)

    def report_refusal(self, spider, reason):
        # Logged on closing, not opening: Scrapy's log counter (log_count/ERROR)
        # is installed by a spider_opened handler that runs after this
        # extension's, and removed by a spider_closed handler that runs after it.
        logger.error(
            "Another crawl of this site is running (lock %s held by pid %s): "
            "this crawl stopped at once, without crawling.",
            self.lock_path,
            self.holder_pid(),
        )


def lock_name(spider_name: str, mirror_base_url: str | None) -> str:
    """``sulselsatu.lock`` for the live site, ``sulselsatu-127.0.0.1_8765.lock`` for a mirror."""
    if not mirror_base_url:
        return f"{spider_name}.lock"
    return f"{spider_name}-{mirror_name(mirror_base_url)}.lock"
