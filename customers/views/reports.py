"""Reports for branch managers: 12-month chart, CSV exports, printable statement.

All need the export permission (the "Branch manager" role; superusers have it) on
top of viewing, and answer 404 for a customer of another branch, as every screen.
Worker threads of `run_concurrently` only do HTTP; branch checks stay on this one.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from .. import columns, services
from ..access import (
    EXPORT,
    VIEW,
    allowed_branches,
    branch_name_of,
    branch_options,
    branch_registry,
    ensure_visible,
    may_see_branch,
    requires,
)
from ..changelist import CustomerChangeList
from ..forms import TransactionFilterForm
from ..rendering import render_page
from ..reports import csvexport, fetching, months
from ..reports.fetching import TransactionQuery, customer_and_first_page, iter_pages, read_rest
from ..reports.monthly import summarise
from ..reports.statement import build_statement
from ..reports.svgchart import build_chart

EXPORT_COOKIE = "ctax_export"
_TOKEN = re.compile(r"^[A-Za-z0-9]{8,64}$")
STATEMENT_MONTHS = 3  # the default period: this month and the two before

TRANSACTION_HEADER = [
    "Date (Nairobi time)",
    "Invoice",
    "Type",
    "Amount (KES)",
    "Tax (KES)",
    "Status",
    "Branch",
    "Transaction ID",
]


# --- the 12-month chart ---------------------------------------------------------------


@require_GET
@requires(VIEW, EXPORT)
def chart(request, customer_id: int):
    day = months.today()
    window = months.last_months(day)
    query = TransactionQuery(customer_id, from_date=window[0].first_day, to_date=day)
    customer, first = customer_and_first_page(query)
    ensure_visible(request.user, customer)
    history = summarise(read_rest(query, first), window)
    context = {
        "customer": customer,
        "history": history,
        "chart": build_chart(history),
        "from_date": query.from_date,
        "to_date": day,
        "title": f"Sales and purchases of {customer.name}",
    }
    return render_page(request, "customers/chart.html", context, partial="chart")


# --- CSV exports ----------------------------------------------------------------------


@require_GET
@requires(VIEW, EXPORT)
def customers_csv(request):
    user = request.user
    asked = request.GET.get("branch_id", "").strip()
    if asked and not may_see_branch(user, asked):
        raise Http404("No such branch")
    allowed = allowed_branches(user)
    cl = CustomerChangeList.from_request(
        request, branches=branch_options(user) or [], allowed_branches=allowed
    )
    filters = {
        "search": cl.upstream_search,
        "branch_id": asked or cl.upstream_branch,
        "status": cl.status or None,
    }
    pages = [] if cl.has_no_branch else _customer_pages(filters)
    names = branch_registry(user)
    rows = (_customer_rows(page, allowed, names) for page in pages)
    name = _customers_file_name({**filters, "search": cl.search}, no_branch=cl.has_no_branch)
    return _csv_response(request, csvexport.stream(columns.csv_header(), rows), name)


def _customers_file_name(filters: dict, *, no_branch: bool) -> str:
    """customers-branch-01[-active][-search-…]-2026-11-25.csv"""
    branch = filters["branch_id"]
    return csvexport.file_name(
        "customers",
        "no-branch" if no_branch else f"branch-{branch}" if branch else "all-branches",
        filters["status"] or "",
        f"search-{filters['search'][:30]}" if filters["search"] else "",
        day=months.today(),
    )


def _customer_pages(filters: dict):
    def load(number: int):
        return services.list_customers(**filters, page=number, per_page=fetching.PER_PAGE)

    return iter_pages(load(1), load)  # the first page now: its failure is still a page


def _customer_rows(page, allowed: list[str] | None, names: dict[str, str]) -> list[list]:
    """The list's columns (customers/columns.py), every one, as CSV values."""
    ctx = columns.RowContext(detail_prefix="", branch_names=names)
    return [
        columns.csv_row(c, ctx)
        for c in page.items
        if allowed is None or c.branch_id in allowed  # even if the upstream ignored the filter
    ]


@require_GET
@requires(VIEW, EXPORT)
def transactions_csv(request, customer_id: int):
    query = _history_query(request, customer_id)
    customer, first = customer_and_first_page(query)
    ensure_visible(request.user, customer)
    rows = (_transaction_rows(page) for page in iter_pages(first, query.page))
    name = csvexport.file_name(
        "transactions",
        customer.customer_no,
        query.type or "",
        f"from-{query.from_date}" if query.from_date else "",
        f"to-{query.to_date}" if query.to_date else "",
        day=months.today(),
    )
    return _csv_response(request, csvexport.stream(TRANSACTION_HEADER, rows), name)


def _history_query(request, customer_id: int) -> TransactionQuery:
    """The history page's filters; invalid values are dropped, as that page does."""
    form = TransactionFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    return TransactionQuery(
        customer_id,
        type=data.get("type") or None,
        from_date=data.get("from_date"),
        to_date=data.get("to_date"),
    )


def _transaction_rows(page) -> list[list]:
    return [
        [
            t.created_at,
            t.invoice_no,
            t.type.capitalize(),
            t.amount,
            t.tax_amount,
            t.status.capitalize(),
            t.branch_id,
            t.id,
        ]
        for t in page.items
    ]


def _csv_response(request, content, file_name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "no-store"
    token = request.GET.get("export_token", "")
    if _TOKEN.fullmatch(token):  # tells the page's script that the download has started
        response.set_cookie(
            EXPORT_COOKIE, token, max_age=120, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE
        )
    return response


# --- the printable statement ----------------------------------------------------------


@require_GET
@requires(VIEW, EXPORT)
def statement(request, customer_id: int):
    form = TransactionFilterForm(request.GET or None)
    day = months.today()
    period = _statement_period(form, day)
    context = {
        "form": form,
        "today": day,
        "generated_at": timezone.now(),
        "business_name": getattr(settings, "CTAX_BUSINESS_NAME", "") or "ctaxoffice",
    }
    if period is None:  # the dates do not make a period: say so, fetch no history
        customer = services.get_customer(customer_id=customer_id)
        ensure_visible(request.user, customer)
        return _render_statement(request, customer, context, status=400)
    # The inputs show the period in use, defaults included (ISO text, as type=date needs).
    context["form"] = TransactionFilterForm(
        initial={"from_date": period[0].isoformat(), "to_date": period[1].isoformat()}
    )
    query = TransactionQuery(customer_id, from_date=period[0], to_date=period[1])
    customer, first = customer_and_first_page(query)
    ensure_visible(request.user, customer)
    if first.meta.last_page <= fetching.MAX_PAGES:
        context["statement"] = build_statement(read_rest(query, first), *period)
    else:
        context["too_long"] = first.meta.total
    context.update(from_date=period[0], to_date=period[1])
    return _render_statement(request, customer, context)


def _statement_period(form, day: dt.date) -> tuple[dt.date, dt.date] | None:
    default_from = months.Month.of(day).shifted(1 - STATEMENT_MONTHS).first_day
    if not form.is_bound:
        return default_from, day
    if not form.is_valid():
        return None
    start = form.cleaned_data.get("from_date") or default_from
    end = form.cleaned_data.get("to_date") or max(day, start)
    if start > end:
        form.add_error("to_date", "The end date must be on or after the start date.")
        return None
    return start, end


def _render_statement(request, customer, context, *, status: int = 200):
    context.update(
        {
            "customer": customer,
            "branch_name": branch_name_of(request.user, customer),
            "title": f"Statement of {customer.name}",
            "max_rows": fetching.MAX_PAGES * fetching.PER_PAGE,
        }
    )
    return render_page(request, "customers/statement.html", context, status=status)
