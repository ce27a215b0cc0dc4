"""Command line: serve a snapshot folder until SIGINT or SIGTERM.

    python -m replica --site tests/data/site-snapshot [--port 8765] [--log FILE] [--api] [--latency S]
"""

import argparse
import signal
import threading

from .server import ReplicaServer


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m replica", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--site", required=True, help="snapshot folder holding site/ and manifest.json"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--log", help="append one JSON line per request to this file")
    parser.add_argument(
        "--no-challenge", action="store_true", help="serve challenged paths without the cookie"
    )
    parser.add_argument(
        "--no-transient", action="store_true", help="no 500 on the first request of flaky paths"
    )
    parser.add_argument(
        "--api", action="store_true", help="answer the WordPress REST API under /wp-json/"
    )
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds each answer takes, as a distant site's would"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    server = ReplicaServer(
        args.site,
        host=args.host,
        port=args.port,
        challenge=not args.no_challenge,
        transient=not args.no_transient,
        log_path=args.log,
        api=args.api,
        latency=args.latency,
    )
    stop_requested = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop_requested.set())
    signal.signal(signal.SIGTERM, lambda *_: stop_requested.set())
    with server:
        print(f"serving {args.site} at {server.base_url}", flush=True)
        stop_requested.wait()


if __name__ == "__main__":
    main()
