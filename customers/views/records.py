"""A customer's record: the detail page and the transaction history."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.views.decorators.http import require_GET

from .. import recent, selectors
from ..access import VIEW, branch_name_of, requires
from ..fanout import Budget
from ..forms import TransactionFilterForm, parse_page_number
from ..preserved_filters import from_request as list_filters
from ..rendering import render_page, wants_fragment
from ..reports.fetching import TransactionQuery, read_rest
from ..reports.totals import history_totals
from ..selectors import audit_trail
from ..upstream.errors import UpstreamError


@require_GET
@requires(VIEW)
def detail(request, customer_id: int):
    """The record with the history its address names, in one round trip to the upstream:
    the customer and that history page are asked side by side."""
    customer, context = _history(request, customer_id, embedded=True)
    recent.record(request.user, customer)
    context.update(
        {
            "summary": customer.transaction_summary,
            "branch_name": branch_name_of(request.user, customer),
            "title": customer.name,
            "audit_entries": audit_trail.trail_for(user=request.user, customer_id=customer_id),
        }
    )
    return render_page(request, "customers/detail.html", context)


HISTORY_KEYS = ("type", "from_date", "to_date", "page")


def history_query(params) -> str:
    """The history's own parameters of a query string, as they were given."""
    kept = QueryDict(mutable=True)
    for key in HISTORY_KEYS:
        value = params.get(key, "").strip()
        if value and not (key == "page" and value == "1"):
            kept[key] = value
    return kept.urlencode()


@require_GET
@requires(VIEW)
def transactions(request, customer_id: int):
    customer, context = _history(request, customer_id)
    context["title"] = f"Transactions of {customer.name}"
    response = render_page(request, "customers/transactions.html", context, partial="history")
    _update_address_bar(request, response, context["history"])
    return response


@require_GET
@requires(VIEW)
def transaction_totals(request, customer_id: int):
    """Totals of every transaction matching the history's filters: loaded after the rows
    (htmx), page 1 with the customer, then the other pages side by side, in one budget."""
    form = _filter_form(request)
    context = {"filtered": _is_filtered(form), "totals": None}
    budget = Budget()
    if dates_reversed(form):  # the history says why; there is nothing to total
        customer = selectors.customer_for(user=request.user, customer_id=customer_id)
    else:
        query = TransactionQuery.from_filters(customer_id, form.cleaned_data)
        customer, first = selectors.customer_with_history(
            user=request.user, query=query, budget=budget
        )
        context["totals"] = history_totals(read_rest(query, first, budget), query.type)
    context.update(customer=customer, title=f"Totals of the transactions of {customer.name}")
    return render_page(request, "customers/totals.html", context, partial="totals")


def _history(request, customer_id: int, *, embedded: bool = False):
    """The customer and the history page asked (filters and page from the query string)."""
    form = _filter_form(request)
    context = {
        "history_form": form,
        "dates_reversed": dates_reversed(form),
        "filtered": _is_filtered(form),
        "changelist_filters": list_filters(request),
        "history": None,
    }
    if context["dates_reversed"]:  # told beside the dates; nothing asked about the history
        _describe_date_error(form)
        customer = selectors.customer_for(user=request.user, customer_id=customer_id)
    else:
        query = context["history_query"] = TransactionQuery.from_filters(
            customer_id, form.cleaned_data
        )
        asked = parse_page_number(request.GET.get("page"))
        budget = Budget()  # one deadline for every call of this page, from here
        customer, history = selectors.customer_with_history_or_error(
            user=request.user, query=query, budget=budget, number=asked
        )
        if isinstance(history, UpstreamError):
            if not embedded:
                raise history
            context["history_error"] = history  # the record is still shown
        else:
            context["history"] = _within_last_page(query, history, asked, budget)
            context["shown_url"] = _shown_url(request, context["history"], asked)
    context["customer"] = customer
    return customer, context


def _shown_url(request, history, asked: int) -> str:
    """The page's address with the page shown, when it is not the page asked (else "")."""
    if history.meta.current_page == asked:
        return ""
    return _with_history_query(request.get_full_path(), _shown_query(request, history))


def _filter_form(request) -> TransactionFilterForm:
    form = TransactionFilterForm(request.GET)
    form.is_valid()  # invalid values are dropped; the valid ones still apply, as in the list
    return form


def _is_filtered(form) -> bool:
    return any(form.cleaned_data.get(key) for key in ("type", "from_date", "to_date"))


def dates_reversed(form) -> bool:
    """A From date after the To date (each valid on its own)."""
    try:
        start = form.fields["from_date"].clean(form.data.get("from_date"))
        end = form.fields["to_date"].clean(form.data.get("to_date"))
    except ValidationError:
        return False
    return bool(start and end and start > end)


def _describe_date_error(form) -> None:
    attrs = form.fields["to_date"].widget.attrs
    attrs.update({"aria-invalid": "true", "aria-describedby": "to-date-errors"})


def _within_last_page(query: TransactionQuery, history, asked: int, budget: Budget):
    """Page 99 of 13 shows page 13: asked again for the last page."""
    last = history.meta.last_page
    if history.items or asked <= 1 or not history.meta.total or asked <= last:
        return history
    (history,) = budget.require(lambda: query.page(max(last, 1)))
    return history


def _update_address_bar(request, response, history) -> None:
    """htmx puts the history's filters and page into the address bar, the page's own URL."""
    if not wants_fragment(request):
        return
    embedded = not _is_own_page(request)
    base = request.htmx.current_url_abs_path if embedded else request.get_full_path()
    response["HX-Push-Url"] = _with_history_query(base, _shown_query(request, history))


def _shown_query(request, history) -> str:
    params = request.GET.copy()
    params["page"] = str(history.meta.current_page) if history else ""
    return history_query(params)


def _with_history_query(url: str, history_params: str) -> str:
    parts = urlsplit(url)
    others = QueryDict(parts.query, mutable=True)
    for key in HISTORY_KEYS:
        others.pop(key, None)
    query = "&".join(part for part in (others.urlencode(), history_params) if part)
    return f"{parts.path}?{query}" if query else parts.path


def _is_own_page(request) -> bool:
    """True on the history's own page, False where it is embedded in the detail page."""
    if not request.htmx or not request.htmx.current_url_abs_path:
        return True
    return urlsplit(request.htmx.current_url_abs_path).path == request.path
