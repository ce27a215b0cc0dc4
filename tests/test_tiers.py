"""The test tiers themselves: no test without its tier markers, and no
missing component that passes unnoticed."""

import pytest

from tests.support import components

pytestmark = pytest.mark.unit

TIER_MARKERS = """
[pytest]
markers =
    unit: -
    crawl: -
    redis: -
"""


@pytest.fixture
def suite(pytester):
    """Runs a test module of its own with the tiers plugin, in this process."""
    pytester.makeini(TIER_MARKERS)

    def run(source: str) -> pytest.RunResult:
        pytester.makepyfile(test_suite=source)
        return pytester.runpytest_inprocess("-p", "tests.support.tiers", "-rs")

    return run


@pytest.fixture
def without_components(monkeypatch):
    monkeypatch.setattr(components, "locate", lambda name: None)


def test_a_test_without_its_tiers_stops_the_run(suite):
    result = suite(
        """
import pytest

def test_untiered():
    pass

@pytest.mark.unit
@pytest.mark.crawl
def test_unit_and_crawl():
    pass

@pytest.mark.unit
def test_tiered():
    pass
"""
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = result.stderr.str()
    assert "test_suite.py::test_untiered: no tier marker" in errors
    assert "test_suite.py::test_unit_and_crawl: unit together with crawl" in errors
    assert "test_tiered:" not in errors


def test_a_missing_component_skips_its_tests_naming_how_to_install_it(suite, without_components, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    result = suite(
        """
import pytest

@pytest.mark.crawl
@pytest.mark.redis
def test_needs_redis():
    pass
"""
    )
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*redis-server not found: apt-get install redis-server"])


def test_a_missing_component_fails_in_ci(without_components, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"^redis-server not found: apt-get install redis-server \(CI=true"):
        components.require_component("redis-server")
