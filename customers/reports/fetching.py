"""Reading a customer's transactions through the door, page by page or all at once."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .. import services
from ..fanout import Budget, NotLoaded
from ..upstream.types import Page, Transaction

PER_PAGE = 100  # the upstream's maximum
# A page needing more pages than this fetches no more (about 2,000 transactions).
MAX_PAGES = 20
# Streamed exports stop here whatever the upstream claims (1,000,000 rows).
MAX_EXPORT_PAGES = 10_000


@dataclass(frozen=True, slots=True)
class TransactionQuery:
    customer_id: int
    type: str | None = None
    from_date: dt.date | None = None
    to_date: dt.date | None = None

    def page(self, number: int) -> Page[Transaction]:
        return self._page(number, PER_PAGE)

    def shown_page(self, number: int) -> Page[Transaction]:
        """A page as screens show it: the upstream's own page size."""
        return self._page(number, None)

    def _page(self, number: int, per_page: int | None) -> Page[Transaction]:
        return services.list_transactions(
            customer_id=self.customer_id,
            type=self.type,
            from_date=self.from_date,
            to_date=self.to_date,
            page=number,
            per_page=per_page,
        )

    def loader(self, number: int) -> Callable[[], Page[Transaction]]:
        return lambda: self.page(number)


@dataclass(frozen=True, slots=True)
class Fetched:
    """The transactions read within the page budget, newest first as the upstream sends them."""

    items: list[Transaction]
    total: int
    pages_read: int
    last_page: int

    @property
    def complete(self) -> bool:
        return self.pages_read >= self.last_page


def customer_and_first_page(query: TransactionQuery, budget: Budget):
    """The customer and the first page of their history, side by side (HTTP only)."""
    return budget.require(
        lambda: services.get_customer(customer_id=query.customer_id),
        query.loader(1),
    )


def read_rest(
    query: TransactionQuery, first: Page[Transaction], budget: Budget, *, max_pages: int = 0
) -> Fetched:
    """The pages after `first`, up to `max_pages` (MAX_PAGES) in all, within the budget."""
    last = min(first.meta.last_page, max_pages or MAX_PAGES)
    rest = budget.gather(*[query.loader(n) for n in range(2, last + 1)], tolerate=True)
    return _fetched([first, *rest], last_page=first.meta.last_page, total=first.meta.total)


def read_all(query: TransactionQuery, budget: Budget, *, total: int) -> Fetched:
    """Every page of a set whose size another call told (`total`), side by side, in budget."""
    last = max(1, math.ceil(total / PER_PAGE))
    pages = budget.gather(
        *[query.loader(n) for n in range(1, min(last, MAX_PAGES) + 1)], tolerate=True
    )
    return _fetched(pages, last_page=last, total=total)


def _fetched(pages: list, *, last_page: int, total: int) -> Fetched:
    """The pages read in a row from the first: the newest transactions, with no gap."""
    read = []
    for page in pages:
        if isinstance(page, NotLoaded):
            break
        read.append(page)
    if read:
        last_page, total = read[0].meta.last_page, read[0].meta.total
    items = [tx for page in read for tx in page.items]
    return Fetched(items=items, total=total, pages_read=len(read), last_page=last_page)


def iter_pages(first: Page, load: Callable[[int], Page]) -> Iterator[Page]:
    """`first`, then each following page loaded only when the previous one is used up."""
    page, number = first, 1
    yield page
    while page.items and number < min(page.meta.last_page, MAX_EXPORT_PAGES):
        number += 1
        page = load(number)
        yield page
