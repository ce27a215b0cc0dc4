"""Scrapy's ``view`` command, run as a look at pages, not a crawl (``commands/one_page.py``)."""

from scrapy.commands.view import Command as ScrapyViewCommand

from sulsel_crawler.commands.one_page import OnePageCommand


class Command(OnePageCommand, ScrapyViewCommand):
    pass
