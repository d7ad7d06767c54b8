"""Create, edit and delete a customer; check one field as the user leaves it."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from .. import audit, services, submissions
from ..access import ADD, CHANGE, DELETE, branch_options, get_customer_for, requires, requires_any
from ..forms import CustomerEditForm, CustomerForm
from ..models import AuditEntry
from ..rendering import render_page
from ..upstream.errors import Conflict, UpstreamError, ValidationFailed
from .records import list_filters

LIVE_FIELDS = ("customer_no", "name", "tin", "phone", "email", "address")


@require_http_methods(["GET", "POST"])
@requires(ADD)
def create(request):
    branches = branch_options(request.user)
    token = submissions.parse_token(request.POST.get("submission_token"))
    form = CustomerForm(request.POST or None, branches=branches)
    context = {"title": "Add customer", "is_create": True}
    if request.method == "POST" and form.is_valid():
        earlier = submissions.claim(token)
        if earlier is not None:
            return _already_submitted(request, earlier)
        values = form.cleaned_data
        result = _write(
            request,
            form,
            token,
            lambda: services.create_customer(values=values),
            action=AuditEntry.CREATE,
            customer_no=values["customer_no"],
            branch_id=values["branch_id"],
            changes=audit.diff({}, values),
        )
        if result is not None:
            customer = result.customer
            submissions.complete(token, customer.id if customer else None)
            messages.success(request, f"The customer “{form.cleaned_data['name']}” was added.")
            if "_addanother" in request.POST or customer is None:
                return redirect("customers:create")
            return redirect("customers:detail", customer_id=customer.id)
        context["existing"] = _existing_for_conflict(form)
    return _render_form(request, form, context, token)


@require_http_methods(["GET", "POST"])
@requires(CHANGE)
def edit(request, customer_id: int):
    try:
        customer = get_customer_for(request.user, customer_id)
    except UpstreamError as exc:
        if request.method != "POST" or isinstance(exc, services.NotFound):
            raise
        return _edit_kept_on_failure(request, customer_id, exc)
    branches = _with_branch(branch_options(request.user), customer.branch_id)
    form = CustomerEditForm(request.POST or None, initial=customer.form_values(), branches=branches)
    context = {
        "title": f"Edit {customer.name}",
        "customer": customer,
        "changelist_filters": list_filters(request),
    }
    if request.method == "POST" and form.is_valid():
        changes = form.changes(_hidden_initial(form, fallback=customer.form_values()))
        if not changes:
            messages.info(request, "Nothing was changed, so nothing was saved.")
            return redirect(_with_filters(request, "customers:detail", customer_id))
        result = _write(
            request,
            form,
            None,
            lambda: services.update_customer(customer_id=customer_id, changes=changes),
            action=AuditEntry.UPDATE,
            customer_id=customer_id,
            customer_no=customer.customer_no,
            branch_id=customer.branch_id,
            changes=audit.diff(customer.form_values(), changes),
        )
        if result is not None:
            labels = ", ".join(str(form.fields[name].label) for name in changes)
            messages.success(request, f"Saved: {labels}.")
            return redirect(_with_filters(request, "customers:detail", customer_id))
    return _render_form(request, form, context, None)


@require_http_methods(["GET", "POST"])
@requires(DELETE)
def delete(request, customer_id: int):
    customer = get_customer_for(request.user, customer_id)
    context = {
        "title": f"Delete {customer.name}?",
        "customer": customer,
        "changelist_filters": list_filters(request),
    }
    if request.method == "POST":
        entry = {
            "user": request.user,
            "action": AuditEntry.DELETE,
            "customer_id": customer_id,
            "customer_no": customer.customer_no,
            "branch_id": customer.branch_id,
        }
        try:
            result = services.delete_customer(customer_id=customer_id)
        except UpstreamError as exc:
            audit.record(**entry, error=exc)
            if isinstance(exc, services.NotFound):
                raise
            context["error"] = exc
            return render_page(request, "customers/delete.html", context, status=exc.http_status)
        audit.record(**entry, request_id=result.request_id)
        messages.success(
            request,
            f"The customer “{customer.name}” was deleted. Their transaction records are kept.",
        )
        filters = list_filters(request)
        return redirect(reverse("customers:list") + (f"?{filters}" if filters else ""))
    return render_page(request, "customers/delete.html", context)


@require_POST
@requires_any(ADD, CHANGE)
def validate_field(request, field: str):
    if field not in LIVE_FIELDS:
        raise Http404("No such field")
    form = CustomerForm(request.POST, branches=[])
    _value, errors = form.clean_field(field)
    context = {"field": {"name": field, "errors": errors}}
    return render_page(request, "customers/form.html", context, partial="field_errors")


# --- helpers -----------------------------------------------------------------


def _with_filters(request, name: str, customer_id: int) -> str:
    """A record's URL carrying the list's filters along (see records.list_filters)."""
    filters = list_filters(request)
    url = reverse(name, args=[customer_id])
    return f"{url}?{urlencode({'_changelist_filters': filters})}" if filters else url


def _edit_kept_on_failure(request, customer_id: int, exc: UpstreamError):
    """The record could not be loaded to save an edit: show the form as typed, with why."""
    audit.record(
        user=request.user,
        action=AuditEntry.UPDATE,
        customer_id=customer_id,
        customer_no=request.POST.get("customer_no", "")[:50],
        error=exc,
    )
    form = CustomerEditForm(request.POST, branches=branch_options(request.user))
    form.upstream_error = exc
    stand_in = SimpleNamespace(id=customer_id, name=request.POST.get("name") or "this customer")
    context = {
        "title": f"Edit {stand_in.name}",
        "customer": stand_in,
        "changelist_filters": list_filters(request),
    }
    return _render_form(request, form, context, None)


def _write(
    request, form, token, call, *, action, customer_id=None, customer_no, branch_id, changes
):
    """Run an upstream write and audit it; on failure put the error on the form, return None."""
    entry = {
        "user": request.user,
        "action": action,
        "customer_no": customer_no,
        "branch_id": branch_id,
        "changes": changes,
    }
    try:
        result = call()
    except UpstreamError as exc:
        audit.record(**entry, customer_id=customer_id, error=exc)
        _show_on_form(form, exc)
        submissions.release(token)
        return None
    saved_id = result.customer.id if result.customer else customer_id
    audit.record(**entry, customer_id=saved_id, request_id=result.request_id)
    return result


def _show_on_form(form, exc: UpstreamError) -> None:
    if isinstance(exc, ValidationFailed):
        _apply_field_errors(form, exc)
    elif isinstance(exc, Conflict):
        form.add_error("customer_no", exc.message)
    else:
        form.upstream_error = exc


def _apply_field_errors(form, exc: ValidationFailed) -> None:
    if not exc.errors:
        form.add_error(None, exc.message)
    for name, messages_ in exc.errors.items():
        for message in messages_:
            if name in form.fields:
                form.add_error(name, message)
            else:
                form.add_error(None, f"{name}: {message}")


def _existing_for_conflict(form):
    """After a 409 on create, the customer already holding that number, if we can find it."""
    if "customer_no" not in form.errors or getattr(form, "upstream_error", None):
        return None
    # add_error() has taken customer_no out of cleaned_data: read it as typed (and tidied).
    number = str(form["customer_no"].value() or "").strip()
    branch = form.cleaned_data.get("branch_id")
    try:
        hits = services.search_customers(q=number, branch_id=branch, limit=10)
    except UpstreamError:
        return None
    return next((hit for hit in hits if hit.customer_no == number), None)


def _already_submitted(request, earlier):
    if earlier.customer_id:
        messages.info(request, "This form was already sent; here is the customer it saved.")
        return redirect("customers:detail", customer_id=earlier.customer_id)
    messages.warning(request, "This form is already being saved. Please wait a moment.")
    return redirect("customers:list")


def _hidden_initial(form, *, fallback: dict) -> dict:
    """The values the form showed when it was opened (sent back as hidden inputs).

    Comparing with these, not with the record as it is now, keeps a change someone
    else saved meanwhile from being overwritten by a field this user did not touch.
    """
    values = {}
    for name, field in form.fields.items():
        key = form.add_initial_prefix(name)
        if key not in form.data:
            values[name] = fallback.get(name)
            continue
        raw = field.hidden_widget().value_from_datadict(form.data, form.files, key)
        if name == "is_active":
            values[name] = str(raw).lower() in ("true", "1", "on")
        else:
            values[name] = _normalised(form, name, raw)
    return values


def _normalised(form, name, raw):
    probe = CustomerForm({name: raw or ""}, branches=[])
    value, errors = probe.clean_field(name) if name in LIVE_FIELDS else (raw, [])
    return (raw or "") if errors else value


def _with_branch(branches, code):
    if branches and code not in dict(branches):
        return [*branches, (code, code)]
    return branches


def _render_form(request, form, context, token):
    _enable_live_checks(form)
    error = getattr(form, "upstream_error", None)
    context.update(
        {
            "form": form,
            "upstream_error": error,
            "submission_token": str(token) if token else submissions.new_token(),
        }
    )
    status = error.http_status if error else 200
    return render_page(request, "customers/form.html", context, status=status)


def _enable_live_checks(form) -> None:
    for name in LIVE_FIELDS:
        widget = form.fields[name].widget
        widget.attrs.update(
            {
                "hx-post": reverse("customers:validate_field", args=[name]),
                "hx-trigger": "change",
                "hx-target": f"#errors-{name}",
                "hx-swap": "outerHTML",
                "hx-include": "this",
                "hx-sync": "this:replace",
                "aria-describedby": f"errors-{name}"
                + (f" help-{name}" if form.fields[name].help_text else ""),
            }
        )
