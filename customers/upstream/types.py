"""Typed results of the upstream door, and their parsing from the documented JSON.

Parsing is strict about what we rely on (ids, names, amounts) and lenient about
extras; anything else raises `BadResponse`, never KeyError or TypeError. Numbers
must be finite and within sane bounds (no NaN, no `1e999999999`, no billion pages).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import BadResponse

# Numbers beyond these are no real answer (e.g. `1e999999999`): the answer is unreadable.
MAX_INT = 2**63 - 1  # what a database's bigint holds
MAX_PAGES = 1_000_000
MAX_TOTAL = 100 * MAX_PAGES
MAX_AMOUNT = Decimal("1e15")
MAX_DECIMAL_PLACES = 30

# Our field names -> the upstream's, for writes. Everything not listed is the same.
FIELD_TO_UPSTREAM = {"name": "custNm"}
FIELD_FROM_UPSTREAM = {v: k for k, v in FIELD_TO_UPSTREAM.items()}


@dataclass(frozen=True, slots=True)
class PageMeta:
    total: int
    per_page: int
    current_page: int
    last_page: int


@dataclass(frozen=True, slots=True)
class Page[T]:
    items: list[T]
    meta: PageMeta

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    customer_no: str
    name: str
    tin: str | None
    phone: str | None


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    id: int
    customer_no: str
    name: str
    tin: str | None
    phone: str | None
    email: str | None
    address: str | None
    branch_id: str
    is_active: bool
    total_transactions: int | None
    created_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Transaction:
    id: str
    type: str
    invoice_no: str
    amount: Decimal
    tax_amount: Decimal | None
    status: str
    branch_id: str | None
    created_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class TransactionSummary:
    total_transactions: int
    total_sales_amount: Decimal
    this_month_transactions: int
    last_transaction_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class CustomerDetail:
    id: int
    customer_no: str
    name: str
    tin: str | None
    phone: str | None
    email: str | None
    address: str | None
    branch_id: str
    branch_name: str | None
    is_active: bool
    metadata: dict
    transaction_summary: TransactionSummary | None
    recent_transactions: list[Transaction] = field(default_factory=list)
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None

    def form_values(self) -> dict[str, Any]:
        """The editable fields, under our form's names."""
        return {
            "branch_id": self.branch_id,
            "customer_no": self.customer_no,
            "name": self.name,
            "tin": self.tin or "",
            "phone": self.phone or "",
            "email": self.email or "",
            "address": self.address or "",
            "is_active": self.is_active,
        }


@dataclass(frozen=True, slots=True)
class WriteResult:
    customer: CustomerDetail | None
    message: str
    request_id: str | None


# --- parsing helpers --------------------------------------------------------


def _opt_str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (dict, list)):
        raise BadResponse()
    return str(value)


def _req_str(value: Any) -> str:
    text = _opt_str(value)
    if text is None:
        raise BadResponse()
    return text


def _int(value: Any, *, low: int = -MAX_INT, high: int = MAX_INT) -> int:
    """An integer from low to high; the bounds are checked before any conversion, so a
    `1e999999999` is refused instead of being turned into a billion-digit int."""
    if isinstance(value, bool):
        raise BadResponse()
    if isinstance(value, (Decimal, float)) and not _finite(value):
        raise BadResponse()
    if isinstance(value, (int, Decimal, float)):
        number = value
    else:
        try:
            number = int(value)
        except (TypeError, ValueError, OverflowError):
            raise BadResponse() from None
    if not low <= number <= high:
        raise BadResponse()
    return int(number)


def _opt_int(value: Any) -> int | None:
    return None if value is None else _int(value)


def _finite(number: Decimal | float) -> bool:
    return number.is_finite() if isinstance(number, Decimal) else math.isfinite(number)


def _decimal(value: Any) -> Decimal:
    """An amount: finite, below MAX_AMOUNT, at most MAX_DECIMAL_PLACES decimals."""
    if isinstance(value, bool) or value is None:
        raise BadResponse()
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise BadResponse() from None
    if not number.is_finite() or not -MAX_AMOUNT < number < MAX_AMOUNT:  # no abs(): it rounds
        raise BadResponse()
    if number.as_tuple().exponent < -MAX_DECIMAL_PLACES:
        raise BadResponse()
    return number


def _opt_decimal(value: Any) -> Decimal | None:
    return None if value is None else _decimal(value)


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in (0, 1, "0", "1"):
        return bool(int(value))
    raise BadResponse()


def _datetime(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise BadResponse()
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise BadResponse() from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def _dict(value: Any) -> dict:
    if not isinstance(value, dict):
        raise BadResponse()
    return value


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise BadResponse()
    return value


# --- parsers ----------------------------------------------------------------


def parse_meta(raw: Any, *, count: int) -> PageMeta:
    """Page counts, each within what a sane upstream sends (so page links stay bounded)."""
    meta = _dict(raw) if raw is not None else {}
    per_page = _int(meta.get("per_page", max(count, 1)), low=0, high=MAX_TOTAL)
    total = _int(meta.get("total", count), low=0, high=MAX_TOTAL)
    current_page = _int(meta.get("current_page", 1), low=0, high=MAX_PAGES)
    last_page = _int(meta.get("last_page", 1), low=0, high=MAX_PAGES)
    return PageMeta(
        total=total,
        per_page=max(per_page, 1),
        current_page=max(current_page, 1),
        last_page=max(last_page, 1),
    )


def parse_search_hit(raw: Any) -> SearchHit:
    raw = _dict(raw)
    return SearchHit(
        id=_int(raw.get("id")),
        customer_no=_req_str(raw.get("customer_no")),
        name=_req_str(raw.get("name", raw.get("custNm"))),
        tin=_opt_str(raw.get("tin")),
        phone=_opt_str(raw.get("phone")),
    )


def _profile(raw: dict) -> dict[str, Any]:
    """The fields a customer has in every answer (list, detail, write)."""
    return {
        "id": _int(raw.get("id")),
        "customer_no": _req_str(raw.get("customer_no")),
        "name": _req_str(raw.get("name", raw.get("custNm"))),
        "tin": _opt_str(raw.get("tin")),
        "phone": _opt_str(raw.get("phone")),
        "email": _opt_str(raw.get("email")),
        "address": _opt_str(raw.get("address")),
        "branch_id": _req_str(raw.get("branch_id")),
        "is_active": _bool(raw.get("is_active", True)),
        "created_at": _datetime(raw.get("created_at")),
    }


def parse_summary(raw: Any) -> CustomerSummary:
    raw = _dict(raw)
    return CustomerSummary(
        **_profile(raw), total_transactions=_opt_int(raw.get("total_transactions"))
    )


def parse_transaction(raw: Any) -> Transaction:
    raw = _dict(raw)
    amount = raw.get("total_amount", raw.get("amount"))
    return Transaction(
        id=_req_str(raw.get("id")),
        type=_req_str(raw.get("type")),
        invoice_no=_opt_str(raw.get("invoice_no")) or "",
        amount=_decimal(amount),
        tax_amount=_opt_decimal(raw.get("tax_amount")),
        status=_opt_str(raw.get("status")) or "",
        branch_id=_opt_str(raw.get("branch_id")),
        created_at=_datetime(raw.get("created_at")),
    )


def parse_transaction_summary(raw: Any) -> TransactionSummary | None:
    if raw is None:
        return None
    raw = _dict(raw)
    return TransactionSummary(
        total_transactions=_int(raw.get("total_transactions", 0)),
        total_sales_amount=_decimal(raw.get("total_sales_amount", 0)),
        this_month_transactions=_int(raw.get("this_month_transactions", 0)),
        last_transaction_at=_datetime(raw.get("last_transaction_at")),
    )


def parse_detail(raw: Any) -> CustomerDetail:
    raw = _dict(raw)
    metadata = raw.get("metadata")
    return CustomerDetail(
        **_profile(raw),
        branch_name=_opt_str(raw.get("branch_name")),
        metadata=metadata if isinstance(metadata, dict) else {},
        transaction_summary=parse_transaction_summary(raw.get("transaction_summary")),
        recent_transactions=[
            parse_transaction(t) for t in _list(raw.get("recent_transactions") or [])
        ],
        updated_at=_datetime(raw.get("updated_at")),
    )


def parse_page(envelope: dict, item_parser) -> Page:
    items = [item_parser(item) for item in _list(envelope.get("data"))]
    return Page(items=items, meta=parse_meta(envelope.get("meta"), count=len(items)))


def parse_field_errors(raw: Any) -> dict[str, list[str]]:
    """Upstream `errors` -> {our field name: [messages]}; tolerant of odd shapes."""
    if not isinstance(raw, dict):
        return {}
    errors: dict[str, list[str]] = {}
    for key, value in raw.items():
        messages = value if isinstance(value, list) else [value]
        name = FIELD_FROM_UPSTREAM.get(str(key), str(key))
        errors.setdefault(name, []).extend(str(m) for m in messages if m not in (None, ""))
    return errors


def to_upstream_fields(values: dict[str, Any]) -> dict[str, Any]:
    return {FIELD_TO_UPSTREAM.get(key, key): value for key, value in values.items()}
