"""Logins use Django's own ModelBackend: each request reads the user's current row."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

pytestmark = pytest.mark.django_db

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def clerk(django_user_model):
    user = django_user_model.objects.create_user(
        "clerk", "clerk@example.com", "pw-clerk-123", first_name="Wanjiru", is_staff=True
    )
    user.last_login = timezone.now() - dt.timedelta(days=2)
    user.save()
    return user


def test_django_model_backend_checks_passwords_after_the_lockout_backends():
    assert settings.AUTHENTICATION_BACKENDS == [
        "axes.backends.AxesStandaloneBackend",
        "customers.login_lockouts.UsernameLockoutBackend",
        BACKEND,
    ]


def test_a_logged_in_request_sees_the_user_as_stored(client, clerk):
    client.force_login(clerk, backend=BACKEND)

    response = client.get("/accounts/password_change/")

    user = response.wsgi_request.user
    assert response.status_code == 200
    assert (user.pk, user.username, user.first_name) == (clerk.pk, "clerk", "Wanjiru")
    assert user.last_login.tzinfo is not None


def test_deactivating_a_user_logs_them_out_at_their_next_request(client, clerk):
    client.force_login(clerk, backend=BACKEND)
    assert client.get("/accounts/password_change/").status_code == 200

    clerk.is_active = False
    clerk.save()

    response = client.get("/accounts/password_change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_password_changed_elsewhere_ends_the_session(client, clerk):
    client.force_login(clerk, backend=BACKEND)
    assert client.get("/accounts/password_change/").status_code == 200

    clerk.set_password("a-new-password-456")
    clerk.save()

    response = client.get("/accounts/password_change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_logging_in_with_the_form_works(client, clerk):
    response = client.post("/accounts/login/", {"username": "clerk", "password": "pw-clerk-123"})

    assert response.status_code == 302
    assert client.get("/accounts/password_change/").status_code == 200


def test_pages_without_login_still_get_an_anonymous_user(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated is False
