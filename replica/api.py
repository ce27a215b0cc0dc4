"""The WordPress REST API, as the live site may answer it (SITE.md, "WordPress REST API").

Off by default: `ReplicaServer(..., api=True)` or `python -m replica --api`.
Built from the snapshot's `expected.jsonl`, so an evolved snapshot's API
shows its new and modified articles. Routes:

- `GET /wp-json/` — the index (`namespaces`: `["wp/v2"]`);
- `GET /wp-json/wp/v2/posts` — posts, newest first, with `per_page`,
  `page`, `orderby` (`date`, `modified`, `id`), `order`, `after`, `before`,
  `modified_after`, `modified_before` (ISO 8601, site time; an offset is
  converted to site time), `_fields`; headers `X-WP-Total`,
  `X-WP-TotalPages` and `Link` (`rel="prev"`, `rel="next"` on the replica's
  own origin);
- `GET /wp-json/wp/v2/posts/<id>` — one post;
- `GET /wp-json/wp/v2/categories` — the eight categories with their counts.

Post ids number the articles from 1 in order of publication (then URL), so
articles published later always get higher ids and an evolved snapshot
keeps the ids of the original one. Dates are site time (WITA) without
offset, `*_gmt` the same moment in UTC. A legacy record's `modified_at` is
null: its `modified` is its publication time. Posts carry no `content`:
records come from the article pages.
"""

import json
import math
import re
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from .behaviour import Response

API_PREFIX = "/wp-json"
JSON = "application/json; charset=UTF-8"
WITA = timezone(timedelta(hours=8))
PUBLIC_ORIGIN = "https://www.sulselsatu.com"
# Slug → display name, in the order of the site's navigation; ids 1 to 8.
CATEGORIES = {
    "makassar": "Makassar",
    "sulsel": "Sulsel",
    "hukum": "Hukum",
    "ekonomi": "Ekonomi",
    "politik": "Politik",
    "olahraga": "Olahraga",
    "pendidikan": "Pendidikan",
    "news": "News",
}
ORDERBY = ("date", "modified", "id")
DATE_PARAMETERS = ("after", "before", "modified_after", "modified_before")
RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)
EXCERPT_WORDS = 55


def is_api_path(path: str) -> bool:
    """True for the paths the API answers when it is on (`/wp-json`, `/wp-json/...`)."""
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def api_requests(requests: list[dict]) -> list[dict]:
    """The API requests of a request log (they are in no page's links:
    `requests_log.unlinked_requests` reports them)."""
    return [request for request in requests if is_api_path(request["path"])]


def _site_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=WITA) if moment.tzinfo is None else moment.astimezone(WITA)


def _local(moment: datetime) -> str:
    return moment.astimezone(WITA).replace(tzinfo=None).isoformat()


def _gmt(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat()


def _slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")


def _error(status: int, code: str, message: str, **data) -> Response:
    body = {"code": code, "message": message, "data": {"status": status, **data}}
    return Response(status, JSON, json.dumps(body).encode())


def _invalid_param(name: str, reason: str) -> Response:
    return _error(
        400,
        "rest_invalid_param",
        f"Invalid parameter(s): {name}",
        params={name: reason},
        details={},
    )


def _json(body, headers: dict[str, str] | None = None) -> Response:
    return Response(200, JSON, json.dumps(body, ensure_ascii=False).encode(), headers or {})


class _Post:
    """One article as a post: the record's fields and the moments to filter and sort by."""

    def __init__(self, post_id: int, record: dict, tag_ids: dict[str, int]):
        self.id = post_id
        self.date = _site_time(record["published_at"])
        self.modified = _site_time(record["modified_at"] or record["published_at"])
        url = record["url"]
        summary = record.get("summary")
        if summary:
            excerpt = f"<p>{escape(summary, quote=False)}</p>\n"
        else:  # WordPress's own excerpt: the first 55 words
            words = record["body"].split()
            more = " [&hellip;]" if len(words) > EXCERPT_WORDS else ""
            excerpt = f"<p>{escape(' '.join(words[:EXCERPT_WORDS]), quote=False)}{more}</p>\n"
        category = record["category_slug"]
        self.json = {
            "id": post_id,
            "date": _local(self.date),
            "date_gmt": _gmt(self.date),
            "guid": {"rendered": f"{PUBLIC_ORIGIN}/?p={post_id}"},
            "modified": _local(self.modified),
            "modified_gmt": _gmt(self.modified),
            "slug": urlsplit(url).path.rsplit("/", 1)[-1].removesuffix(".html"),
            "status": "publish",
            "type": "post",
            "link": url,
            "title": {"rendered": escape(record["title"], quote=False)},
            "excerpt": {"rendered": excerpt, "protected": False},
            "categories": [list(CATEGORIES).index(category) + 1] if category in CATEGORIES else [],
            "tags": [tag_ids[_slugify(tag)] for tag in record.get("tags") or []],
        }


class WordPressAPI:
    """Answers `/wp-json/...` requests from a snapshot's gold records."""

    def __init__(self, records: list[dict], origin: str):
        self.origin = origin
        tag_slugs = sorted({_slugify(tag) for record in records for tag in record.get("tags") or []})
        self.tag_ids = {slug: len(CATEGORIES) + number for number, slug in enumerate(tag_slugs, 1)}
        ordered = sorted(records, key=lambda record: (_site_time(record["published_at"]), record["url"]))
        self.posts = [_Post(number, record, self.tag_ids) for number, record in enumerate(ordered, 1)]
        self.by_id = {post.id: post for post in self.posts}

    @classmethod
    def from_snapshot(cls, snapshot_dir: Path | str, origin: str) -> "WordPressAPI":
        gold = Path(snapshot_dir) / "expected.jsonl"
        lines = gold.read_text(encoding="utf-8").splitlines() if gold.is_file() else []
        return cls([json.loads(line) for line in lines if line.strip()], origin)

    def answer(self, path: str, query: str) -> Response | None:
        """The API's answer, or None for a path outside `/wp-json`."""
        if not is_api_path(path):
            return None
        route = path[len(API_PREFIX):].rstrip("/")
        params = dict(parse_qsl(query, keep_blank_values=True))
        if route == "":
            return self._index()
        if route == "/wp/v2/posts":
            return self._posts(params, query)
        single = re.fullmatch(r"/wp/v2/posts/(\d+)", route)
        if single:
            post = self.by_id.get(int(single[1]))
            if post is None:
                return _error(404, "rest_post_invalid_id", "Invalid post ID.")
            return _json(self._fields(post.json, params.get("_fields")))
        if route == "/wp/v2/categories":
            return self._categories(params)
        return _error(404, "rest_no_route", "No route was found matching the URL and request method.")

    def _index(self) -> Response:
        return _json(
            {
                "name": "Sulselsatu",
                "description": "Berita Terkini Sulawesi Selatan",
                "url": PUBLIC_ORIGIN,
                "home": PUBLIC_ORIGIN,
                "gmt_offset": 8,
                "timezone_string": "Asia/Makassar",
                "namespaces": ["wp/v2"],
                "authentication": {},
                "routes": {
                    "/": {"namespace": "", "methods": ["GET"]},
                    "/wp/v2/posts": {"namespace": "wp/v2", "methods": ["GET"]},
                    "/wp/v2/posts/(?P<id>[\\d]+)": {"namespace": "wp/v2", "methods": ["GET"]},
                    "/wp/v2/categories": {"namespace": "wp/v2", "methods": ["GET"]},
                },
            }
        )

    def _posts(self, params: dict[str, str], query: str) -> Response:
        paging = self._paging(params)
        if isinstance(paging, Response):
            return paging
        per_page, page = paging
        orderby = params.get("orderby", "date")
        if orderby not in ORDERBY:
            return _invalid_param("orderby", f"orderby is not one of {', '.join(ORDERBY)}.")
        order = params.get("order", "desc")
        if order not in ("asc", "desc"):
            return _invalid_param("order", "order is not one of desc, asc.")
        bounds = {}
        for name in DATE_PARAMETERS:
            if name in params:
                value = params[name]
                try:
                    if not RFC3339.match(value):
                        raise ValueError(value)
                    bounds[name] = _site_time(value.replace("z", "Z").replace("Z", "+00:00"))
                except ValueError:
                    return _invalid_param(name, "Invalid date.")
        posts = [post for post in self.posts if self._within(post, bounds)]

        def key(post: _Post):
            moment = {"date": post.date, "modified": post.modified}.get(orderby)
            return (moment, post.id) if moment else (post.id,)

        posts.sort(key=key, reverse=order == "desc")
        return self._page_of(
            [post.json for post in posts], per_page, page, params.get("_fields"), "/wp/v2/posts", query,
            "rest_post_invalid_page_number",
        )

    def _categories(self, params: dict[str, str]) -> Response:
        paging = self._paging(params)
        if isinstance(paging, Response):
            return paging
        per_page, page = paging
        counts: dict[str, int] = {}
        for post in self.posts:
            for category_id in post.json["categories"]:
                slug = list(CATEGORIES)[category_id - 1]
                counts[slug] = counts.get(slug, 0) + 1
        categories = [
            {
                "id": number,
                "count": counts.get(slug, 0),
                "description": "",
                "link": f"{PUBLIC_ORIGIN}/kanal/{slug}",
                "name": name,
                "slug": slug,
                "taxonomy": "category",
                "parent": 0,
            }
            for number, (slug, name) in enumerate(CATEGORIES.items(), 1)
        ]
        query = urlencode(params)
        return self._page_of(
            categories, per_page, page, params.get("_fields"), "/wp/v2/categories", query,
            "rest_invalid_page_number",
        )

    @staticmethod
    def _paging(params: dict[str, str]) -> tuple[int, int] | Response:
        per_page, page = params.get("per_page", "10"), params.get("page", "1")
        if not re.fullmatch(r"\d+", per_page) or not 1 <= int(per_page) <= 100:
            return _invalid_param("per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)")
        if not re.fullmatch(r"\d+", page) or int(page) < 1:
            return _invalid_param("page", "page must be greater than or equal to 1")
        return int(per_page), int(page)

    @staticmethod
    def _within(post: _Post, bounds: dict[str, datetime]) -> bool:
        """WordPress's date filters: strictly after / strictly before."""
        checks = {
            "after": lambda moment: post.date > moment,
            "before": lambda moment: post.date < moment,
            "modified_after": lambda moment: post.modified > moment,
            "modified_before": lambda moment: post.modified < moment,
        }
        return all(checks[name](moment) for name, moment in bounds.items())

    def _page_of(
        self,
        items: list[dict],
        per_page: int,
        page: int,
        fields: str | None,
        route: str,
        query: str,
        past_end_code: str,
    ) -> Response:
        total = len(items)
        pages = math.ceil(total / per_page)
        if page > pages and total > 0:
            return _error(
                400, past_end_code, "The page number requested is larger than the number of pages available."
            )
        chunk = items[(page - 1) * per_page: page * per_page]
        links = []
        if page > 1:
            links.append(f'<{self._page_url(route, query, min(page - 1, max(pages, 1)))}>; rel="prev"')
        if pages > page:
            links.append(f'<{self._page_url(route, query, page + 1)}>; rel="next"')
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        if links:
            headers["Link"] = ", ".join(links)
        return _json([self._fields(item, fields) for item in chunk], headers)

    def _page_url(self, route: str, query: str, page: int) -> str:
        """The request's own URL on the replica's origin with another `page`."""
        pairs = [(name, value) for name, value in parse_qsl(query, keep_blank_values=True) if name != "page"]
        pairs.append(("page", str(page)))
        return f"{self.origin}{API_PREFIX}{route}?{urlencode(pairs, quote_via=quote, safe=',:')}"

    @staticmethod
    def _fields(item: dict, fields: str | None) -> dict:
        """`_fields`: the listed top-level fields (or `a.b` nested ones), in the item's order."""
        if not fields:
            return item
        wanted = [name.strip() for name in fields.split(",") if name.strip()]
        kept = {}
        for name, value in item.items():
            nested = [field.split(".", 1)[1] for field in wanted if field.startswith(name + ".")]
            if name in wanted:
                kept[name] = value
            elif nested and isinstance(value, dict):
                kept[name] = {key: inner for key, inner in value.items() if key in nested}
        return kept
