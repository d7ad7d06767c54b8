"""Benchmark: is each page as fast as the upstream allows? (issue "Fast as the upstream allows")

Starts a throwaway stack (bench/harness.py: temporary SQLite database, sandbox
seeded with 300 customers, the sandbox in one gunicorn, the app in another:
2 workers x 4 threads, DEBUG off), then, after a warm-up, times each page
against the raw upstream call it needs, alternating A/B/A/B on keep-alive
sessions (the detail page also against its two raw calls side by side, the customer
and its history's first page, as it sends them): at 50 ms of added upstream
latency, then at 0 ms (plus the list against a stock admin changelist of the same
customers). It counts the
upstream calls and new upstream TCP connections of each page from the
sandbox's access log, measures fragment sizes and the workers' memory over
10,000 requests, and prints PASS/FAIL for each target. Loopback only.

    .venv/bin/python bench/run_bench.py            # full run, about 5 minutes
    .venv/bin/python bench/run_bench.py --quick    # smoke run, about 1 minute
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench.harness` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from bench.harness import (
    Stack,
    clone,
    install_deadline,
    machine_lines,
    median,
    percentile,
    print_header,
    rss_kib,
)

CUSTOMERS = 300
SEARCH_TERMS = ["ka", "wa", "ot", "mu", "ch", "ki", "om", "ng"]  # common: 10 hits each
HTMX = {"HX-Request": "true"}
KIB = 1024


@dataclass
class Side:
    """One side of a comparison: how to fetch its i-th request."""

    label: str
    session: requests.Session
    url: Callable[[int], str]
    headers: dict = field(default_factory=dict)

    def fetch(self, i: int) -> float:
        url = self.url(i)
        started = time.perf_counter()
        answer = self.session.get(url, headers=self.headers, timeout=30, allow_redirects=False)
        elapsed = time.perf_counter() - started
        if answer.status_code != 200:
            raise RuntimeError(f"{self.label}: HTTP {answer.status_code} for {url}")
        return elapsed


@dataclass
class SideBySide:
    """Raw calls sent side by side, as a page that needs several sends them: the time until
    the last has answered (each on a keep-alive session of its own)."""

    label: str
    sides: tuple[Side, ...]

    def __post_init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=len(self.sides))

    def fetch(self, i: int) -> float:
        started = time.perf_counter()
        for future in [self.pool.submit(side.fetch, i) for side in self.sides]:
            future.result()
        return time.perf_counter() - started


@dataclass
class Result:
    name: str
    latency_ms: int
    page: list[float]
    raw: list[float]
    raw_label: str
    calls_per_page: float
    new_conns_per_page: float

    @property
    def ratio(self) -> float:
        return median(self.page) / median(self.raw)


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


# --- the comparisons ------------------------------------------------------------------


def customer_ids(stack: Stack, raw: requests.Session) -> list[int]:
    answer = raw.get(f"{stack.upstream_url}/customers", params={"per_page": 50}, timeout=30)
    answer.raise_for_status()
    return [row["id"] for row in answer.json()["data"]]


def build_pairs(
    stack: Stack, app: requests.Session, raw: requests.Session, ids: list[int]
) -> dict[str, tuple[Side, Side]]:
    base, api = stack.app.url, stack.upstream_url

    def term(i: int) -> str:
        return SEARCH_TERMS[i % len(SEARCH_TERMS)]

    def cid(i: int) -> int:
        return ids[i % len(ids)]

    return {
        "list": (
            Side("list page", app, lambda i: f"{base}/customers/"),
            Side("raw list call", raw, lambda i: f"{api}/customers?page=1&per_page=25"),
        ),
        "search": (
            Side(
                "quick-search fragment",
                app,
                lambda i: f"{base}/customers/search/?q={term(i)}",
                HTMX,
            ),
            Side("raw search call", raw, lambda i: f"{api}/customers/search?q={term(i)}&limit=10"),
        ),
        "detail": (
            Side("detail page", app, lambda i: f"{base}/customers/{cid(i)}/"),
            Side("raw detail call", raw, lambda i: f"{api}/customers/{cid(i)}"),
        ),
        # The detail shows its history (issue "One round trip per step"): the page asks the
        # customer and the history's first page side by side, so the raw yardstick does too.
        "detail+history": (
            Side("detail page", app, lambda i: f"{base}/customers/{cid(i)}/"),
            SideBySide(
                "raw detail + history calls side by side",
                (
                    Side("raw detail call", clone(raw), lambda i: f"{api}/customers/{cid(i)}"),
                    Side(
                        "raw history call",
                        clone(raw),
                        lambda i: f"{api}/customers/{cid(i)}/transactions?page=1",
                    ),
                ),
            ),
        ),
        "admin": (
            Side("list page", app, lambda i: f"{base}/customers/"),
            Side("admin changelist", clone(app), lambda i: f"{base}/admin/refapp/benchcustomer/"),
        ),
    }


def warm_both_workers(app: requests.Session, pairs: dict, rounds: int = 6) -> None:
    """Concurrent warm-up on 8 connections, so that every app worker (and its pool) is warm."""

    def drive(session: requests.Session) -> None:
        for i in range(rounds):
            for name in ("list", "search", "detail"):
                page = pairs[name][0]
                Side(page.label, session, page.url, page.headers).fetch(i)

    threads = [threading.Thread(target=drive, args=(clone(app),), daemon=True) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def time_pair(
    stack: Stack, name: str, pair: tuple[Side, Side], latency_ms: int, iterations: int, warmup: int
) -> Result:
    page, raw = pair
    for i in range(warmup):
        page.fetch(i)
        raw.fetch(i)
    before = stack.sandbox.log_offset()
    page_times, raw_times = [], []
    for i in range(iterations):
        page_times.append(page.fetch(i))
        raw_times.append(raw.fetch(i))
    time.sleep(0.3)  # let the sandbox's workers write their last access-log lines
    calls, new_conns = upstream_traffic(stack, before, iterations)
    return Result(name, latency_ms, page_times, raw_times, raw.label, calls, new_conns)


def upstream_traffic(stack: Stack, since: int, pages: int) -> tuple[float, float]:
    """Upstream calls per page and new upstream connections per page since a log offset.

    The app's calls are the access-log lines with its User-Agent; a connection is
    new when its client port was not seen in the log before `since`.
    """
    earlier = {a.port for a in stack.sandbox.accesses(0, since) if a.from_app}
    window = [a for a in stack.sandbox.accesses(since) if a.from_app]
    new_ports = {a.port for a in window} - earlier
    return len(window) / pages, len(new_ports) / pages


def run_latency(
    stack: Stack, pairs: dict, latency_ms: int, names: list[str], iterations: int, warmup: int
) -> list[Result]:
    print_header(f"upstream latency {latency_ms} ms")
    print("  " + stack.set_faults(latency_ms=latency_ms))
    warm_both_workers(pairs["list"][0].session, pairs)
    results = []
    for name in names:
        result = time_pair(stack, name, pairs[name], latency_ms, iterations, warmup)
        print_result(result)
        results.append(result)
    return results


def print_result(r: Result) -> None:
    def cell(values: list[float]) -> str:
        return f"median {median(values) * 1000:7.1f} ms  p95 {percentile(values, 95) * 1000:7.1f}"

    overhead = (median(r.page) - median(r.raw)) * 1000
    print(f"  {r.name:14} page  {cell(r.page)}   (n={len(r.page)})")
    print(f"  {'':14} {r.raw_label[:40]:40} {cell(r.raw)}")
    print(
        f"  {'':14} ratio {r.ratio:5.3f}  page - other: {overhead:+6.1f} ms   "
        f"upstream calls/page {r.calls_per_page:.2f}   "
        f"new upstream conns/page {r.new_conns_per_page:.2f}"
    )


# --- fragment sizes --------------------------------------------------------------------


def fragment_sizes(stack: Stack, app: requests.Session) -> dict[str, int]:
    base = stack.app.url
    list_fragment = app.get(f"{base}/customers/", headers=HTMX, timeout=30)
    search = [
        app.get(f"{base}/customers/search/?q={t}", headers=HTMX, timeout=30) for t in SEARCH_TERMS
    ]
    full = app.get(f"{base}/customers/", timeout=30)
    rows = list_fragment.text.count('<td class="field-customer_no">')
    return {
        "list_fragment": len(list_fragment.content),
        "list_rows": rows,
        "list_page": len(full.content),
        "search_fragment": max(len(s.content) for s in search),
        "search_hits": max(s.text.count('role="option"') for s in search),
    }


# --- memory ----------------------------------------------------------------------------


def drive_requests(stack: Stack, app: requests.Session, ids: list[int], count: int) -> None:
    """`count` requests (list, quick search, detail in turn) on 8 concurrent connections."""
    base = stack.app.url
    urls = [
        (f"{base}/customers/", {}),
        (f"{base}/customers/search/?q={{term}}", HTMX),
        (f"{base}/customers/{{cid}}/", {}),
    ]
    counter = iter(range(count))
    lock = threading.Lock()
    failures = Counter()

    def next_index() -> int | None:
        with lock:
            return next(counter, None)

    def worker(session: requests.Session) -> None:
        while (i := next_index()) is not None:
            template, headers = urls[i % 3]
            url = template.format(term=SEARCH_TERMS[i % len(SEARCH_TERMS)], cid=ids[i % len(ids)])
            status = session.get(url, headers=headers, timeout=30).status_code
            if status != 200:
                failures[status] += 1

    threads = [threading.Thread(target=worker, args=(clone(app),), daemon=True) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    if failures:
        print(f"  non-200 answers while driving: {dict(failures)}")


def served_per_worker(stack: Stack) -> Counter:
    time.sleep(0.2)  # the last access-log lines
    return Counter(a.pid for a in stack.app.accesses())


def warm_each_worker(
    stack: Stack, app: requests.Session, ids: list[int], at_least: int = 100, limit: int = 3_000
) -> int:
    """Drive requests until every worker has served `at_least`; returns how many were sent."""
    sent = 0
    while sent < limit:
        drive_requests(stack, app, ids, 50)
        sent += 50
        served = served_per_worker(stack)
        if len(served) == len(stack.app.worker_pids()) and min(served.values()) >= at_least:
            break
    return sent


def memory_check(stack: Stack, app: requests.Session, ids: list[int], total: int) -> Check:
    print_header(
        f"worker memory: fresh app server, RSS once each worker has served 100, "
        f"then after {total:,} requests in all"
    )
    stack.restart_app(access_log=True)  # to count the requests each worker served
    started = time.monotonic()
    sent = warm_each_worker(stack, app, ids)
    before = {pid: rss_kib(pid) for pid in stack.app.worker_pids()}
    at_first = served_per_worker(stack)
    drive_requests(stack, app, ids, max(total - sent, 0))
    after = {pid: rss_kib(pid) for pid in stack.app.worker_pids()}
    served = served_per_worker(stack)
    rate = max(total, sent) / (time.monotonic() - started)
    print(
        f"  {max(total, sent):,} requests at {rate:.0f}/s (list, quick search, detail in "
        "turn; 8 connections)"
    )
    worst = 0.0
    for pid in sorted(before):
        growth = (after.get(pid, 0) - before[pid]) / before[pid]
        worst = max(worst, growth)
        print(
            f"  worker {pid}: RSS {before[pid] / KIB:.1f} MiB after {at_first[pid]:,} "
            f"-> {after.get(pid, 0) / KIB:.1f} MiB after {served[pid]:,} ({growth:+.1%})"
        )
    if set(after) != set(before):
        print(f"  worker pids changed: {sorted(before)} -> {sorted(after)}")
    note = "" if total >= 10_000 else f" (quick run: {total:,} requests, target says 10,000)"
    return Check(
        "worker RSS after 10,000 requests within 20% of after 100",
        worst <= 0.20,
        f"worst growth {worst:+.1%}{note}",
    )


# --- targets ---------------------------------------------------------------------------


def ratio_check(results: list[Result], name: str, latency: int, limit: float, label: str) -> Check:
    r = next(x for x in results if x.name == name and x.latency_ms == latency)
    return Check(
        f"{label} <= {limit:.2f} x at {latency} ms", r.ratio <= limit, f"ratio {r.ratio:.3f}"
    )


def targets(results: list[Result], sizes: dict[str, int]) -> list[Check]:
    checks = [
        ratio_check(results, "list", 50, 1.10, "list page / raw list call"),
        ratio_check(results, "search", 50, 1.08, "quick search / raw search call"),
        ratio_check(results, "detail", 50, 1.15, "detail page / raw detail call"),
        ratio_check(results, "admin", 0, 0.50, "list page / stock admin changelist"),
    ]
    for name in ("list", "search"):
        calls = sorted({r.calls_per_page for r in results if r.name == name})
        checks.append(
            Check(
                f"exactly one upstream call per {name} page",
                calls == [1.0],
                f"calls/page {', '.join(f'{c:.2f}' for c in calls)}",
            )
        )
    worst = max(results, key=lambda r: r.new_conns_per_page)
    checks.append(
        Check(
            "0 new upstream connections per page after warm-up",
            worst.new_conns_per_page == 0,
            f"worst {worst.new_conns_per_page:.2f} ({worst.name}, {worst.latency_ms} ms)",
        )
    )
    checks.append(
        Check(
            "quick-search fragment <= 4 KB",
            sizes["search_fragment"] <= 4 * KIB,
            f"{sizes['search_fragment']:,} bytes ({sizes['search_hits']} hits)",
        )
    )
    checks.append(
        Check(
            "list fragment of 25 rows <= 15 KB",
            sizes["list_fragment"] <= 15 * KIB,
            f"{sizes['list_fragment']:,} bytes ({sizes['list_rows']} rows)",
        )
    )
    return checks


def print_checks(checks: list[Check]) -> None:
    print_header("targets")
    for check in checks:
        print(f"  {'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
    failed = sum(not c.ok for c in checks)
    print(f"\n  {len(checks) - failed} passed, {failed} failed")


# --- main ------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: fewer iterations")
    parser.add_argument("--iterations", type=int, help="timed A/B pairs per comparison")
    parser.add_argument("--memory-requests", type=int, help="requests for the memory check")
    parser.add_argument(
        "--upstream-keepalive",
        type=int,
        default=75,
        help="sandbox server's keep-alive, seconds (default 75, as nginx)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--max-seconds", type=int, default=900, help="stop the run after this")
    args = parser.parse_args()
    args.iterations = args.iterations or (30 if args.quick else 150)
    args.warmup = 5 if args.quick else 20
    args.memory_requests = args.memory_requests or (1_000 if args.quick else 10_000)
    return args


def run(stack: Stack, args: argparse.Namespace) -> list[Check]:
    print_header("set-up")
    stack.prepare(customers=CUSTOMERS, refapp=True)
    stack.start_sandbox()
    stack.start_app()
    print(
        f"  sandbox: gunicorn 2x8 gthread on :{stack.sandbox_port} "
        f"(keep-alive {stack.upstream_keepalive} s); app: gunicorn 2x4 gthread on "
        f":{stack.app_port}"
    )
    app, raw = stack.login(), stack.upstream_session()
    ids = customer_ids(stack, raw)
    pairs = build_pairs(stack, app, raw, ids)
    at_50 = ["list", "search", "detail", "detail+history"]
    results = run_latency(stack, pairs, 50, at_50, args.iterations, args.warmup)
    results += run_latency(stack, pairs, 0, [*at_50, "admin"], args.iterations, args.warmup)
    print_header("fragment sizes (uncompressed bodies)")
    sizes = fragment_sizes(stack, app)
    print(
        f"  list fragment {sizes['list_fragment']:,} B ({sizes['list_rows']} rows); "
        f"full list page {sizes['list_page']:,} B; "
        f"largest quick-search fragment {sizes['search_fragment']:,} B"
    )
    checks = targets(results, sizes)
    checks.append(memory_check(stack, app, ids, args.memory_requests))
    return checks


def main() -> int:
    args = parse_args()
    install_deadline(args.max_seconds)
    started = time.monotonic()
    print_header("machine")
    for line in machine_lines():
        print("  " + line)
    print(
        f"  mode: {'quick' if args.quick else 'full'}; {args.iterations} timed pairs "
        f"per comparison after {args.warmup} warm-up pairs"
    )
    stack = Stack(refapp=True, keep=args.keep, upstream_keepalive=args.upstream_keepalive)
    try:
        checks = run(stack, args)
    finally:
        stack.close()
    print_checks(checks)
    print(f"  run took {time.monotonic() - started:.0f} s")
    return 0 if all(c.ok for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
