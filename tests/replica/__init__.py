"""A local replica of sulselsatu.com for tests and the offline demo.

`python -m tests.replica --site tests/data/site-snapshot` serves a snapshot
folder over HTTP; `ReplicaServer` does the same inside a test.
"""

from pathlib import Path

from .server import ReplicaServer
from .site import load_manifest, page_key

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
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
