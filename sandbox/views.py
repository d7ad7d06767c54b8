"""The Customers API v1, served locally from the sandbox tables.

Every endpoint: fault knobs first (sandbox.faults), then the method check
(405), then `Authorization: Bearer <CTAX_SANDBOX_API_KEY>` (401).
"""

import datetime
import hmac
import logging
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from . import faults
from . import serializers as s
from .models import SandboxBranch, SandboxCustomer, SandboxTransaction
from .validation import (
    BodyError,
    parse_json_object,
    query_choice,
    query_date,
    query_int,
    query_value,
    validate_customer,
)

logger = logging.getLogger(__name__)

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
DEFAULT_SEARCH_LIMIT = 10
MAX_SEARCH_LIMIT = 50
MAX_ID = 2**63 - 1
LIST_FIELDS = (
    "id",
    "customer_no",
    "name",
    "tin",
    "phone",
    "email",
    "address",
    "branch_id",
    "is_active",
    "created_at",
)
DUPLICATE_MESSAGE = "Customer with this customer_no already exists in this branch"


def _authenticated(request):
    expected = settings.CTAX_SANDBOX_API_KEY
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    token = token.strip()
    if not expected or scheme.lower() != "bearer" or not token:
        return False
    return hmac.compare_digest(token.encode(), expected.encode())


def endpoint(*methods):
    """Decorate a sandbox API view: faults, allowed methods, bearer auth."""
    allowed = set(methods)
    if "GET" in allowed:
        allowed.add("HEAD")
    allow_header = ", ".join(sorted(allowed))

    def decorator(view):
        @csrf_exempt
        @login_not_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                injected = faults.apply(request)
                if injected is not None:
                    return injected
                if request.method not in allowed:
                    return s.error_response(
                        405,
                        f"The {request.method} method is not supported for this route. "
                        f"Supported methods: {allow_header}.",
                        headers={"Allow": allow_header},
                    )
                if not _authenticated(request):
                    return s.error_response(
                        401, "Unauthenticated.", headers={"WWW-Authenticate": "Bearer"}
                    )
                return view(request, *args, **kwargs)
            except Exception:
                logger.exception("Sandbox API error on %s %s", request.method, request.path)
                return s.error_response(500, "Server Error")

        return wrapper

    return decorator


def _live_customers():
    return SandboxCustomer.objects.filter(deleted_at__isnull=True)


def _get_customer(customer_id, *, related=False):
    """A non-deleted customer by its id as given in the URL, or None."""
    if not customer_id.isascii() or not customer_id.isdigit():
        return None
    pk = int(customer_id)
    if not 0 < pk <= MAX_ID:
        return None
    queryset = _live_customers()
    if related:
        queryset = queryset.select_related("branch")
    return queryset.filter(pk=pk).first()


def _text_match(term):
    """Name, TIN or phone containing `term`, case-insensitively: what the API documents."""
    return Q(name__icontains=term) | Q(tin__icontains=term) | Q(phone__icontains=term)


def _page(queryset, page, per_page):
    offset = (page - 1) * per_page
    return queryset[offset : offset + per_page]


# --- /customers ------------------------------------------------------------------


@endpoint("GET", "POST")
def customers(request):
    if request.method == "POST":
        return _create_customer(request)
    return _list_customers(request)


def _list_customers(request):
    params, errors = request.GET, {}
    status = query_choice(params, "status", ("active", "inactive"), errors)
    page = query_int(params, "page", errors, default=1)
    per_page = query_int(params, "per_page", errors, default=DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE)
    if errors:
        return s.validation_error(errors)

    queryset = _live_customers()
    branch_id = query_value(params, "branch_id")
    if branch_id is not None:
        queryset = queryset.filter(branch_id=branch_id)
    if status is not None:
        queryset = queryset.filter(is_active=status == "active")
    search = query_value(params, "search")
    if search is not None:
        queryset = queryset.filter(_text_match(search))

    total = queryset.count()
    # Counted per returned row by a correlated subquery: one query, no N+1,
    # and no GROUP BY over every customer before the LIMIT.
    tx_count = (
        SandboxTransaction.objects.filter(customer=OuterRef("pk"))
        .order_by()
        .values("customer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = _page(
        queryset.annotate(
            total_transactions=Coalesce(Subquery(tx_count, output_field=IntegerField()), Value(0))
        )
        .order_by("id")
        .values(*LIST_FIELDS, "total_transactions"),
        page,
        per_page,
    )
    meta = s.page_meta(total, per_page, page)
    meta["timestamp"] = s.now_iso()
    return s.api_response(
        {"status": "success", "data": [s.customer_list_item(c) for c in rows], "meta": meta}
    )


def _read_body(request):
    try:
        return parse_json_object(request), None
    except BodyError as exc:
        return None, s.validation_error({"body": [str(exc)]})


def _check_branch(cleaned, errors):
    branch_id = cleaned.get("branch_id")
    if branch_id and not SandboxBranch.objects.filter(pk=branch_id).exists():
        errors["branch_id"] = ["The selected branch_id is invalid."]


def _duplicate_exists(branch_id, customer_no, exclude_pk=None):
    queryset = _live_customers().filter(branch_id=branch_id, customer_no=customer_no)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.exists()


def _conflict():
    return s.error_response(409, DUPLICATE_MESSAGE)


def _create_customer(request):
    data, bad_body = _read_body(request)
    if bad_body:
        return bad_body
    cleaned, errors = validate_customer(data, partial=False)
    _check_branch(cleaned, errors)
    if errors:
        return s.validation_error(errors)
    if _duplicate_exists(cleaned["branch_id"], cleaned["customer_no"]):
        return _conflict()
    now = timezone.now()
    try:
        with transaction.atomic():
            customer = SandboxCustomer.objects.create(**cleaned, created_at=now, updated_at=now)
    except IntegrityError:
        return _conflict()
    return s.api_response(
        {
            "status": "success",
            "message": "Customer created successfully",
            "data": s.customer_created(customer),
            "meta": {"timestamp": s.iso(now), "request_id": s.new_request_id()},
        },
        status=201,
    )


# --- /customers/search -------------------------------------------------------------


@endpoint("GET")
def search(request):
    params, errors = request.GET, {}
    q = query_value(params, "q")
    if q is None:
        errors["q"] = ["The q field is required."]
    elif len(q) < 2:
        errors["q"] = ["The q must be at least 2 characters."]
    limit = query_int(
        params, "limit", errors, default=DEFAULT_SEARCH_LIMIT, maximum=MAX_SEARCH_LIMIT
    )
    if errors:
        return s.validation_error(errors)
    queryset = _live_customers().filter(_text_match(q))
    branch_id = query_value(params, "branch_id")
    if branch_id is not None:
        queryset = queryset.filter(branch_id=branch_id)
    rows = list(queryset.order_by("id").only("id", "customer_no", "name", "tin", "phone")[:limit])
    return s.api_response(
        {
            "status": "success",
            "data": [s.search_item(c) for c in rows],
            "meta": {"count": len(rows), "query": q},
        }
    )


# --- /customers/{id} -----------------------------------------------------------------


@endpoint("GET", "PUT", "PATCH", "DELETE")
def customer(request, customer_id):
    if request.method in ("PUT", "PATCH"):
        return _update_customer(request, customer_id)
    if request.method == "DELETE":
        return _delete_customer(customer_id)
    return _customer_detail(customer_id)


def _customer_detail(customer_id):
    found = _get_customer(customer_id, related=True)
    if found is None:
        return s.customer_not_found()
    month_start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    summary = found.transactions.aggregate(
        total_transactions=Count("pk"),
        total_sales_amount=Sum(
            "total_amount", filter=Q(type=SandboxTransaction.SALES, status="success")
        ),
        this_month_transactions=Count("pk", filter=Q(created_at__gte=month_start)),
        last_transaction_at=Max("created_at"),
    )
    recent = found.transactions.order_by("-created_at", "-pk")[:5]
    return s.api_response({"status": "success", "data": s.customer_detail(found, summary, recent)})


def _update_customer(request, customer_id):
    found = _get_customer(customer_id)
    if found is None:
        return s.customer_not_found()
    data, bad_body = _read_body(request)
    if bad_body:
        return bad_body
    cleaned, errors = validate_customer(data, partial=True)
    _check_branch(cleaned, errors)
    if errors:
        return s.validation_error(errors)
    changed = [field for field, value in cleaned.items() if getattr(found, field) != value]
    if {"branch_id", "customer_no"} & set(changed):
        branch_id = cleaned.get("branch_id", found.branch_id)
        customer_no = cleaned.get("customer_no", found.customer_no)
        if _duplicate_exists(branch_id, customer_no, exclude_pk=found.pk):
            return _conflict()
    if changed:
        for field in changed:
            setattr(found, field, cleaned[field])
        found.updated_at = timezone.now()
        try:
            with transaction.atomic():
                found.save(update_fields=[*changed, "updated_at"])
        except IntegrityError:
            return _conflict()
    return s.api_response(
        {
            "status": "success",
            "message": "Customer updated successfully",
            "data": s.customer_updated(found),
            "meta": {"timestamp": s.now_iso(), "request_id": s.new_request_id()},
        }
    )


def _delete_customer(customer_id):
    found = _get_customer(customer_id)
    if found is None:
        return s.customer_not_found()
    now = timezone.now()
    SandboxCustomer.objects.filter(pk=found.pk).update(deleted_at=now, updated_at=now)
    return s.api_response({"status": "success", "message": "Customer deleted successfully"})


# --- /customers/{id}/transactions ------------------------------------------------------


_EARLIEST = datetime.date(1900, 1, 1)
_LATEST = datetime.date(2999, 12, 31)


def _local_midnight(day, *, next_day=False):
    """Start of `day` (or of the day after) in TIME_ZONE (Africa/Nairobi)."""
    day = min(max(day, _EARLIEST), _LATEST)  # keep far-off dates convertible
    if next_day:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@endpoint("GET")
def transactions(request, customer_id):
    found = _get_customer(customer_id)
    if found is None:
        return s.customer_not_found()
    params, errors = request.GET, {}
    tx_type = query_choice(params, "type", ("sales", "purchases"), errors)
    from_date = query_date(params, "from_date", errors)
    to_date = query_date(params, "to_date", errors)
    if from_date and to_date and to_date < from_date:
        errors["to_date"] = ["The to_date must be a date after or equal to from_date."]
    page = query_int(params, "page", errors, default=1)
    # As the API documents it: 25 a page, and no `per_page` parameter to change that.
    per_page = DEFAULT_PER_PAGE
    if errors:
        return s.validation_error(errors)

    queryset = found.transactions.all()
    if tx_type:
        queryset = queryset.filter(type=tx_type)
    # Dates are days in the business's time zone (TIME_ZONE, Africa/Nairobi), inclusive.
    if from_date:
        queryset = queryset.filter(created_at__gte=_local_midnight(from_date))
    if to_date:
        queryset = queryset.filter(created_at__lt=_local_midnight(to_date, next_day=True))
    total = queryset.count()
    rows = _page(queryset.order_by("-created_at", "-pk"), page, per_page)
    return s.api_response(
        {
            "status": "success",
            "data": [s.transaction_item(tx) for tx in rows],
            "meta": s.page_meta(total, per_page, page),
        }
    )


# --- anything else under the API root ---------------------------------------------------


@endpoint("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
def not_found(request, unmatched=""):
    return s.error_response(404, "Not Found")
