"""A day at the counter, step by step, against a far upstream (issue "One round trip per step").

Not a test: it starts the throwaway stack of bench/harness.py (300 sandbox customers,
the app served as gunicorn.conf.py serves production: 4 workers x 64 threads), puts
bench/far_upstream.py in front of the sandbox with every answer held --delay seconds
(200 ms: a branch office in Kenya and a cloud API), gives one customer a history of
118 transactions (2024-01 to 2026-11), logs in one user and walks through 16 steps,
each as a browser does it: a page, then what the page loads by itself (`hx-trigger`
"load"; the chart, loaded when scrolled into view, is a step of its own).

For every step it prints the wall time, the upstream calls and the round trips
(wall time / delay) until the step's content is on screen, against the step's limit,
and apart, what the page loaded after its content (the history's totals). Exit
status 0 when every step is within its limit + 0.3 and the day within 24.

    .venv/bin/python bench/day.py            # about a minute, most of it setting up
    .venv/bin/python bench/day.py --delay 0.15 --keep
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench.harness` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from bench.harness import SANDBOX_API, Stack, install_deadline, machine_lines, print_header

CUSTOMERS = 300
HISTORY = 118  # transactions of the customer the day is about
HTMX = {"HX-Request": "true"}
DAY_LIMIT = 24  # round trips, the whole day
SLACK = 0.3  # round trips a step may exceed its limit by

# One customer's history: 118 transactions, 95 of them from January 2024 to June 2025
# (so that the filtered history has pages) and 23 since (the chart's 12 months fit in one
# page); every third one a purchase, every tenth pending.
MAKE_HISTORY = """
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo
from sandbox.models import SandboxCustomer, SandboxTransaction
c = SandboxCustomer.objects.order_by("pk")[{index}]
SandboxTransaction.objects.filter(customer=c).delete()
tz = ZoneInfo("Africa/Nairobi")
def spread(start, end, count):
    step = (end - start) / count
    return [start + step * n for n in range(count)]
def at(*day):
    return dt.datetime(*day, 10, tzinfo=tz)
moments = spread(at(2024, 1, 5), at(2025, 6, 28), 95) + spread(at(2025, 7, 3), at(2026, 11, 25), 23)
SandboxTransaction.objects.bulk_create(
    SandboxTransaction(
        customer=c, branch=c.branch, created_at=moment,
        type="purchases" if n % 3 == 2 else "sales", invoice_no=f"DAY-{{n:04d}}",
        total_amount=Decimal(1160 + n), tax_amount=Decimal(160),
        status="pending" if n % 10 == 9 else "success",
    )
    for n, moment in enumerate(moments)
)
print(c.pk)
"""


@dataclass
class Step:
    number: int
    name: str
    limit: int
    seconds: float = 0.0
    calls: int = 0
    after_seconds: float = 0.0  # what the page loaded by itself, after its content
    after_calls: int = 0
    raw: float = 0.0  # one upstream call made straight to the far upstream, just before

    def trips(self, delay: float) -> float:
        return self.seconds / delay

    def ok(self, delay: float) -> bool:
        return self.trips(delay) <= self.limit + SLACK


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with `form_id`."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.values = form_id, {}
        self._inside, self._textarea, self._select = False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._inside = a.get("id") == self.form_id
        if not self._inside or not a.get("name") and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("submit", "button"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[a["name"]] = a.get("value", "on")
            else:
                self.values[a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_fields(html: str, form_id: str) -> dict:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.values


_LOADS = re.compile(r"<[^>]*\bhx-get=\"([^\"]+)\"[^>]*\bhx-trigger=\"load\"", re.S)


class Day:
    """One user's session, the far upstream's call counter, and the clock."""

    def __init__(self, stack: Stack, delay: float):
        self.stack, self.delay = stack, delay
        self.session = stack.login()
        self.base = stack.app.url
        self.upstream = stack.upstream_session()
        self.upstream_url = f"{stack.far_upstream.url}{SANDBOX_API}/customers/search?q=ka"

    def raw_call(self) -> float:
        """One upstream answer, asked straight: the floor of a step on this machine now."""
        started = time.monotonic()
        self.upstream.get(self.upstream_url, timeout=30).raise_for_status()
        return time.monotonic() - started

    def calls(self) -> int:
        return self.stack.far_upstream_stats()["calls"]

    def get(self, path: str, *, htmx: bool = False, stream: bool = False, **kwargs):
        headers = {**HTMX, "HX-Current-URL": self.base + path} if htmx else {}
        answer = self.session.get(self.base + path, headers=headers, stream=stream, **kwargs)
        if stream:
            for _ in answer.iter_content(64 * 1024):
                pass
        answer.raise_for_status()
        return answer

    def post_form(self, page, form_id: str, changes: dict):
        values = {**form_fields(page.text, form_id), **changes, "_save": "Save"}
        answer = self.session.post(page.url, data=values, headers={"Referer": page.url})
        answer.raise_for_status()
        if "errorlist" in answer.text and answer.url == page.url:
            errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', answer.text, re.S)
            raise RuntimeError(f"the form at {page.url} was refused: {errors}")
        return answer

    def run(self, step: Step, action: Callable[[], requests.Response | None]) -> None:
        """Time `action`, then (apart) the fragments its page loads by itself."""
        step.raw = self.raw_call()
        before = self.calls()
        started = time.monotonic()
        page = action()
        step.seconds = time.monotonic() - started
        after = self.calls()
        step.calls = after - before
        loads = (
            _LOADS.findall(page.text)
            if page is not None and not page.headers.get("Content-Disposition")
            else []
        )
        if loads:
            started = time.monotonic()
            with ThreadPoolExecutor(len(loads)) as pool:  # as a browser, side by side
                list(pool.map(lambda url: self.get(url.replace("&amp;", "&"), htmx=True), loads))
            step.after_seconds = time.monotonic() - started
            step.after_calls = self.calls() - after


def the_day(day: Day, customer_id: int) -> list[Step]:
    c = f"/customers/{customer_id}"
    filtered = f"{c}/transactions/?type=sales&from_date=2024-01-01&to_date=2025-06-30"
    steps = [
        (1, "list, first page", 1, lambda: day.get("/customers/")),
        (2, "list page 3 (htmx)", 1, lambda: day.get("/customers/?page=3", htmx=True)),
        (3, 'list search "wanj" (htmx)', 1, lambda: day.get("/customers/?search=wanj", htmx=True)),
        (4, 'quick search "ka"', 1, lambda: day.get("/customers/search/?q=ka", htmx=True)),
        (
            5,
            'quick search "jane wanjiku"',
            1,
            lambda: day.get("/customers/search/?q=jane+wanjiku", htmx=True),
        ),
        (6, f"detail and its history ({HISTORY} transactions)", 1, lambda: day.get(f"{c}/")),
        (7, "the same detail again", 1, lambda: day.get(f"{c}/")),
        (8, "chart (scrolled into view)", 1, lambda: day.get(f"{c}/chart/", htmx=True)),
        (9, "history: sales, 2024-01-01 to 2025-06-30", 1, lambda: day.get(filtered, htmx=True)),
        (10, "page 2 of that", 1, lambda: day.get(f"{filtered}&page=2", htmx=True)),
        (11, "recently viewed", 0, lambda: day.get("/customers/recent/", htmx=True)),
        (12, "edit: open, save, land on the detail", 4, lambda: edit(day, c)),
        (13, "create: open, save, land on the detail", 2, lambda: create(day)),
        (14, "statement of the whole history", 2, lambda: day.get(f"{c}/statement/")),
        (15, "history CSV, the whole history", 2, lambda: csv(day, f"{c}/transactions.csv")),
        (
            16,
            f"list CSV, every customer ({CUSTOMERS})",
            2,
            lambda: csv(day, "/customers/export.csv"),
        ),
    ]
    done = []
    for number, name, limit, action in steps:
        step = Step(number, name, limit)
        day.run(step, action)
        done.append(step)
    return done


def edit(day: Day, path: str):
    page = day.get(f"{path}/edit/")
    stamp = f"{time.time():.0f}"
    return day.post_form(page, "customer-form", {"address": f"Moi Avenue {stamp}, Nairobi"})


def create(day: Day):
    page = day.get("/customers/new/")
    number = f"DAY{time.time_ns() % 10**9}"
    fields = form_fields(page.text, "customer-form")
    branch = fields.get("branch_id") or re.search(
        r'<option value="(\w+)"', page.text.split('name="branch_id"', 1)[1]
    ).group(1)
    return day.post_form(
        page,
        "customer-form",
        {"branch_id": branch, "customer_no": number, "name": f"Day Counter {number} Ltd"},
    )


def csv(day: Day, path: str):
    return day.get(path, stream=True)


def median_step(runs: tuple[Step, ...]) -> Step:
    """The run of a step with the median wall time (its calls and loads with it)."""
    return sorted(runs, key=lambda step: step.seconds)[len(runs) // 2]


def report(steps: list[Step], delay: float) -> bool:
    print(
        f"\n{'#':>2}  {'step':<44} {'wall s':>7} {'calls':>5} {'trips':>6} {'limit':>5}  "
        f"{'loads after (trips, calls)':<26}"
    )
    for s in steps:
        after = f"{s.after_seconds / delay:.1f}, {s.after_calls}" if s.after_seconds else ""
        flag = "ok" if s.ok(delay) else "OVER"
        print(
            f"{s.number:>2}  {s.name:<44} {s.seconds:7.2f} {s.calls:5d} {s.trips(delay):6.1f} "
            f"{s.limit:5d}  {after:<26} {flag}"
        )
    day_trips = sum(s.trips(delay) for s in steps)
    after_trips = sum(s.after_seconds for s in steps) / delay
    print(
        f"    {'the day':<44} {sum(s.seconds for s in steps):7.2f} "
        f"{sum(s.calls for s in steps):5d} {day_trips:6.1f} {sum(s.limit for s in steps):5d}  "
        f"{after_trips:.1f}, {sum(s.after_calls for s in steps)}"
    )
    raws = sorted(s.raw for s in steps)
    print(
        f"\n  one upstream answer asked straight (no app), before each step: median "
        f"{raws[len(raws) // 2] * 1000:.0f} ms, max {raws[-1] * 1000:.0f} ms "
        f"(held {delay * 1000:.0f} ms): the rest is this machine's load"
    )
    steps_ok = all(s.ok(delay) for s in steps)
    print(f"\n{'PASS' if steps_ok else 'FAIL'}: every step within its limit + {SLACK} round trips")
    print(
        f"{'PASS' if day_trips <= DAY_LIMIT else 'FAIL'}: the day {day_trips:.1f} <= "
        f"{DAY_LIMIT} round trips"
    )
    return steps_ok and day_trips <= DAY_LIMIT


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay", type=float, default=0.2, help="seconds per upstream answer")
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="days measured after a warm-up day (which fills every worker and the far "
        "upstream's memory); each step is reported by its median over them",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--nice", type=int, default=10, help="the far upstream's os.nice")
    parser.add_argument("--max-seconds", type=int, default=600)
    args = parser.parse_args()
    install_deadline(args.max_seconds)
    print_header("A day at the counter (bench/day.py)")
    for line in machine_lines():
        print(line)
    stack = Stack(keep=args.keep)
    try:
        stack.prepare(customers=CUSTOMERS)
        made = stack.manage("shell", "-c", MAKE_HISTORY.format(index=0, count=HISTORY))
        customer_id = int(made.split()[-1])  # the last line; the shell talks before it
        stack.start_sandbox()
        # The far upstream stands in for another machine: it takes the CPU the app leaves.
        stack.start_far_upstream(delay=args.delay, nice=args.nice)
        stack.start_app(workers=4, threads=64, keepalive=75)  # as gunicorn.conf.py
        print(f"  every upstream answer held {args.delay * 1000:.0f} ms; customer {customer_id}")
        day = Day(stack, args.delay)
        the_day(day, customer_id)  # warm-up, not reported
        rounds = [the_day(day, customer_id) for _ in range(max(1, args.rounds))]
        print(f"  {len(rounds)} days measured after a warm-up day; each step's median")
        return (
            0
            if report([median_step(runs) for runs in zip(*rounds, strict=True)], args.delay)
            else 1
        )
    finally:
        stack.close()


if __name__ == "__main__":
    sys.exit(main())
