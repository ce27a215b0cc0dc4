"""Spider arguments (``-a name=value``), checked once, before the crawl starts."""

import re
from dataclasses import dataclass, fields
from datetime import date
from urllib.parse import urlsplit

from sulsel_crawler.browser import RENDER_MODES

# Scrapyd adds ``_job`` to every job's spider arguments.
SCRAPYD_ARGUMENTS = frozenset({"_job"})
CRAWL_MODES = ("full", "update")
CATEGORY_SLUG = re.compile(r"^[a-z0-9-]+$")


class ArgumentError(ValueError):
    pass


@dataclass(frozen=True)
class CrawlArguments:
    base_url: str | None = None
    render: str | None = None
    mode: str = "full"
    since: date | None = None
    categories: frozenset[str] | None = None

    @classmethod
    def parse(cls, raw: dict[str, str]) -> "CrawlArguments":
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(raw) - known - SCRAPYD_ARGUMENTS)
        if unknown:
            raise ArgumentError(
                f"unknown spider argument(s): {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known))}"
            )
        empty = sorted(name for name in known if name in raw and not str(raw[name]).strip())
        if empty:
            raise ArgumentError(f"spider argument {empty[0]} is empty; leave it out for the default")
        return cls(
            base_url=_origin(raw.get("base_url")),
            render=_render_mode(raw.get("render")),
            mode=_crawl_mode(raw.get("mode", "full")),
            since=_since(raw.get("since")),
            categories=_categories(raw.get("categories")),
        )


def _origin(value: str | None) -> str | None:
    """A mirror's base URL: ``http(s)://host[:port][/prefix]``, without a trailing slash."""
    if value is None:
        return None
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when it is read
    except ValueError as error:
        raise ArgumentError(f"base_url {value!r}: {error}") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ArgumentError(
            f"base_url {value!r} is not an http(s) origin such as http://127.0.0.1:8765"
        )
    if parts.query or parts.fragment:
        raise ArgumentError(f"base_url {value!r} must not carry a query or fragment")
    return value.rstrip("/")


def _render_mode(value: str | None) -> str | None:
    """When the browser fetches pages: ``auto``, ``always`` or ``never``
    (None: the ``BROWSER_RENDER`` setting decides)."""
    if value is None:
        return None
    if value not in RENDER_MODES:
        raise ArgumentError(f"render {value!r} is not one of {', '.join(RENDER_MODES)}")
    return value


def _crawl_mode(value: str) -> str:
    """``full``: every article; ``update``: only what is new or changed since
    the crawl state's last finished crawl."""
    if value not in CRAWL_MODES:
        raise ArgumentError(f"mode {value!r} is not one of {', '.join(CRAWL_MODES)}")
    return value


def _since(value: str | None) -> date | None:
    """Only articles published on or after this day (``YYYY-MM-DD``)."""
    if value is None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ArgumentError(f"since {value!r} is not a day such as 2024-01-31")


def _categories(value: str | None) -> frozenset[str] | None:
    """Only articles of these sections, by the slug in their URL (``makassar,hukum``)."""
    if value is None:
        return None
    slugs = [slug.strip() for slug in value.split(",")]
    bad = [slug for slug in slugs if not CATEGORY_SLUG.match(slug)]
    if bad:
        raise ArgumentError(
            f"categories {value!r}: {bad[0]!r} is not a section slug such as makassar (a-z, 0-9, -)"
        )
    return frozenset(slugs)
