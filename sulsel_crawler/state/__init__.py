"""The crawl state of a site: its SQLite store (``store``) and the reading of
what a killed run wrote past what the store knew (``datasets``). The crawl
uses it through :class:`~sulsel_crawler.extensions.crawl_state.CrawlState`."""
