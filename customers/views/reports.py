"""Reports for branch managers: 12-month chart, CSV exports, printable statement.

The chart and the CSV exports need the export permission (the "Branch manager"
role; superusers have it), the statement "Can print statements" (both roles), on
top of viewing; all answer 404 for a customer of another branch, as every screen.
Each page fans out within one `fanout.Budget` (a few calls at a time, one deadline);
its worker threads only do HTTP, branch checks stay on the request's thread.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re

from django.conf import settings
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from .. import columns, selectors, transaction_columns
from ..access import EXPORT, PRINT, VIEW, branch_name_of, requires
from ..fanout import Budget
from ..forms import TransactionFilterForm
from ..preserved_filters import list_with
from ..rendering import render_page
from ..reports import csvexport, fetching, months
from ..reports.fetching import TransactionQuery, iter_pages, read_rest
from ..reports.monthly import TYPE_LABELS, summarise
from ..reports.statement import build_statement
from ..reports.svgchart import build_chart

logger = logging.getLogger("customers.reports")
_TOKEN = re.compile(r"^[A-Za-z0-9]{8,64}$")


# --- the 12-month chart ---------------------------------------------------------------


@require_GET
@requires(VIEW, EXPORT)
def chart(request, customer_id: int):
    day = months.today()
    window = months.last_months(day)
    query = TransactionQuery(customer_id, from_date=window[0].first_day, to_date=day)
    budget = Budget()
    customer, first = selectors.customer_with_history(user=request.user, query=query, budget=budget)
    history = summarise(read_rest(query, first, budget), window)
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
    """Every customer the list shows with the same filters (the list's ChangeList)."""
    user = request.user
    cl = selectors.customer_changelist(user=user, params=request.GET)
    params = request.GET.copy()
    params.pop("export_token", None)
    if cl.refused_branch:  # the list says why, and what it shows instead
        return redirect(list_with(params.urlencode()))
    pages = cl.export_pages(per_page=fetching.PER_PAGE)
    first = next(pages, None)
    if first is not None and first.meta.total > settings.CTAX_EXPORT_STREAM_MAX_ROWS:
        back = (list_with(params.urlencode()), "the customer list")
        return background_offer(request, "customers", cl.export_fields, first.meta.total, back=back)
    pages = itertools.chain([first], pages) if first is not None else pages
    rows = (cl.csv_rows(page.items) for page in pages)
    name = csvexport.customers_file_name(cl, day=months.today())
    return _csv_response(request, csvexport.stream(columns.csv_header(), rows), name)


@require_GET
@requires(VIEW, EXPORT)
def transactions_csv(request, customer_id: int):
    query = TransactionQuery.from_form(customer_id, request.GET)
    customer, first = selectors.customer_with_history(
        user=request.user, query=query, budget=Budget()
    )
    if first.meta.total > settings.CTAX_EXPORT_STREAM_MAX_ROWS:
        back = (reverse("customers:transactions", args=[customer_id]), f"{customer.name}'s history")
        return background_offer(
            request, "transactions", query.export_fields, first.meta.total, back=back
        )
    rows = (transaction_columns.export_rows(page) for page in iter_pages(first, query.page))
    name = csvexport.transactions_file_name(customer.customer_no, query, day=months.today())
    return _csv_response(request, csvexport.stream(transaction_columns.export_header(), rows), name)


def background_offer(request, what: str, fields: list, total: int, *, back=None):
    """Too many rows to stream: offer to build the file in the background; `back` is the
    (URL, words) of the page it came from (the customer list unless said)."""
    context = {
        "title": "A large export",
        "total": total,
        "limit": settings.CTAX_EXPORT_STREAM_MAX_ROWS,
        "export_what": what,
        "export_fields": fields,
        "export_format": "csv",
        "export_label": "Build the CSV file",
        "back": back or (list_with(""), "the customer list"),
    }
    return render_page(request, "customers/export_offer.html", context)


def _csv_response(request, content, file_name: str) -> StreamingHttpResponse:
    response = csvexport.response(content, file_name)
    token = request.GET.get("export_token", "")
    if _TOKEN.fullmatch(token):  # tells the page's script that the download has started
        response.set_cookie(
            csvexport.EXPORT_COOKIE,
            token,
            max_age=120,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


# --- the printable statement ----------------------------------------------------------


@require_GET
@requires(VIEW, PRINT)
def statement(request, customer_id: int):
    """Every filter of the history it came from (type and dates), and says which."""
    form = TransactionFilterForm(request.GET or None)
    day = months.today()
    period = _statement_period(form)
    context = {"form": form, "today": day, "generated_at": timezone.now(), **letterhead()}
    budget = Budget()
    if period is None:  # the filters do not make a period: say so, fetch no history
        customer = selectors.customer_for(
            user=request.user, customer_id=customer_id, run=lambda read: budget.require(read)[0]
        )
        return _render_statement(request, customer, context, status=400)
    # No dates: the whole history, as far as the page's budget reads it.
    kind = form.cleaned_data.get("type") or None if form.is_bound else None
    query = TransactionQuery(customer_id, type=kind, from_date=period[0], to_date=period[1])
    customer, first = selectors.customer_with_history(user=request.user, query=query, budget=budget)
    fetched = read_rest(query, first, budget)
    context["statement"] = build_statement(fetched, *period, kind=kind)
    context.update(
        from_date=period[0],
        to_date=period[1] or day,
        fetched=fetched,
        type_label=TYPE_LABELS.get(kind, ""),
    )
    return _render_statement(request, customer, context)


def letterhead() -> dict:
    """The business's own name and details; none set, the statement names no business."""
    return {
        "business_name": settings.CTAX_BUSINESS_NAME,
        "business_pin": settings.CTAX_BUSINESS_PIN,
        "business_address": settings.CTAX_BUSINESS_ADDRESS,
        "business_logo": _logo_url(settings.CTAX_BUSINESS_LOGO),
    }


def _logo_url(logo: str) -> str:
    """A URL as given; else a static file's URL (none if the static files do not hold it)."""
    if not logo or logo.startswith(("https://", "http://", "/")):
        return logo
    try:
        return static(logo)
    except ValueError:  # not in the collected files' manifest
        logger.warning("CTAX_BUSINESS_LOGO %r is not a collected static file", logo)
        return ""


def _statement_period(form) -> tuple[dt.date | None, dt.date | None] | None:
    """The dates asked (either may be open), or None when they do not make a period."""
    if not form.is_bound:
        return None, None
    if not form.is_valid():  # the form says why, a From date after the To date included
        return None
    return form.cleaned_data.get("from_date"), form.cleaned_data.get("to_date")


def _render_statement(request, customer, context, *, status: int = 200):
    context.update(
        {
            "customer": customer,
            "branch_name": branch_name_of(request.user, customer),
            "title": f"Statement of {customer.name}",
        }
    )
    return render_page(request, "customers/statement.html", context, status=status)
