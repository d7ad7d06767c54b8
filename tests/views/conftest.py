"""Fixtures for the view tests: a fake upstream (the `responses` library) and helpers.

Every test here runs against `FakeUpstream`, a `responses.RequestsMock` that answers
at https://upstream.test/api/v1 with bodies built from the examples of the upstream
API's documentation (`../shared/seeds/000_e1fb687fee1405a1.txt`). A call that no test
registered is refused by `responses`, so no test ever reaches a real network.

The helpers are fixtures (`upstream`, `html_of`, `fault`, ...), so test modules need no
imports from this file.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from django.contrib.messages import get_messages

from customers import services
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
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _upstream_settings(settings):
    """Point the service door at the fake upstream; a fresh client for every test."""
    settings.CTAX_API_BASE_URL = BASE_URL
    settings.CTAX_API_KEY = API_KEY
    settings.CTAX_API_TIMEOUT = 2
    services.reset_client()
    yield
    services.reset_client()


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


class FakeUpstream:
    """The documented endpoints on a `responses.RequestsMock`, and what was called."""

    base_url = BASE_URL
    api_key = API_KEY

    def __init__(self, rsps: responses.RequestsMock):
        self.rsps = rsps

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
    ):
        kwargs: dict[str, Any] = {"status": status, "headers": headers or {}}
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

    def fail(self, method: str, path: str, fault: Fault):
        return self.rsps.add(method, self.url(path), **fault.answer())

    # what was called ----------------------------------------------------------

    @property
    def calls(self) -> list[requests.PreparedRequest]:
        return [call.request for call in self.rsps.calls]

    def calls_to(self, method: str, path: str) -> list[requests.PreparedRequest]:
        wanted = urlsplit(self.url(path)).path
        return [r for r in self.calls if r.method == method and urlsplit(r.url).path == wanted]

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


@pytest.fixture(autouse=True)
def upstream():
    """The fake upstream; autouse, so an unregistered call can never go out."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield FakeUpstream(rsps)


# --- upstream faults, each with what the user must be told ------------------------


@dataclass(frozen=True)
class Fault:
    name: str
    status: int  # the status code of our page
    says: str  # a piece of the message shown
    upstream_status: int = 200
    json: Any = None
    body: Any = None
    headers: dict = field(default_factory=dict)

    def answer(self) -> dict:
        kwargs: dict[str, Any] = {"status": self.upstream_status, "headers": dict(self.headers)}
        if self.body is not None:
            kwargs["body"] = self.body
            if not isinstance(self.body, Exception):
                kwargs["content_type"] = "text/html"
        else:
            kwargs["json"] = self.json
        return kwargs


_SERVER_ERROR = {"status": "error", "message": "Internal Server Error"}
NOT_ANSWERING = "not answering right now"

FAULTS = [
    Fault("500", 503, NOT_ANSWERING, upstream_status=500, json=_SERVER_ERROR),
    Fault("502", 503, NOT_ANSWERING, upstream_status=502, body="<h1>Bad Gateway</h1>"),
    Fault("503", 503, NOT_ANSWERING, upstream_status=503, json=_SERVER_ERROR),
    Fault("504", 504, "took too long", upstream_status=504, body="<h1>Gateway Timeout</h1>"),
    Fault("read-timeout", 504, "took too long", body=requests.ReadTimeout("read timed out")),
    Fault(
        "connect-timeout", 504, "Could not reach", body=requests.ConnectTimeout("connect timed out")
    ),
    Fault(
        "connection-refused",
        503,
        NOT_ANSWERING,
        body=requests.ConnectionError("Connection refused"),
    ),
    Fault(
        "401",
        502,
        "API key",
        upstream_status=401,
        json={"status": "error", "message": "Unauthenticated."},
    ),
    Fault(
        "403", 502, "API key", upstream_status=403, json={"status": "error", "message": "Forbidden"}
    ),
    Fault(
        "429",
        503,
        "try again in 30 seconds",
        upstream_status=429,
        json={"status": "error", "message": "Too Many Attempts."},
        headers={"Retry-After": "30"},
    ),
    Fault("html-200", 502, "could not read", body="<!DOCTYPE html><html>Maintenance</html>"),
    Fault(
        "bad-shape",
        502,
        "could not read",
        json={"status": "success", "data": "not what the documentation says"},
    ),
    Fault(
        "status-error-200",
        502,
        "could not read",
        json={"status": "error", "message": "Something odd"},
    ),
]


@pytest.fixture(params=FAULTS, ids=[f.name for f in FAULTS])
def fault(request) -> Fault:
    """Every kind of upstream failure other than 400/404/409 (tests using it run once each)."""
    return request.param


DELETE_FAULTS = [f for f in FAULTS if f.name != "bad-shape"]


@pytest.fixture(params=DELETE_FAULTS, ids=[f.name for f in DELETE_FAULTS])
def delete_fault(request) -> Fault:
    """The faults a DELETE can meet: its answer has no `data` that could be misshapen."""
    return request.param


@pytest.fixture
def fault_named():
    """fault_named(name) -> one Fault of the table, for tests that need a particular one."""

    def lookup(name: str) -> Fault:
        return next(f for f in FAULTS if f.name == name)

    return lookup


# --- local data, pages, messages ----------------------------------------------------


@pytest.fixture
def htmx_headers() -> dict:
    return dict(HTMX)


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    parent: Element | None = None

    def within(self, ancestor: Element) -> bool:
        node = self.parent
        while node is not None:
            if node is ancestor:
                return True
            node = node.parent
        return False


class _PageParser(HTMLParser):
    """Collects elements (with attributes and their text) of an HTML page or fragment."""

    VOID = {"input", "br", "hr", "img", "meta", "link", "area", "base", "col", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        parent = self._open[-1] if self._open else None
        element = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, parent=parent)
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        parent = self._open[-1] if self._open else None
        self.elements.append(
            Element(tag, {k: (v if v is not None else "") for k, v in attrs}, parent=parent)
        )

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].tag == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for element in self._open:
            element.text += data


class Page:
    """A parsed HTML response: elements by tag/id/attribute, links, form fields, labels."""

    def __init__(self, html: str):
        self.html = html
        parser = _PageParser()
        parser.feed(html)
        parser.close()
        self.elements = parser.elements

    def find_all(
        self, tag: str | None = None, *, within: Element | None = None, **attrs
    ) -> list[Element]:
        """Elements by tag and attributes (`class_` matches one class), maybe inside one."""
        found = []
        for element in self.elements:
            if tag and element.tag != tag:
                continue
            if within is not None and not element.within(within):
                continue
            if all(self._attr_matches(element, k, v) for k, v in attrs.items()):
                found.append(element)
        return found

    @staticmethod
    def _attr_matches(element: Element, key: str, value) -> bool:
        key = key.rstrip("_").replace("_", "-") if key not in element.attrs else key
        if value is True:
            return key in element.attrs
        if key == "class":
            return value in element.attrs.get("class", "").split()
        return element.attrs.get(key) == value

    def find(self, tag: str | None = None, *, within: Element | None = None, **attrs) -> Element:
        found = self.find_all(tag, within=within, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag} {attrs}> in the page"
        return found[0]

    def by_id(self, element_id: str) -> Element:
        return self.find(None, id=element_id)

    def text_of(self, element_id: str) -> str:
        return " ".join(self.by_id(element_id).text.split())

    def rows(self, table: Element) -> list[list[str]]:
        """The text of each cell, row by row, of a table (head, body and foot)."""
        return [
            [
                " ".join(cell.text.split())
                for cell in self.elements
                if cell.tag in ("td", "th") and cell.parent is tr
            ]
            for tr in self.elements
            if tr.tag == "tr" and tr.within(table)
        ]

    def hrefs(self) -> list[str]:
        return [a.attrs["href"] for a in self.find_all("a") if "href" in a.attrs]

    def label_for(self, text: str) -> Element:
        """The form control a `<label for>` with exactly this text points at."""
        labels = [
            lab
            for lab in self.find_all("label")
            if " ".join(lab.text.split()) == text and lab.attrs.get("for")
        ]
        assert len(labels) == 1, f"{len(labels)} <label for> with text {text!r}"
        return self.by_id(labels[0].attrs["for"])

    def form_data(self, form_id: str | None = None) -> dict[str, str]:
        """What a browser would send for the form as rendered (without pressing a button).

        `form_id`: only the fields of that form (by document order), else all fields.
        """
        data: dict[str, str] = {}
        inside = form_id is None
        select_name: str | None = None
        chosen: set[str] = set()  # selects whose option was picked by `selected`
        for element in self.elements:
            if element.tag == "form":
                inside = form_id is None or element.attrs.get("id") == form_id
                continue
            if not inside:
                continue
            name = element.attrs.get("name")
            if element.tag == "input" and name:
                kind = element.attrs.get("type", "text")
                if kind in ("submit", "button", "image", "reset"):
                    continue
                if kind in ("checkbox", "radio"):
                    if "checked" in element.attrs:
                        data[name] = element.attrs.get("value", "on")
                    continue
                data[name] = element.attrs.get("value", "")
            elif element.tag == "textarea" and name:
                data[name] = element.text.removeprefix("\n")
            elif element.tag == "select" and name:
                select_name = name
            elif element.tag == "option" and select_name:
                value = element.attrs.get("value", element.text)
                if "selected" in element.attrs:
                    data[select_name] = value
                    chosen.add(select_name)
                elif select_name not in data and select_name not in chosen:
                    data[select_name] = value  # no option selected: the first one
        return data


@pytest.fixture
def html_of():
    """html_of(response) -> Page, the response's HTML parsed."""

    def parse(response) -> Page:
        return Page(response.content.decode())

    return parse


@pytest.fixture
def messages_of():
    """messages_of(response) -> the texts of the messages the request queued."""

    def read(response) -> list[str]:
        return [str(m) for m in get_messages(response.wsgi_request)]

    return read


@pytest.fixture
def assert_safe():
    """assert_safe(response): no debug page, no traceback, never the API key."""

    def check(response) -> str:
        body = response.content.decode()
        assert API_KEY not in body
        assert "Bearer" not in body
        assert "Traceback" not in body
        assert "technical_500" not in body and "You're seeing this error" not in body
        return body

    return check
