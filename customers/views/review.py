"""The branch review (`/branches/<code>/review/`): the last snapshot, its refresh in the
background with a progress bar, the lists' CSV files, and the branch's audit trail.

For managers of that branch and administrators: another branch answers 404 (as every
screen), the user's own branch without the permission 403. The views only read the
snapshot and the job's row and enqueue the job: no upstream call runs in a request.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from .. import bulk, selectors, services, submissions
from ..access import CHANGE, REVIEW, refuse_unless_allowed
from ..jobs import sweep_stale
from ..rendering import render_page
from ..reports import csvexport
from ..review import actions, display, snapshot
from ..review import changes as audit_changes
from ..review import columns as review_columns
from ..review.tasks import latest_refresh, start_refresh
from ..services import Result

TEMPLATE = "customers/review.html"
DORMANT_ACTION = "customers/_review_dormant_action.html"  # included by TEMPLATE


def _check(request, code: str) -> None:
    selectors.reviewed_branch(user=request.user, code=code)  # 404 first: no branch leaks
    refuse_unless_allowed(request.user, REVIEW)


def _job(code: str):
    sweep_stale()
    return latest_refresh(code)


@require_GET
def review(request, code: str):
    _check(request, code)
    shot = snapshot.current(code)
    form = audit_changes.ChangesFilter(request.GET, branch_code=code)
    entries = audit_changes.changes(code, form)
    context = {
        "code": code,
        "snapshot": shot,
        "review": display.review(shot.sections) if shot else None,
        "asof": display.as_of(shot.taken_at, now=timezone.now()) if shot else "",
        "job": _job(code),
        "action_job": actions.latest(code),
        "action_limit": bulk.MAX_CUSTOMERS,
        "changes_form": form,
        "audit_entries": entries[: audit_changes.LIMIT],
        "changes_count": entries.count(),
        "changes_limit": audit_changes.LIMIT,
        "title": f"Branch review — {code}",
    }
    return render_page(request, TEMPLATE, context, partial=_partial(request))


def _partial(request) -> str | None:
    return "changes" if request.htmx and request.htmx.target == "changes" else None


@require_POST
def refresh(request, code: str):
    _check(request, code)
    job, _joined = start_refresh(branch_code=code, user=request.user)
    if request.htmx:
        return render_page(request, TEMPLATE, {"code": code, "job": job}, partial="progress")
    return redirect("customers:branch_review", code=code)


@require_GET
def progress(request, code: str):
    _check(request, code)
    if not request.htmx:  # a fragment for htmx; a plain request gets the whole page
        return redirect("customers:branch_review", code=code)
    job = _job(code)
    if job is not None and job.state == job.DONE:
        return HttpResponseClientRefresh()  # the new snapshot is complete: show it
    return render_page(request, TEMPLATE, {"code": code, "job": job}, partial="progress")


@require_POST
def mark_dormant_inactive(request, code: str):
    """The dormant list beyond the action limit: confirm, then a background job."""
    _check(request, code)
    refuse_unless_allowed(request.user, CHANGE)
    shot = snapshot.current(code)
    if shot is None:
        return redirect("customers:branch_review", code=code)
    dormant = display.entries(shot.sections["dormant"])

    def confirm(problem: str = ""):
        context = {
            "code": code,
            "customers": dormant,
            "submission_token": submissions.new_token(),
            "title": "Are you sure?",
            "problem": problem,
        }
        return render_page(request, "customers/review_confirm.html", context)

    if request.POST.get("confirmed") != "yes":
        return confirm()
    refusal = services.start_writes_in_background(
        user=request.user,
        token=submissions.posted(request),
        start=lambda: actions.start(
            branch_code=code, user=request.user, customer_ids=[c["id"] for c in dormant]
        ),
    )
    if refusal is None or refusal.result is Result.ALREADY_SENT:
        return redirect("customers:branch_review", code=code)
    return confirm(services.why_not_sent(refusal))  # nothing was started: saying why


@require_GET
def action_progress(request, code: str):
    _check(request, code)
    if not request.htmx:
        return redirect("customers:branch_review", code=code)
    context = {"code": code, "action_job": actions.latest(code)}
    return render_page(request, DORMANT_ACTION, context, partial="action_progress")


@require_GET
def section_csv(request, code: str, section: str):
    _check(request, code)
    day = timezone.localdate()
    if section == "changes":
        form = audit_changes.ChangesFilter(request.GET, branch_code=code)
        rows = [_change_row(e) for e in audit_changes.changes(code, form)]
        header = ["When", "Who", "Customer ID", "Customer number", "Action", "Changes", "Outcome"]
    else:
        shot = snapshot.current(code)
        if shot is None or section not in (*review_columns.LISTS, "duplicates"):
            raise Http404("No such list.")
        header, rows = _list_rows(shot.sections, section)
    name = csvexport.file_name("branch", code, section.replace("_", "-"), day=day)
    return csvexport.response(csvexport.stream(header, [rows]), name)


def _list_rows(sections: dict, section: str) -> tuple[list[str], list[list]]:
    if section == "duplicates":
        rows = [
            [group["by"], group["value"], c["id"], c["customer_no"], c["name"]]
            for group in sections["duplicates"]
            for c in group["customers"]
        ]
        return review_columns.duplicates_csv_header(), rows
    rows = [review_columns.csv_row(section, item) for item in display.entries(sections[section])]
    return review_columns.csv_header(section), rows


def _change_row(entry) -> list:
    changes = "; ".join(f"{k}: {v[0]} → {v[1]}" for k, v in (entry.changes or {}).items())
    outcome = entry.get_outcome_display() + (f": {entry.error}" if entry.error else "")
    return [
        entry.created_at,
        entry.username,
        entry.customer_id or "",
        entry.customer_no,
        entry.get_action_display(),
        changes,
        outcome,
    ]
