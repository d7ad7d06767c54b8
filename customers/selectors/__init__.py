"""Every read a screen makes, scoped to the user who asks: where branch visibility is applied.

Views, reports, template tags and background jobs call these keyword-only functions and
never check a branch themselves. A customer of a branch the user may not see and one
that does not exist come back alike, as `NotFound` ("Customer not found.", a 404), on
every path. Typed results (`customers.upstream.types`) come back; a read that fans out
does so within the page's `fanout.Budget`, whose worker threads only do HTTP (the branch
check, a database query, stays on the caller's thread).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import Http404

from .. import access, recent
from ..changelist import CustomerChangeList
from ..fanout import NOT_LOADED, Budget, NotLoaded
from ..people_search import QUICK_SEARCH_MIN, QUICK_SEARCH_SHOWN, SearchPlan, plan
from ..preserved_filters import list_searching
from ..reports.fetching import TransactionQuery
from ..upstream.door import get_client
from ..upstream.errors import NotFound, Unavailable, UpstreamError, UpstreamTimeout
from ..upstream.types import CustomerDetail, Page, SearchHit, Transaction

BRANCH_CODE_MAX = 20  # Branch.code's length


# --- a customer ---------------------------------------------------------------------------


def customer_for(
    *, user, customer_id: int, run: Callable[[Callable], CustomerDetail] | None = None
) -> CustomerDetail:
    """The customer's detail if the user may see its branch; NotFound otherwise.

    `run` makes the call (e.g. within a page's budget, or paced by a background job)."""

    def read() -> CustomerDetail:
        return get_client().get_customer(customer_id)

    return visible(user, run(read) if run else read())


def customer_with_history(
    *, user, query: TransactionQuery, budget: Budget, number: int = 1
) -> tuple[CustomerDetail, Page[Transaction]]:
    """The customer and a page of their history (the first), side by side in `budget`."""
    customer, page = budget.require(
        lambda: get_client().get_customer(query.customer_id),
        query.loader(number),
        meanwhile=_branches_of(user),
    )
    return visible(user, customer), page


def customer_with_history_or_error(
    *, user, query: TransactionQuery, budget: Budget, number: int
) -> tuple[CustomerDetail, Page[Transaction] | UpstreamError]:
    """As customer_with_history, but a history page that failed comes back as its error
    (an UpstreamError) in its place, for a page that still shows the customer."""

    def page_or_error():
        try:
            return query.page(number)
        except UpstreamError as error:
            return error

    customer, page = budget.gather(
        lambda: get_client().get_customer(query.customer_id),
        page_or_error,
        meanwhile=_branches_of(user),
    )
    if isinstance(customer, NotLoaded):
        raise UpstreamTimeout()
    return visible(user, customer), UpstreamTimeout() if isinstance(page, NotLoaded) else page


def customers_for(*, user, customer_ids: list[int], budget: Budget) -> list:
    """Each customer's detail, in order, read side by side within `budget`. In the place
    of one the user may not see or that does not exist: NotFound; of one that failed: its
    UpstreamError; of one that did not answer in time: a NotLoaded."""

    def read(customer_id: int):
        try:
            return get_client().get_customer(customer_id)
        except UpstreamError as exc:
            return exc

    found = budget.gather(
        *[lambda cid=cid: read(cid) for cid in customer_ids],
        meanwhile=_branches_of(user),
    )
    allowed = access.allowed_branches(user)
    return [
        NotFound()
        if isinstance(item, CustomerDetail) and not access.in_branches(allowed, item.branch_id)
        else item
        for item in found
    ]


def _branches_of(user) -> Callable[[], None]:
    """What a fanned-out read does while the upstream answers: read the user's branches,
    which its branch check needs (`fanout.Budget.gather`'s `meanwhile`)."""
    return lambda: access.read_branches(user)


def visible(user, customer):
    """`customer`, if the user may see its branch; NotFound otherwise (as a missing one):
    the one branch check of every read, and of every write's customer."""
    if not access.may_see_branch(user, customer.branch_id):
        raise NotFound()
    return customer


# --- the list -----------------------------------------------------------------------------


def customer_changelist(*, user, params) -> CustomerChangeList:
    """The list's filters read from `params` (a QueryDict) for this user's branches; not loaded."""
    return CustomerChangeList.for_user(user=user, params=params)


def customer_page(*, user, params) -> CustomerChangeList:
    """The list page `params` asks for, with only rows of the user's branches."""
    return customer_changelist(user=user, params=params).load()


# --- the quick search and the recently viewed ---------------------------------------------


@dataclass
class QuickSearchAnswer:
    hits: list = field(default_factory=list)
    full: bool = False  # more matches than shown: the last option opens the list
    cut: bool = False  # an answer filtered here had reached the upstream's limit
    query: str = ""  # what was typed: the list is opened with it, as it reads it the same way
    marked: str = ""  # the terms highlighted in the hits
    missing: list = field(default_factory=list)  # branches that did not answer in time

    @property
    def list_url(self) -> str:
        return list_searching(self.query)


def search_for(*, user, query: str) -> QuickSearchAnswer | None:
    """The quick search's hits in the user's branches; None when there is nothing to ask.

    One upstream call per branch searched; hits must hold every word typed. Over several
    branches, the answer holds what came back in time and names the branches that did
    not; only when none answered is it an error.
    """
    allowed = access.allowed_branches(user)
    wanted = plan(query)
    if len(query) < QUICK_SEARCH_MIN or allowed == [] or not wanted.searchable:
        return None
    branches = [None] if allowed is None else allowed
    per_branch = _search_each(wanted, branches)
    answered = [hits for hits in per_branch if not isinstance(hits, NotLoaded)]
    hits = [hit for hits in answered for hit in hits if wanted.keeps(hit)]
    if len(branches) > 1:
        hits.sort(key=lambda hit: hit.name.lower())
    return QuickSearchAnswer(
        hits=hits[:QUICK_SEARCH_SHOWN],
        full=len(hits) >= QUICK_SEARCH_SHOWN,
        cut=bool(wanted.words) and any(len(hits) >= wanted.limit for hits in answered),
        query=query,
        marked=wanted.marked,
        missing=[
            code
            for code, hits in zip(branches, per_branch, strict=True)
            if isinstance(hits, NotLoaded)
        ],
    )


def _search_each(wanted: SearchPlan, branches: list) -> list:
    """The upstream calls of one quick search, side by side when there are several
    (a branch that failed or was late gives a NotLoaded in its place)."""

    def call(code):
        return lambda: get_client().search_customers(
            q=wanted.sent, branch_id=code, limit=wanted.limit
        )

    if len(branches) == 1:
        return [call(branches[0])()]
    results = Budget().gather(*[call(code) for code in branches], tolerate=True)
    if all(isinstance(result, NotLoaded) for result in results):
        late = any(result is NOT_LOADED for result in results)
        raise UpstreamTimeout() if late else Unavailable()
    return results


def recently_viewed(*, user) -> list[SearchHit]:
    """The last customers the user opened, latest first, only of branches they may see today."""
    allowed = access.allowed_branches(user)
    entries = recent.viewed_by(user)
    shown = [e for e in entries if access.in_branches(allowed, e.get("branch_id", ""))]
    return [
        SearchHit(id=e["id"], customer_no=e["customer_no"], name=e["name"], tin=None, phone=None)
        for e in shown[: recent.SHOWN]
    ]


# --- branches -----------------------------------------------------------------------------


def branch_for(*, user, code: str) -> str:
    """`code`, if the user may work with that branch; Http404 ("No such branch.") otherwise."""
    if len(code) > BRANCH_CODE_MAX or not access.may_see_branch(user, code):
        raise Http404("No such branch.")
    return code


def reviewed_branch(*, user, code: str) -> str:
    """`code`, if the user may work with that branch and it is registered here (a review
    of a branch no one has would read nothing); Http404 otherwise, administrators too."""
    branch_for(user=user, code=code)
    if code not in access.branch_registry(user):
        raise Http404("No such branch.")
    return code


def reviewable_branches(*, user) -> list[str]:
    """The branches whose review this user may open (managers: their own; admins: all)."""
    if not user.has_perm(access.REVIEW):
        return []
    codes = access.allowed_branches(user)
    return list(access.branch_registry(user)) if codes is None else codes
