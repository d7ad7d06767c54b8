"""Numbers no sane upstream sends are an unreadable answer (BadResponse), never a crash.

JSON has no NaN or Infinity (Python's json reads them unless told not to), and
`1e999999999` parses as a finite Decimal far beyond any amount or page count.
"""

from __future__ import annotations

import pytest

from customers.upstream.errors import BadResponse

META = '"meta": {"total": 2, "per_page": 25, "current_page": 1, "last_page": 1}'


def transactions_body(amount: str) -> str:
    row = f'{{"id": "uuid-1", "type": "sales", "total_amount": {amount}, "status": "success"}}'
    return f'{{"status": "success", "data": [{row}], {META}}}'


def list_body(**meta) -> str:
    fields = {"total": 2, "per_page": 25, "current_page": 1, "last_page": 1, **meta}
    text = ", ".join(f'"{key}": {value}' for key, value in fields.items())
    return f'{{"status": "success", "data": [], "meta": {{{text}}}}}'


def detail_body(total_sales_amount: str) -> str:
    summary = (
        f'{{"total_transactions": 1, "total_sales_amount": {total_sales_amount}, '
        '"this_month_transactions": 0}'
    )
    return (
        '{"status": "success", "data": {"id": 1, "customer_no": "C1", "name": "ABC", '
        f'"branch_id": "00", "transaction_summary": {summary}}}}}'
    )


NOT_NUMBERS = [
    "1e999999999",
    "-1e999999999",
    "NaN",
    "Infinity",
    "-Infinity",
    '"NaN"',
    "1e-999999999",
]


@pytest.mark.parametrize("amount", NOT_NUMBERS)
def test_absurd_transaction_amounts_are_unreadable(client_on_fake, upstream, amount):
    upstream.on("GET", "customers/1/transactions", body=transactions_body(amount))

    with pytest.raises(BadResponse):
        client_on_fake.list_transactions(1)


@pytest.mark.parametrize("amount", NOT_NUMBERS)
def test_absurd_summary_amounts_are_unreadable(client_on_fake, upstream, amount):
    upstream.on("GET", "customers/1", body=detail_body(amount))

    with pytest.raises(BadResponse):
        client_on_fake.get_customer(1)


@pytest.mark.parametrize(
    "meta",
    [
        {"last_page": "1e999999999"},
        {"last_page": 10**7},
        {"last_page": -1},
        {"last_page": "NaN"},
        {"current_page": 10**9},
        {"current_page": -3},
        {"total": "1e999999999"},
        {"total": -5},
        {"total": "Infinity"},
        {"per_page": "1e999999999"},
        {"last_page": "9" * 5000},  # beyond Python's digit limit for int()
    ],
    ids=lambda meta: "-".join(f"{k}={str(v)[:12]}" for k, v in meta.items()),
)
def test_absurd_page_counts_are_unreadable(client_on_fake, upstream, meta):
    upstream.on("GET", "customers", body=list_body(**meta))

    with pytest.raises(BadResponse):
        client_on_fake.list_customers()


def test_large_but_sane_numbers_are_read(client_on_fake, upstream):
    upstream.on("GET", "customers", body=list_body(total=100_000_000, last_page=1_000_000))
    upstream.on("GET", "customers/1/transactions", body=transactions_body("999999999999.99"))

    meta = client_on_fake.list_customers().meta
    (transaction,) = client_on_fake.list_transactions(1)

    assert (meta.total, meta.last_page) == (100_000_000, 1_000_000)
    assert str(transaction.amount) == "999999999999.99"


def test_a_page_count_of_zero_still_means_one_page(client_on_fake, upstream):
    upstream.on("GET", "customers", body=list_body(total=0, current_page=0, last_page=0))

    meta = client_on_fake.list_customers().meta

    assert (meta.total, meta.current_page, meta.last_page) == (0, 1, 1)
