"""Benchmark: the branch review's refresh on a far upstream, and the counter beside it.

Starts a throwaway stack (bench/harness.py: temporary SQLite database, sandbox seeded
with 300 customers, the sandbox and the app in gunicorn) with bench/far_upstream.py
holding every upstream answer --delay seconds (default 0.2), and one `db_worker`
process. It times the counter's steps (list page, quick search, detail) against the
raw upstream call each needs, first with nothing else running, then while a refresh
of branch 00 runs, and prints:

- the refresh's time against its calls / CTAX_BACKGROUND_CALLS_PER_SECOND (limit +20 %);
- each counter step's median against its raw call's median during the refresh (the
  run_bench.py limits: list 1.10, search 1.08, detail 1.15); alone, for reference.

    .venv/bin/python bench/review_bench.py             # about 2 minutes
    .venv/bin/python bench/review_bench.py --pace 20   # another pace
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench.harness` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from bench.harness import BASE_DIR, Stack, install_deadline, machine_lines, median, print_header

CUSTOMERS = 300
BRANCH = "00"
HTMX = {"HX-Request": "true"}
LIMITS = {"list": 1.10, "search": 1.08, "detail": 1.15}
SEARCH_TERMS = ["ka", "wa", "ot", "mu", "ch", "ki", "om", "ng"]
JOB_FIGURES = (
    "import json; from customers.jobs import Job; "
    "from django_tasks_db.models import DBTaskResult as R; "
    "j = Job.objects.get(kind='branch_review'); r = R.objects.get(id=j.task_id); "
    "print(json.dumps({'state': j.state, 'calls': j.calls, 'customers': j.total, "
    "'seconds': (r.finished_at - r.started_at).total_seconds()}))"
)


def steps(stack: Stack, app: requests.Session, raw: requests.Session, far_api: str, ids):
    base = stack.app.url
    return {
        "list": (
            lambda i: app.get(f"{base}/customers/", timeout=30),
            lambda i: raw.get(f"{far_api}/customers?page=1&per_page=25", timeout=30),
        ),
        "search": (
            lambda i: app.get(f"{base}/customers/search/?q={_term(i)}", headers=HTMX, timeout=30),
            lambda i: raw.get(f"{far_api}/customers/search?q={_term(i)}&limit=10", timeout=30),
        ),
        "detail": (
            lambda i: app.get(f"{base}/customers/{ids[i % len(ids)]}/", timeout=30),
            lambda i: raw.get(f"{far_api}/customers/{ids[i % len(ids)]}", timeout=30),
        ),
    }


def _term(i: int) -> str:
    return SEARCH_TERMS[i % len(SEARCH_TERMS)]


def _timed(call, i: int) -> float:
    started = time.perf_counter()
    answer = call(i)
    elapsed = time.perf_counter() - started
    if answer.status_code != 200:
        raise RuntimeError(f"HTTP {answer.status_code} for {answer.url}")
    return elapsed


def sample(pairs: dict, times: dict, i: int) -> None:
    for name, (page, raw) in pairs.items():
        times[name][0].append(_timed(page, i))
        times[name][1].append(_timed(raw, i))


def ratios(times: dict) -> dict[str, tuple[float, float, float, int]]:
    return {
        name: (median(p) / median(r), median(p) * 1000, median(r) * 1000, len(p))
        for name, (p, r) in times.items()
    }


def print_ratios(label: str, found: dict) -> list[tuple[str, bool, str]]:
    checks = []
    for name, (ratio, page_ms, raw_ms, n) in found.items():
        ok = ratio <= LIMITS[name]
        detail = (
            f"{name:6} {label}: page {page_ms:6.1f} ms / raw call {raw_ms:6.1f} ms = "
            f"{ratio:.3f} (limit {LIMITS[name]:.2f}, n={n})"
        )
        print("  " + detail)
        checks.append((f"counter {name} {label}", ok, detail))
    return checks


def start_worker(stack: Stack, pace: float) -> subprocess.Popen:
    env = {**stack.env, "CTAX_BACKGROUND_CALLS_PER_SECOND": str(pace)}
    log = open(stack.tmp / "worker.log", "ab")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2",
         "--no-startup-delay"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def start_refresh(stack: Stack, app: requests.Session) -> None:
    url = f"{stack.app.url}/branches/{BRANCH}/review/"
    page = app.get(url, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = app.post(
        url + "refresh/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": url},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"refresh: HTTP {answer.status_code}")


def refresh_done(stack: Stack, app: requests.Session) -> bool:
    url = f"{stack.app.url}/branches/{BRANCH}/review/progress/"
    answer = app.get(url, headers=HTMX, timeout=30)
    if "The last refresh failed" in answer.text:
        raise RuntimeError("the refresh failed: " + answer.text[:500])
    return answer.headers.get("HX-Refresh") == "true"


def run(stack: Stack, args) -> list[tuple[str, bool, str]]:
    print_header("set-up")
    stack.prepare(customers=CUSTOMERS)
    stack.start_sandbox()
    stack.start_far_upstream(delay=args.delay)
    stack.start_app()
    worker = start_worker(stack, args.pace)
    try:
        return measure(stack, args)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def measure(stack: Stack, args) -> list[tuple[str, bool, str]]:
    app = stack.login()
    raw = stack.upstream_session()
    far_api = stack.env["CTAX_API_BASE_URL"]
    ids = [c["id"] for c in raw.get(f"{far_api}/customers?per_page=50", timeout=30).json()["data"]]
    pairs = steps(stack, app, raw, far_api, ids)
    print(f"  upstream answers held {args.delay * 1000:.0f} ms; pace {args.pace} calls/s")
    for i in range(3):  # warm-up: every answer remembered by the far upstream
        sample(pairs, {n: ([], []) for n in pairs}, i)

    print_header("the counter alone")
    alone = {n: ([], []) for n in pairs}
    for i in range(args.samples):
        sample(pairs, alone, i)
    print_ratios("alone", ratios(alone))  # for reference: the limits apply during the refresh

    print_header(f"the counter during a refresh of branch {BRANCH}")
    start_refresh(stack, app)
    during, i, started = {n: ([], []) for n in pairs}, 0, time.monotonic()
    while not refresh_done(stack, app):
        sample(pairs, during, i)
        i += 1
        if time.monotonic() - started > args.max_seconds / 2:
            raise RuntimeError("the refresh did not finish in time")
    checks = print_ratios("during refresh", ratios(during))

    print_header("the refresh")
    job = json.loads(stack.manage("shell", "-c", JOB_FIGURES).strip().splitlines()[-1])
    expected = job["calls"] / args.pace
    limit = expected * 1.2
    detail = (
        f"{job['customers']} customers, {job['calls']} upstream calls in "
        f"{job['seconds']:.1f} s; calls / pace = {expected:.1f} s, limit +20 % = {limit:.1f} s"
    )
    print("  " + detail)
    checks.append(("refresh time", job["state"] == "done" and job["seconds"] <= limit, detail))
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.2, help="seconds each answer is held")
    parser.add_argument("--pace", type=float, default=10.0, help="background calls per second")
    parser.add_argument("--samples", type=int, default=15, help="counter rounds alone")
    parser.add_argument("--max-seconds", type=int, default=600)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    install_deadline(args.max_seconds)
    print_header("machine")
    for line in machine_lines():
        print("  " + line)
    stack = Stack(keep=args.keep)
    try:
        checks = run(stack, args)
    finally:
        stack.close()
    print_header("results")
    for name, ok, detail in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
