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
from dataclasses import asdict

import requests

from bench.load import fetch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--seconds", type=float, default=float("inf"))
    parser.add_argument("--every", type=float, default=0.5)
    args = parser.parse_args()
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        for url in args.urls:
            # requests itself, not a session: a new connection for every probe
            print(json.dumps(asdict(fetch(requests, "healthz", url, {}))), flush=True)
        time.sleep(args.every)
    return 0


if __name__ == "__main__":
    sys.exit(main())
