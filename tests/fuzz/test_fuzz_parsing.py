"""Random JSON shapes fed to the door's parsing give a typed error, never a crash."""

import contextlib
import json

import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customers.upstream.client import CustomersClient
from customers.upstream.errors import BadResponse, UpstreamError
from tests.fakes import API_KEY, BASE_URL, FakeUpstream

json_values = st.recursive(
    # floats include NaN and +-Infinity, which json.dumps writes out (JSON has neither)
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
# Shapes close to the real ones, with random values: the likeliest kind of breakage.
record = st.fixed_dictionaries(
    {},
    optional={
        key: json_values
        for key in [
            "id",
            "customer_no",
            "name",
            "tin",
            "phone",
            "branch_id",
            "is_active",
            "created_at",
            "transaction_summary",
            "recent_transactions",
            "total_amount",
            "amount",
            "type",
        ]
    },
)
page_meta = st.fixed_dictionaries(
    {}, optional={key: json_values for key in ["total", "per_page", "current_page", "last_page"]}
)
envelopes = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {
            "status": st.just("success"),
            "data": st.one_of(json_values, record, st.lists(record, max_size=3)),
            "meta": st.one_of(json_values, page_meta),
        }
    ),
)

CALLS = [
    ("/customers", lambda c: c.list_customers()),
    ("/customers/search", lambda c: c.search_customers(q="ab")),
    ("/customers/1", lambda c: c.get_customer(1)),
    ("/customers/1/transactions", lambda c: c.list_transactions(1)),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=envelopes, call=st.sampled_from(CALLS), status=st.sampled_from([200, 400, 404]))
def test_any_json_gives_a_result_or_a_typed_error(body, call, status):
    path, invoke = call
    client = CustomersClient(base_url=BASE_URL, api_key=API_KEY, timeout=1)
    # a fake per example (hypothesis runs many in one test): the shared one, at its address
    with responses.RequestsMock() as mock:
        FakeUpstream(mock).on(
            "GET", path, body=json.dumps(body), status=status, content_type="application/json"
        )
        with contextlib.suppress(UpstreamError):
            invoke(client)


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=200))
def test_any_bytes_give_a_typed_error(raw):
    client = CustomersClient(base_url=BASE_URL, api_key=API_KEY, timeout=1)
    with responses.RequestsMock() as mock:
        FakeUpstream(mock).on("GET", "customers/1", body=raw, status=200)
        with contextlib.suppress(BadResponse):
            client.get_customer(1)
