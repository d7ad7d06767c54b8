"""The export job: read every page (paced), write the file, keep it for its owner."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.tasks import task

from .. import columns, jobs, selectors
from .. import transaction_columns as tcolumns
from ..reports import csvexport, fetching, months
from ..upstream.errors import NotFound
from . import files, writing

KIND = "export"


@task
def build_export(job_id: str, spec: dict) -> dict | None:
    return jobs.run(job_id, lambda running: _build(running, spec))


def _build(running: jobs.Run, spec: dict) -> dict:
    user = get_user_model().objects.get(pk=running.job.started_by_id)
    pacer = jobs.Pacer()
    if spec["what"] == "customers":
        header, rows, amounts, name = _customers(user, spec["filters"], pacer, running)
    else:
        header, rows, amounts, name = _transactions(user, spec["filters"], pacer, running)
    if spec["format"] == "xlsx":
        data = writing.xlsx_bytes(header, rows, amounts=amounts)
        name = name.removesuffix(".csv") + ".xlsx"
    else:
        data = writing.csv_bytes(header, rows)
    export = files.keep(
        job=running.job, owner=user, file_name=name, fmt=spec["format"], rows=len(rows), data=data
    )
    return {"file": str(export.pk), "rows": len(rows)}


def _pages(load, pacer: jobs.Pacer, running: jobs.Run):
    first = pacer.call(lambda: load(1))
    last = min(first.meta.last_page, fetching.MAX_EXPORT_PAGES)
    running.progress(done=1, total=last, calls=pacer.calls)
    yield first
    for number in range(2, last + 1):
        page = pacer.call(lambda n=number: load(n))
        running.progress(done=number, calls=pacer.calls)
        if not page.items:
            return
        yield page


def _customers(user, filters: dict, pacer, running):
    """The list's customers with the list's filters (its ChangeList), as the user may see them."""
    params = QueryDict(mutable=True)
    params.update({key: value for key, value in filters.items() if value})
    cl = selectors.customer_changelist(user=user, params=params)
    if cl.refused_branch:  # a branch taken from the user since the export was asked
        raise NotFound()
    load = cl.page_loader(per_page=fetching.PER_PAGE)
    pages = [] if cl.has_no_branch else _pages(load, pacer, running)
    rows = [row for page in pages for row in cl.csv_rows(page.items)]
    name = csvexport.customers_file_name(cl, day=months.today())
    return columns.csv_header(), rows, set(), name


def _transactions(user, filters: dict, pacer, running):
    customer_id = int(filters["customer_id"])
    customer = selectors.customer_for(user=user, customer_id=customer_id, run=pacer.call)
    query = fetching.TransactionQuery.from_form(customer_id, filters)
    pages = _pages(query.page, pacer, running)
    rows = [row for page in pages for row in tcolumns.export_rows(page)]
    name = csvexport.transactions_file_name(customer.customer_no, query, day=months.today())
    return tcolumns.export_header(), rows, tcolumns.MONEY_INDEXES, name


def start(*, user, spec: dict) -> jobs.Job:
    """Every export is a job of its own (two users' exports never join)."""
    job, _ = jobs.start(
        kind=KIND, subject=f"{user.pk}:{jobs.new_subject()}", user=user, task=build_export,
        args=(spec,),
    )  # fmt: skip
    return job
