"""A page's fan-out budget: a cap on parallel calls, one deadline, late calls "not loaded".

Calls are ordered by events, never by sleeping: a call that "never returns" waits on
an event that only the test's end sets.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from customers.fanout import NOT_LOADED, Budget, NotLoaded, in_order, page_deadline_seconds
from customers.upstream.errors import NotFound, RateLimited, Unavailable, UpstreamTimeout


@pytest.fixture
def hang():
    """hang() -> a call that never returns while the test runs."""
    released = threading.Event()
    started = []

    def make(name="hung"):
        def call():
            started.append(name)
            released.wait(30)
            return name

        return call

    make.started = started
    yield make
    released.set()


def test_no_calls():
    assert Budget().gather() == []


def test_results_in_call_order():
    second_done = threading.Event()

    def first():
        assert second_done.wait(5)  # ends after the second
        return "first"

    def second():
        second_done.set()
        return "second"

    assert Budget(seconds=10).gather(first, second, lambda: 3) == ["first", "second", 3]


def test_calls_really_run_side_by_side():
    barrier = threading.Barrier(3, timeout=5)
    assert len(Budget(seconds=10, parallel=3).gather(barrier.wait, barrier.wait, barrier.wait)) == 3


def test_a_call_that_never_returns_is_not_loaded_once_the_deadline_passes(hang):
    results = Budget(seconds=0.2).gather(lambda: "quick", hang())

    assert results == ["quick", NOT_LOADED]
    assert not results[1]  # falsy, and typed
    assert isinstance(results[1], NotLoaded)


def test_no_more_calls_in_flight_than_the_cap_and_late_ones_never_start(hang):
    calls = [hang(f"call-{n}") for n in range(6)]

    results = Budget(seconds=0.2, parallel=2).gather(*calls)

    assert results == [NOT_LOADED] * 6
    assert sorted(hang.started) == ["call-0", "call-1"]  # the other four were dropped


def test_an_expired_budget_starts_nothing(hang):
    budget = Budget(seconds=0.1)
    budget.gather(hang())
    assert budget.expired

    ran = []
    assert budget.gather(lambda: ran.append(1)) == [NOT_LOADED]
    assert ran == []


def test_the_deadline_is_one_for_the_whole_page(hang):
    budget = Budget(seconds=0.2)
    budget.gather(hang())  # spends the whole budget
    assert budget.left == 0


def test_require_turns_a_late_call_into_the_usual_timeout(hang):
    with pytest.raises(UpstreamTimeout):
        Budget(seconds=0.2).require(lambda: 1, hang())


def test_meanwhile_runs_on_the_callers_thread_while_the_calls_are_in_flight():
    sent = threading.Event()
    answer = threading.Event()
    seen = []

    def call():
        sent.set()
        assert answer.wait(5)
        return "answered"

    def meanwhile():
        assert sent.wait(5)  # the call is already in flight
        seen.append(threading.current_thread())
        answer.set()

    assert Budget(seconds=5).gather(call, meanwhile=meanwhile) == ["answered"]
    assert seen == [threading.current_thread()]


def test_the_user_scoped_reads_load_the_users_branches_while_the_upstream_answers(
    db, upstream, django_user_model
):
    from customers import access, selectors
    from customers.reports.fetching import TransactionQuery

    upstream.detail(7, branch_id="00")
    upstream.transactions(7, [])
    user = django_user_model.objects.create_user("clerk")
    read_for = []
    read_branches = access.read_branches

    def watched(user):
        read_branches(user)
        read_for.append(user)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(access, "read_branches", watched)
        with pytest.raises(NotFound):  # branch 00 is not the clerk's
            selectors.customer_with_history_or_error(
                user=user, query=TransactionQuery(customer_id=7), budget=Budget(), number=1
            )
    assert read_for == [user]


def test_writes_started_are_waited_for_past_the_deadline_and_late_ones_never_start():
    """A write has an audit entry to settle: once started it is never abandoned."""
    budget = Budget(seconds=0.2, parallel=1)
    released = threading.Event()
    ran = []

    def slow_write():
        ran.append("slow")
        threading.Timer(0.5, released.set).start()  # answers after the deadline
        assert released.wait(5)
        return "written"

    results = budget.gather_writes(slow_write, lambda: ran.append("late") or "late")

    assert results == ["written", NOT_LOADED]
    assert ran == ["slow"]  # the second had not started by the deadline: never sent
    assert budget.expired


def test_an_expired_budget_sends_no_write():
    budget = Budget(seconds=0)
    ran = []
    assert budget.gather_writes(lambda: ran.append(1)) == [NOT_LOADED]
    assert ran == []


def test_the_first_error_is_raised_without_waiting_for_the_rest(hang):
    def fail():
        raise RateLimited(retry_after=5)

    with pytest.raises(RateLimited) as info:
        Budget(seconds=10).gather(hang(), fail)  # the hung call does not hold it back
    assert info.value.retry_after == 5


def test_with_tolerate_an_upstream_error_is_a_not_loaded_result():
    def fail():
        raise Unavailable("down")

    results = Budget(seconds=10).gather(lambda: 1, fail, tolerate=True)

    assert results[0] == 1
    assert isinstance(results[1], NotLoaded)
    assert results[1].reason == "Unavailable"


def test_a_programming_error_is_raised_even_when_tolerated():
    def broken():
        raise KeyError("bug")

    with pytest.raises(KeyError):
        Budget(seconds=10).gather(broken, tolerate=True)


def test_an_error_after_successes_is_raised():
    def fail():
        raise NotFound("gone")

    with pytest.raises(NotFound, match="gone"):
        Budget(seconds=10).gather(lambda: 1, fail, lambda: 2)


def test_one_pages_fan_out_does_not_delay_another_pages(hang):
    """User A's chart (20 pages) hangs upstream; user B's page is served meanwhile."""
    a_started_all = threading.Event()
    a_release = threading.Event()
    a_results = []

    def a_page(n):
        def call():
            if len(hang.started) >= 3:
                a_started_all.set()
            hang.started.append(n)
            a_release.wait(30)
            return n

        return call

    def user_a():
        a_results.extend(Budget(seconds=30).gather(*[a_page(n) for n in range(20)]))

    a = threading.Thread(target=user_a)
    a.start()
    try:
        assert a_started_all.wait(5)  # A's calls fill its share of threads and are stuck
        b_results = []
        b = threading.Thread(
            target=lambda: b_results.extend(
                Budget(seconds=5).gather(lambda: "customer", lambda: "history page")
            )
        )
        b.start()
        b.join(5)  # with a queue shared between pages, B would wait behind A's calls
        assert b_results == ["customer", "history page"]
        assert not a_results  # B was served while A was still blocked
        assert len(hang.started) <= 4  # A never had more than its cap in flight
    finally:
        a_release.set()
        a.join(10)
    assert a_results == list(range(20))


def test_the_deadline_defaults_to_the_api_timeout(settings):
    settings.CTAX_API_TIMEOUT = 3.5
    assert page_deadline_seconds() == 3.5
    settings.CTAX_PAGE_DEADLINE = 0.5
    assert page_deadline_seconds() == 0.5


def _deadline_in_a_fresh_process(**env: str) -> str:
    code = (
        "import django; django.setup(); "
        "from customers import fanout; print(fanout.page_deadline_seconds())"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CTAX_")}
    environment.update(DJANGO_SETTINGS_MODULE="ctaxoffice.settings", DJANGO_DEBUG="1", **env)
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_the_page_deadline_is_read_from_the_environment():
    assert _deadline_in_a_fresh_process(CTAX_API_TIMEOUT="7") == "7.0"
    assert _deadline_in_a_fresh_process(CTAX_API_TIMEOUT="7", CTAX_PAGE_DEADLINE="2.5") == "2.5"


# --- in_order: the streamed exports' pages, a few ahead of the reader --------------------


def test_in_order_gives_results_in_call_order_with_a_few_in_flight():
    """Four calls wait for each other (a barrier): they really run side by side; a
    fifth is never in flight with them."""
    barrier = threading.Barrier(4, timeout=5)
    in_flight, most, lock = [0], [0], threading.Lock()

    def call(n):
        def run():
            with lock:
                in_flight[0] += 1
                most[0] = max(most[0], in_flight[0])
            if n < 4:
                barrier.wait()
            with lock:
                in_flight[0] -= 1
            return n

        return run

    assert list(in_order((call(n) for n in range(10)), parallel=4)) == list(range(10))
    assert most[0] == 4


def test_in_order_reads_only_a_few_calls_ahead_of_the_reader():
    started = []

    def call(n):
        def run():
            started.append(n)
            return n

        return run

    results = in_order((call(n) for n in range(100)), parallel=4)
    assert next(results) == 0
    assert len(started) <= 5  # the first, and at most 4 ahead of the reader
    results.close()  # a cancelled download: nothing more starts
    assert len(started) <= 5


def test_in_order_raises_an_error_where_its_result_would_be():
    def fails():
        raise Unavailable()

    results = in_order([lambda: 1, fails, lambda: 3])
    assert next(results) == 1
    with pytest.raises(Unavailable):
        next(results)
