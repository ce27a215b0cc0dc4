"""A local replica of sulselsatu.com for the tests, the offline demo and the
benchmark; not part of the crawler's package.

`python -m replica --site tests/data/site-snapshot` serves a snapshot folder
over HTTP; `ReplicaServer` does the same inside a test. The sample snapshots
stay with the tests, in `tests/data/`. `replica.evolve.evolve()` writes a
later state of a snapshot, with new and modified articles; `api=True` /
`--api` answers the WordPress REST API (replica.api).
"""

from pathlib import Path

from .server import ReplicaServer
from .site import load_manifest, page_key

DATA_DIR = Path(__file__).resolve().parent.parent / "tests" / "data"
SNAPSHOT_DIR = DATA_DIR / "site-snapshot"
SNAPSHOT_300_DIR = DATA_DIR / "site-snapshot-300"

__all__ = [
    "DATA_DIR",
    "SNAPSHOT_300_DIR",
    "SNAPSHOT_DIR",
    "ReplicaServer",
    "load_manifest",
    "page_key",
]
