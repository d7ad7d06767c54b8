"""Fixtures for the view tests: a fake upstream (the `responses` library) and helpers.

Every test here runs against `FakeUpstream` (tests/fakes.py, shared with other suites),
a `responses.RequestsMock` that answers at https://upstream.test/api/v1 with bodies
built from the examples of the upstream API's documentation. A call that no test
registered is refused by `responses`, so no test ever reaches a real network.

The helpers are fixtures (`upstream`, `html_of`, `fault`, ...), so test modules need no
imports from this file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
import requests
import responses
from django.contrib.messages import get_messages

from customers.upstream import door
from tests.fakes import API_KEY, BASE_URL, FakeUpstream

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _upstream_settings(settings):
    """Point the service door at the fake upstream; a fresh client for every test."""
    settings.CTAX_API_BASE_URL = BASE_URL
    settings.CTAX_API_KEY = API_KEY
    settings.CTAX_API_TIMEOUT = 2
    door.reset_client()
    yield
    door.reset_client()


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
