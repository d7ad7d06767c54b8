"""What a refresh reads upstream, through the door, paced: the branch's customers (pages
side by side), each one's detail (its summary) and its transactions of the window (as
many pages as `meta.last_page` says). About two calls per customer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from ..jobs import Pacer
from ..reports.fetching import TransactionQuery
from ..upstream.door import get_client
from ..upstream.errors import NotFound
from ..upstream.types import CustomerDetail, CustomerSummary, Transaction

LIST_PAGE_SIZE = 100  # the documented maximum
PARALLEL = 8  # calls in flight at once; the pacer decides how many start per second


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    summary: CustomerSummary
    detail: CustomerDetail
    transactions: list[Transaction] = field(default_factory=list)


@dataclass(slots=True)
class Gathered:
    customers: list[CustomerFacts]
    calls: int


def gather(
    *,
    branch_code: str,
    since: dt.date,
    pacer: Pacer,
    progress: Callable[..., None],
) -> Gathered:
    """Every customer of the branch with its detail and its transactions since `since`.

    `progress(done=, total=, calls=)` is called from this (the job's) thread only."""
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        summaries = _customers(pool, branch_code=branch_code, pacer=pacer)
        progress(done=0, total=len(summaries), calls=pacer.calls)
        futures = [pool.submit(_facts, summary, since, pacer) for summary in summaries]
        facts = []
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            if result is not None:
                facts.append(result)
            progress(done=done, total=len(summaries), calls=pacer.calls)
    facts.sort(key=lambda f: f.summary.id)
    return Gathered(customers=facts, calls=pacer.calls)


def _customers(pool, *, branch_code: str, pacer: Pacer) -> list[CustomerSummary]:
    def page(number: int):
        return pacer.call(
            lambda: get_client().list_customers(
                branch_id=branch_code, page=number, per_page=LIST_PAGE_SIZE
            )
        )

    first = page(1)
    rest = pool.map(page, range(2, first.meta.last_page + 1))
    seen: dict[int, CustomerSummary] = {}
    for answer in [first, *rest]:
        for summary in answer:
            if summary.branch_id == branch_code:  # the filter is the upstream's; check it
                seen.setdefault(summary.id, summary)
    return list(seen.values())


def _facts(summary: CustomerSummary, since: dt.date, pacer: Pacer) -> CustomerFacts | None:
    try:
        detail = pacer.call(lambda: get_client().get_customer(summary.id))
    except NotFound:
        return None  # deleted since the list was read
    return CustomerFacts(
        summary=summary, detail=detail, transactions=_transactions(summary.id, since, pacer)
    )


def _transactions(customer_id: int, since: dt.date, pacer: Pacer) -> list[Transaction]:
    query = TransactionQuery(customer_id, from_date=since)

    def page(number: int):
        return pacer.call(query.loader(number))

    try:
        first = page(1)
    except NotFound:
        return []
    items = list(first)
    for number in range(2, first.meta.last_page + 1):
        items.extend(page(number))
    return items
