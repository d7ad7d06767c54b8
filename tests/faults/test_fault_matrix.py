"""Every upstream fault on every screen: a clear message in the page's look, the right
status, no traceback, and a form keeps what was typed. Driven by the sandbox's fault
knobs over real HTTP (live_server), plus `responses` for a connect timeout."""

import re
import socket

import pytest
import requests
import responses

from customers import submissions
from sandbox import faults
from sandbox.models import SandboxBranch, SandboxCustomer

pytestmark = pytest.mark.django_db(transaction=True)

TYPED = {
    "branch_id": "00",
    "customer_no": "TYPED-77",
    "name": "Typed Wanjiku Stores",
    "tin": "P000123456X",
    "phone": "+254712000777",
    "email": "typed@example.co.ke",
    "address": "Typed Lane 7, Nairobi",
}

SCREENS = {
    "list": ("get", "/customers/", False),
    "list-fragment": ("get", "/customers/?search=ab", True),
    "quick-search": ("get", "/customers/search/?q=ab", True),
    "detail": ("get", "/customers/{id}/", False),
    "history-page": ("get", "/customers/{id}/transactions/", False),
    "history-fragment": ("get", "/customers/{id}/transactions/?type=sales", True),
    "create": ("post", "/customers/new/", False),
    "edit": ("post", "/customers/{id}/edit/", False),
    "delete": ("post", "/customers/{id}/delete/", False),
}

# fault -> (sandbox knobs, expected status, words the user must see)
FAULTS = {
    "refused": (None, 503, "not answering"),
    "read-timeout": ({"hang_seconds": 1.0}, 504, "took too long"),
    "500": ({"status": 500}, 503, "not answering"),
    "502": ({"status": 502}, 503, "not answering"),
    "503": ({"status": 503}, 503, "not answering"),
    "429": ({"status": 429, "retry_after": 30}, 503, "try again in 30 seconds"),
    "401": ({"status": 401}, 502, "API key"),
    "403": ({"status": 403}, 502, "may not do this"),
    "not-json": ({"body": "not_json"}, 502, "could not read"),
    "truncated": ({"body": "truncated"}, 502, "could not read"),
    "wrong-shape": ({"body": "wrong_shape"}, 502, "could not read"),
}


@pytest.fixture
def customer(sandbox_api, settings):
    settings.CTAX_API_TIMEOUT = 0.4
    branch = SandboxBranch.objects.create(code="00", name="Head Office")
    from customers.models import Branch

    Branch.objects.create(code="00", name="Head Office")
    record = SandboxCustomer.objects.create(
        branch=branch, customer_no="CUST001", name="ABC Trading Ltd"
    )
    yield record
    faults.clear_faults()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(client, screen, customer_id):
    method, path, htmx = SCREENS[screen]
    url = path.format(id=customer_id)
    headers = {"HX-Request": "true", "HX-Target": "results"} if htmx else {}
    if method == "get":
        return client.get(url, headers=headers)
    data = TYPED | {"is_active": "on"} if screen != "delete" else {}
    token = {"submission_token": submissions.new_token()}  # as the form's page carries it
    return client.post(url, data | token, headers=headers)


def _check(response, screen, status, words):
    body = response.content.decode()
    assert response.status_code == status, body[:400]
    assert words in body
    assert "Traceback" not in body and "sandbox-demo-key" not in body
    if SCREENS[screen][2]:
        assert "<html" not in body  # htmx gets a notice fragment, not a page
    else:
        assert "ctaxoffice" in body  # the app's own look
    if screen in ("create", "edit"):
        for value in TYPED.values():
            kept = (f'value="{value}"', f">\n{value}</textarea>", f'value="{value}" selected')
            assert any(form in body for form in kept), value


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("fault", list(FAULTS))
def test_fault_on_screen(admin_client, settings, customer, fault, screen):
    knobs, status, words = FAULTS[fault]
    if knobs is None:
        settings.CTAX_API_BASE_URL = f"http://127.0.0.1:{_closed_port()}/api/v1"
    else:
        faults.set_faults(**knobs)
    _check(_request(admin_client, screen, customer.id), screen, status, words)


@pytest.mark.parametrize("screen", list(SCREENS))
def test_connect_timeout_on_screen(admin_client, settings, screen):
    settings.CTAX_API_BASE_URL = "https://upstream.test/api/v1"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for method in ("GET", "POST", "PUT", "DELETE"):
            mock.add(
                method,
                re.compile(r"https://upstream\.test/.*"),
                body=requests.ConnectTimeout("connect timed out"),
            )
        response = _request(admin_client, screen, 1)
    _check(response, screen, 504, "in time")


def test_recovers_when_the_sandbox_does(admin_client, customer):
    faults.set_faults(status=503)
    assert admin_client.get("/customers/").status_code == 503
    faults.clear_faults()
    response = admin_client.get("/customers/")
    assert response.status_code == 200 and "ABC Trading Ltd" in response.content.decode()
