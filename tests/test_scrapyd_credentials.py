"""No committed credential opens Scrapyd: with deploy/scrapyd.conf, Scrapyd
started without SCRAPYD_USERNAME or SCRAPYD_PASSWORD stops at once, naming
the missing variable. (The real Scrapyd with both: tests/test_scrapyd.py.)"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.components import free_port
from tests.support.crawl import REPO_ROOT

pytestmark = pytest.mark.scrapyd


def start_scrapyd(workdir: Path, **credentials: str) -> subprocess.CompletedProcess:
    shutil.copy(REPO_ROOT / "deploy" / "scrapyd.conf", workdir / "scrapyd.conf")
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("SCRAPYD_")
    }
    # HOME: Scrapyd also reads ~/.scrapyd.conf.
    environment.update(credentials, SCRAPYD_HTTP_PORT=str(free_port()), HOME=str(workdir))
    scrapyd = Path(sys.executable).parent / "scrapyd"
    return subprocess.run(
        [scrapyd, "--pidfile="], cwd=workdir, env=environment, capture_output=True, text=True, timeout=30
    )


@pytest.mark.parametrize(
    "credentials, missing",
    [
        ({}, "SCRAPYD_USERNAME"),
        ({"SCRAPYD_USERNAME": "team"}, "SCRAPYD_PASSWORD"),
        ({"SCRAPYD_PASSWORD": "s3cret"}, "SCRAPYD_USERNAME"),
    ],
    ids=["neither", "no password", "no username"],
)
def test_scrapyd_refuses_to_start_without_credentials(tmp_path, credentials, missing):
    result = start_scrapyd(tmp_path, **credentials)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Failed to load application: Bad value substitution" in output
    assert f"%({missing})s" in output
    assert "Scrapyd web console available" not in output
