"""Exports built in the background: start one, watch it, download it (its owner only).

A job's page and its file answer 404 to anyone but the user who asked (no one else
learns that it exists); the file is kept CTAX_EXPORT_KEEP_HOURS."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from .. import selectors
from ..access import EXPORT, VIEW, requires
from ..exports import files, tasks
from ..jobs import Job, sweep_stale
from ..rendering import render_page
from ..reports.fetching import TransactionQuery
from ..request_numbers import ascii_int

TEMPLATE = "customers/export.html"
FORMATS = ("csv", "xlsx")


@require_POST
@requires(VIEW, EXPORT)
def start_export(request):
    what, fmt = request.POST.get("what"), request.POST.get("format")
    if fmt not in FORMATS or what not in ("customers", "transactions"):
        raise Http404("No such export.")
    if what == "customers":
        cl = selectors.customer_changelist(user=request.user, params=request.POST)
        if cl.refused_branch:
            raise Http404("No such branch.")
        filters = dict(cl.export_fields)  # read back by the job through a ChangeList
    else:
        customer_id = ascii_int(request.POST.get("customer_id"))
        if customer_id is None:
            raise Http404("No such customer.")
        selectors.customer_for(user=request.user, customer_id=customer_id)  # else 404
        filters = dict(TransactionQuery.from_form(customer_id, request.POST).export_fields)
    job = tasks.start(user=request.user, spec={"what": what, "format": fmt, "filters": filters})
    return redirect("customers:export", job_id=job.pk)


def _own_job(request, job_id) -> Job:
    sweep_stale()
    job = Job.objects.filter(pk=job_id, kind=tasks.KIND, started_by=request.user).first()
    if job is None:
        raise Http404("No such export.")
    return job


@require_GET
@requires(VIEW, EXPORT)
def export(request, job_id):
    job = _own_job(request, job_id)
    context = {"job": job, "file": files.for_owner(request.user, job.pk), "title": "Export"}
    return render_page(request, TEMPLATE, context, partial="export_status")


@require_GET
@requires(VIEW, EXPORT)
def download(request, job_id):
    export_file = files.for_owner(request.user, job_id)
    if export_file is None:
        raise Http404("No such file, or it has expired.")
    response = HttpResponse(
        export_file.read(), content_type=files.CONTENT_TYPES[export_file.format]
    )
    response["Content-Disposition"] = f'attachment; filename="{export_file.file_name}"'
    response["Cache-Control"] = "no-store"
    return response
