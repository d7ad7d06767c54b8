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
from ..fanout import NOT_LOADED, Budget, NotLoaded
from ..people_search import QUICK_SEARCH_MIN, QUICK_SEARCH_SHOWN, SEARCH_MAX, SearchPlan, plan
from ..rendering import render_fragment, render_page
from ..upstream.errors import Unavailable, UpstreamTimeout
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
    missing: list = field(default_factory=list)  # branches that did not answer in time

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
    """One upstream call per branch searched; hits must hold every word typed.

    Over several branches, the answer holds what came back in time and names the
    branches that did not; only when none answered is it an error.
    """
    wanted = plan(query)
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
        return lambda: services.search_customers(q=wanted.sent, branch_id=code, limit=wanted.limit)

    if len(branches) == 1:
        return [call(branches[0])()]
    results = Budget().gather(*[call(code) for code in branches], tolerate=True)
    if all(isinstance(result, NotLoaded) for result in results):
        late = any(result is NOT_LOADED for result in results)
        raise UpstreamTimeout() if late else Unavailable()
    return results


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
