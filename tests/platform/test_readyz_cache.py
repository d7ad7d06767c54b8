"""/readyz answers from the shared cache: a flood of probes makes a handful of upstream calls."""

import threading

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client

from customers import readiness
from tests.fakes import EMPTY_LIST


@pytest.fixture(autouse=True)
def _readyz_cached_5_seconds(upstream, settings):
    settings.CTAX_READYZ_CACHE_SECONDS = 5


@pytest.mark.django_db
def test_a_flood_of_probes_makes_one_upstream_call_per_period(client, upstream, _frozen_clock):
    upstream.on("GET", "customers", json=EMPTY_LIST)
    answers = [client.get("/readyz") for _ in range(50)]
    assert {a.status_code for a in answers} == {200}
    assert len(upstream.calls) == 1
    _frozen_clock.shift(6)  # the answer is now older than CTAX_READYZ_CACHE_SECONDS
    assert client.get("/readyz").status_code == 200
    assert len(upstream.calls) == 2


@pytest.mark.django_db
def test_a_failure_is_kept_too_and_then_refreshed(client, upstream, _frozen_clock):
    upstream.on("GET", "customers", json={"status": "error", "message": "x"}, status=503)
    assert client.get("/readyz").status_code == 503
    calls = len(upstream.calls)  # one check (the client retries a 503 read)
    assert [client.get("/readyz").status_code for _ in range(10)] == [503] * 10
    assert len(upstream.calls) == calls
    upstream.replace("GET", "customers", json=EMPTY_LIST)
    _frozen_clock.shift(6)
    assert client.get("/readyz").json() == {"status": "ready"}


@pytest.mark.django_db
def test_while_another_process_refreshes_the_last_answer_is_given(client, upstream, _frozen_clock):
    upstream.on("GET", "customers", json=EMPTY_LIST)
    assert client.get("/readyz").status_code == 200
    _frozen_clock.shift(6)
    assert cache.add(readiness.REFRESH_LOCK_KEY, True, 30)  # "another worker is refreshing"
    assert client.get("/readyz").json() == {"status": "ready"}
    assert len(upstream.calls) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_probes_share_one_refresh(upstream):
    """20 probes at once (one thread each, own connections): one refresher, one call."""
    started = threading.Event()

    def slow_upstream(request):
        started.wait(timeout=2)  # hold the refresh until every probe has been sent
        return 200, {}, '{"status": "success", "data": [], "meta": {"total": 0}}'

    upstream.rsps.add_callback("GET", upstream.url("customers"), callback=slow_upstream)
    statuses = []

    def probe():
        try:
            statuses.append(Client().get("/readyz").status_code)
        finally:
            connections.close_all()  # as a server's thread does at the end of a request

    threads = [threading.Thread(target=probe) for _ in range(20)]
    for thread in threads:
        thread.start()
    started.set()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [200] * 20
    assert len(upstream.calls) == 1
