"""Spider arguments (``-a name=value``), checked once, before the crawl starts."""

from dataclasses import dataclass, fields
from urllib.parse import urlsplit

from sulsel_crawler.browser import RENDER_MODES

# Scrapyd adds ``_job`` to every job's spider arguments.
SCRAPYD_ARGUMENTS = frozenset({"_job"})


class ArgumentError(ValueError):
    pass


@dataclass(frozen=True)
class CrawlArguments:
    base_url: str | None = None
    render: str | None = None

    @classmethod
    def parse(cls, raw: dict[str, str]) -> "CrawlArguments":
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(raw) - known - SCRAPYD_ARGUMENTS)
        if unknown:
            raise ArgumentError(
                f"unknown spider argument(s): {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known))}"
            )
        return cls(base_url=_origin(raw.get("base_url")), render=_render_mode(raw.get("render")))


def _origin(value: str | None) -> str | None:
    """A mirror's base URL: ``http(s)://host[:port][/prefix]``, without a trailing slash."""
    if not value:
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
