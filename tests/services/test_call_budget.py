"""Each user's share of upstream calls (CTAX_USER_CALLS_PER_MINUTE): who pays, and the count.

The count must be one truth for every thread, worker and instance: 8 threads charging at
once never get more calls than the share, on the default store (the database, beside
Django's database cache) and on Redis (skipped with a reason when Redis does not answer,
a failure with CTAX_REQUIRE_SERVICES=1; `CACHE_URL=redis://… pytest` runs every test
here on Redis too).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection

from customers import call_budget
from customers.call_budget import paid_by, prepaid
from customers.fanout import Budget
from customers.models import UpstreamCallCount
from customers.upstream.door import get_client
from customers.upstream.errors import TooManyCalls
from tests.platform.platform_servers import REDIS_URL, require_redis

THREADS = 8


@pytest.fixture
def listing_upstream(upstream):
    """The shared fake (the app's door points at it), every list call answered, no rows."""
    upstream.list([])
    return upstream


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("clerk", password="pw-clerk-123")


@pytest.fixture(params=["default", "redis"])
def store(request, settings):
    """Where the count lives: the default configuration's store, or Redis."""
    if request.param == "redis":
        require_redis()
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}",
            }
        }
    return request.param


def charges(times: int) -> int:
    """How many of `times` single charges the bound payer got."""
    taken = 0
    for _ in range(times):
        try:
            call_budget.before_call()
        except TooManyCalls:
            continue
        taken += 1
    return taken


# --- the count: atomic -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_eight_threads_never_get_more_than_the_share(settings, store, user):
    settings.CTAX_USER_CALLS_PER_MINUTE = 100
    start = threading.Barrier(THREADS)
    taken: list[int] = []

    def spend():
        try:
            with paid_by(user.pk):
                start.wait()
                taken.append(charges(40))
        finally:
            connection.close()

    threads = [threading.Thread(target=spend) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(taken) == THREADS
    assert sum(taken) == 100  # 320 tried: no more than the share, none lost to a race
    with paid_by(user.pk), pytest.raises(TooManyCalls):
        call_budget.before_call()


def test_the_count_is_in_the_database_unless_the_cache_counts_atomically(store, user):
    with paid_by(user.pk):
        call_budget.before_call()
    rows = list(UpstreamCallCount.objects.values_list("user_id", "calls"))
    in_cache = isinstance(caches["default"], call_budget.ATOMIC_CACHES)
    assert in_cache == (store == "redis" or "CACHE_URL" in os.environ)
    assert rows == ([] if in_cache else [(user.pk, 1)])


# --- who pays ----------------------------------------------------------------------


@pytest.mark.django_db
def test_calls_outside_any_request_are_charged_to_nobody(settings, listing_upstream):
    settings.CTAX_USER_CALLS_PER_MINUTE = 1
    for _ in range(5):  # e.g. a background job: paced by its own setting instead
        get_client().list_customers()
    assert len(listing_upstream.calls) == 5
    assert call_budget.payer() is None
    assert not UpstreamCallCount.objects.exists()


def test_paid_by_none_unbinds_the_payer(settings, listing_upstream, user):
    settings.CTAX_USER_CALLS_PER_MINUTE = 1
    with paid_by(user.pk):
        get_client().list_customers()
        with paid_by(None):
            get_client().list_customers()
            get_client().list_customers()
        assert call_budget.payer() == user.pk
        with pytest.raises(TooManyCalls):
            get_client().list_customers()
    assert len(listing_upstream.calls) == 3


def test_past_the_share_nothing_is_sent_and_the_wait_is_told(settings, listing_upstream, user):
    settings.CTAX_USER_CALLS_PER_MINUTE = 2
    at = dt.datetime(2026, 6, 15, 6, 30, 45, tzinfo=dt.UTC)
    with time_machine.travel(at, tick=False), paid_by(user.pk):
        get_client().list_customers()
        get_client().list_customers()
        with pytest.raises(TooManyCalls) as info:
            get_client().list_customers()
    assert len(listing_upstream.calls) == 2
    assert info.value.http_status == 429
    assert info.value.retry_after == 15  # the minute ends in 15 s
    assert "Too many requests" in info.value.message
    assert "try again in 15 seconds" in info.value.message


def test_a_new_minute_brings_a_new_share(settings, listing_upstream, user):
    settings.CTAX_USER_CALLS_PER_MINUTE = 1
    last_second = dt.datetime(2026, 6, 15, 6, 30, 59, tzinfo=dt.UTC)
    with time_machine.travel(last_second, tick=False), paid_by(user.pk):
        get_client().list_customers()
        with pytest.raises(TooManyCalls):
            get_client().list_customers()
    next_minute = dt.datetime(2026, 6, 15, 6, 31, 0, tzinfo=dt.UTC)
    with time_machine.travel(next_minute, tick=False), paid_by(user.pk):
        get_client().list_customers()
    assert len(listing_upstream.calls) == 2


def test_each_user_has_a_share_of_their_own(settings, listing_upstream, user, django_user_model):
    settings.CTAX_USER_CALLS_PER_MINUTE = 1
    other = django_user_model.objects.create_user("other", password="pw-other-123")
    with paid_by(user.pk):
        get_client().list_customers()
    with paid_by(other.pk):
        get_client().list_customers()
    assert len(listing_upstream.calls) == 2


def test_zero_means_no_limit(settings, listing_upstream, user):
    settings.CTAX_USER_CALLS_PER_MINUTE = 0
    with paid_by(user.pk):
        for _ in range(3):
            get_client().list_customers()
    assert len(listing_upstream.calls) == 3


def test_default_share_is_300_a_minute(settings):
    assert settings.CTAX_USER_CALLS_PER_MINUTE == 300


# --- fan-out: paid for on the request's thread, all or none --------------------------


def test_fan_out_calls_are_charged(settings, listing_upstream, user):
    settings.CTAX_USER_CALLS_PER_MINUTE = 4
    with paid_by(user.pk):
        Budget().require(*[get_client().list_customers for _ in range(3)])
        get_client().list_customers()
        with pytest.raises(TooManyCalls):
            get_client().list_customers()
    assert len(listing_upstream.calls) == 4


def test_fan_out_past_the_share_is_refused_before_its_first_call(settings, listing_upstream, user):
    settings.CTAX_USER_CALLS_PER_MINUTE = 4
    with paid_by(user.pk):
        get_client().list_customers()
        with pytest.raises(TooManyCalls):  # tolerated failures do not hide it either
            Budget().gather(*[get_client().list_customers for _ in range(4)], tolerate=True)
        assert len(listing_upstream.calls) == 1
        assert charges(4) == 3  # nothing was charged for the refused fan-out


def test_worker_threads_know_who_pays(user):
    with paid_by(user.pk):
        assert Budget().require(call_budget.payer, call_budget.payer) == [user.pk, user.pk]


def test_a_budget_error_on_a_worker_thread_is_never_tolerated():
    def refused():
        raise TooManyCalls(retry_after=5)

    with pytest.raises(TooManyCalls):
        Budget().gather(refused, tolerate=True)


def test_prepaid_calls_left_unspent_are_given_back(settings, user):
    settings.CTAX_USER_CALLS_PER_MINUTE = 10
    with paid_by(user.pk):
        with prepaid(6):
            assert charges(2) == 2  # spent from the 6 paid for
        assert charges(20) == 8  # 2 spent in all: the other 4 were given back


def test_prepaid_is_all_or_none(settings, user):
    settings.CTAX_USER_CALLS_PER_MINUTE = 10
    with paid_by(user.pk):
        assert charges(7) == 7
        with pytest.raises(TooManyCalls), prepaid(4):
            pytest.fail("a fan-out past the share must not start")
        assert charges(5) == 3
