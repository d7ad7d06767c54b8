"""Load test: does the app stay useful when the upstream is not? (issue "Stays useful ...")

Starts the same throwaway stack as run_bench.py (bench/harness.py: the app in
gunicorn 2 workers x 4 threads, the sandbox in a second gunicorn, DEBUG off),
logs in one session per simulated user, and has every user request the list
(a random page), the quick search (a random term) and a customer's detail
(a random customer) in turn, as fast as answers come (or with --think-ms),
for --seconds; each user's first request comes at a random moment of the first
second (--ramp-seconds), as people arrive, rather than all in the same instant.
It does that twice: with a healthy upstream, then with the sandbox answering
--fault-status (503) to --fault-fraction (0.2) of calls.

It prints requests per second, p50/p95/p99 and the errors: a 502/503/504 that
is our own "customer service could not answer" page (or fragment) is an
EXPECTED upstream failure; any other status >= 500, or no answer at all, is
UNEXPECTED. Loopback only; stops by itself.

    .venv/bin/python bench/load.py                      # 50 users, 2 x 60 s
    .venv/bin/python bench/load.py --users 20 --seconds 30 --fault-fraction 0.5

Slow upstream (issue 15): 100 users, every upstream call taking 1 s, each instance
served as gunicorn.conf.py serves production (4 workers x 64 threads), one or two
instances (each request goes to a random instance, as behind a load balancer without
stickiness); one healthy phase after a warm-up; /healthz is probed every 0.5 s on each
instance throughout, from a process of its own (bench/probe.py), as a load balancer
would. The 1 s is held by bench/far_upstream.py, in front of the sandbox, so that the
upstream's own work is not done on the CPU measured (`--upstream sandbox` has the
sandbox hold it instead). Targets: p95 <= 2.5 s, 0 unexpected, /healthz < 100 ms.

    .venv/bin/python bench/load.py --slow-upstream --instances 1
    CACHE_URL=redis://127.0.0.1:6379/1 .venv/bin/python bench/load.py --slow-upstream \
        --instances 2 --postgres
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench.harness` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from bench.harness import BASE_DIR, Stack, install_deadline, machine_lines, percentile, print_header

CUSTOMERS = 300
SEARCH_TERMS = ["ka", "wa", "ot", "mu", "ch", "ki", "om", "ng", "ltd", "07", "P0", "ent"]
HTMX = {"HX-Request": "true"}
UPSTREAM_FAILURE_MARK = 'class="upstream-error"'  # templates/errors/upstream.html
KINDS = ("list", "search", "detail")


@dataclass(frozen=True)
class Sample:
    kind: str
    status: int  # 0: no answer
    seconds: float
    outcome: str  # ok | expected | unexpected | other
    error: str = ""  # why there was no answer
    at: float = 0.0  # time.monotonic() at the start


def classify(answer: requests.Response) -> str:
    if answer.status_code == 200:
        return "ok"
    if answer.status_code in (502, 503, 504) and UPSTREAM_FAILURE_MARK in answer.text:
        return "expected"
    if answer.status_code >= 500:
        return "unexpected"
    return "other"


@dataclass
class Workload:
    bases: list[str]  # one per app instance: each request goes to a random one
    ids: list[int]
    last_page: int

    def request(self, kind: str, rng: random.Random) -> tuple[str, dict]:
        base = rng.choice(self.bases)
        if kind == "list":
            return f"{base}/customers/?page={rng.randint(1, self.last_page)}", {}
        if kind == "search":
            return f"{base}/customers/search/?q={rng.choice(SEARCH_TERMS)}", HTMX
        return f"{base}/customers/{rng.choice(self.ids)}/", {}


def fetch(session: requests.Session, kind: str, url: str, headers: dict) -> Sample:
    at, started = time.monotonic(), time.perf_counter()
    try:
        answer = session.get(url, headers=headers, timeout=30, allow_redirects=False)
    except requests.RequestException as exc:
        reason = f"{type(exc).__name__}: {exc}"[:160]
        return Sample(kind, 0, time.perf_counter() - started, "unexpected", reason, at)
    return Sample(kind, answer.status_code, time.perf_counter() - started, classify(answer), at=at)


@dataclass(frozen=True)
class Pace:
    think_ms: int  # mean pause between a user's requests
    ramp_seconds: float  # users start spread over this long, as people arrive, not at once


def user(session, work: Workload, deadline: float, pace: Pace, seed: int, out: list) -> None:
    rng = random.Random(seed)
    turn = rng.randrange(len(KINDS))
    time.sleep(rng.uniform(0, pace.ramp_seconds))
    while time.monotonic() < deadline:
        kind = KINDS[turn % len(KINDS)]
        turn += 1
        url, headers = work.request(kind, rng)
        out.append(fetch(session, kind, url, headers))
        if pace.think_ms:
            time.sleep(rng.uniform(0.5, 1.5) * pace.think_ms / 1000)


def start_probes(bases: list[str], out: Path) -> subprocess.Popen:
    """/healthz on every instance every 0.5 s until stopped, as a load balancer would: from
    a process of its own (bench/probe.py), at the priority this script started with."""
    command = [sys.executable, "-m", "bench.probe", *(f"{base}/healthz" for base in bases)]
    with out.open("w") as sink:
        return subprocess.Popen(command, cwd=BASE_DIR, stdout=sink)


def probe_samples(out: Path, started: float, ended: float) -> list[Sample]:
    """The probes (from start_probes) that started between two time.monotonic() marks."""
    found = [Sample(**json.loads(line)) for line in out.read_text().splitlines() if line]
    return [probe for probe in found if started <= probe.at < ended]


@dataclass
class Phase:
    samples: list[Sample]
    started: float  # time.monotonic()
    elapsed: float
    health: list[Sample]


def run_phase(sessions: list, work: Workload, seconds: int, pace: Pace, probes: Path) -> Phase:
    samples: list[Sample] = []
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=user, args=(s, work, deadline, pace, n, samples), daemon=True)
        for n, s in enumerate(sessions)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    ended = time.monotonic()
    time.sleep(0.6)  # the last probe of the phase written
    return Phase(samples, started, ended - started, probe_samples(probes, started, ended))


# --- reporting -------------------------------------------------------------------------


def latency_line(label: str, samples: list[Sample]) -> str:
    if not samples:
        return f"  {label:7} n=0"
    ms = [s.seconds * 1000 for s in samples]
    return (
        f"  {label:7} n={len(ms):6,}  p50 {percentile(ms, 50):7.1f} ms  "
        f"p95 {percentile(ms, 95):7.1f} ms  p99 {percentile(ms, 99):7.1f} ms  "
        f"max {max(ms):7.1f} ms"
    )


def report_phase(stack: Stack, phase: Phase, logs: dict) -> dict:
    samples, elapsed = phase.samples, phase.elapsed
    outcomes = Counter(s.outcome for s in samples)
    print(f"  {len(samples):,} requests in {elapsed:.1f} s: {len(samples) / elapsed:.1f} req/s")
    print(latency_line("all", samples))
    for kind in KINDS:
        print(latency_line(kind, [s for s in samples if s.kind == kind]))
    print(latency_line("healthz", phase.health))
    slow = [s for s in phase.health if s.seconds >= 0.1 or s.status != 200]
    print(f"  /healthz: {len(slow)} of {len(phase.health)} probes took >= 100 ms or failed")
    outcomes["slow_probes"] = len(slow)
    for probe in slow[:5]:
        print(
            f"    {probe.seconds * 1000:6.1f} ms (HTTP {probe.status}) "
            f"{probe.at - phase.started:5.1f} s into the phase"
        )
    outcomes["p95_ms"] = (
        round(percentile([s.seconds * 1000 for s in samples], 95)) if samples else 0
    )
    statuses = Counter(s.status for s in samples if s.outcome != "ok")
    print(
        f"  errors: expected upstream-failure pages {outcomes['expected']:,}; "
        f"UNEXPECTED {outcomes['unexpected']:,}; other non-200 {outcomes['other']:,}"
        + (f"   by status {dict(sorted(statuses.items()))} (0 = no answer)" if statuses else "")
    )
    pages = max(outcomes["ok"] + outcomes["expected"], 1)
    if logs["far"] is not None:
        now = stack.far_upstream_stats()
        calls, relayed = (now[k] - logs["far"][k] for k in ("calls", "relayed"))
        print(
            f"  upstream: {calls:,} calls from the app ({calls / pages:.2f} per answered "
            f"page), {relayed:,} of them relayed to the sandbox (the rest remembered), "
            f"{now['connections'] - logs['far']['connections']:,} new connections"
        )
    else:
        upstream = [a for a in stack.sandbox.accesses(logs["sandbox"]) if a.from_app]
        injected = sum(a.status >= 500 for a in upstream)
        print(
            f"  upstream: {len(upstream):,} calls from the app ({len(upstream) / pages:.2f} "
            f"per answered page), {injected:,} of them answered >= 500 by the sandbox"
        )
    for s in [s for s in samples if s.error][:5]:
        print(f"    no answer {s.at - phase.started:5.1f} s into the phase: {s.error}")
    app_errors = "".join(
        log.read_text(errors="replace")[logs["app_logs"].get(log, 0) :] for log in app_logs(stack)
    )
    print(
        f"  app logs: {app_errors.count('Traceback'):,} tracebacks, "
        f"{app_errors.count('WORKER TIMEOUT'):,} worker timeouts, "
        f"{app_errors.count('Booting worker'):,} workers (re)started"
    )
    for line, count in exception_lines(app_errors).most_common(3):
        print(f"    {count:5,} x {line[:150]}")
    return outcomes


def exception_lines(log: str) -> Counter:
    """The exception line ending each traceback in a log."""
    found, in_traceback = Counter(), False
    for line in log.splitlines():
        if line.startswith("Traceback"):
            in_traceback = True
        elif in_traceback and line and not line[0].isspace():
            found[line.strip()] += 1
            in_traceback = False
    return found


def app_logs(stack: Stack) -> list[Path]:
    """gunicorn's error log (worker timeouts, restarts) and the app's own output (the
    tracebacks Django logs), of every instance."""
    logs = [log for app in stack.apps for log in (app.error_log, app.output_log)]
    return [log for log in logs if log.exists()]


def log_marks(stack: Stack) -> dict:
    return {
        "sandbox": stack.sandbox.log_offset(),
        "far": stack.far_upstream_stats() if stack.far_upstream else None,
        "app_logs": {log: len(log.read_text(errors="replace")) for log in app_logs(stack)},
    }


# --- set-up ----------------------------------------------------------------------------


def logins(stack: Stack, users: int) -> list[requests.Session]:
    """One logged-in session per user (real logins: password hashing, axes, session rows)."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        sessions = list(pool.map(lambda _: stack.login(), range(users)))
    print(f"  {users} users logged in, {time.monotonic() - started:.1f} s")
    return sessions


def warm_up(sessions: list[requests.Session], work: Workload) -> None:
    """Every page of the workload once through the app, so that the far upstream has
    every answer before the measured phase (a relayed call costs the sandbox's CPU)."""
    started = time.monotonic()
    base = work.bases[0]
    urls = [(f"{base}/customers/?page={n}", {}) for n in range(1, work.last_page + 1)]
    urls += [(f"{base}/customers/search/?q={term}", HTMX) for term in SEARCH_TERMS]
    urls += [(f"{base}/customers/{pk}/", {}) for pk in work.ids]
    turns = [(session, urls[n :: len(sessions)]) for n, session in enumerate(sessions)]

    def walk(turn):  # one session per thread: a session is not shared between threads
        session, mine = turn
        for url, headers in mine:
            fetch(session, "warm-up", url, headers)

    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        list(pool.map(walk, turns))
    print(f"  warm-up: {len(urls)} pages once each, {time.monotonic() - started:.1f} s")


def workload(stack: Stack) -> Workload:
    raw = stack.upstream_session()
    ids, page = [], 1
    while True:
        answer = raw.get(f"{stack.upstream_url}/customers", params={"per_page": 100, "page": page})
        answer.raise_for_status()
        body = answer.json()
        ids += [row["id"] for row in body["data"]]
        if page >= body["meta"]["last_page"]:
            break
        page += 1
    return Workload([app.url for app in stack.apps], ids, last_page=-(-len(ids) // 25))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60, help="length of each phase")
    parser.add_argument("--latency-ms", type=int, default=50, help="added upstream latency")
    parser.add_argument("--fault-fraction", type=float, default=0.2)
    parser.add_argument("--fault-status", type=int, default=503)
    parser.add_argument("--think-ms", type=int, default=0, help="mean pause between requests")
    parser.add_argument(
        "--ramp-seconds",
        type=float,
        default=1.0,
        help="each user's first request comes at a random moment of this first stretch "
        "(0: all at the same instant, which repeats as waves of the upstream's delay)",
    )
    parser.add_argument("--quick", action="store_true", help="10 users, 10 s per phase")
    parser.add_argument("--instances", type=int, default=1, help="app instances (1 or 2)")
    parser.add_argument("--app-workers", type=int, default=None, help="2 (4 when slow)")
    parser.add_argument(
        "--app-threads", type=int, default=None, help="threads per app worker: 4 (64 when slow)"
    )
    parser.add_argument("--sandbox-threads", type=int, default=8, help="per sandbox worker")
    parser.add_argument("--healthy-only", action="store_true", help="skip the faults phase")
    parser.add_argument(
        "--app-keepalive",
        type=int,
        default=None,
        help="gunicorn --keep-alive of the app (seconds; gunicorn's default is 2)",
    )
    parser.add_argument(
        "--slow-upstream",
        action="store_true",
        help="100 users, 1 s per upstream call (held by bench/far_upstream.py), healthy "
        "phase only, each instance as gunicorn.conf.py serves: 4 workers x 64 threads",
    )
    parser.add_argument(
        "--upstream",
        choices=("sandbox", "far"),
        default=None,
        help="who holds each upstream answer --latency-ms: the sandbox itself, or "
        "bench/far_upstream.py in front of it (the default with --slow-upstream)",
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="a fresh PostgreSQL database instead of SQLite (with CACHE_URL=redis://… in "
        "the environment, the shared cache and sessions are on Redis)",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=10,
        help="lower the CPU priority of the simulated users and of the far upstream by "
        "this much (they stand in for other machines); the app and the probes keep theirs",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--max-seconds", type=int, default=900, help="stop the run after this")
    args = parser.parse_args()
    if args.quick:
        args.users, args.seconds = 10, 10
    if args.slow_upstream:
        args.users, args.latency_ms, args.healthy_only = 100, 1000, True
        # As gunicorn.conf.py serves production: 4 workers x 64 threads per instance.
        args.app_workers = args.app_workers or 4
        args.app_threads = args.app_threads or 64
        args.sandbox_threads = 64
        # As behind a load balancer: keep idle connections open longer than the client
        # does, so a connection is never closed by the app just as the client reuses it.
        args.app_keepalive = args.app_keepalive or 75
        args.upstream = args.upstream or "far"
    args.upstream = args.upstream or "sandbox"
    args.app_workers, args.app_threads = args.app_workers or 2, args.app_threads or 4
    return args


def run(stack: Stack, args: argparse.Namespace) -> dict[str, Counter]:
    print_header("set-up")
    stack.prepare(customers=CUSTOMERS)
    stack.start_sandbox(threads=args.sandbox_threads)
    far = args.upstream == "far"
    if far:
        stack.start_far_upstream(delay=args.latency_ms / 1000, nice=args.nice)
    stack.start_app(
        workers=args.app_workers, threads=args.app_threads, keepalive=args.app_keepalive
    )
    if args.instances > 1:
        stack.start_more_apps(
            args.instances - 1,
            workers=args.app_workers,
            threads=args.app_threads,
            keepalive=args.app_keepalive,
        )
    print(
        f"  {args.instances} app instance(s) x {args.app_workers} workers x "
        f"{args.app_threads} threads, keep-alive {args.app_keepalive or 2} s; "
        f"sandbox 2 workers x {args.sandbox_threads} threads"
        + (f", behind bench/far_upstream.py ({args.latency_ms} ms per answer)" if far else "")
    )
    print(
        f"  database: {'PostgreSQL' if stack.database else 'SQLite'}; shared cache and "
        f"sessions: {'Redis (CACHE_URL)' if stack.env.get('CACHE_URL') else 'the database'}"
    )
    work = workload(stack)
    probes_out = stack.tmp / "probes.jsonl"
    probes = start_probes(work.bases, probes_out)
    try:
        return run_phases(stack, args, work, probes_out)
    finally:
        probes.terminate()
        probes.wait(timeout=10)


def run_phases(
    stack: Stack, args: argparse.Namespace, work: Workload, probes: Path
) -> dict[str, Counter]:
    # The simulated users stand in for other machines: from here on this process (and
    # each thread it starts) yields the CPU to the app and the probes, which keep theirs.
    os.nice(args.nice)
    far = stack.far_upstream is not None
    sessions = logins(stack, args.users)
    if far:
        warm_up(sessions, work)
    sandbox_latency = 0 if far else args.latency_ms  # far: the relay holds each answer
    phases = {
        "healthy upstream": {"latency_ms": sandbox_latency},
        f"upstream answering {args.fault_status} to {args.fault_fraction:.0%} of calls": {
            "latency_ms": sandbox_latency,
            "status": args.fault_status,
            "fraction": args.fault_fraction,
        },
    }
    if args.healthy_only:
        phases = dict(list(phases.items())[:1])
    results = {}
    for title, faults in phases.items():
        print_header(
            f"{title}: {args.users} users starting within {args.ramp_seconds:g} s, "
            f"{args.seconds} s, think {args.think_ms} ms"
        )
        print("  " + stack.set_faults(**faults))
        marks = log_marks(stack)
        pace = Pace(args.think_ms, args.ramp_seconds)
        phase = run_phase(sessions, work, args.seconds, pace, probes)
        time.sleep(0.3)  # the servers' last access-log lines
        results[title] = report_phase(stack, phase, marks)
    stack.set_faults()
    return results


def main() -> int:
    args = parse_args()
    install_deadline(args.max_seconds)
    print_header("machine")
    for line in machine_lines():
        print("  " + line)
    stack = Stack(keep=args.keep, postgres=args.postgres)
    try:
        results = run(stack, args)
    finally:
        stack.close()
    unexpected = sum(r["unexpected"] for r in results.values())
    print_header("verdict")
    print(f"  {'PASS' if unexpected == 0 else 'FAIL'}  no unexpected errors: {unexpected:,}")
    ok = unexpected == 0
    if args.slow_upstream:
        healthy = next(iter(results.values()))
        p95_ok, probes_ok = healthy["p95_ms"] <= 2500, healthy["slow_probes"] == 0
        print(f"  {'PASS' if p95_ok else 'FAIL'}  p95 {healthy['p95_ms']:,} ms (<= 2,500 ms)")
        print(
            f"  {'PASS' if probes_ok else 'FAIL'}  /healthz under 100 ms throughout "
            f"({healthy['slow_probes']} slower or failed)"
        )
        ok = ok and p95_ok and probes_ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
