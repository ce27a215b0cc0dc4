"""The real components of the slow tiers: Chromium (``browser``), redis-server
(``redis``) and Scrapyd (``scrapyd``).

A test whose component is missing is skipped, naming what is missing and how
to install it; in CI (``CI=true``) it fails instead, so that a missing
component never passes unnoticed.
"""

import importlib.util
import os
import shutil
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from sulsel_crawler.browser import system_chromium


def installed_chromium() -> str | None:
    """The Chromium a crawl launches: the system's, else Playwright's own."""
    if executable := system_chromium():
        return executable
    from playwright.sync_api import sync_playwright  # half a second to import: only when needed

    with sync_playwright() as playwright:
        executable = playwright.chromium.executable_path
    return executable if Path(executable).is_file() else None


def installed_scrapyd() -> str | None:
    """scrapyd-deploy, where Scrapyd itself is installed too."""
    deploy = shutil.which("scrapyd-deploy", path=Path(sys.executable).parent)
    return deploy if deploy and importlib.util.find_spec("scrapyd") else None


@dataclass(frozen=True)
class Component:
    find: Callable[[], str | None]
    install: str


COMPONENTS = {
    "chromium": Component(installed_chromium, "apt-get install chromium (or make browser)"),
    "redis-server": Component(lambda: shutil.which("redis-server"), "apt-get install redis-server"),
    "scrapyd": Component(installed_scrapyd, "make install-dev (pip install -e '.[dev]')"),
}


@cache
def locate(name: str) -> str | None:
    return COMPONENTS[name].find()


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"true", "1"}


def require_component(name: str) -> str:
    """Where the component *name* is installed. When it is missing, the test
    that needs it is skipped, or failed in CI."""
    location = locate(name)
    if location is None:
        message = f"{name} not found: {COMPONENTS[name].install}"
        if in_ci():
            pytest.fail(f"{message} (CI=true: a missing component fails the run)", pytrace=False)
        pytest.skip(message)
    return location


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
