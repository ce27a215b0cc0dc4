import pytest

from replica import SNAPSHOT_300_DIR, SNAPSHOT_DIR, ReplicaServer
from tests.support.components import free_port, require_component
from tests.support.crawl import run_crawl
from tests.support.gold import gold_by_url
from tests.support.redis_server import RedisServer

pytest_plugins = ["pytester", "tests.support.tiers"]

# The sample sites: hundreds of folders, no test.
collect_ignore = ["data"]


@pytest.fixture
def make_replica(tmp_path):
    """Factory: make_replica(site_dir=..., challenge=False, ...) starts a replica.

    Every replica it starts is stopped after the test.
    """
    servers = []

    def make(site_dir=SNAPSHOT_DIR, **options) -> ReplicaServer:
        options.setdefault("log_path", tmp_path / f"replica-requests-{len(servers)}.jsonl")
        server = ReplicaServer(site_dir, **options).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def replica(make_replica) -> ReplicaServer:
    return make_replica(SNAPSHOT_DIR)


@pytest.fixture
def replica_300(make_replica) -> ReplicaServer:
    return make_replica(SNAPSHOT_300_DIR)


@pytest.fixture(scope="session", params=[SNAPSHOT_DIR, SNAPSHOT_300_DIR], ids=["40-articles", "300-articles"])
def default_crawl(request, tmp_path_factory):
    """The default crawl (challenge on, ``render=auto``) of each sample site,
    once per session for every test that checks it: the run, the replica's
    request log, its manifest and the gold records by URL."""
    workdir = tmp_path_factory.mktemp("default-crawl")
    with ReplicaServer(request.param, log_path=workdir / "requests.jsonl") as server:
        run = run_crawl(server.base_url, workdir)
        return run, server.requests, server.manifest, gold_by_url(request.param)


@pytest.fixture(scope="session")
def chromium() -> str:
    return require_component("chromium")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real, throw-away redis-server: no persistence, its own folder and port."""
    server = RedisServer(free_port(), tmp_path_factory.mktemp("redis")).start()
    yield server.url
    server.stop()
