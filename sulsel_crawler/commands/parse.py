"""Scrapy's ``parse`` command, run as a look at pages, not a crawl (``commands/one_page.py``)."""

from scrapy.commands.parse import Command as ScrapyParseCommand

from sulsel_crawler.commands.one_page import OnePageCommand


class Command(OnePageCommand, ScrapyParseCommand):
    pass
