"""The customer list, the header's quick search and its recently viewed customers."""

from dataclasses import dataclass, field

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from .. import recent, services
from ..access import ADD, CHANGE, EXPORT, VIEW, allowed_branches, branch_options, requires
from ..bulk import ACTIONS, MAX_CUSTOMERS, take_ticked
from ..changelist import CustomerChangeList
from ..fanout import Budget
from ..people_search import QUICK_SEARCH_MIN, QUICK_SEARCH_SHOWN, SEARCH_MAX, SearchPlan, plan
from ..rendering import render_fragment, render_page
from ..upstream.types import SearchHit


@require_GET
def home(request):
    return redirect("customers:list")


@require_GET
@requires(VIEW)
def customer_list(request):
    user = request.user
    changelist = CustomerChangeList.from_request(
        request, branches=branch_options(user), allowed_branches=allowed_branches(user)
    )
    if not request.htmx:  # a full page: what an action sent back still ticked
        changelist.ticked = take_ticked(request.session)
    changelist.load()
    actions = [(key, action.label) for key, action in ACTIONS.items() if user.has_perm(action.perm)]
    context = {
        "cl": changelist,
        "title": "Customers",
        "can_add": user.has_perm(ADD),
        "can_export": user.has_perm(EXPORT),
        "can_change": user.has_perm(CHANGE),
        "actions": actions,
        "max_selected": MAX_CUSTOMERS,
    }
    return render_page(request, "customers/list.html", context, partial="results")


# --- the quick search -------------------------------------------------------------------


@dataclass
class QuickSearchAnswer:
    hits: list = field(default_factory=list)
    full: bool = False  # more matches than shown: the last option opens the list
    cut: bool = False  # an answer filtered here had reached the upstream's limit
    query: str = ""  # what was typed: the list is opened with it, as it reads it the same way
    marked: str = ""  # the terms highlighted in the hits

    @property
    def list_url(self) -> str:
        return f"{reverse('customers:list')}?{urlencode({'search': self.query})}"


def _empty() -> HttpResponse:
    response = HttpResponse("")
    response["Vary"] = "HX-Request"
    return response


@require_GET
@requires(VIEW)
def quick_search(request):
    query = request.GET.get("q", "").strip()[:SEARCH_MAX]
    if request.GET.get("go") == "list":  # the header form sent without JavaScript
        url = reverse("customers:list")
        return redirect(f"{url}?{urlencode({'search': query})}" if query else url)
    allowed = allowed_branches(request.user)
    if len(query) < QUICK_SEARCH_MIN or allowed == [] or not plan(query).searchable:
        return _empty()
    answer = search_in_branches(query, allowed)
    context = {"answer": answer, "hits": answer.hits, "query": query}
    return render_fragment("customers/search_results.html", context)


def search_in_branches(query: str, allowed: list[str] | None) -> QuickSearchAnswer:
    """One upstream call per branch searched; hits must hold every word typed."""
    wanted = plan(query)
    branches = [None] if allowed is None else allowed
    per_branch = _search_each(wanted, branches)
    hits = [hit for hits in per_branch for hit in hits if wanted.keeps(hit)]
    if len(branches) > 1:
        hits.sort(key=lambda hit: hit.name.lower())
    return QuickSearchAnswer(
        hits=hits[:QUICK_SEARCH_SHOWN],
        full=len(hits) >= QUICK_SEARCH_SHOWN,
        cut=bool(wanted.words) and any(len(answer) >= wanted.limit for answer in per_branch),
        query=query,
        marked=wanted.marked,
    )


def _search_each(wanted: SearchPlan, branches: list) -> list[list[SearchHit]]:
    """The upstream calls of one quick search, side by side when there are several."""

    def call(code):
        return lambda: services.search_customers(q=wanted.sent, branch_id=code, limit=wanted.limit)

    if len(branches) == 1:
        return [call(branches[0])()]
    return list(Budget().require(*[call(code) for code in branches]))


@require_GET
@requires(VIEW)
def recently_viewed(request):
    """The quick search's options while its box is empty: the last customers opened."""
    entries = recent.viewed_by(request.user)
    if not entries:
        return _empty()
    hits = [
        SearchHit(id=e["id"], customer_no=e["customer_no"], name=e["name"], tin=None, phone=None)
        for e in entries
    ]
    return render_fragment("customers/search_results.html#recent", {"hits": hits})
