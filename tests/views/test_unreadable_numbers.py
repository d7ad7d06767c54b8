"""Absurd numbers from the upstream show the usual "could not read" notice, never a 500."""

import pytest

pytestmark = pytest.mark.usefixtures("branches")

META = '"meta": {"total": 1, "per_page": 25, "current_page": 1, "last_page": 1}'


def history_with_amount(amount: str) -> str:
    row = f'{{"id": "uuid-1", "type": "sales", "total_amount": {amount}, "status": "success"}}'
    return f'{{"status": "success", "data": [{row}], {META}}}'


@pytest.mark.parametrize("amount", ["1e999999999", "NaN", "Infinity"])
def test_history_with_an_absurd_amount_says_the_answer_was_unreadable(
    admin_client, upstream, assert_safe, amount
):
    upstream.detail(1)
    upstream.on("GET", "customers/1/transactions", body=history_with_amount(amount))

    response = admin_client.get("/customers/1/transactions/")

    assert response.status_code == 502
    assert "could not read" in assert_safe(response)


def test_a_list_claiming_a_billion_pages_says_the_answer_was_unreadable(
    admin_client, upstream, assert_safe
):
    upstream.list(total=10**12, last_page=10**9)

    response = admin_client.get("/customers/")

    assert response.status_code == 502
    assert "could not read" in assert_safe(response)
