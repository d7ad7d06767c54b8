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
    # ... and the server forgets it after a working day at most, even if the browser stays.
    assert client.session.get_expiry_age() == 10 * 3600


def test_remember_me_keeps_the_login_for_ctax_session_hours(client, django_user_model):
    answer = login(client, django_user_model, remember="on")
    cookie = answer.cookies["sessionid"]
    assert cookie["max-age"] == 10 * 3600
    assert client.session.get_expiry_age() == 10 * 3600


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
