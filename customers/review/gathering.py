"""What a refresh reads upstream, paced, as the manager who asked may read it (through
the reads of `customers.selectors`): the branch's customers (the list's ChangeList, pages
side by side), each one's detail (its summary) and its transactions of the window (as
many pages as `meta.last_page` says). About two calls per customer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from django.http import QueryDict

from .. import selectors
from ..jobs import Pacer
from ..reports.fetching import PER_PAGE, TransactionQuery
from ..upstream.errors import NotFound
from ..upstream.types import CustomerDetail, CustomerSummary, Transaction

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
    user,
    branch_code: str,
    since: dt.date,
    pacer: Pacer,
    progress: Callable[..., None],
) -> Gathered:
    """Every customer of the branch with its detail and its transactions since `since`,
    as `user` may see them: a branch taken from them since they asked reads nothing
    (`NotFound`, as the exports do).

    `progress(done=, total=, calls=)` is called from this (the job's) thread only."""
    cl = selectors.customer_changelist(user=user, params=QueryDict(f"branch_id={branch_code}"))
    if cl.refused_branch:
        raise NotFound()
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        summaries = _customers(pool, cl, branch_code=branch_code, pacer=pacer)
        progress(done=0, total=len(summaries), calls=pacer.calls)
        futures = [pool.submit(_facts, user, summary, since, pacer) for summary in summaries]
        facts = []
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            if result is not None:
                facts.append(result)
            progress(done=done, total=len(summaries), calls=pacer.calls)
    facts.sort(key=lambda f: f.summary.id)
    return Gathered(customers=facts, calls=pacer.calls)


def _customers(pool, cl, *, branch_code: str, pacer: Pacer) -> list[CustomerSummary]:
    load = cl.page_loader(per_page=PER_PAGE)

    def page(number: int):
        return pacer.call(lambda: load(number))

    first = page(1)
    rest = pool.map(page, range(2, first.meta.last_page + 1))
    seen: dict[int, CustomerSummary] = {}
    for answer in [first, *rest]:
        for summary in answer:
            # The filter is the upstream's: check it (the branch is one the user may see).
            if summary.branch_id == branch_code:
                seen.setdefault(summary.id, summary)
    return list(seen.values())


def _facts(user, summary: CustomerSummary, since: dt.date, pacer: Pacer) -> CustomerFacts | None:
    try:
        detail = selectors.customer_for(user=user, customer_id=summary.id, run=pacer.call)
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
