"""The customer list, the header's quick search and its recently viewed customers."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from .. import selectors
from ..access import ADD, CHANGE, EXPORT, VIEW, requires
from ..bulk import ACTIONS, MAX_CUSTOMERS, take_ticked
from ..people_search import SEARCH_MAX
from ..preserved_filters import list_searching
from ..rendering import render_fragment, render_page


@require_GET
def home(request):
    return redirect("customers:list")


@require_GET
@requires(VIEW)
def customer_list(request):
    user = request.user
    changelist = selectors.customer_page(user=user, params=request.GET)
    if not request.htmx:  # a full page: what an action sent back still ticked
        changelist.ticked = take_ticked(request.session)
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


def _empty() -> HttpResponse:
    response = HttpResponse("")
    response["Vary"] = "HX-Request"
    return response


@require_GET
@requires(VIEW)
def quick_search(request):
    query = request.GET.get("q", "").strip()[:SEARCH_MAX]
    if request.GET.get("go") == "list":  # the header form sent without JavaScript
        return redirect(list_searching(query))
    answer = selectors.search_for(user=request.user, query=query)
    if answer is None:
        return _empty()
    context = {"answer": answer, "hits": answer.hits, "query": query}
    return render_fragment("customers/search_results.html", context)


@require_GET
@requires(VIEW)
def recently_viewed(request):
    """The quick search's options while its box is empty: the last customers opened."""
    hits = selectors.recently_viewed(user=request.user)
    if not hits:
        return _empty()
    return render_fragment("customers/search_results.html#recent", {"hits": hits})
