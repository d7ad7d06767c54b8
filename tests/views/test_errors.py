"""Upstream faults through the error handling: a page in our look (or an htmx notice).

Never a Django error page or traceback, never the API key; always what happened, in words,
and a way to try again. Each fault once (on the list), each screen once with one fault;
which typed error each answer becomes is tested once, in tests/services/test_upstream_errors.py.
"""

from dataclasses import dataclass

import pytest

from customers import submissions

pytestmark = pytest.mark.usefixtures("branches")


@dataclass(frozen=True)
class Screen:
    name: str
    url: str
    failing: tuple[str, str]  # the upstream call that fails
    working: tuple[str, ...] = ()  # upstream calls that answer normally

    def arrange(self, upstream, fault):
        for what in self.working:
            if what == "detail":
                upstream.detail(1)
            elif what == "transactions":
                upstream.transactions(1)
        upstream.fail(*self.failing, fault)


SCREENS = [
    Screen("list", "/customers/?search=abc&status=active&page=2", ("GET", "customers")),
    Screen("detail", "/customers/1/?_changelist_filters=search%3Dabc", ("GET", "customers/1")),
    Screen(
        "history",
        "/customers/1/transactions/?type=sales",
        ("GET", "customers/1/transactions"),
        working=("detail",),
    ),
    Screen(
        "history-customer",
        "/customers/1/transactions/",
        ("GET", "customers/1"),
        working=("transactions",),
    ),
    Screen("edit", "/customers/1/edit/", ("GET", "customers/1")),
    Screen("delete", "/customers/1/delete/", ("GET", "customers/1")),
]
HTMX_SCREENS = [
    *SCREENS,
    Screen("quick-search", "/customers/search/?q=abc", ("GET", "customers/search")),
]


LIST = SCREENS[0]
FULL_PAGE_SCREENS = SCREENS[1:]  # the list's full page is the one of `each_fault`


def _explains_on_a_full_page(response, screen, fault, html_of, assert_safe):
    assert response.status_code == fault.status
    body = assert_safe(response)
    assert "<html" in body
    html = html_of(response)
    assert html.find("h1").text == "The customer service could not answer"
    main = html.find("main")
    notice = html.find("div", class_="upstream-error", role="alert", within=main)
    message = " ".join(html.find("p", class_="upstream-error-message", within=notice).text.split())
    assert fault.says in message
    retry = html.find("a", class_="retry-link")
    assert retry.text.strip() == "Try again"
    assert retry.attrs["href"] == screen.url
    assert html.find("form", id="quick-search")  # the app's header: the user can go on
    assert "HX-Request" in response["Vary"]


def test_each_fault_is_explained_in_the_apps_look(
    admin_client, upstream, html_of, assert_safe, each_fault
):
    LIST.arrange(upstream, each_fault)

    response = admin_client.get(LIST.url)

    _explains_on_a_full_page(response, LIST, each_fault, html_of, assert_safe)
    if each_fault.name == "429":
        assert response["Retry-After"] == "30"


@pytest.mark.parametrize("screen", FULL_PAGE_SCREENS, ids=[s.name for s in FULL_PAGE_SCREENS])
def test_each_screen_explains_a_fault_on_a_full_page(
    admin_client, upstream, html_of, assert_safe, fault, screen
):
    screen.arrange(upstream, fault)

    response = admin_client.get(screen.url)

    _explains_on_a_full_page(response, screen, fault, html_of, assert_safe)


@pytest.mark.parametrize("screen", HTMX_SCREENS, ids=[s.name for s in HTMX_SCREENS])
def test_htmx_request_gets_the_notice_only(
    admin_client, upstream, html_of, assert_safe, htmx_headers, fault, screen
):
    screen.arrange(upstream, fault)

    response = admin_client.get(screen.url, headers=htmx_headers)

    assert response.status_code == fault.status
    body = assert_safe(response)
    assert "<html" not in body
    assert "<h1" not in body
    html = html_of(response)
    notice = html.find("div", class_="upstream-error", role="alert")
    assert fault.says in " ".join(notice.text.split())
    assert html.find("a", class_="retry-link").attrs["href"] == screen.url
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("name", ["500", "read-timeout", "bad-shape", "401"])
def test_no_debug_page_even_with_debug_on(
    admin_client, upstream, settings, assert_safe, fault_named, name
):
    fault = fault_named(name)
    settings.DEBUG = True
    upstream.fail("GET", "customers/1", fault)

    response = admin_client.get("/customers/1/")

    assert response.status_code == fault.status
    assert fault.says in assert_safe(response)


def test_the_page_works_again_when_the_upstream_does(admin_client, upstream, fault):
    """Nothing of a failure is kept: the next request asks the upstream again."""
    upstream.fail("GET", "customers", fault)
    assert admin_client.get("/customers/").status_code == fault.status

    upstream.replace("GET", "customers", json=upstream.page_body([upstream.row(0)]))

    response = admin_client.get("/customers/")
    assert response.status_code == 200
    assert "ABC Trading Ltd" in response.content.decode()


def test_request_id_is_shown_for_reference(admin_client, upstream):
    upstream.on(
        "GET",
        "customers/1",
        status=500,
        headers={"X-Request-Id": "req_xyz789"},
        json={"status": "error", "message": "Server Error"},
    )

    body = admin_client.get("/customers/1/").content.decode()

    assert "Reference: req_xyz789" in body


def test_upstream_message_or_body_never_echoes_the_key(admin_client, upstream, assert_safe):
    """An upstream that echoes our Authorization header back must not make us show it."""
    upstream.on(
        "GET",
        "customers",
        status=401,
        json={"status": "error", "message": "Bad token: Bearer test-key"},
    )
    upstream.on(
        "GET",
        "customers/search",
        status=400,
        json={
            "status": "error",
            "message": "Invalid key test-key",
            "errors": {"q": ["Bearer test-key is not allowed"]},
        },
    )
    upstream.on("GET", "customers/1", status=500, body="Traceback: Authorization: Bearer test-key")

    for url, headers in [
        ("/customers/", {}),
        ("/customers/search/?q=ab", {"HX-Request": "true"}),
        ("/customers/1/", {}),
    ]:
        response = admin_client.get(url, headers=headers)
        assert response.status_code >= 400
        assert_safe(response)


def test_a_form_never_shows_the_key_echoed_in_field_errors(admin_client, upstream, assert_safe):
    upstream.on(
        "POST",
        "customers",
        status=400,
        json={
            "status": "error",
            "message": "Key test-key may not create customers",
            "errors": {"custNm": ["Key test-key: name refused"], "api_key": ["test-key"]},
        },
    )

    response = admin_client.post(
        "/customers/new/",
        {
            "branch_id": "00",
            "customer_no": "CUST009",
            "name": "Nine Ltd",
            "submission_token": submissions.new_token(),
        },
    )

    assert response.status_code == 200
    body = assert_safe(response)
    assert "name refused" in body


def test_validation_error_on_a_read_is_a_page_too(admin_client, upstream, assert_safe):
    upstream.on(
        "GET",
        "customers",
        status=422,
        json={"status": "error", "message": "The per page must not be greater than 100."},
    )

    response = admin_client.get("/customers/")

    assert 400 <= response.status_code < 600
    body = assert_safe(response)
    assert "<html" in body
    assert "Try again" in body
