import pytest

from tests.replica import SNAPSHOT_300_DIR, SNAPSHOT_DIR, ReplicaServer


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
