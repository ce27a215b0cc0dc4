"""Project settings. Every value here can be overridden per crawl with ``-s NAME=VALUE``."""

import os
import tempfile

from sulsel_crawler import __version__
from sulsel_crawler.browser import chromium_launch_options
from sulsel_crawler.items import ARTICLE_FIELDS

BOT_NAME = "sulsel_crawler"
SPIDER_MODULES = ["sulsel_crawler.spiders"]
NEWSPIDER_MODULE = "sulsel_crawler.spiders"

# --- Politeness towards the live site -------------------------------------
USER_AGENT = (
    f"sulsel_crawler/{__version__} (news corpus research crawler; "
    "+https://github.com/sulsel-crawler/sulsel_crawler#contact)"
)
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "sulsel_crawler.robots.SitemapAwareRobotParser"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 4
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
COOKIES_ENABLED = True
# Scrapy's cookie jar asks tldextract for public suffixes, and tldextract
# would download the Public Suffix List (tracebacks on a machine offline):
# an empty URL list makes it use the list bundled with it. Set the variable
# to URLs of your own to have it download them.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

# Scrapy 2.19 starts a remote-control server in every crawl that can run
# Python inside the crawler: never on in this project.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

# --- Mirror mode (see sulsel_crawler/mirror.py) ---------------------------
# Set by ``-a base_url=…``; empty means the live site. The handler wraps
# MIRROR_INNER_DOWNLOAD_HANDLER (below: scrapy-playwright's).
MIRROR_BASE_URL = ""
DOWNLOAD_HANDLERS = {
    "http": "sulsel_crawler.mirror.MirrorDownloadHandler",
    "https": "sulsel_crawler.mirror.MirrorDownloadHandler",
}

# --- Browser (scrapy-playwright) -------------------------------------------
# Plain HTTP fetches the pages; the browser runs only the JavaScript of pages
# that need it (sulsel_crawler/browser.py, sulsel_crawler/middlewares/).
# ``-a render=auto`` (default): the browser passes the site's cookie challenge,
# as a rule once a crawl; ``always``: every HTML page goes through it;
# ``never``: challenged pages are rejected.
BROWSER_RENDER = "auto"
# Seconds one challenge render may take, browser launch included.
BROWSER_RENDER_TIMEOUT = 30
CHALLENGE_MAX_RENDERS = 3
CHALLENGE_MAX_RETRIES = 2
# The mirror handler wraps scrapy-playwright's handler, which downloads
# requests without the ``playwright`` meta key as plain HTTP/1.1; ours starts
# Playwright's driver and Chromium at the first render and closes them once
# the challenge cookie is taken (sulsel_crawler/on_demand_browser.py).
MIRROR_INNER_DOWNLOAD_HANDLER = "sulsel_crawler.on_demand_browser.BrowserOnDemandHandler"
PLAYWRIGHT_BROWSER_PROVIDER = "sulsel_crawler.on_demand_browser.DriverOnDemand"
# A closed browser is launched again by the next render.
PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER = True
PLAYWRIGHT_BROWSER_TYPE = "chromium"
# The system's Chromium where installed, Playwright's own otherwise
# (sulsel_crawler/browser.py).
PLAYWRIGHT_LAUNCH_OPTIONS = chromium_launch_options()
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 20_000
PLAYWRIGHT_ABORT_REQUEST = "sulsel_crawler.browser.is_not_the_page"
DOWNLOADER_MIDDLEWARES = {
    # Scrapy's OffsiteMiddleware, reporting the redirects it stops (and
    # redirect loops, and pages over DOWNLOAD_MAXSIZE) in the rejects file.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "sulsel_crawler.middlewares.refusals.RefusalsMiddleware": 50,
    # Both see responses before RetryMiddleware (550), so that a challenge is
    # answered, not retried as a 503, and before MetaRefreshMiddleware (580);
    # after RedirectMiddleware (600), so that they see the final page.
    "sulsel_crawler.middlewares.challenge.ChallengeMiddleware": 590,
    "sulsel_crawler.middlewares.rendering.RenderMiddleware": 595,
    # Sees a redirect before RedirectMiddleware (600) follows it.
    "sulsel_crawler.middlewares.known_redirects.KnownRedirectsMiddleware": 610,
    # With WARC_ENABLED: archives every raw response (redirects, challenges,
    # renders), before any other middleware changes it.
    "sulsel_crawler.middlewares.archive.ArchiveMiddleware": 930,
    # Last before the download handler: keeps CONCURRENT_REQUESTS_PER_DOMAIN.
    "sulsel_crawler.middlewares.in_flight.RequestsInFlight": 940,
}
# Each record's source_warc: the archived response it was read from.
SPIDER_MIDDLEWARES = {"sulsel_crawler.middlewares.provenance.ProvenanceMiddleware": 950}

# --- Web archive (sulsel_crawler/middlewares/archive.py, docs/archive.md) ---
# ``-s WARC_ENABLED=1``: every response fetched goes to gzip WARC files in
# WARC_DIR/<site>/ (the crawl state's name of the site), a new file every
# WARC_MAX_FILE_SIZE bytes; ``scrapy reextract`` builds the dataset from them.
WARC_ENABLED = False
WARC_DIR = "output/warc"
WARC_MAX_FILE_SIZE = 100 * 1024 * 1024

# --- Output ----------------------------------------------------------------
# Where a crawl writes when neither -o/-O nor FEEDS names a feed (Scrapy would
# merge a FEEDS default here with -O, writing two datasets): see
# sulsel_crawler/commands/crawl.py.
DEFAULT_FEED_URI = "output/%(name)s-%(time)s.jsonl"
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = list(ARTICLE_FIELDS)
FEED_EXPORTERS = {
    "jsonlines": "sulsel_crawler.exporters.JsonLinesArticleExporter",
    "jsonl": "sulsel_crawler.exporters.JsonLinesArticleExporter",
    "jl": "sulsel_crawler.exporters.JsonLinesArticleExporter",
    "csv": "sulsel_crawler.exporters.CsvArticleExporter",
}
ITEM_PIPELINES = {
    "sulsel_crawler.pipelines.ValidationPipeline": 100,
    "sulsel_crawler.pipelines.DedupePipeline": 200,
}
# ``scrapy crawl`` that exits with the status of the crawl's outcome; ``shell``,
# ``fetch``, ``view``, ``parse``, ``check`` and ``extract`` that look at pages
# without crawling (docs/debugging.md).
COMMANDS_MODULE = "sulsel_crawler.commands"
# ``scrapy check``: contracts that read pages stored in the repository.
SPIDER_CONTRACTS = {
    "sulsel_crawler.contracts.StoredPageContract": 10,
    "sulsel_crawler.contracts.ValidRecordsContract": 20,
}

LOG_LEVEL = "INFO"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# --- Extensions ------------------------------------------------------------
# ``-s STATS_FILE=path`` writes the final crawl stats as JSON; last, so it sees every other
# extension's closing stats.
STATS_FILE = ""
EXTENSIONS = {
    "sulsel_crawler.extensions.single_run.SingleRun": -2,
    "sulsel_crawler.extensions.crawl_state.CrawlState": -1,
    "sulsel_crawler.extensions.rejects.RejectsLog": 500,
    "sulsel_crawler.extensions.coverage.CoverageLog": 800,
    "sulsel_crawler.extensions.progress.CrawlProgress": 810,
    "sulsel_crawler.extensions.outcome.CrawlOutcome": 900,
    "sulsel_crawler.extensions.report.DatasetReport": 950,
    "sulsel_crawler.extensions.stats_file.StatsFile": 1000,
}
# Rejected pages and records go to REJECTS_URI, by default next to the first feed.
REJECTS_URI = ""

# --- Progress and coverage (sulsel_crawler/extensions/progress.py, coverage.py)
# Every PROGRESS_INTERVAL seconds (0: never) one log line: articles
# discovered, fetched, exported, rejected, failed, requests queued, rate,
# and where a total is known the share done and the time left.
PROGRESS_INTERVAL = 60
# At the end: what became of every discovered article URL, per source and
# category, in the stats and in <dataset>.coverage.json (docs/report.md).
COVERAGE_ENABLED = True
# After the outcome, beside a JSON Lines dataset: <dataset>.report.html,
# <dataset>.report.json and the dataset card README.md (docs/report.md).
REPORT_ENABLED = True

# --- Monitors and the crawl's outcome (sulsel_crawler/monitors.py) ---------
# Spidermon monitors judge every crawl at its end; a failed one makes the
# crawl's exit status non-zero (sulsel_crawler/outcome.py, docs/monitors.md).
# A full, unfiltered crawl (resumed runs included) exports at least this many
# articles: of the live site, or of a mirror (-a base_url: a test or demo
# copy of any size, so only "nothing" fails).
MONITOR_MIN_EXPORTED = 10_000
MONITOR_MIN_EXPORTED_MIRROR = 1
# Extraction: share of article pages rejected, share of records that came
# from the fallback extraction.
MONITOR_MAX_REJECT_RATIO = 0.5
MONITOR_MAX_FALLBACK_RATIO = 0.2
# Per request: ERROR lines and pages given up on; retries.
MONITOR_MAX_ERROR_RATIO = 0.1
MONITOR_MAX_RETRY_RATIO = 0.25
# The records, once at least MONITOR_COVERAGE_MIN_RECORDS were exported:
# minimum share of records that carry each field, body word counts, and
# publication dates from MONITOR_SITE_LIFE_START to today (a small share of
# odd dates is tolerated).
MONITOR_COVERAGE_MIN_RECORDS = 20
# The samples have 93-97% (tags 82-86%); a layout change drops a field to
# about 0%: the minimums leave room for the live site's own variation.
MONITOR_FIELD_COVERAGE = {"author": 0.7, "image_url": 0.7, "tags": 0.5, "summary": 0.7, "dateline": 0.7}
MONITOR_MIN_MEDIAN_WORD_COUNT = 50
MONITOR_SHORT_BODY_WORDS = 20
MONITOR_MAX_SHORT_BODY_RATIO = 0.1
MONITOR_SITE_LIFE_START = "2014-01-01"
MONITOR_MAX_OUTSIDE_SITE_LIFE_RATIO = 0.01

# --- One crawl of a site at a time (sulsel_crawler/extensions/single_run.py) --
# A crawl that finds another crawl of the same site running stops at once
# (finish reason ``another_crawl_running``). Order -2: it must run before
# Scrapy's own extensions (order 0), so that a crawl that stops never opens
# its feeds, JOBDIR or crawl state. Every crawl of a site must see the same
# lock directory.
SINGLE_RUN_ENABLED = True
SINGLE_RUN_LOCK_DIR = os.path.join(tempfile.gettempdir(), "sulsel_crawler-locks")

# --- Crawl state: resume, update (sulsel_crawler/extensions/crawl_state.py) --
# One SQLite file per site (``%(site)s``: www.sulselsatu.com, or the mirror's
# name): every article exported, every URL that failed, every run. Running
# the same command again continues an unfinished crawl. Order -1: after the
# lock, before the feeds open. Empty: no state (every crawl is a fresh, full one).
CRAWL_STATE = "output/state/%(site)s.sqlite"
# A URL that failed in this many runs in a row is given up (not tried again).
CRAWL_STATE_GIVE_UP_AFTER_RUNS = 3

# --- Distributed crawl (scrapy-redis) (sulsel_crawler/distributed.py) -------
# ``-s REDIS_URL=redis://host:6379/0 -s FRONTIER_CRAWL_ID=<id>`` makes this
# crawl one worker of a crawl that several workers share through one frontier
# on Redis. FRONTIER_CRAWL_ID names the crawl's frontier: the same for every
# worker of it. Empty REDIS_URL: an ordinary, single-process crawl.
ADDONS = {"sulsel_crawler.distributed.DistributedCrawl": 0}
REDIS_URL = ""
FRONTIER_CRAWL_ID = ""
# A worker closes once the shared queue is empty and no other worker is busy
# (sulsel_crawler/extensions/cluster_idle.py); should the others never settle,
# after this long with nothing to do.
FRONTIER_MAX_IDLE_SECONDS = 300
# A worker waits this long for a Redis that stopped answering, then stops with
# finish reason redis_lost (sulsel_crawler/redis_outage.py).
REDIS_OUTAGE_MAX_SECONDS = 60
# The site sees one politeness budget (DOWNLOAD_DELAY between request starts,
# CONCURRENT_REQUESTS_PER_DOMAIN in flight) for all workers together, not one
# per worker (sulsel_crawler/middlewares/cluster_politeness.py).
CLUSTER_POLITENESS_ENABLED = True
