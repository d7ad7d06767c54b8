"""A customer's record: the detail page and the transaction history."""

from decimal import Decimal
from urllib.parse import urlsplit

from django.http import QueryDict
from django.views.decorators.http import require_GET

from .. import recent, services
from ..access import AUDIT, VIEW, branch_name_of, ensure_visible, get_customer_for, requires
from ..forms import TransactionFilterForm, parse_page_number
from ..models import AuditEntry
from ..rendering import render_page


def list_filters(request) -> str:
    """The list's query string carried along (as the admin's `_changelist_filters`)."""
    raw = request.GET.get("_changelist_filters", "")
    return QueryDict(raw).urlencode() if raw else ""


@require_GET
@requires(VIEW)
def detail(request, customer_id: int):
    customer = get_customer_for(request.user, customer_id)
    recent.record(request.user, customer)
    context = {
        "customer": customer,
        "summary": customer.transaction_summary,
        "branch_name": branch_name_of(request.user, customer),
        "title": customer.name,
        "changelist_filters": list_filters(request),
        "history_form": TransactionFilterForm(),
        "audit_entries": _audit_trail(request.user, customer_id),
    }
    return render_page(request, "customers/detail.html", context)


@require_GET
@requires(VIEW)
def transactions(request, customer_id: int):
    form = TransactionFilterForm(request.GET)
    form.is_valid()  # invalid values are dropped; the valid ones still apply, as in the list
    filters = form.cleaned_data
    page_number = parse_page_number(request.GET.get("page"))

    def load_history():
        return services.list_transactions(
            customer_id=customer_id,
            type=filters.get("type") or None,
            from_date=filters.get("from_date"),
            to_date=filters.get("to_date"),
            page=page_number,
        )

    # Only HTTP in the worker threads: the branch check (a query) stays on this one.
    customer, history = services.run_concurrently(
        lambda: services.get_customer(customer_id=customer_id),
        load_history,
    )
    ensure_visible(request.user, customer)
    context = {
        "customer": customer,
        "history": history,
        "history_form": form,
        "page_totals": page_totals(history.items),
        "title": f"Transactions of {customer.name}",
        "changelist_filters": list_filters(request),
        "push_url": _is_own_page(request),
    }
    return render_page(request, "customers/transactions.html", context, partial="history")


def page_totals(items) -> dict:
    amount = sum((t.amount for t in items), Decimal(0))
    tax = sum((t.tax_amount or Decimal(0) for t in items), Decimal(0))
    return {"amount": amount, "tax": tax, "count": len(items)}


def _is_own_page(request) -> bool:
    """True on the history's own page, False where it is embedded in the detail page."""
    if not request.htmx or not request.htmx.current_url_abs_path:
        return True
    return urlsplit(request.htmx.current_url_abs_path).path == request.path


def _audit_trail(user, customer_id: int):
    if not user.has_perm(AUDIT):
        return None
    return list(AuditEntry.objects.filter(customer_id=customer_id)[:50])
