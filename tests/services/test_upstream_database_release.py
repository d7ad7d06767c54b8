"""While the upstream answers, a request holds no PostgreSQL connection from the pool."""

from __future__ import annotations

import pytest

from customers.upstream import door
from customers.upstream.client import CustomersClient
from tests.fakes import API_KEY, BASE_URL


def test_the_hook_runs_before_every_call_goes_out(upstream):
    order = []
    client = CustomersClient(
        base_url=BASE_URL, api_key=API_KEY, timeout=2, before_call=lambda: order.append("released")
    )

    def answer(request):
        order.append("sent")
        return 200, {}, '{"status": "success", "data": [], "meta": {"total": 0}}'

    upstream.rsps.add_callback("GET", upstream.url("customers"), callback=answer)

    client.list_customers()
    client.list_customers()

    assert order == ["released", "sent", "released", "sent"]


def test_the_process_client_gives_the_connection_back_before_each_call(monkeypatch):
    assert door.get_client().before_call is door.before_each_call
    released = []
    monkeypatch.setattr(door, "release_pooled_connection", lambda: released.append(1))
    door.before_each_call()  # nobody pays here: nothing charged, the connection let go
    assert released == [1]


class FakeConnection:
    def __init__(self, *, pool: bool, in_atomic_block: bool):
        self.settings_dict = {"OPTIONS": {"pool": {"max_size": 8}} if pool else {}}
        self.in_atomic_block = in_atomic_block
        self.closed = 0

    def close(self):
        self.closed += 1


@pytest.mark.parametrize(
    ("pool", "in_atomic_block", "closed"),
    [
        (True, False, 1),  # PostgreSQL's pool, no transaction: back to the pool
        (True, True, 0),  # inside a transaction: kept, or the transaction would break
        (False, False, 0),  # no pool (SQLite): the file stays open, nothing to give back
    ],
)
def test_a_pooled_connection_goes_back_only_outside_a_transaction(
    monkeypatch, pool, in_atomic_block, closed
):
    fake = FakeConnection(pool=pool, in_atomic_block=in_atomic_block)
    monkeypatch.setattr(door, "connection", fake)

    door.release_pooled_connection()

    assert fake.closed == closed
