"""Fault injection for the sandbox API, off by default.

The knobs live in one database row (SandboxFaults, pk=1) so that a test, the
`sandbox_faults` management command or the admin can change them while any
number of server processes are running; every sandbox request reads the row
once, by primary key.

    from sandbox import faults
    faults.set_faults(status=503, retry_after=7, fraction=0.5, paths="/search")
    faults.set_faults(hang_seconds=10)          # outlast a client timeout
    faults.set_faults(body="truncated")          # 200 with half a JSON text
    faults.clear_faults()

Knobs (each `set_faults` call replaces all of them):

- latency_ms: added delay on every matching call.
- hang_seconds: sleep that long before answering (for client timeouts).
- status: answer with that HTTP status and an upstream-looking JSON error
  (e.g. 500, 502, 503, 429, 401, 403); `Retry-After: retry_after` when given.
- body: "not_json" (an HTML error page), "truncated" (JSON cut in the middle,
  served as application/json), "wrong_shape" (`{"status":"success","data":"oops"}`),
  "json_list" (a top-level JSON list), "empty" (no body). With `status`, that
  status is used, otherwise 200.
- fraction: 0..1, the share of matching calls that get the hang/status/body
  fault (latency always applies).
- paths: None, a substring or a list of substrings of the request path; only
  matching calls are affected.

Independently, the environment variable CTAX_SANDBOX_LATENCY_MS (read on every
request) adds a fixed latency to every sandbox call, e.g. for a benchmark.
"""

import os
import random
import time
from contextlib import contextmanager
from http import HTTPStatus

from django.http import HttpResponse

from .models import SandboxFaults
from .serializers import api_response, dumps, error_response

LATENCY_ENV = "CTAX_SANDBOX_LATENCY_MS"
BODY_FAULTS = ("not_json", "truncated", "wrong_shape", "json_list", "empty")
_FIELDS = ("latency_ms", "status", "retry_after", "hang_seconds", "body", "fraction", "paths")
_PK = 1

STATUS_MESSAGES = {
    401: "Unauthenticated.",
    403: "This action is unauthorized.",
    404: "Not Found",
    429: "Too Many Attempts.",
    500: "Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

_HTML_PAGE = (
    "<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n"
    "<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n"
    "</body>\n</html>\n"
)


def _normalise_paths(paths):
    if paths is None:
        return []
    if isinstance(paths, str):
        paths = [paths]
    cleaned = [str(p) for p in paths if str(p)]
    return cleaned


def set_faults(
    latency_ms=0,
    status=None,
    retry_after=None,
    hang_seconds=0,
    body=None,
    fraction=1.0,
    paths=None,
):
    """Replace all fault knobs at once (unspecified knobs go back to off).

    Returns the new state as a dict (see get_faults). Raises ValueError on
    nonsense values.
    """
    latency_ms = int(latency_ms or 0)
    hang_seconds = float(hang_seconds or 0)
    fraction = float(1.0 if fraction is None else fraction)
    if latency_ms < 0:
        raise ValueError("latency_ms must be >= 0")
    if hang_seconds < 0:
        raise ValueError("hang_seconds must be >= 0")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError("fraction must be between 0 and 1")
    if status is not None:
        status = int(status)
        if not 100 <= status <= 599:
            raise ValueError("status must be an HTTP status code (100-599)")
    if retry_after is not None:
        retry_after = int(retry_after)
        if retry_after < 0:
            raise ValueError("retry_after must be >= 0")
    if body is not None and body not in BODY_FAULTS:
        raise ValueError(f"body must be one of {', '.join(BODY_FAULTS)}")
    SandboxFaults.objects.update_or_create(
        pk=_PK,
        defaults={
            "latency_ms": latency_ms,
            "status": status,
            "retry_after": retry_after,
            "hang_seconds": hang_seconds,
            "body": body or "",
            "fraction": fraction,
            "paths": _normalise_paths(paths),
        },
    )
    return get_faults()


def clear_faults():
    """Turn every fault off."""
    set_faults()


def get_faults():
    """The current knobs as a dict with the set_faults argument names."""
    row = _read_knobs()
    if row is None:
        row = {
            "latency_ms": 0,
            "status": None,
            "retry_after": None,
            "hang_seconds": 0.0,
            "body": "",
            "fraction": 1.0,
            "paths": [],
        }
    row["body"] = row["body"] or None
    row["paths"] = row["paths"] or None
    return row


def is_active(state):
    return bool(state["latency_ms"] or state["status"] or state["hang_seconds"] or state["body"])


@contextmanager
def override(**knobs):
    """`with faults.override(status=503): ...` sets knobs, then clears them."""
    set_faults(**knobs)
    try:
        yield
    finally:
        clear_faults()


def _env_latency_ms():
    raw = os.environ.get(LATENCY_ENV, "").strip()
    if not raw:
        return 0.0
    try:
        return max(0.0, float(raw))
    except ValueError:
        return 0.0


def fault_response(status, retry_after, body):
    """The response a fault produces (status and/or body)."""
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    if body:
        code = status or 200
        if body == "not_json":
            response = HttpResponse(_HTML_PAGE, status=code, content_type="text/html")
        elif body == "truncated":
            text = dumps(
                {
                    "status": "success",
                    "data": [{"id": 1, "customer_no": "CUST0001", "name": "ABC Trading Ltd"}],
                    "meta": {"total": 1, "per_page": 25, "current_page": 1, "last_page": 1},
                }
            )
            response = HttpResponse(
                text[: len(text) // 2], status=code, content_type="application/json"
            )
        elif body == "wrong_shape":
            response = api_response({"status": "success", "data": "oops"}, status=code)
        elif body == "json_list":
            response = api_response(["oops", 1, None], status=code)
        else:  # "empty"
            response = HttpResponse(b"", status=code, content_type="application/json")
        for name, value in (headers or {}).items():
            response[name] = value
        return response
    try:
        default_message = HTTPStatus(status).phrase
    except ValueError:
        default_message = "Error"
    return error_response(status, STATUS_MESSAGES.get(status, default_message), headers=headers)


def _read_knobs() -> dict | None:
    """The knobs row (read on every sandbox request), or None when none was ever set."""
    return SandboxFaults.objects.filter(pk=_PK).values(*_FIELDS).first()


def apply(request):
    """Apply the knobs to this request; a response to send instead, or None."""
    latency = _env_latency_ms()
    row = _read_knobs()
    if row is not None and row["paths"] and not any(p in request.path for p in row["paths"]):
        row = None
    if row is not None:
        latency += row["latency_ms"]
    if latency > 0:
        time.sleep(latency / 1000)
    if row is None or not (row["hang_seconds"] or row["status"] or row["body"]):
        return None
    if row["fraction"] < 1.0 and random.random() >= row["fraction"]:
        return None
    if row["hang_seconds"]:
        time.sleep(row["hang_seconds"])
    if row["status"] or row["body"]:
        return fault_response(row["status"], row["retry_after"], row["body"])
    return None
