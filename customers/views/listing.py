"""The customer list and the header's quick search."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from .. import services
from ..access import allowed_branches, branch_options
from ..changelist import CustomerChangeList
from ..rendering import render_page, wants_fragment

QUICK_SEARCH_LIMIT = 10
QUICK_SEARCH_MIN = 2


@require_GET
def home(request):
    return redirect("customers:list")


@require_GET
def customer_list(request):
    changelist = CustomerChangeList.from_request(
        request, branches=branch_options(request.user),
        allowed_branches=allowed_branches(request.user),
    ).load()
    context = {"cl": changelist, "title": "Customers"}
    return render_page(request, "customers/list.html", context, partial="results")


@require_GET
def quick_search(request):
    query = request.GET.get("q", "").strip()[:100]
    if not wants_fragment(request):  # a plain form submit: the list, searched
        url = reverse("customers:list")
        return redirect(f"{url}?{urlencode({'search': query})}" if query else url)
    if len(query) < QUICK_SEARCH_MIN:
        response = HttpResponse("")
        response["Vary"] = "HX-Request"
        return response
    allowed = allowed_branches(request.user)
    hits = services.search_customers(
        q=query, limit=QUICK_SEARCH_LIMIT,
        branch_id=allowed[0] if allowed is not None and len(allowed) == 1 else None,
    )
    context = {"hits": hits, "query": query}
    return render_page(request, "customers/search_results.html", context)
