"""Two checkouts side by side: is this tree's page as fast as an older one's, same moment?

`run_bench.py` compares each page with its raw upstream call, but two of its runs, one
per tree, meet a shared machine under different loads (the same code measured 1.144 and
1.184 for the list an hour apart). This starts both trees' bench stacks at once (each its
own sandbox and app, as `bench/harness.py` serves them) and interleaves every request:
for each page, in random order, each tree's page and its raw call. Loopback only.

    git worktree add /tmp/older b6941ec
    .venv/bin/python bench/compare_trees.py /tmp/older            # this tree against it
    .venv/bin/python bench/compare_trees.py /tmp/older --pairs 60  # quicker

"detail2" is the detail page against its customer and history calls side by side (what
the page asks since "One round trip per step"); an older detail that asks one call is
measured against the same two.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parents[1]
TERMS = ["ka", "wa", "ot", "mu", "ch", "ki", "om", "ng"]
IDS = list(range(3, 60))
WARM_UP = 15


def serve(root: Path) -> None:
    """In a child process: one tree's stack; its addresses and login as a JSON line, then
    `latency N` lines from the parent, until its stdin closes."""
    sys.path.insert(0, str(root))
    from bench.harness import Stack  # the tree's own harness

    stack = Stack()
    try:
        stack.prepare(customers=300)
        stack.start_sandbox()
        stack.start_app()
        login = stack.login()
        stack_info = {
            "app": stack.app.url,
            "api": stack.upstream_url,
            "key": stack.api_key,
            "cookies": login.cookies.get_dict(),
        }
        print(json.dumps(stack_info), flush=True)
        for line in sys.stdin:
            command = line.split()
            if command[:1] == ["latency"]:
                stack.set_faults(latency_ms=int(command[1]))
                print("ok", flush=True)
    finally:
        stack.close()


class Tree:
    """A tree's stack, served by a child process, and keep-alive sessions to it."""

    def __init__(self, name: str, root: Path):
        self.name = name
        self.process = subprocess.Popen(  # noqa: S603 (our interpreter, our own script)
            [sys.executable, __file__, "--serve", str(root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=root,
        )
        for line in self.process.stdout:  # the harness's own lines, then ours
            if line.startswith("{"):
                break
            print(f"  {name}: {line.strip()}")
        else:
            raise SystemExit(f"{name}: the stack did not start")
        info = json.loads(line)
        self.app_url, self.api_url = info["app"], info["api"]
        self.app = requests.Session()
        self.app.cookies.update(info["cookies"])
        api_headers = {"Authorization": f"Bearer {info['key']}", "Accept": "application/json"}
        self.raw, self.raw2 = requests.Session(), requests.Session()
        for session in (self.raw, self.raw2):
            session.headers.update(api_headers)

    def set_latency(self, ms: int) -> None:
        self.process.stdin.write(f"latency {ms}\n")
        self.process.stdin.flush()
        self.process.stdout.readline()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=120)


def timed(session: requests.Session, url: str, headers: dict | None = None) -> float:
    started = time.perf_counter()
    answer = session.get(url, headers=headers or {}, timeout=30)
    elapsed = time.perf_counter() - started
    if answer.status_code != 200:
        raise RuntimeError(f"HTTP {answer.status_code} for {url}")
    return elapsed


def pair(tree: Tree, kind: str, i: int, pool: ThreadPoolExecutor):
    """(page, its yardstick) of the i-th request of `kind`, as two callables."""
    app, api = tree.app_url, tree.api_url
    cid, term = IDS[i % len(IDS)], TERMS[i % len(TERMS)]

    def detail() -> float:
        return timed(tree.app, f"{app}/customers/{cid}/")

    def side_by_side() -> float:
        started = time.perf_counter()
        both = [
            pool.submit(timed, tree.raw, f"{api}/customers/{cid}"),
            pool.submit(timed, tree.raw2, f"{api}/customers/{cid}/transactions?page=1"),
        ]
        for future in both:
            future.result()
        return time.perf_counter() - started

    return {
        "list": (
            lambda: timed(tree.app, f"{app}/customers/"),
            lambda: timed(tree.raw, f"{api}/customers?page=1&per_page=25"),
        ),
        "search": (
            lambda: timed(tree.app, f"{app}/customers/search/?q={term}", {"HX-Request": "true"}),
            lambda: timed(tree.raw, f"{api}/customers/search?q={term}&limit=10"),
        ),
        "detail": (detail, lambda: timed(tree.raw, f"{api}/customers/{cid}")),
        "detail2": (detail, side_by_side),
    }[kind]


def compare(trees: list[Tree], pairs: int) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        for latency in (50, 0):
            _compare_at(trees, pairs, latency, pool)


def _compare_at(trees: list[Tree], pairs: int, latency: int, pool: ThreadPoolExecutor) -> None:
    for tree in trees:
        tree.set_latency(latency)
    for kind in ("list", "search", "detail", "detail2"):
        times = {tree.name: ([], []) for tree in trees}
        for i in range(WARM_UP + pairs):
            for tree in random.sample(trees, len(trees)):
                sides = list(enumerate(pair(tree, kind, i, pool)))
                for side, fetch in random.sample(sides, 2):
                    elapsed = fetch()
                    if i >= WARM_UP:
                        times[tree.name][side].append(elapsed)
        line = f"{latency:>2} ms {kind:8}"
        for name, (page, other) in times.items():
            page_ms, other_ms = statistics.median(page) * 1000, statistics.median(other) * 1000
            line += (
                f" | {name}: page {page_ms:6.1f} against {other_ms:6.1f}"
                f"  ratio {page_ms / other_ms:.3f} ({page_ms - other_ms:+5.1f} ms)"
            )
        print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("older", type=Path, help="the other checkout (e.g. a git worktree)")
    parser.add_argument("--pairs", type=int, default=120, help="timed requests per page")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.older)
        return
    trees = []
    try:
        trees.append(Tree("older", args.older.resolve()))
        trees.append(Tree("this", HERE))
        compare(trees, args.pairs)
    finally:
        for tree in trees:
            tree.close()


if __name__ == "__main__":
    main()
