"""The test tiers, a pytest plugin (tests/conftest.py loads it).

Every test carries the markers of the tiers that apply to it (pyproject.toml
says what each means): ``unit`` alone, ``corpus`` (the larger sample's pages),
``replica`` (the replica server's own tests), or any of ``crawl``,
``browser``, ``scrapyd`` and ``redis``. A test without one stops the run before any test
runs, so no new test slips out of the tiers. A test of the ``browser``,
``redis`` or ``scrapyd`` tier needs that real component (``require_component``).
"""

import pytest

from tests.support.components import require_component

TIERS = ("unit", "corpus", "replica", "crawl", "browser", "scrapyd", "redis")
COMPONENT_OF_TIER = {"browser": "chromium", "redis": "redis-server", "scrapyd": "scrapyd"}


def tiers_of(item: pytest.Item) -> set[str]:
    return {mark.name for mark in item.iter_markers() if mark.name in TIERS}


def tier_problem(tiers: set[str]) -> str | None:
    if not tiers:
        return "no tier marker"
    if "unit" in tiers and len(tiers) > 1:
        return f"unit together with {', '.join(sorted(tiers - {'unit'}))}"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    problems = [
        f"  {item.nodeid}: {problem}"
        for item in items
        if (problem := tier_problem(tiers_of(item)))
    ]
    if problems:
        raise pytest.UsageError(
            "every test needs the markers of its tiers, e.g. pytestmark = pytest.mark.unit "
            f"(tiers: {', '.join(TIERS)}; see pyproject.toml):\n" + "\n".join(problems)
        )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    for tier in sorted(tiers_of(item) & COMPONENT_OF_TIER.keys()):
        require_component(COMPONENT_OF_TIER[tier])
