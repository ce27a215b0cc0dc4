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

:class:`~sulsel_crawler.extensions.extraction_alarm.ExtractionAlarm` weighs
the crawl's records and rejects against these pages.
"""
