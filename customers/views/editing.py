"""Create, edit and delete a customer; check one field as the user leaves it.

The writes themselves (form token, audit, upstream, outcome) are `customers.services`;
these views turn forms into its calls and its outcomes into pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from .. import numbering, selectors, services, submissions
from ..access import ADD, CHANGE, DELETE, branch_options, refuse_unless_allowed, requires
from ..forms import LIVE_FIELDS, CustomerEditForm, CustomerForm
from ..preserved_filters import from_request as list_filters
from ..preserved_filters import list_url, preserved_url
from ..rendering import render_page
from ..selectors import holders
from ..services import Result
from ..upstream.errors import NotFound, UpstreamError, ValidationFailed

SAVED_TAG = "saved"  # on the message after a save: form.js drops the form's draft


@dataclass(frozen=True)
class LocalProblem:
    """Shown like an upstream failure: nothing was sent, the input is kept."""

    message: str
    http_status: int = 503


@require_http_methods(["GET", "POST"])
@requires(ADD)
def create(request):
    branches = branch_options(request.user)
    token = submissions.posted(request)
    initial = {"branch_id": _preselected_branch(request, branches)}
    form = CustomerForm(request.POST or None, branches=branches, initial=initial)
    context = {"title": "Add customer", "is_create": True}
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        outcome = services.create_customer(user=request.user, token=token, values=values)
        if outcome.result is Result.ALREADY_SENT:
            return _already_submitted(request, outcome)
        if outcome.ok:
            messages.success(
                request, f"The customer “{values['name']}” was added.", extra_tags=SAVED_TAG
            )
            if "_addanother" in request.POST or outcome.customer_id is None:
                return redirect(_create_url(values["branch_id"]))
            return redirect("customers:detail", customer_id=outcome.customer_id)
        _show_on_form(form, outcome)
    if form.is_bound:  # refused: the warnings given as fields were left stay in view
        given = holders.warnings_given(user=request.user, values=form.cleaned_data)
        for name, warnings in given.items():
            form[name].warnings = warnings
    _suggest_numbers(form, branches, context)
    return _render_form(request, form, context, token)


@require_http_methods(["GET", "POST"])
@requires(CHANGE)
def edit(request, customer_id: int):
    try:
        customer = selectors.customer_for(user=request.user, customer_id=customer_id)
    except UpstreamError as exc:
        if request.method != "POST" or isinstance(exc, NotFound):
            raise
        return _edit_kept_on_failure(request, customer_id, exc)
    token = submissions.posted(request)
    stored = customer.form_values()
    branches = _with_branch(branch_options(request.user), customer.branch_id)
    form = CustomerEditForm(request.POST or None, initial=stored, branches=branches)
    context = {
        "title": f"Edit {customer.name}",
        "customer": customer,
        "changelist_filters": list_filters(request),
    }
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        outcome = services.update_customer(
            user=request.user, customer=customer, changes=changes, token=token
        )
        if outcome.result is Result.ALREADY_SENT:
            messages.info(request, "This form was already sent.", extra_tags=SAVED_TAG)
            return redirect(_with_filters(request, "customers:detail", customer_id))
        if outcome.result is Result.UNCHANGED:
            messages.info(
                request, "Nothing was changed, so nothing was saved.", extra_tags=SAVED_TAG
            )
        elif outcome.ok:
            labels = ", ".join(str(form.fields[name].label) for name in changes)
            messages.success(request, f"Saved: {labels}.", extra_tags=SAVED_TAG)
        if outcome.ok:
            after = "customers:edit" if "_continue" in request.POST else "customers:detail"
            return redirect(_with_filters(request, after, customer_id))
        _show_on_form(form, outcome)
    return _render_form(request, form, context, token)


@require_http_methods(["GET", "POST"])
@requires(DELETE)
def delete(request, customer_id: int):
    customer = selectors.customer_for(user=request.user, customer_id=customer_id)
    token = submissions.posted(request)
    context = {
        "title": f"Delete {customer.name}?",
        "customer": customer,
        "changelist_filters": list_filters(request),
        "submission_token": submissions.reissued(token),
    }
    if request.method == "POST":
        outcome = services.delete_customer(user=request.user, customer=customer, token=token)
        if outcome.result is Result.ALREADY_SENT:
            messages.info(request, "This delete was already sent.")
            return redirect(list_url(request))
        if outcome.ok:
            messages.success(
                request,
                f"The customer “{customer.name}” was deleted. Their past sales stay on record.",
            )
            return redirect(list_url(request))
        if isinstance(outcome.error, NotFound):
            raise outcome.error
        context["error"] = outcome.error or _local_problem(outcome)
        status = context["error"].http_status
        return render_page(request, "customers/delete.html", context, status=status)
    return render_page(request, "customers/delete.html", context)


@require_POST
def validate_field(request, field: str):
    if not request.user.has_perm(ADD):  # the add form's and the edit form's checks
        refuse_unless_allowed(request.user, CHANGE)
    if field not in LIVE_FIELDS:
        raise Http404("No such field")
    form = CustomerForm(request.POST, branches=[])
    value, errors = form.clean_field(field)
    warnings = []
    if not errors and value and request.POST.get("check_duplicates") and field in ("tin", "phone"):
        warnings = holders.check_field(user=request.user, field=field, value=value)
    context = {"field": {"name": field, "errors": errors, "warnings": warnings}}
    return render_page(request, "customers/form.html", context, partial="field_errors")


# --- outcomes on the form ----------------------------------------------------------


def _show_on_form(form, outcome: services.WriteOutcome) -> None:
    exc = outcome.error
    if outcome.result in (Result.NOT_RECORDED, Result.FORM_TOO_OLD):
        form.upstream_error = _local_problem(outcome)
    elif outcome.number_taken:
        form.add_error("customer_no", _number_taken_message(form, outcome))
        if isinstance(exc, ValidationFailed):
            _apply_field_errors(form, exc, skip=("customer_no",))
    elif isinstance(exc, ValidationFailed):
        _apply_field_errors(form, exc)
    elif isinstance(exc, NotFound):
        form.upstream_error = LocalProblem(NotFound.default_message, http_status=404)
    else:
        form.upstream_error = exc


def _local_problem(outcome: services.WriteOutcome) -> LocalProblem:
    """Why nothing was sent, when the upstream was never asked."""
    status = 409 if outcome.result is Result.FORM_TOO_OLD else LocalProblem.http_status
    return LocalProblem(services.why_not_sent(outcome), http_status=status)


def _number_taken_message(form, outcome: services.WriteOutcome):
    number = str(form["customer_no"].value() or "").strip()
    holder = outcome.existing
    if holder is None:
        return format_html("The customer number {} is already taken in this branch.", number)
    link = format_html(
        '<a href="{}">{} ({})</a>',
        reverse("customers:detail", args=[holder.id]),
        holder.name,
        holder.customer_no,
    )
    if outcome.probably_saved_before:
        return format_html(
            "The customer number {} is already taken: this form was probably saved the "
            "first time, when its answer was lost. See {}.",
            number,
            link,
        )
    return format_html("The customer number {} is already taken by {}.", number, link)


def _apply_field_errors(form, exc, *, skip=()) -> None:
    if not exc.errors:
        form.add_error(None, exc.message)
    for name, messages_ in exc.errors.items():
        if name in skip:
            continue
        for message in messages_:
            if name in form.fields:
                form.add_error(name, message)
            else:
                form.add_error(None, f"{name}: {message}")


def _already_submitted(request, outcome: services.WriteOutcome):
    if outcome.customer_id:
        messages.info(
            request,
            "This form was already sent; here is the customer it saved.",
            extra_tags=SAVED_TAG,
        )
        return redirect("customers:detail", customer_id=outcome.customer_id)
    messages.warning(request, "This form is already being saved. Please wait a moment.")
    return redirect("customers:list")


# --- helpers -----------------------------------------------------------------


def _preselected_branch(request, branches) -> str | None:
    """The branch asked for (after "Save and add another"), else the user's only branch."""
    codes = [code for code, _label in branches or []]
    asked = request.GET.get("branch_id")
    if asked and (asked in codes or branches is None):
        return asked
    return codes[0] if len(codes) == 1 else None


def _suggest_numbers(form, branches, context) -> None:
    """The hint under "Customer number": the chosen branch's pattern and next number (in
    the field too, on a new form); the page's script (customer_number.js) swaps both when
    another branch is chosen. Read only for a form shown, not for one saved."""
    numbers = numbering.suggestions_for(code for code, _label in branches or [])
    chosen = form["branch_id"].value() or ""
    if not form.is_bound:
        form.initial["customer_no"] = numbers.get(chosen, {}).get("number")
    form.fields["customer_no"].help_text = numbers.get(chosen, numbers[""])["hint"]
    context["number_suggestions"] = numbers


def _create_url(branch_id: str) -> str:
    return f"{reverse('customers:create')}?{urlencode({'branch_id': branch_id})}"


def _with_filters(request, name: str, customer_id: int) -> str:
    """A record's URL carrying the list's filters along."""
    return preserved_url(request, reverse(name, args=[customer_id]))


def _edit_kept_on_failure(request, customer_id: int, exc: UpstreamError):
    """The record could not be loaded to save an edit: show the form as typed, with why.

    Nothing is audited: no write was attempted, and nothing typed here is known to be
    true of a customer this user may see.
    """
    form = CustomerEditForm(request.POST, branches=branch_options(request.user))
    form.upstream_error = exc
    stand_in = SimpleNamespace(id=customer_id, name=request.POST.get("name") or "this customer")
    context = {
        "title": f"Edit {stand_in.name}",
        "customer": stand_in,
        "changelist_filters": list_filters(request),
    }
    token = submissions.posted(request)
    return _render_form(request, form, context, token)


def _with_branch(branches, code):
    if branches and code not in dict(branches):
        return [*branches, (code, code)]
    return branches


def _render_form(request, form, context, token):
    _enable_live_checks(form, create=context.get("is_create", False))
    _focus_first_field(form)
    error = getattr(form, "upstream_error", None)
    context.update(
        {
            "form": form,
            "upstream_error": error,
            "submission_token": submissions.reissued(token),
        }
    )
    status = error.http_status if error else 200
    return render_page(request, "customers/form.html", context, status=status)


def _focus_first_field(form) -> None:
    """The cursor starts in the first field with an error, else the first to fill in."""
    names = list(form.fields)
    if form.is_bound and form.errors:
        first = next((name for name in names if name in form.errors), None)
    elif not form.is_bound and form.initial.get("branch_id") and "is_active" not in names:
        # on a new form with its branch chosen already (and maybe its number suggested)
        first = "name" if form.initial.get("customer_no") else "customer_no"
    else:
        first = names[0]
    if first:
        form.fields[first].widget.attrs["autofocus"] = True


def _enable_live_checks(form, *, create: bool) -> None:
    for name in LIVE_FIELDS:
        field = form.fields[name]
        described_by = [f"errors-{name}"]
        if getattr(field, "stale_warning", None):
            described_by.append(f"warning-{name}")
        if field.help_text:
            described_by.append(f"help-{name}")
        field.widget.attrs.update(
            {
                "hx-post": reverse("customers:validate_field", args=[name]),
                "hx-trigger": "change",
                "hx-target": f"#errors-{name}",
                "hx-swap": "outerHTML",
                "hx-include": "this",
                "hx-sync": "this:replace",
                "aria-describedby": " ".join(described_by),
            }
        )
        if create and name in holders.CHECKED_FIELDS:
            field.widget.attrs["hx-vals"] = '{"check_duplicates": "1"}'
