"""Reading a customer's transactions through the door, page by page or all at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial

from ..fanout import Budget, NotLoaded, in_order
from ..forms import TransactionFilterForm
from ..upstream.client import MAX_PER_PAGE
from ..upstream.door import get_client
from ..upstream.types import Page, Transaction

PER_PAGE = MAX_PER_PAGE  # the list's CSV reads the customer list's documented maximum
# A screen (totals, chart, statement) reads at most this many history pages: 1,000
# transactions at the 25 a page the API documents. Page counts always come from
# the answers' `meta.last_page`: the history has no `per_page` to ask for more.
MAX_PAGES = 40
# Streamed exports stop here whatever the upstream claims.
MAX_EXPORT_PAGES = 10_000


@dataclass(frozen=True, slots=True)
class TransactionQuery:
    customer_id: int
    type: str | None = None
    from_date: dt.date | None = None
    to_date: dt.date | None = None

    @classmethod
    def from_filters(cls, customer_id: int, filters: Mapping) -> TransactionQuery:
        """The history's filters as a TransactionFilterForm cleaned them (type, dates)."""
        return cls(
            customer_id,
            type=filters.get("type") or None,
            from_date=filters.get("from_date"),
            to_date=filters.get("to_date"),
        )

    @classmethod
    def from_form(cls, customer_id: int, data: Mapping) -> TransactionQuery:
        """The filters as submitted (or as `export_fields` gave them), cleaned by the
        history's form; a value it refuses is dropped, as the history drops it."""
        form = TransactionFilterForm(data)
        form.is_valid()
        return cls.from_filters(customer_id, form.cleaned_data)

    def page(self, number: int) -> Page[Transaction]:
        """A page as the upstream pages the history (25 transactions, as documented)."""
        return get_client().list_transactions(
            self.customer_id,
            type=self.type,
            from_date=self.from_date,
            to_date=self.to_date,
            page=number,
        )

    def loader(self, number: int) -> Callable[[], Page[Transaction]]:
        return lambda: self.page(number)

    @property
    def export_fields(self) -> list[tuple[str, str]]:
        """The form fields a background export of this history is asked with."""
        dates = [(key, getattr(self, key)) for key in ("from_date", "to_date")]
        return [
            ("customer_id", str(self.customer_id)),
            ("type", self.type or ""),
            *((key, day.isoformat() if day else "") for key, day in dates),
        ]


@dataclass(frozen=True, slots=True)
class Fetched:
    """The transactions read within the page budget, newest first as the upstream sends them."""

    items: list[Transaction]
    total: int
    pages_read: int
    last_page: int
    per_page: int = 25

    @property
    def most_read(self) -> int:
        """How many transactions a screen reads at most (MAX_PAGES pages)."""
        return MAX_PAGES * self.per_page

    @property
    def complete(self) -> bool:
        return self.pages_read >= self.last_page

    @property
    def capped(self) -> bool:
        """Not complete because a screen reads at most MAX_PAGES, not for lack of time."""
        return not self.complete and self.pages_read >= MAX_PAGES


def read_rest(
    query: TransactionQuery, first: Page[Transaction], budget: Budget, *, max_pages: int = 0
) -> Fetched:
    """The pages after `first`, as many as its `meta.last_page` says, up to `max_pages`
    (MAX_PAGES) in all: side by side (a few at a time), within the budget."""
    last = min(first.meta.last_page, max_pages or MAX_PAGES)
    rest = budget.gather(*[query.loader(n) for n in range(2, last + 1)], tolerate=True)
    return _fetched([first, *rest])


def _fetched(pages: list) -> Fetched:
    """The pages read in a row from the first: the newest transactions, with no gap."""
    read = []
    for page in pages:
        if isinstance(page, NotLoaded):
            break
        read.append(page)
    first = read[0].meta
    items = [tx for page in read for tx in page.items]
    return Fetched(
        items=items,
        total=first.total,
        pages_read=len(read),
        last_page=first.last_page,
        per_page=first.per_page,
    )


def iter_pages(first: Page, load: Callable[[int], Page]) -> Iterator[Page]:
    """`first`, then the pages its `meta.last_page` announces, in order: loaded a few at
    a time ahead of the reader (fanout.in_order), up to the first empty one."""
    yield first
    if not first.items:
        return
    last = min(first.meta.last_page, MAX_EXPORT_PAGES)
    for page in in_order(partial(load, number) for number in range(2, last + 1)):
        if not page.items:
            return
        yield page
