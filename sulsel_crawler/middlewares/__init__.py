"""Downloader middlewares: behaviour that applies to every request.

``challenge`` passes the site's JavaScript cookie challenge; ``rendering``
confines every browser render to the site and counts its renders;
``refusals`` reports the pages the crawl refuses (off-site redirects,
redirect loops, pages too large); ``known_redirects`` leaves redirects to
unwanted articles unfollowed.
"""
