"""What the tests share: the crawl runner (``crawl``), the gold records
(``gold``), the guards' crawler and records crawl (``guards``), one HTTP
request to a local server (``http``), the real components of the slow tiers
(``components``) and the tier markers' plugin (``tiers``)."""
