"""A background job's pace: at most CTAX_BACKGROUND_CALLS_PER_SECOND calls, a 429's
Retry-After waited out, a 5xx tried again (on an injected clock: no real waiting)."""

import pytest

from customers.jobs import Pacer
from customers.upstream.errors import NotFound, RateLimited, Unavailable


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.starts: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


def test_calls_are_spaced_at_the_pace(clock):
    pacer = Pacer(10, clock=clock, sleep=clock.sleep)
    for _ in range(21):
        pacer.call(lambda: clock.starts.append(clock.now))
    assert clock.starts[-1] - clock.starts[0] == pytest.approx(2.0)
    assert pacer.calls == 21


def test_a_429_is_waited_out_then_the_pace_resumes(clock):
    pacer = Pacer(10, clock=clock, sleep=clock.sleep)
    answers = iter([RateLimited(retry_after=7), "ok"])

    def call():
        clock.starts.append(clock.now)
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert pacer.call(call) == "ok"
    assert clock.starts[1] - clock.starts[0] == pytest.approx(7.0)
    assert pacer.calls == 2


def test_5xx_is_tried_three_times_and_other_errors_at_once(clock):
    pacer = Pacer(10, clock=clock, sleep=clock.sleep)

    def unavailable():
        raise Unavailable()

    with pytest.raises(Unavailable):
        pacer.call(unavailable)
    assert pacer.calls == 3

    def missing():
        raise NotFound()

    with pytest.raises(NotFound):
        pacer.call(missing)
    assert pacer.calls == 4


def test_the_dormant_action_waits_out_a_429_on_bulks_own_read_or_write(clock, monkeypatch):
    from customers import bulk
    from customers.review import actions

    answers = iter(
        [
            bulk.Outcome(7, bulk.FAILED, reason="busy", error=RateLimited(retry_after=30)),
            bulk.Outcome(7, bulk.DONE),
        ]
    )
    tried_at = []

    def apply_status(user, ids, *, is_active, token):
        tried_at.append(clock.now)
        return bulk.Applied([next(answers)])

    monkeypatch.setattr(bulk, "apply_status", apply_status)
    pacer = Pacer(10, clock=clock, sleep=clock.sleep)

    assert actions._write_inactive(None, 7, pacer) == bulk.DONE
    assert len(tried_at) == 2 and tried_at[1] - tried_at[0] >= 30
