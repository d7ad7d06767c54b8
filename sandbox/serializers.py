"""JSON shapes of the Customers API v1 and the encoder that writes them.

Money is written as a JSON number with two decimals (`15000.00`), which the
standard encoder cannot do for Decimal, hence `ApiJSONEncoder.encode`.
Timestamps are ISO 8601 in UTC with a `Z` suffix, to the second.
"""

import datetime
import json
import math
import secrets
import uuid
from decimal import Decimal
from types import SimpleNamespace

from django.http import JsonResponse
from django.utils import timezone

_escape = json.encoder.encode_basestring_ascii


def iso(value):
    """`2025-01-15T14:30:00Z`, or None."""
    if value is None:
        return None
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_iso():
    return iso(timezone.now())


def new_request_id():
    return "req_" + secrets.token_hex(8)


def _encode(value, out):
    if isinstance(value, str):
        out.append(_escape(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"Cannot encode {value!r} as JSON")
        out.append(f"{value:.2f}")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"Cannot encode {value!r} as JSON")
        out.append(float.__repr__(value))
    elif isinstance(value, dict):
        out.append("{")
        first = True
        for key, item in value.items():
            if not first:
                out.append(",")
            first = False
            out.append(_escape(key if isinstance(key, str) else str(key)))
            out.append(":")
            _encode(item, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _encode(item, out)
        out.append("]")
    elif isinstance(value, datetime.datetime):
        out.append(_escape(iso(value)))
    elif isinstance(value, datetime.date):
        out.append(_escape(value.isoformat()))
    elif isinstance(value, uuid.UUID):
        out.append(_escape(str(value)))
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class _HasDecimal(Exception):
    pass


def _plain(value):
    """For the standard (C) encoder: what `_encode` writes for these types, as plain JSON."""
    if isinstance(value, Decimal):
        raise _HasDecimal  # numbers with exactly two decimals: only `_encode` writes them
    if isinstance(value, datetime.datetime):
        return iso(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_standard = json.JSONEncoder(separators=(",", ":"), allow_nan=False, default=_plain)


def dumps(value):
    """Compact ASCII JSON; Decimals as numbers with exactly two decimals.

    The standard encoder writes the same text for everything but Decimals, much
    faster (the list endpoint has none); `_encode` takes over when one is met.
    """
    try:
        return _standard.encode(value)
    except _HasDecimal:
        out = []
        _encode(value, out)
        return "".join(out)


class ApiJSONEncoder(json.JSONEncoder):
    """For JsonResponse(encoder=...): json.dumps(cls=...) ends in `encode()`."""

    def encode(self, o):
        return dumps(o)


def api_response(payload, status=200, headers=None):
    return JsonResponse(payload, status=status, encoder=ApiJSONEncoder, safe=False, headers=headers)


def error_response(status, message, errors=None, headers=None):
    payload = {"status": "error", "message": message}
    if errors:
        payload["errors"] = errors
    return api_response(payload, status=status, headers=headers)


def validation_error(errors):
    return error_response(400, "Validation failed", errors)


def customer_not_found():
    return error_response(404, "Customer not found")


def page_meta(total, per_page, page):
    return {
        "total": total,
        "per_page": per_page,
        "current_page": page,
        "last_page": max(1, math.ceil(total / per_page)),
    }


# --- Shapes -----------------------------------------------------------------


def _customer_base(customer):
    return {
        "id": customer.id,
        "customer_no": customer.customer_no,
        "name": customer.name,
        "tin": customer.tin or None,
        "phone": customer.phone or None,
        "email": customer.email or None,
        "address": customer.address or None,
        "branch_id": customer.branch_id,
    }


def customer_list_item(row):
    """A list row from a `values()` dict (the list reads no model instances)."""
    customer = SimpleNamespace(**row)
    data = _customer_base(customer)
    data["is_active"] = customer.is_active
    data["total_transactions"] = customer.total_transactions
    data["created_at"] = iso(customer.created_at)
    return data


def customer_created(customer):
    data = _customer_base(customer)
    data["is_active"] = customer.is_active
    data["created_at"] = iso(customer.created_at)
    return data


def customer_updated(customer):
    data = _customer_base(customer)
    data["is_active"] = customer.is_active
    data["updated_at"] = iso(customer.updated_at)
    return data


def customer_detail(customer, summary, recent):
    data = _customer_base(customer)
    data["branch_name"] = customer.branch.name
    data["is_active"] = customer.is_active
    data["metadata"] = customer.metadata or {}
    data["transaction_summary"] = {
        "total_transactions": summary["total_transactions"],
        "total_sales_amount": summary["total_sales_amount"] or Decimal("0.00"),
        "this_month_transactions": summary["this_month_transactions"],
        "last_transaction_at": iso(summary["last_transaction_at"]),
    }
    data["recent_transactions"] = [
        {
            "id": str(tx.id),
            "type": tx.type,
            "invoice_no": tx.invoice_no,
            "amount": tx.total_amount,
            "status": tx.status,
            "created_at": iso(tx.created_at),
        }
        for tx in recent
    ]
    data["created_at"] = iso(customer.created_at)
    data["updated_at"] = iso(customer.updated_at)
    return data


def search_item(customer):
    return {
        "id": customer.id,
        "customer_no": customer.customer_no,
        "name": customer.name,
        "tin": customer.tin or None,
        "phone": customer.phone or None,
    }


def transaction_item(tx):
    return {
        "id": str(tx.id),
        "type": tx.type,
        "invoice_no": tx.invoice_no,
        "total_amount": tx.total_amount,
        "tax_amount": tx.tax_amount,
        "status": tx.status,
        "branch_id": tx.branch_id,
        "created_at": iso(tx.created_at),
    }
