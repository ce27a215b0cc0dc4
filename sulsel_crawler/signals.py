"""Signals of this project, sent and received through ``crawler.signals`` like
Scrapy's own (https://docs.scrapy.org/en/latest/topics/signals.html)."""

page_rejected = object()
"""A page or an item was lost on purpose, for a reason someone should read.

Any component that gives up on a page or drops an item sends it::

    crawler.signals.send_catch_log(
        signal=page_rejected,
        url=url,                        # the page's URL, or None if unknown
        reasons=["title: missing"],     # list[str], each readable on its own
        stage="validation",             # where it was lost
    )

Stages in use: ``"download"``, ``"browser"``, ``"extraction"`` and
``"split_article"`` (the spider), ``"validation"`` and ``"duplicate"`` (the
item pipelines).
:class:`~sulsel_crawler.extensions.rejects.RejectsLog` writes every reject to
the rejects file, logs it and counts it.
"""

article_page_parsed = object()
"""The spider is reading an article page (each page of a split article
counts), whether or not a record comes of it::

    crawler.signals.send_catch_log(signal=article_page_parsed, url=response.url)

:class:`~sulsel_crawler.extensions.outcome.CrawlOutcome` counts them for the
extraction monitor, which weighs the crawl's records and rejects against them.
"""

crawl_run_started = object()
"""The crawl state has decided how this run starts, before the scheduler
opens::

    crawler.signals.send_catch_log(signal=crawl_run_started, joined=False)

``joined`` is true when the run joins a crawl that other workers are still
running; otherwise the run starts or resumes a crawl on its own, and a shared
frontier that earlier runs left (:mod:`sulsel_crawler.distributed`) is stale.
"""

link_found = object()
"""The spider found a link to follow, whether or not the crawl plan wants it
(an article exported earlier, outside ``since``/``categories``, given up)::

    crawler.signals.send_catch_log(signal=link_found, link=link, wanted=True)

:class:`~sulsel_crawler.extensions.coverage.CoverageLog` counts the article
URLs each source lists.
"""

browser_idle = object()
"""No render needs the browser for now (``render=auto``: the challenge cookie
has been taken)::

    await crawler.signals.send_catch_log_async(signal=browser_idle)

:class:`~sulsel_crawler.on_demand_browser.BrowserOnDemandHandler` closes
Chromium and Playwright's driver until the next render.
"""
