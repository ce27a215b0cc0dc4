"""Where things live on sulselsatu.com: hosts, URL shapes and URL normalisation.

Everything that knows the site's URL layout is here, so crawling and
extraction agree on what a page's address is.
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

PUBLIC_ORIGIN = "https://www.sulselsatu.com"
CANONICAL_HOST = "www.sulselsatu.com"
SITE_HOSTS = frozenset({"sulselsatu.com", "www.sulselsatu.com", "cdn.sulselsatu.com"})
PAGE_HOSTS = frozenset({"sulselsatu.com", "www.sulselsatu.com"})

ARTICLE_PATH = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([a-z0-9-]+)/([^/?#]+)\.html$")
CDN_RESIZE = re.compile(r"^/imageresize(/assets/[^&?#]+)")

TRACKING_PARAMS = re.compile(r"^(utm_|fbclid$|gclid$)")


def is_site_url(url: str) -> bool:
    return (urlsplit(url).hostname or "") in SITE_HOSTS


def normalize_url(url: str) -> str:
    """The one address of a page on the site: https, www host, no fragment,
    no tracking parameters, no ``page=1``, query parameters sorted.

    Two links that lead to the same page normalise to the same string, so
    Scrapy's duplicate filter requests that page once.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in PAGE_HOSTS:
        host = CANONICAL_HOST
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(key) and not (key == "page" and value == "1")
    ]
    cleaned = urlunsplit(("https", host, parts.path or "/", urlencode(query), ""))
    return canonicalize_url(cleaned, keep_fragments=False)


def is_article_url(url: str) -> bool:
    parts = urlsplit(url)
    return (parts.hostname or "") in PAGE_HOSTS and bool(ARTICLE_PATH.match(parts.path))


def article_url(url: str) -> str:
    """The public article address a record carries: https, www, no query, no fragment."""
    parts = urlsplit(url)
    return urlunsplit(("https", CANONICAL_HOST, parts.path, "", ""))


def category_slug(url: str) -> str | None:
    match = ARTICLE_PATH.match(urlsplit(url).path)
    return match.group(4) if match else None


def original_image_url(url: str) -> str:
    """A resizer URL (``cdn…/imageresize/assets/…&width=W&height=H``) as the
    original asset on the www host; any other site image URL on the www host."""
    parts = urlsplit(url)
    if (parts.hostname or "") not in SITE_HOSTS:
        return url
    resized = CDN_RESIZE.match(parts.path)
    path = resized.group(1) if resized else parts.path
    return urlunsplit(("https", CANONICAL_HOST, path, parts.query if not resized else "", ""))

