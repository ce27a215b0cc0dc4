"""The crawl as teams run it: a real Scrapyd with deploy/scrapyd.conf (auth on),
the project deployed to it as an egg with scrapyd-deploy, jobs scheduled and
checked through the HTTP API, and the output read back from Scrapyd."""

import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import zipfile
from configparser import ConfigParser
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from replica import SNAPSHOT_DIR
from sulsel_crawler.arguments import CrawlArguments
from tests.support.components import free_port
from tests.support.crawl import REPO_ROOT, UNTHROTTLED, setting_options
from tests.support.gold import gold_by_url

PROJECT = "sulsel_crawler"
SPIDER = "sulselsatu"
VENV_BIN = Path(sys.executable).parent
SCHEDULE = [sys.executable, str(REPO_ROOT / "scripts" / "schedule.py")]


@dataclass
class Scrapyd:
    url: str
    workdir: Path
    credentials: dict[str, str]
    lock_dir: Path

    @property
    def auth(self) -> tuple[str, str]:
        return self.credentials["SCRAPYD_USERNAME"], self.credentials["SCRAPYD_PASSWORD"]

    def get(self, path: str, **params) -> requests.Response:
        response = requests.get(urljoin(self.url, path), params=params, auth=self.auth, timeout=30)
        response.raise_for_status()
        return response

    def schedule(self, spider_arguments: dict[str, str], settings: dict[str, str]) -> str:
        form = [("project", PROJECT), ("spider", SPIDER), *spider_arguments.items()]
        form += [("setting", f"{name}={value}") for name, value in self.job_settings(settings).items()]
        answer = requests.post(urljoin(self.url, "schedule.json"), data=form, auth=self.auth, timeout=30).json()
        assert answer["status"] == "ok", answer
        return answer["jobid"]

    def job_settings(self, settings: dict[str, str]) -> dict[str, str]:
        return {**UNTHROTTLED, "SINGLE_RUN_LOCK_DIR": str(self.lock_dir), **settings}

    def wait_for(self, job_id: str, state: str, timeout: float = 90) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for job in self.get("listjobs.json", project=PROJECT).json()[state]:
                if job["id"] == job_id:
                    return job
            time.sleep(0.2)
        pytest.fail(f"job {job_id} not {state} after {timeout} s; Scrapyd's log:\n{self.own_log()}")

    def run_schedule_script(self, *arguments: str) -> subprocess.CompletedProcess:
        """scripts/schedule.py --wait, as cron or the systemd timer runs it."""
        settings = setting_options(self.job_settings({}))
        return subprocess.run(
            [*SCHEDULE, "--url", self.url, "--wait", "--poll", "0.2", "--timeout", "90", *settings, *arguments],
            env={**os.environ, **self.credentials},
            capture_output=True,
            text=True,
            timeout=120,
        )

    def own_log(self) -> str:
        return (self.workdir / "scrapyd.log").read_text(errors="replace")[-5000:]

    def job_log(self, job_id: str) -> str:
        path = self.workdir / "logs" / PROJECT / SPIDER / f"{job_id}.log"
        return path.read_text(errors="replace") if path.exists() else f"(no log: {path})"

    def kill(self, job_id: str) -> None:
        form = {"project": PROJECT, "job": job_id, "signal": "KILL"}
        requests.post(urljoin(self.url, "cancel.json"), data=form, auth=self.auth, timeout=30).raise_for_status()


def scheduled_job_id(schedule_output: str) -> str:
    return re.search(r"^scheduled \S+ job (\w+)$", schedule_output, re.MULTILINE)[1]


def failure_report(scrapyd: Scrapyd, result: subprocess.CompletedProcess) -> str:
    """What scripts/schedule.py said, and the log of the job it scheduled."""
    report = result.stdout + result.stderr
    if "scheduled " in result.stdout:
        log = scrapyd.job_log(scheduled_job_id(result.stdout))
        report += "\n--- job log: errors ---\n" + "\n".join(error_lines(log))
        report += "\n--- job log: end ---\n" + log[-3000:]
    return report


def error_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if "] ERROR: " in line or "] CRITICAL: " in line]


def scrapyd_environment(venv: Path) -> Path:
    """A Python environment with the project's dependencies but not the project,
    like the one scripts/setup-scrapyd-host.sh makes: the crawl must run from
    the deployed egg, never from an installed copy of this checkout."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site_packages = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    # A plain path line: the .pth files in there (an editable install of the
    # project among them) are not processed.
    (site_packages / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    python = venv / "bin" / "python"
    imports = subprocess.run([python, "-c", "import scrapy, sulsel_crawler"], cwd=venv, capture_output=True, text=True)
    assert "No module named 'sulsel_crawler'" in imports.stderr, imports.stderr
    return python


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("scrapyd")
    python = scrapyd_environment(workdir / "venv")
    config = ConfigParser()
    config.read(REPO_ROOT / "deploy" / "scrapyd.conf")
    config["scrapyd"]["poll_interval"] = "0.2"  # the only change: a faster test
    with open(workdir / "scrapyd.conf", "w") as file:
        config.write(file)

    port = free_port()
    credentials = {"SCRAPYD_USERNAME": "team", "SCRAPYD_PASSWORD": secrets.token_urlsafe(16)}
    environment = {
        key: value for key, value in os.environ.items() if key not in {"SCRAPY_SETTINGS_MODULE", "PYTHONPATH"}
    }
    # HOME: Scrapyd also reads ~/.scrapyd.conf.
    environment.update(credentials, SCRAPYD_HTTP_PORT=str(port), HOME=str(workdir))
    with open(workdir / "scrapyd.log", "wb") as log:
        process = subprocess.Popen(
            [str(python), "-m", "scrapyd", "--pidfile="],
            cwd=workdir, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    server = Scrapyd(f"http://127.0.0.1:{port}/", workdir, credentials, workdir / "locks")
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"Scrapyd exited:\n{server.own_log()}"
            assert time.monotonic() < deadline, f"Scrapyd not answering after 30 s:\n{server.own_log()}"
            try:
                server.get("daemonstatus.json")
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        yield server
    finally:
        # The crawls are Scrapyd's children, in its process group.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory, scrapyd):
    """What `make deploy` packs, copied so that scrapyd-deploy's build files
    and the test's deploy target stay out of the checkout."""
    copy = tmp_path_factory.mktemp("project")
    shutil.copytree(REPO_ROOT / PROJECT, copy / PROJECT, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "scrapy.cfg"):
        shutil.copy(REPO_ROOT / name, copy / name)
    with open(copy / "scrapy.cfg", "a") as cfg:
        cfg.write(f"\n[deploy:test]\nurl = {scrapyd.url}\n")
    return copy


def scrapyd_deploy(project_copy: Path, *arguments: str, credentials: dict[str, str]) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("SCRAPYD_")}
    return subprocess.run(
        [str(VENV_BIN / "scrapyd-deploy"), *arguments],
        cwd=project_copy, env={**environment, **credentials}, capture_output=True, text=True, timeout=120,
    )


@pytest.fixture(scope="module")
def deployed(scrapyd, project_copy):
    result = scrapyd_deploy(project_copy, "test", credentials=scrapyd.credentials)
    assert result.returncode == 0, result.stdout + result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == "ok" and answer["spiders"] >= 1, answer
    return answer


def load_schedule_script():
    spec = importlib.util.spec_from_file_location("schedule", SCHEDULE[1])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def crawl_log(outcome: str | None, status: int = 0, items: int = 0, cause: str = "") -> str:
    """A Scrapyd job's log that ends with the crawl's *outcome* line (None: without one)."""
    lines = ["2026-01-01 03:00:00 [scrapy.core.engine] INFO: Spider opened"]
    if outcome is not None:
        level = "INFO" if status in (0, 3) else "ERROR"
        lines.append(
            f"2026-01-01 03:10:00 [sulsel_crawler.extensions.outcome] {level}: "
            f"Crawl outcome: {outcome} (exit status {status}): {cause}"
        )
    lines.append("2026-01-01 03:10:00 [scrapy.statscollectors] INFO: Dumping Scrapy stats:")
    lines.append(repr({"finish_reason": "finished", "item_scraped_count": items}))
    return "\n".join(lines)


@pytest.mark.unit
@pytest.mark.parametrize(
    "log, status, verdict",
    [
        (crawl_log("ok", 0, 40, "40 articles exported"), 0, "ok (exit status 0), 40 items: 40 articles exported"),
        (crawl_log("ok", 0, 0, "0 articles exported"), 0, "ok (exit status 0), 0 items"),
        (crawl_log("too_few_records", 6, 3, "the full crawl exported 3"), 6, "too_few_records (exit status 6)"),
        (crawl_log("site_unreachable", 4), 4, "site_unreachable"),
        (crawl_log("another_crawl_running", 3, cause="refused"), 3, "another_crawl_running (exit status 3)"),
        (crawl_log(None), 1, "named no outcome"),
        ("", 1, "did not run to its end"),
    ],
    ids=["ok", "nothing-new", "too-few", "unreachable", "overlap", "no-outcome", "no-log"],
)
def test_schedule_script_judges_a_job_by_its_log(log, status, verdict):
    judged_status, judged_verdict = load_schedule_script().judge(log)
    assert judged_status == status
    assert verdict in judged_verdict


@pytest.mark.scrapyd
def test_requests_without_the_credentials_are_refused(scrapyd):
    assert requests.get(urljoin(scrapyd.url, "daemonstatus.json"), timeout=10).status_code == 401
    wrong = (scrapyd.auth[0], "not-the-password")
    assert requests.get(urljoin(scrapyd.url, "listjobs.json"), auth=wrong, timeout=10).status_code == 401
    schedule = requests.post(
        urljoin(scrapyd.url, "schedule.json"), data={"project": PROJECT, "spider": SPIDER}, timeout=10
    )
    assert schedule.status_code == 401


@pytest.mark.scrapyd
def test_deploy_without_credentials_fails(project_copy):
    result = scrapyd_deploy(project_copy, "test", credentials={})
    assert result.returncode != 0
    assert "Deploy failed (401)" in result.stderr


@pytest.mark.scrapyd
def test_egg_carries_every_module_and_the_json_schema(project_copy, tmp_path):
    egg = tmp_path / "project.egg"
    result = scrapyd_deploy(project_copy, "--build-egg", str(egg), credentials={})
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(egg) as archive:
        packed = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    package_files = {
        path.relative_to(project_copy).as_posix()
        for path in (project_copy / PROJECT).rglob("*")
        if path.suffix in {".py", ".json"}
    }
    assert f"{PROJECT}/schemas/article.schema.json" in package_files
    assert sorted(package_files - packed) == []
    assert f"settings = {PROJECT}.settings" in entry_points


@pytest.mark.scrapyd
@pytest.mark.crawl
@pytest.mark.browser
def test_scheduled_crawl_exports_every_article(scrapyd, deployed, replica):
    gold = gold_by_url(SNAPSHOT_DIR)
    spider_arguments = {
        "base_url": replica.base_url,
        "render": "auto",
        # No finished crawl in the state yet: the update is a full crawl.
        "mode": "update",
        "since": "2015-01-01",
        "categories": ",".join(sorted({record["category_slug"] for record in gold.values()})),
    }
    assert set(spider_arguments) == {field.name for field in fields(CrawlArguments)}, (
        "every spider argument must be tried through Scrapyd here"
    )
    arguments = [item for name, value in spider_arguments.items() for item in ("-a", f"{name}={value}")]
    scheduled = scrapyd.run_schedule_script(*arguments)
    assert scheduled.returncode == 0, failure_report(scrapyd, scheduled)
    job_id = scheduled_job_id(scheduled.stdout)

    job = scrapyd.wait_for(job_id, "finished")
    log = scrapyd.get(job["log_url"]).text
    records = [json.loads(line) for line in scrapyd.get(job["items_url"]).text.splitlines()]
    assert "'finish_reason': 'finished'" in log
    assert error_lines(log) == []
    assert f"'item_scraped_count': {len(records)}," in log
    assert sorted({record["url"] for record in records}) == sorted(gold)
    # Scrapyd's feed per job, where downstream jobs collect it.
    assert (scrapyd.workdir / "items" / PROJECT / SPIDER / f"{job_id}.jl").is_file()
    # The crawl state lives in Scrapyd's working directory: the next update has nothing to do.
    update = scrapyd.run_schedule_script(*arguments)
    assert update.returncode == 0, failure_report(scrapyd, update)
    assert "ok (exit status 0), 0 items" in update.stdout


@pytest.mark.scrapyd
@pytest.mark.crawl
@pytest.mark.browser
def test_a_killed_job_is_continued_by_the_next_job(scrapyd, deployed, replica):
    slow = {"DOWNLOAD_DELAY": "0.05", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
    killed = scrapyd.schedule({"base_url": replica.base_url}, settings=slow)
    items = scrapyd.workdir / "items" / PROJECT / SPIDER
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(read_lines(items / f"{killed}.jl")) < 5:
        time.sleep(0.1)
    scrapyd.kill(killed)
    scrapyd.wait_for(killed, "finished")
    written_before = read_lines(items / f"{killed}.jl")
    assert 5 <= len(written_before) < len(gold_by_url(SNAPSHOT_DIR))

    following = scrapyd.run_schedule_script("-a", f"base_url={replica.base_url}")
    assert following.returncode == 0, failure_report(scrapyd, following)
    following_log = scrapyd.job_log(scheduled_job_id(following.stdout))
    assert "resuming the unfinished full crawl" in following_log
    urls = [json.loads(line)["url"] for line in written_before + read_lines(items / f"{scheduled_job_id(following.stdout)}.jl")]
    assert len(urls) == len(set(urls)), "an article was written by both jobs"
    assert sorted(urls) == sorted(gold_by_url(SNAPSHOT_DIR))


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


@pytest.mark.scrapyd
@pytest.mark.crawl
def test_crawl_that_cannot_start_is_reported_as_failed(scrapyd, deployed, replica):
    result = scrapyd.run_schedule_script("-a", f"base_url={replica.base_url}", "-a", "pages=3")
    assert result.returncode == 1, failure_report(scrapyd, result)
    assert "did not run to its end" in result.stdout


@pytest.mark.scrapyd
@pytest.mark.crawl
def test_scheduled_update_stops_at_once_while_a_crawl_runs(scrapyd, deployed, replica):
    running = scrapyd.schedule({"base_url": replica.base_url}, settings={"DOWNLOAD_DELAY": "30"})
    scrapyd.wait_for(running, "running")
    # The job holds the site's lock from the moment Scrapy builds its extensions, before the spider opens.
    deadline = time.monotonic() + 60
    while "Spider opened" not in scrapyd.job_log(running) and time.monotonic() < deadline:
        time.sleep(0.2)
    try:
        update = scrapyd.run_schedule_script("-a", f"base_url={replica.base_url}")
        assert update.returncode == 3, failure_report(scrapyd, update)
        assert "another crawl of the site was running" in update.stdout
        log = scrapyd.job_log(scheduled_job_id(update.stdout))
        assert "'finish_reason': 'another_crawl_running'" in log
        assert "ERROR: Another crawl of this site is running (lock " in log
    finally:
        scrapyd.kill(running)
    scrapyd.wait_for(running, "finished")
