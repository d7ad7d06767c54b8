"""A load balancer's health probe, in a process of its own: GET each URL every --every
seconds, on a new connection each time, until stopped (or for --seconds); one JSON line
per probe on stdout.

bench/load.py runs it beside its simulated users. In a thread of the load generator,
each probe would also wait for that process's own interpreter lock, held by a hundred
user threads parsing answers, and the figure would be the generator's, not the app's.

    python -m bench.probe --seconds 60 http://127.0.0.1:8000/healthz
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import requests


def probe(url: str) -> dict:
    at, started = time.monotonic(), time.perf_counter()
    try:
        status, error = requests.get(url, timeout=30, allow_redirects=False).status_code, ""
    except requests.RequestException as exc:
        status, error = 0, f"{type(exc).__name__}: {exc}"[:160]
    return {"at": at, "status": status, "seconds": time.perf_counter() - started, "error": error}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--seconds", type=float, default=float("inf"))
    parser.add_argument("--every", type=float, default=0.5)
    args = parser.parse_args()
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        for url in args.urls:
            print(json.dumps(probe(url)), flush=True)
        time.sleep(args.every)
    return 0


if __name__ == "__main__":
    sys.exit(main())
