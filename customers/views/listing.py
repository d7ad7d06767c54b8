"""The customer list and the header's quick search."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from .. import services
from ..access import ADD, EXPORT, VIEW, allowed_branches, branch_options, requires
from ..changelist import CustomerChangeList
from ..fanout import Budget
from ..rendering import render_fragment, render_page

QUICK_SEARCH_LIMIT = 10
QUICK_SEARCH_MIN = 2


@require_GET
def home(request):
    return redirect("customers:list")


@require_GET
@requires(VIEW)
def customer_list(request):
    changelist = CustomerChangeList.from_request(
        request,
        branches=branch_options(request.user),
        allowed_branches=allowed_branches(request.user),
    ).load()
    context = {
        "cl": changelist,
        "title": "Customers",
        "can_add": request.user.has_perm(ADD),
        "can_export": request.user.has_perm(EXPORT),
    }
    return render_page(request, "customers/list.html", context, partial="results")


@require_GET
@requires(VIEW)
def quick_search(request):
    query = request.GET.get("q", "").strip()[:100]
    if request.GET.get("go") == "list":  # the header form sent without JavaScript
        url = reverse("customers:list")
        return redirect(f"{url}?{urlencode({'search': query})}" if query else url)
    allowed = allowed_branches(request.user)
    if len(query) < QUICK_SEARCH_MIN or allowed == []:
        response = HttpResponse("")
        response["Vary"] = "HX-Request"
        return response
    context = {"hits": search_in_branches(query, allowed), "query": query}
    return render_fragment("customers/search_results.html", context)


def search_in_branches(query: str, allowed: list[str] | None) -> list:
    """One search call; a user of several branches gets one per branch, side by side."""
    if allowed is None or len(allowed) == 1:
        branch = allowed[0] if allowed else None
        hits = services.search_customers(q=query, branch_id=branch, limit=QUICK_SEARCH_LIMIT)
        return hits[:QUICK_SEARCH_LIMIT]  # even if the upstream ignores `limit`
    per_branch = Budget().require(
        *[
            (
                lambda code=code: services.search_customers(
                    q=query, branch_id=code, limit=QUICK_SEARCH_LIMIT
                )
            )
            for code in allowed
        ]
    )
    hits = sorted((hit for hits in per_branch for hit in hits), key=lambda h: h.name.lower())
    return hits[:QUICK_SEARCH_LIMIT]
