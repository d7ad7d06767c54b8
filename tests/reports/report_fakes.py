"""A fake upstream (the `responses` library) with paging, for the report tests."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import responses

BASE = "https://upstream.test/api/v1"


def customer(id_, no, name, branch="00", **extra):
    record = {
        "id": id_,
        "customer_no": no,
        "name": name,
        "tin": None,
        "phone": None,
        "email": None,
        "address": None,
        "branch_id": branch,
        "is_active": True,
        "total_transactions": 0,
        "created_at": "2025-01-01T10:00:00Z",
    }
    record.update(extra)
    return record


def transaction(
    n,
    *,
    type_="sales",
    amount="100.00",
    tax="13.79",
    status="success",
    created_at="2025-01-14T16:30:00Z",
):
    return {
        "id": f"uuid-{n}",
        "type": type_,
        "invoice_no": f"INV-{n:04d}",
        "total_amount": amount,
        "tax_amount": tax,
        "status": status,
        "branch_id": "00",
        "created_at": created_at,
    }


@dataclass
class FakeUpstream:
    mock: responses.RequestsMock
    customers: dict[int, dict] = field(default_factory=dict)
    transactions: dict[int, list[dict]] = field(default_factory=dict)
    fail_on: dict[tuple[str, int], int] = field(default_factory=dict)  # (path, page) -> status

    def install(self) -> FakeUpstream:
        self.mock.add_callback(responses.GET, f"{BASE}/customers", callback=self._list)
        self.mock.add_callback(
            responses.GET,
            re.compile(rf"{BASE}/customers/\d+/transactions"),
            callback=self._transactions,
        )
        self.mock.add_callback(
            responses.GET, re.compile(rf"{BASE}/customers/\d+$"), callback=self._detail
        )
        return self

    # --- what was asked ---------------------------------------------------------

    def calls_to(self, path: str) -> list[dict]:
        found = []
        for call in self.mock.calls:
            parts = urlsplit(call.request.url)
            if parts.path == f"/api/v1/{path}":
                found.append({k: v[0] for k, v in parse_qs(parts.query).items()})
        return found

    def pages_asked(self, path: str) -> list[int]:
        return [int(params.get("page", 1)) for params in self.calls_to(path)]

    # --- answers ----------------------------------------------------------------

    def _list(self, request):
        params = request.params
        rows = [
            c for c in self.customers.values() if params.get("branch_id") in (None, c["branch_id"])
        ]
        return self._page("customers", rows, params)

    def _transactions(self, request):
        customer_id = int(re.search(r"/customers/(\d+)/", request.url).group(1))
        return self._page(
            f"customers/{customer_id}/transactions",
            self.transactions.get(customer_id, []),
            request.params,
        )

    def _detail(self, request):
        customer_id = int(re.search(r"/customers/(\d+)$", request.url.split("?")[0]).group(1))
        if customer_id not in self.customers:
            return _json(404, {"status": "error", "message": "Customer not found"})
        record = {
            **self.customers[customer_id],
            "branch_name": None,
            "metadata": {},
            "transaction_summary": None,
            "recent_transactions": [],
            "updated_at": "2025-01-01T10:00:00Z",
        }
        return _json(200, {"status": "success", "data": record})

    def _page(self, path, rows, params):
        page = int(params.get("page", 1))
        if (path, page) in self.fail_on:
            return _json(self.fail_on[(path, page)], {"status": "error", "message": "Down"})
        # Transactions come 25 a page, `per_page` ignored, as the API documents them.
        per_page = 25 if path.endswith("/transactions") else int(params.get("per_page", 25))
        chunk = rows[(page - 1) * per_page : page * per_page]
        meta = {
            "total": len(rows),
            "per_page": per_page,
            "current_page": page,
            "last_page": max(1, math.ceil(len(rows) / per_page)),
        }
        return _json(200, {"status": "success", "data": chunk, "meta": meta})


def _json(status, body):
    return status, {"Content-Type": "application/json"}, json.dumps(body)
