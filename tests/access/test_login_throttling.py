"""Login throttling: who is counted under which address, and per username from anywhere."""

import ipaddress
import re

import pytest
from django.test import Client

from customers.login_lockouts import FAILURE_LIMIT
from customers.models import LoginLockout

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user("clerk", "c@example.com", "pw-clerk-123")


def try_login(client, password, address, **headers):
    return client.post(
        LOGIN, {"username": "clerk", "password": password}, REMOTE_ADDR=address, **headers
    )


def test_a_client_reaching_the_app_directly_cannot_choose_its_address(settings, client, clerk):
    settings.CTAX_TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]
    settings.CTAX_TRUSTED_PROXIES = 1  # the reviewed deployment's setting: no longer read
    attacker = "41.90.1.5"  # not a proxy: its X-Forwarded-For is not believed
    for n in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, f"wrong-{n}", attacker, HTTP_X_FORWARDED_FOR="41.90.1.5")
    for n in range(8):  # a new address in the header each time
        answer = try_login(client, f"again-{n}", attacker, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        assert answer.status_code == 429
    assert try_login(client, "pw-clerk-123", attacker).status_code == 429


def test_behind_a_trusted_proxy_one_client_cannot_lock_out_another(settings, client, clerk):
    settings.CTAX_TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]
    for n in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, f"wrong-{n}", "10.0.0.1", HTTP_X_FORWARDED_FOR="41.90.1.5")
    locked = try_login(client, "pw-clerk-123", "10.0.0.1", HTTP_X_FORWARDED_FOR="41.90.1.5")
    assert locked.status_code == 429
    colleague = try_login(client, "pw-clerk-123", "10.0.0.1", HTTP_X_FORWARDED_FOR="41.90.1.77")
    assert colleague.status_code == 302


def spray(client, count):
    """Wrong passwords for clerk, each from its own address (none reaches axes' limit)."""
    for n in range(count):
        assert try_login(client, f"guess-{n}", f"198.51.100.{n + 1}").status_code == 200


def retry_time(answer) -> str:
    page = answer.content.decode()
    assert answer.status_code == 429 and "Too many failed log-in attempts" in page
    return re.search(r"Try again after <time[^>]*>(\d\d:\d\d)</time>", page).group(1)


def test_spraying_one_username_from_many_addresses_ends(client, clerk, _frozen_clock):
    spray(client, FAILURE_LIMIT)
    refused = try_login(client, "pw-clerk-123", "203.0.113.9")  # even the right password
    assert retry_time(refused) == "09:32"  # locked at 09:30 for 1 minute, doubled by this try
    assert retry_time(try_login(client, "x", "203.0.113.10")) == "09:34"


def test_the_wait_passes_by_itself_and_is_never_longer_than_an_hour(client, clerk, _frozen_clock):
    spray(client, FAILURE_LIMIT)
    _frozen_clock.shift(61)
    assert try_login(client, "pw-clerk-123", "203.0.113.9").status_code == 302
    client.logout()
    try_login(client, "wrong-again", "203.0.113.9")  # locks again: the wait doubles (2 min)
    for n in range(30):
        try_login(client, f"more-{n}", f"203.0.113.{n + 20}")
    lockout = LoginLockout.objects.get(username="clerk")
    assert lockout.locked_until - lockout.locked_at == lockout.wait
    assert lockout.wait.total_seconds() == 3600  # at most an hour, however many tries
    _frozen_clock.shift(3601)
    assert try_login(client, "pw-clerk-123", "203.0.113.9").status_code == 302


def test_failures_older_than_an_hour_do_not_count(client, clerk, _frozen_clock):
    spray(client, FAILURE_LIMIT - 1)
    _frozen_clock.shift(3601)
    spray(client, FAILURE_LIMIT - 1)
    assert try_login(client, "pw-clerk-123", "203.0.113.9").status_code == 302


def test_an_administrator_unlocks_a_username_in_the_admin(clerk, admin_client):
    client = Client()
    spray(client, FAILURE_LIMIT)
    lockout = LoginLockout.objects.get(username="clerk")
    assert lockout.locked_until is not None
    listing = admin_client.get("/admin/customers/loginlockout/")
    assert listing.status_code == 200 and "clerk" in listing.content.decode()
    done = admin_client.post(
        "/admin/customers/loginlockout/",
        {"action": "unlock", "_selected_action": [lockout.pk]},
        follow=True,
    )
    assert "Unlocked 1 username(s)." in done.content.decode()
    assert try_login(client, "pw-clerk-123", "203.0.113.9").status_code == 302


def test_the_admin_login_page_is_refused_too(client, clerk):
    spray(client, FAILURE_LIMIT)
    answer = client.post(
        "/admin/login/", {"username": "clerk", "password": "pw-clerk-123"}, REMOTE_ADDR="2.2.2.2"
    )
    assert answer.status_code == 429


def test_tries_refused_from_a_locked_address_are_not_failures_of_the_username(
    client, clerk, settings, _frozen_clock
):
    """One address locked out (axes) cannot go on to lock the username everywhere: its
    refused tries check no password, so they are not failures (20 from any addresses)."""
    for n in range(settings.AXES_FAILURE_LIMIT + FAILURE_LIMIT):
        try_login(client, f"wrong-{n}", "41.90.1.5")
    assert try_login(client, "pw-clerk-123", "41.90.1.5").status_code == 429
    assert try_login(client, "pw-clerk-123", "203.0.113.9").status_code == 302
