"""One in-process fake of the upstream Customers API, for every in-process test.

(Tests of the transport itself, which need a real socket, use the loopback server of
tests/services/conftest.py; the sandbox's own tests call the sandbox, and the integration
and browser tests reach it over HTTP through live_server.)

`FakeUpstream` wraps a `responses.RequestsMock` answering at BASE_URL with bodies
built from the examples of the upstream API's documentation (tests/doc_examples.py).
Either register fixed answers per test (`list`, `detail`, `create`, `fail`, ...; `on`
for any other status, body, headers, exception or query matchers), or
`serve(customers)`: every documented endpoint answered from a small dict of customers
(branch filtering, paging, 404s, writes) and their histories, for tests that click
through several pages or read every page of an export. A call nobody
registered is refused by `responses`.

The fixtures (tests/conftest.py): `upstream`, this fake with nothing registered, and
`served_upstream`, the same fake serving `two_branch_customers()`.
"""

from __future__ import annotations

import copy
import json
import math
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
import responses

from tests.doc_examples import (
    DOC_400,
    DOC_404,
    DOC_409,
    DOC_CREATE,
    DOC_DETAIL_TEXT,
    DOC_LIST,
    DOC_SEARCH,
    DOC_TRANSACTIONS_TEXT,
    DOC_UPDATE,
    data_of,
)

BASE_URL = "https://upstream.test/api/v1"
API_KEY = "test-key"
EMPTY_LIST = {  # a list answer with no rows: enough for a probe of the upstream
    "status": "success",
    "data": [],
    "meta": {"total": 0, "per_page": 1, "current_page": 1, "last_page": 1},
}


# --- bodies from the documentation's examples ---------------------------------

DOC_LIST_ROWS = DOC_LIST["data"]
DOC_DETAIL = data_of(DOC_DETAIL_TEXT)
DOC_CREATED = DOC_CREATE["data"]
DOC_UPDATED = DOC_UPDATE["data"]
DOC_SEARCH_HITS = DOC_SEARCH["data"]
DOC_TRANSACTIONS = data_of(DOC_TRANSACTIONS_TEXT)
DOC_VALIDATION_ERROR = DOC_400
DOC_NOT_FOUND = DOC_404
DOC_CONFLICT = DOC_409


TRANSACTIONS_PER_PAGE = 25  # the documented page of GET /customers/{id}/transactions

# The fields a customer of `serve()` has beyond a list row, answered by the detail call.
DETAIL_ONLY = {
    "metadata": {},
    "transaction_summary": None,
    "recent_transactions": [],
    "updated_at": "2025-01-01T10:00:00Z",
}


def customer(id_: int, no: str, name: str, branch: str = "00", **extra) -> dict:
    """A customer of `serve()`'s state: the documentation's list row, with no TIN, phone,
    e-mail, address or transactions unless given, and an empty detail (no summary)."""
    record = {
        **copy.deepcopy(DOC_LIST_ROWS[0]),
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
        **copy.deepcopy(DETAIL_ONLY),
    }
    record.update(extra)
    return record


def transaction(
    n: int,
    *,
    type_: str = "sales",
    amount: str = "100.00",
    tax: str = "13.79",
    status: str = "success",
    created_at: str = "2025-01-14T16:30:00Z",
) -> dict:
    """Transaction `n` of a history for `serve()`, in the documentation's shape."""
    return {
        **copy.deepcopy(DOC_TRANSACTIONS[0]),
        "id": f"uuid-{n}",
        "type": type_,
        "invoice_no": f"INV-{n:04d}",
        "total_amount": amount,
        "tax_amount": tax,
        "status": status,
        "branch_id": "00",
        "created_at": created_at,
    }


def two_branch_customers() -> dict[int, dict]:
    """HQ001 in branch 00 and MSA001 in branch 01: for who may see what (fresh each time)."""
    return {
        1: customer(1, "HQ001", "Head Office Trading Ltd", "00", phone="+254712345678"),
        2: customer(2, "MSA001", "Mombasa Secret Supplies", "01", phone="+254712345678"),
    }


class FakeUpstream:
    """The documented endpoints on a `responses.RequestsMock`, and what was called."""

    base_url = BASE_URL
    api_key = API_KEY

    def __init__(self, rsps: responses.RequestsMock):
        self.rsps = rsps
        # for serve(): customer id -> transactions; (path, page) -> the status that page fails with
        self.histories: dict[int, list[dict]] = {}
        self.fail_on: dict[tuple[str, int], int] = {}

    # bodies ------------------------------------------------------------------

    @staticmethod
    def row(index: int = 0, **fields) -> dict:
        """A row of the list call, the documentation's example `index` with `fields` changed."""
        return {**copy.deepcopy(DOC_LIST_ROWS[index]), **fields}

    @staticmethod
    def rows(count: int, **fields) -> list[dict]:
        return [
            FakeUpstream.row(id=n, customer_no=f"CUST{n:03d}", name=f"Customer {n}", **fields)
            for n in range(1, count + 1)
        ]

    @staticmethod
    def detail_data(**fields) -> dict:
        return {**copy.deepcopy(DOC_DETAIL), **fields}

    @staticmethod
    def hit(index: int = 0, **fields) -> dict:
        return {**copy.deepcopy(DOC_SEARCH_HITS[index]), **fields}

    @staticmethod
    def transaction(index: int = 0, **fields) -> dict:
        return {**copy.deepcopy(DOC_TRANSACTIONS[index]), **fields}

    @staticmethod
    def page_body(
        items: list[dict],
        *,
        total: int | None = None,
        per_page: int = 25,
        current_page: int = 1,
        last_page: int | None = None,
        **meta,
    ) -> dict:
        total = len(items) if total is None else total
        if last_page is None:
            last_page = max((total + per_page - 1) // per_page, 1)
        return {
            "status": "success",
            "data": items,
            "meta": {
                "total": total,
                "per_page": per_page,
                "current_page": current_page,
                "last_page": last_page,
                **meta,
            },
        }

    # registering answers ------------------------------------------------------

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def on(
        self,
        method: str,
        path: str,
        *,
        status: int = 200,
        json: Any = None,
        body: Any = None,
        headers: dict | None = None,
        content_type: str | None = None,
        match: tuple | list = (),
    ):
        """Answer `method` on `path` with this status and JSON (or raw `body`, or an
        exception to raise); `match` are `responses.matchers` the request must pass."""
        kwargs: dict[str, Any] = {"status": status, "headers": headers or {}}
        if match:
            kwargs["match"] = match
        if body is not None:
            kwargs["body"] = body
            kwargs["content_type"] = content_type or "text/plain"
        else:
            kwargs["json"] = json
        return self.rsps.add(method, self.url(path), **kwargs)

    def list(self, items: list[dict] | None = None, **meta):
        items = [self.row(0), self.row(1)] if items is None else items
        return self.on("GET", "customers", json=self.page_body(items, **meta))

    def detail(self, customer_id: int = 1, **fields):
        data = self.detail_data(id=customer_id, **fields)
        return self.on("GET", f"customers/{customer_id}", json={"status": "success", "data": data})

    def not_found(self, method: str, path: str):
        return self.on(method, path, status=404, json=DOC_NOT_FOUND)

    def search(self, hits: list[dict] | None = None, query: str = "ABC"):
        hits = [self.hit(0), self.hit(1)] if hits is None else hits
        body = {"status": "success", "data": hits, "meta": {"count": len(hits), "query": query}}
        return self.on("GET", "customers/search", json=body)

    def transactions(self, customer_id: int = 1, items: list[dict] | None = None, **meta):
        items = [self.transaction(0), self.transaction(1)] if items is None else items
        meta.setdefault("total", 45)
        return self.on(
            "GET", f"customers/{customer_id}/transactions", json=self.page_body(items, **meta)
        )

    def create(self, **fields):
        body = {
            "status": "success",
            "message": "Customer created successfully",
            "data": {**copy.deepcopy(DOC_CREATED), **fields},
            "meta": {"timestamp": "2025-01-17T10:00:00Z", "request_id": "req_abc123"},
        }
        return self.on("POST", "customers", status=201, json=body)

    def update(self, customer_id: int = 1, **fields):
        body = {
            "status": "success",
            "message": "Customer updated successfully",
            "data": {**copy.deepcopy(DOC_UPDATED), "id": customer_id, **fields},
        }
        return self.on("PUT", f"customers/{customer_id}", json=body)

    def delete(self, customer_id: int = 1):
        body = {"status": "success", "message": "Customer deleted successfully"}
        return self.on("DELETE", f"customers/{customer_id}", json=body)

    def invalid(self, method: str, path: str, errors: dict | None = None):
        """A 400 as documented (by default the documentation's own example)."""
        body = copy.deepcopy(DOC_VALIDATION_ERROR)
        if errors is not None:
            body["errors"] = errors
        return self.on(method, path, status=400, json=body)

    def conflict(self, method: str, path: str):
        """The documented 409 (customer_no taken in this branch)."""
        return self.on(method, path, status=409, json=DOC_CONFLICT)

    def fail(self, method: str, path: str, fault):
        """Answer with a `Fault` of the view tests' table (anything with `answer()`)."""
        return self.rsps.add(method, self.url(path), **fault.answer())

    def replace(self, method: str, path: str, **answer):
        """Answer `method` on `path` with this one fixed response instead of what was set."""
        url = self.url(path)
        for registered in list(self.rsps.registered()):
            pattern = registered.url
            matches = pattern.fullmatch(url) if isinstance(pattern, re.Pattern) else pattern == url
            if registered.method == method and matches:
                self.rsps.remove(registered)
        return self.rsps.add(method, url, **answer)

    # a small upstream with state ------------------------------------------------

    def serve(self, customers: dict[int, dict]) -> FakeUpstream:
        """Answer every documented endpoint from `customers` (id -> fields over the
        documentation's example); the dict is the upstream's state (`self.customers`)."""
        self.customers = customers
        base = re.escape(self.base_url)
        add = self.rsps.add_callback
        add(responses.GET, f"{self.base_url}/customers", callback=self._serve_list)
        add(responses.POST, f"{self.base_url}/customers", callback=self._serve_create)
        add(responses.GET, f"{self.base_url}/customers/search", callback=self._serve_search)
        add(
            responses.GET,
            re.compile(rf"{base}/customers/\d+/transactions"),
            callback=self._serve_transactions,
        )
        for method in (responses.GET, responses.PUT, responses.DELETE):
            add(method, re.compile(rf"{base}/customers/\d+$"), callback=self._serve_customer)
        return self

    def _in_branch(self, request) -> list[dict]:
        branch = request.params.get("branch_id")
        return [c for c in self.customers.values() if branch in (None, c["branch_id"])]

    def _failing(self, path: str, page: int):
        status = self.fail_on.get((path, page))
        return None if status is None else _answer(status, {"status": "error", "message": "Down"})

    def _serve_list(self, request):
        rows = [
            self.row(0, **{k: v for k, v in c.items() if k in DOC_LIST_ROWS[0]})
            for c in self._in_branch(request)
        ]
        page, per_page = int(request.params.get("page", 1)), int(request.params.get("per_page", 25))
        if failing := self._failing("customers", page):
            return failing
        chunk = rows[(page - 1) * per_page : page * per_page]
        last_page = max(1, math.ceil(len(rows) / per_page))
        body = self.page_body(
            chunk, total=len(rows), per_page=per_page, current_page=page, last_page=last_page
        )
        return _answer(200, body)

    def _serve_search(self, request):
        hits = [
            self.hit(0, **{k: c[k] for k in DOC_SEARCH_HITS[0] if k in c})
            for c in self._in_branch(request)
        ]
        return _answer(200, {"status": "success", "data": hits, "meta": {"count": len(hits)}})

    def _serve_transactions(self, request):
        """`self.histories[id]`, newest first, 25 a page: `per_page` is not in the API's
        documentation for this call, so it is ignored, as the API does."""
        customer_id = int(re.search(r"/customers/(\d+)/", urlsplit(request.url).path).group(1))
        rows = self.histories.get(customer_id, [])
        page = max(int(request.params.get("page", 1)), 1)
        if failing := self._failing(f"customers/{customer_id}/transactions", page):
            return failing
        chunk = rows[(page - 1) * TRANSACTIONS_PER_PAGE : page * TRANSACTIONS_PER_PAGE]
        return _answer(200, self.page_body(chunk, total=len(rows), current_page=page))

    def _serve_customer(self, request):
        customer_id = int(re.search(r"/customers/(\d+)$", urlsplit(request.url).path).group(1))
        if customer_id not in self.customers:
            return _answer(404, DOC_NOT_FOUND)
        if request.method == "DELETE":
            return _answer(200, {"status": "success", "message": "Customer deleted successfully"})
        record = self.detail_data(branch_name=None, **self.customers[customer_id])
        if request.method == "PUT":
            changes = json.loads(request.body)
            record.update({("name" if k == "custNm" else k): v for k, v in changes.items()})
            body = {
                "status": "success",
                "message": "Customer updated successfully",
                "data": record,
                "meta": {"request_id": "req_put"},
            }
            return _answer(200, body)
        return _answer(200, {"status": "success", "data": record})

    def _serve_create(self, request):
        sent = json.loads(request.body)
        fields = {("name" if k == "custNm" else k): v for k, v in sent.items()}
        new_id = max(self.customers, default=0) + 1
        body = {
            "status": "success",
            "message": "Customer created successfully",
            "data": {**copy.deepcopy(DOC_CREATED), **fields, "id": new_id},
            "meta": {"request_id": "req_new"},
        }
        return _answer(201, body)

    # what was called ----------------------------------------------------------

    @property
    def calls(self) -> list[requests.PreparedRequest]:
        """Every request sent, in order (`responses` adds `.params`, the query as a dict)."""
        return [call.request for call in self.rsps.calls]

    def calls_to(self, method: str, path: str) -> list[requests.PreparedRequest]:
        wanted = urlsplit(self.url(path)).path
        return [r for r in self.calls if r.method == method and urlsplit(r.url).path == wanted]

    def queries_to(self, path: str) -> list[dict[str, str]]:
        """The query parameters of each GET sent to `path`, in order."""
        return [self.params(r) for r in self.calls_to("GET", path)]

    def pages_asked(self, path: str) -> list[int]:
        """The `page` of each GET sent to `path` (1 when not given), in order."""
        return [int(query.get("page", 1)) for query in self.queries_to(path)]

    def only_call(self, method: str, path: str) -> requests.PreparedRequest:
        """The one call made (failing if there were others, to this path or any other)."""
        calls = self.calls
        assert len(calls) == 1, [f"{r.method} {r.url}" for r in calls]
        assert self.calls_to(method, path) == calls, f"{calls[0].method} {calls[0].url}"
        return calls[0]

    @staticmethod
    def params(request: requests.PreparedRequest) -> dict[str, str]:
        """The query parameters of a call, each given once."""
        parsed = parse_qs(urlsplit(request.url).query, keep_blank_values=True)
        assert all(len(v) == 1 for v in parsed.values()), parsed
        return {k: v[0] for k, v in parsed.items()}

    @staticmethod
    def json_body(request: requests.PreparedRequest) -> Any:
        return json.loads(request.body)


def _answer(status: int, body: Any):
    return status, {"Content-Type": "application/json"}, json.dumps(body)
