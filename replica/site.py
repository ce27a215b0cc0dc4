"""How a snapshot folder maps URLs to files, content types and page keys.

A snapshot folder holds `site/` (one file per URL path) and `manifest.json`
(the site's dynamic behaviours). Nothing here speaks HTTP.
"""

import fnmatch
import json
from pathlib import Path
from urllib.parse import parse_qs

# The manifest's content type for paths answered with a placeholder image.
PLACEHOLDER = "image placeholder"


def load_manifest(snapshot_dir: Path | str) -> dict:
    return json.loads((Path(snapshot_dir) / "manifest.json").read_text(encoding="utf-8"))


def page_number(query: str) -> int:
    """The `?page=N` of a query string; 1 when absent or not a number ≥ 1."""
    values = parse_qs(query).get("page")
    if not values or not values[0].isdigit():
        return 1
    return max(int(values[0]), 1)


def page_key(path: str, query: str = "") -> str:
    """One key per distinct page: the path, plus `?page=N` for pages 2 and up.

    Other query parameters (tracking) do not change the page. The keys match
    the manifest's `linked` list.
    """
    number = page_number(query)
    return path if number == 1 else f"{path}?page={number}"


def content_type_for(manifest: dict, path: str) -> str:
    """The manifest's content type for a path; PLACEHOLDER for images and assets."""
    rules = manifest["content_types"]
    for patterns, content_type in rules.items():
        if patterns == "default":
            continue
        if any(_matches(path, pattern) for pattern in patterns.split(", ")):
            return content_type
    return rules["default"]


def _matches(path: str, pattern: str) -> bool:
    if "*" in pattern:
        return fnmatch.fnmatchcase(path, pattern)
    return path == pattern


class Snapshot:
    """A snapshot folder: its manifest and the file behind each page."""

    def __init__(self, snapshot_dir: Path | str):
        self.root = Path(snapshot_dir).resolve()
        self.site_dir = self.root / "site"
        self.manifest = load_manifest(self.root)

    def file_for(self, path: str, page: int = 1) -> Path | None:
        """The file that holds a page, or None when the site has no such page."""
        if not path.startswith("/"):
            return None
        relative = path[1:]
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        if page >= 2:
            relative += f"__page-{page}"
        candidate = (self.site_dir / relative).resolve()
        if not candidate.is_relative_to(self.site_dir) or not candidate.is_file():
            return None
        return candidate
