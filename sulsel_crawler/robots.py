"""robots.txt parsing that also keeps the file's ``Sitemap:`` lines.

Scrapy's RobotsTxtMiddleware fetches robots.txt once and announces the parser
with the ``robots_parsed`` signal; keeping the sitemaps on that parser lets the
spider discover them without fetching robots.txt a second time.
"""

import codecs

from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.sitemap import sitemap_urls_from_robots


class SitemapAwareRobotParser(ProtegoRobotParser):
    def __init__(self, robotstxt_body: bytes, spider):
        super().__init__(robotstxt_body, spider)
        # A byte order mark would hide a Sitemap: line that opens the file.
        self.sitemaps = list(sitemap_urls_from_robots(robotstxt_body.removeprefix(codecs.BOM_UTF8)))
