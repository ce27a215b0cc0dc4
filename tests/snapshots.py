"""Where the stored site samples are: the copy inside the repo, else the shared one."""

from pathlib import Path

IN_REPO = Path(__file__).resolve().parent / "data"
SHARED = Path("/work/shared")


def snapshot_dir(name: str) -> Path:
    """The folder of the snapshot ``name`` (``site-snapshot``, ``site-snapshot-300``)."""
    for base in (IN_REPO, SHARED):
        folder = base / name
        if (folder / "expected.jsonl").is_file():
            return folder
    raise FileNotFoundError(
        f"snapshot {name!r} not found: expected {IN_REPO / name} or {SHARED / name} "
        "(a folder with expected.jsonl and site/)"
    )
