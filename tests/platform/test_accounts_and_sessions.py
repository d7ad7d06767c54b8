"""Accounts pages, session lifetime, client address behind proxies, Cache-Control."""

import ipaddress

import pytest
from django.test import RequestFactory

from ctaxoffice.client_ip import client_ip

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/set-password/",
        "/accounts/reset/done/",
    ],
)
def test_password_reset_pages_do_not_exist(client, path):
    assert client.get(path).status_code == 404


def test_login_logout_and_password_change_remain(client, django_user_model):
    assert client.get("/accounts/login/").status_code == 200
    user = django_user_model.objects.create_user("clerk", "c@example.com", "pw-clerk-123")
    client.force_login(user)
    assert client.get("/accounts/password_change/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def login(client, django_user_model, **extra):
    django_user_model.objects.create_user("clerk", "c@example.com", "pw-clerk-123")
    page = client.get("/accounts/login/").content.decode()
    assert 'name="remember"' in page and "Remember me" in page
    return client.post(
        "/accounts/login/", {"username": "clerk", "password": "pw-clerk-123", **extra}
    )


def test_without_remember_me_the_session_ends_with_the_browser(client, django_user_model):
    answer = login(client, django_user_model)
    assert answer.status_code == 302
    cookie = answer.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie


def test_remember_me_keeps_the_cookie_until_the_logins_end(client, django_user_model):
    answer = login(client, django_user_model, remember="on")
    cookie = answer.cookies["sessionid"]
    assert 10 * 3600 - 5 <= cookie["max-age"] <= 10 * 3600


def write_the_session(client):
    """What any message or saved form does: the session is written again."""
    session = client.session
    session["something"] = "new"
    session.save()


@pytest.mark.parametrize("remember", [{}, {"remember": "on"}], ids=["plain", "remember-me"])
def test_a_login_lasts_ctax_session_hours_from_the_login_whatever_is_written(
    client, django_user_model, _frozen_clock, remember
):
    assert login(client, django_user_model, **remember).status_code == 302
    page = "/accounts/password_change/"  # needs a login, asks nothing upstream
    _frozen_clock.shift(9 * 3600)
    assert client.get(page).status_code == 200
    write_the_session(client)  # before: the session's end moved 10 hours on from here
    _frozen_clock.shift(3600 - 60)
    assert client.get(page).status_code == 200
    write_the_session(client)
    _frozen_clock.shift(61)  # 10 hours and a second after the login
    answer = client.get(page)
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_ctax_session_hours_is_read_at_login(client, django_user_model, settings, _frozen_clock):
    settings.CTAX_SESSION_HOURS = 2
    login(client, django_user_model)
    _frozen_clock.shift(2 * 3600 - 30)
    assert client.get("/accounts/password_change/").status_code == 200
    _frozen_clock.shift(31)
    assert client.get("/accounts/password_change/").status_code == 302


def test_pages_of_a_logged_in_user_are_not_stored(settings, admin_client):
    settings.WHITENOISE_USE_FINDERS = True  # whitenoise serves static/ as in production
    settings.WHITENOISE_AUTOREFRESH = True
    for response in (
        admin_client.get("/accounts/password_change/"),
        admin_client.get("/customers/search/?q=a", headers={"HX-Request": "true"}),
    ):
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
    static = admin_client.get("/static/ctax/ctax.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")


PROXIES = ["10.0.0.0/8", "fd00::/8"]


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("41.90.1.5", "1.2.3.4", "41.90.1.5"),  # not from a proxy: the header is ignored
        ("10.0.0.1", "41.90.1.5", "41.90.1.5"),  # from a proxy: what it appended
        ("10.0.0.1", "1.2.3.4, 41.90.1.5", "41.90.1.5"),  # the client's own entry is ignored
        ("10.0.0.1", "1.2.3.4, 41.90.1.5, 10.0.0.2", "41.90.1.5"),  # two proxies
        ("10.0.0.1", "41.90.1.5:51234", "41.90.1.5"),  # ip:port is its ip
        ("10.0.0.1", "[2001:db8::7]:443", "2001:db8::7"),
        ("fd00::1", "2001:db8::7", "2001:db8::7"),
        ("10.0.0.1", "", "10.0.0.1"),  # no header: the proxy itself
        ("10.0.0.1", "not-an-address", "10.0.0.1"),
        ("10.0.0.1", "10.0.0.3", "10.0.0.3"),  # only proxies: the left-most
    ],
)
def test_the_client_address_behind_trusted_proxies(settings, remote, forwarded, expected):
    settings.CTAX_TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network(cidr) for cidr in PROXIES]
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


def test_without_trusted_proxies_the_header_is_never_read(settings):
    settings.CTAX_TRUSTED_PROXY_NETWORKS = []
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="41.90.1.5", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"
