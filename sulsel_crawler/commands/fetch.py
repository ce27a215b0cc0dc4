"""Scrapy's ``fetch`` command, run as a look at pages, not a crawl (``commands/one_page.py``)."""

from scrapy.commands.fetch import Command as ScrapyFetchCommand

from sulsel_crawler.commands.one_page import OnePageCommand


class Command(OnePageCommand, ScrapyFetchCommand):
    pass
