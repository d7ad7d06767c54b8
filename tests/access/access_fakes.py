"""A small fake upstream (responses callbacks) with customers in two branches; role users."""

import json
import re

BASE = "https://upstream.test/api/v1"

CUSTOMERS = {
    1: {"id": 1, "customer_no": "HQ001", "name": "Head Office Trading Ltd", "branch_id": "00"},
    2: {"id": 2, "customer_no": "MSA001", "name": "Mombasa Secret Supplies", "branch_id": "01"},
}


def _full(record):
    return {
        **record,
        "tin": None,
        "phone": "+254712345678",
        "email": None,
        "address": None,
        "is_active": True,
        "total_transactions": 0,
        "created_at": "2025-01-01T10:00:00Z",
        "branch_name": None,
        "metadata": {},
        "recent_transactions": [],
        "transaction_summary": {
            "total_transactions": 0,
            "total_sales_amount": 0,
            "this_month_transactions": 0,
            "last_transaction_at": None,
        },
        "updated_at": "2025-01-01T10:00:00Z",
    }


def _json(status, body):
    return status, {"Content-Type": "application/json"}, json.dumps(body)


def _list(request):
    branch = request.params.get("branch_id")
    rows = [_full(c) for c in CUSTOMERS.values() if branch in (None, c["branch_id"])]
    meta = {"total": len(rows), "per_page": 25, "current_page": 1, "last_page": 1}
    return _json(200, {"status": "success", "data": rows, "meta": meta})


def _search(request):
    branch = request.params.get("branch_id")
    rows = [c for c in CUSTOMERS.values() if branch in (None, c["branch_id"])]
    return _json(200, {"status": "success", "data": rows, "meta": {"count": len(rows)}})


def _detail(request):
    customer_id = int(re.search(r"/customers/(\d+)", request.url).group(1))
    if customer_id not in CUSTOMERS:
        return _json(404, {"status": "error", "message": "Customer not found"})
    if request.method == "DELETE":
        return _json(200, {"status": "success", "message": "Customer deleted successfully"})
    record = _full(CUSTOMERS[customer_id])
    if request.method == "PUT":
        record.update(
            {("name" if k == "custNm" else k): v for k, v in json.loads(request.body).items()}
        )
        return _json(
            200,
            {
                "status": "success",
                "message": "Customer updated successfully",
                "data": record,
                "meta": {"request_id": "req_put"},
            },
        )
    return _json(200, {"status": "success", "data": record})


def _transactions(request):
    meta = {"total": 0, "per_page": 25, "current_page": 1, "last_page": 1}
    return _json(200, {"status": "success", "data": [], "meta": meta})


def _create(request):
    body = json.loads(request.body)
    record = _full(
        {
            "id": 3,
            "customer_no": body["customer_no"],
            "name": body["custNm"],
            "branch_id": body["branch_id"],
        }
    )
    return _json(
        201,
        {
            "status": "success",
            "message": "Customer created successfully",
            "data": record,
            "meta": {"request_id": "req_new"},
        },
    )


def answer_instead(mock, method, url, **response):
    """Replace the fake's handler of `method` on `url` by one fixed response."""
    for registered in list(mock.registered()):
        if registered.method == method and registered._url_matches(registered.url, url):
            mock.remove(registered)
    mock.add(method, url, **response)
