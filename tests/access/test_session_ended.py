"""A form sent after the login ended leads to the login page and back, nothing lost."""

import pytest
from django.test import Client

from ctaxoffice.auth_views import SESSION_ENDED

pytestmark = pytest.mark.django_db
HOURS = 10 * 3600


@pytest.fixture
def clerk_client(users):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/")
    token = page.context["csrf_token"]
    login = {"username": "staff01", "password": "pw", "csrfmiddlewaretoken": token}
    assert client.post("/accounts/login/", login).status_code == 302
    return client


def form_token(client, url) -> str:
    return client.get(url).context["csrf_token"]


def test_saving_after_the_session_ended_leads_to_the_login_page_and_back(
    clerk_client, served_upstream, _frozen_clock
):
    token = form_token(clerk_client, "/customers/new/")
    _frozen_clock.shift(HOURS + 1)  # the working day is over while the form is open
    answer = clerk_client.post(
        "/customers/new/", {"csrfmiddlewaretoken": token, "name": "Typed Ltd"}
    )
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/login/?next=%2Fcustomers%2Fnew%2F&ended=1"
    login_page = clerk_client.get(answer["Location"])
    assert login_page.content.decode().count(SESSION_ENDED) == 1
    again = clerk_client.post(
        answer["Location"],
        {
            "username": "staff01",
            "password": "pw",
            "next": "/customers/new/",
            "csrfmiddlewaretoken": login_page.context["csrf_token"],
        },
    )
    assert again.status_code == 302 and again["Location"] == "/customers/new/"
    assert not served_upstream.calls_to("POST", "customers")


def test_an_htmx_post_after_the_session_ended_sends_the_page_to_the_login(
    clerk_client, served_upstream, _frozen_clock
):
    token = form_token(clerk_client, "/customers/1/edit/")
    clerk_client.session.delete()  # e.g. logged out in another tab
    answer = clerk_client.post(
        "/customers/search/",
        {"csrfmiddlewaretoken": token},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/customers/?q=a"},
    )
    assert answer.status_code == 200
    assert answer["HX-Redirect"] == "/accounts/login/?next=%2Fcustomers%2F%3Fq%3Da&ended=1"


def test_a_forged_post_to_a_logged_in_user_is_still_refused(clerk_client, served_upstream):
    answer = clerk_client.post("/customers/1/delete/", {"csrfmiddlewaretoken": "x" * 64})
    assert answer.status_code == 403
    assert not served_upstream.calls_to("DELETE", "customers/1")


def test_logging_out_after_the_session_ended_just_shows_the_login_page(clerk_client, _frozen_clock):
    token = form_token(clerk_client, "/accounts/password_change/")
    _frozen_clock.shift(HOURS + 1)
    answer = clerk_client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert answer.status_code == 302 and answer["Location"] == "/accounts/login/"
