"""Random input in every form field never causes a 500, and valid values are never rejected."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customers.forms import CustomerForm
from customers.models import Branch

FIELDS = ["branch_id", "customer_no", "name", "tin", "phone", "email", "address"]
BRANCHES = [("00", "00 — Head Office"), ("01", "01 — Mombasa Road")]

nasty_text = st.one_of(
    st.text(max_size=600),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
    st.sampled_from(["\x00", "\u202e", "🥬" * 300, "<script>", "=SUM(A1)", " ", "\r\n"]),
    st.text(alphabet="AP0123456789XYZ ", min_size=9, max_size=13),  # near-miss TINs
    st.text(alphabet="+0123456789 -()", min_size=1, max_size=20),  # near-miss phones
)

valid_tin = st.builds(
    lambda p, d, c: f"{p}{d}{c}",
    st.sampled_from("AP"),
    st.from_regex(r"\A\d{9}\Z"),
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
)
# Kenyan mobile ranges (Safaricom, Airtel, Telkom), typed the ways people type them.
KE_MOBILE_PREFIXES = [
    "70",
    "71",
    "72",
    "73",
    "74",
    "75",
    "76",
    "77",
    "78",
    "79",
    "110",
    "111",
    "112",
    "113",
    "114",
    "115",
    "100",
    "101",
    "102",
]
valid_phone = st.builds(
    lambda prefix, digits, style: style.format(n=prefix + digits[: 9 - len(prefix)]),
    st.sampled_from(KE_MOBILE_PREFIXES),
    st.from_regex(r"\A\d{8}\Z"),
    st.sampled_from(["0{n}", "+254{n}", "254{n}", "+254 {n}", "0{n} "]),
)
valid_name = st.text(
    alphabet=st.characters(categories=("L", "N", "Zs")), min_size=1, max_size=255
).filter(lambda s: s.strip())
valid_no = st.from_regex(r"\A[A-Z0-9-]{1,50}\Z")


@pytest.fixture
def empty_upstream(upstream):
    """The shared fake upstream, with no customer yet: creates and searches answer as documented."""
    return upstream.serve({})


@pytest.fixture
def staff_client(client, superuser, db):
    for code, label in BRANCHES:
        Branch.objects.get_or_create(code=code, defaults={"name": label[5:]})
    client.force_login(superuser)
    return client


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.fixed_dictionaries({name: nasty_text for name in FIELDS}))
def test_random_input_never_breaks_the_create_page(staff_client, empty_upstream, data):
    response = staff_client.post("/customers/new/", data)
    assert response.status_code in (200, 302)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(["customer_no", "name", "tin", "phone", "email", "address"]),
    value=nasty_text,
)
def test_random_input_never_breaks_the_field_check(staff_client, field, value):
    response = staff_client.post(
        f"/customers/validate/{field}/", {field: value}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200


@settings(max_examples=200, deadline=None)
@given(
    customer_no=valid_no,
    name=valid_name,
    tin=st.one_of(st.just(""), valid_tin),
    phone=st.one_of(st.just(""), valid_phone),
    email=st.one_of(st.just(""), st.emails().filter(lambda e: len(e) <= 255)),
    branch=st.sampled_from(["00", "01"]),
)
def test_valid_values_are_never_rejected(customer_no, name, tin, phone, email, branch):
    form = CustomerForm(
        {
            "branch_id": branch,
            "customer_no": customer_no,
            "name": name,
            "tin": tin,
            "phone": phone,
            "email": email,
            "address": "",
        },
        branches=BRANCHES,
    )
    assert form.is_valid(), form.errors
    if phone:
        assert re.fullmatch(r"\+254\d{9}", form.cleaned_data["phone"])
