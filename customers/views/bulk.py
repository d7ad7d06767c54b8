"""The list's actions on ticked customers (as Django admin's actions): confirm, then act.

Whenever an action sends the user back to the list without having done what was
ticked (no action picked, too many ticked, "No, take me back", customers that
failed), the list comes back with those customers still ticked (`bulk.keep_ticked`).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .. import bulk, selectors, services, submissions
from ..access import VIEW, requires
from ..columns import csv_header, summary_of
from ..preserved_filters import from_request as list_filters
from ..preserved_filters import list_url
from ..rendering import render_page
from ..reports import csvexport, months
from ..services import Result


@require_POST
@requires(VIEW)
def list_action(request):
    action = bulk.ACTIONS.get(request.POST.get("action", ""))
    ids = bulk.parse_ids(request.POST.getlist("selected"))
    back = list_url(request)
    if action is None:
        messages.warning(request, "Pick an action in the “Action” list, then press Go.")
        return _back_to_list(request, back, ids)
    if not request.user.has_perm(action.perm):
        raise PermissionDenied(f"You may not “{action.label.lower()}”.")
    if not ids:
        messages.warning(request, "Tick at least one customer, then press Go.")
        return redirect(back)
    if len(ids) > bulk.MAX_CUSTOMERS:
        messages.warning(
            request,
            f"You ticked {len(ids)} customers: an action takes at most {bulk.MAX_CUSTOMERS}. "
            "Nothing was done.",
        )
        return _back_to_list(request, back, ids)
    if action.is_active is None:
        return _export(request, ids)
    if request.POST.get("confirmed") == "yes":
        return _apply(request, action, ids, back)
    return _confirm(request, action, ids)


def _back_to_list(request, back: str, ids: list[int]):
    bulk.keep_ticked(request.session, ids)
    return redirect(back)


def _confirm(request, action, ids: list[int], *, problem: str = "", token: str = ""):
    found = bulk.read_customers(request.user, ids)
    customers = [c for c in found if not isinstance(c, bulk.Outcome)]
    left_out = [c for c in found if isinstance(c, bulk.Outcome)]
    bulk.keep_ticked(request.session, ids)  # for "No, take me back"
    context = {
        "title": "Are you sure?",
        "action": action,
        "action_key": request.POST["action"],
        "customers": customers,
        "to_change": sum(c.is_active != action.is_active for c in customers),
        "missing": [o for o in left_out if o.status == bulk.MISSING],
        "unreadable": [o for o in left_out if o.status != bulk.MISSING],
        "seconds": bulk.seconds_at_most(len(customers)),
        "problem": problem,
        "submission_token": submissions.reissued(token),
        "changelist_filters": list_filters(request),
        "back": list_url(request),
    }
    return render_page(request, "customers/bulk_confirm.html", context)


def _apply(request, action, ids: list[int], back: str):
    token = submissions.posted(request)
    applied = bulk.apply_status(request.user, ids, is_active=action.is_active, token=token)
    refusal = applied.refusal
    if refusal is not None and refusal.result is Result.ALREADY_SENT:
        messages.info(request, "These changes were already sent; they were made once.")
        return redirect(back)
    if refusal is not None:  # nothing was sent: the same page, saying why
        return _confirm(request, action, ids, problem=services.why_not_sent(refusal), token=token)
    outcomes = applied.outcomes
    bulk.keep_ticked(request.session, [o.customer_id for o in outcomes if o.status == bulk.FAILED])
    context = {
        "title": f"{action.label}: what happened",
        "action": action,
        "outcomes": outcomes,
        "done": sum(o.status == bulk.DONE for o in outcomes),
        "back": back,
        "changelist_filters": list_filters(request),
    }
    return render_page(request, "customers/bulk_done.html", context)


def _export(request, ids: list[int]):
    found = bulk.read_customers(request.user, ids)
    cl = selectors.customer_changelist(user=request.user, params=QueryDict())  # its columns
    rows = cl.csv_rows(summary_of(c) for c in found if not isinstance(c, bulk.Outcome))
    missing = [o for o in found if isinstance(o, bulk.Outcome)]
    if missing:
        numbers = ", ".join(str(o.customer_id) for o in missing)
        rows.append([f"Not exported (not found or not answering): customer IDs {numbers}"])
    name = csvexport.file_name("customers-selected", day=months.today())
    return csvexport.response(csvexport.stream(csv_header(), [rows]), name)
