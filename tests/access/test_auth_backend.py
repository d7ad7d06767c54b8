"""The session's user is read by customers.auth_backends.ModelBackend: same user, no caching."""

import datetime as dt

import pytest
from django.utils import timezone

from customers.auth_backends import ModelBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(django_user_model):
    user = django_user_model.objects.create_user(
        "clerk", "clerk@example.com", "pw-clerk-123", first_name="Wanjiru", is_staff=True
    )
    user.last_login = timezone.now() - dt.timedelta(days=2)
    user.save()
    return user


def test_the_user_read_has_every_field_as_the_orm_reads_it(clerk, django_user_model):
    expected = django_user_model.objects.get(pk=clerk.pk)

    user = ModelBackend().get_user(str(clerk.pk))

    for field in django_user_model._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(expected, field.attname), field.name
    assert user.last_login.tzinfo is not None
    assert user.is_staff is True and user.is_superuser is False
    assert user._state.adding is False and user._state.db == "default"
    assert user.check_password("pw-clerk-123")


@pytest.mark.parametrize("user_id", ["999999", "not-a-number", ""])
def test_an_unknown_or_malformed_id_gives_no_user(user_id):
    assert ModelBackend().get_user(user_id) is None


def test_an_inactive_user_gives_no_user(clerk):
    clerk.is_active = False
    clerk.save()

    assert ModelBackend().get_user(clerk.pk) is None


def test_deactivating_a_user_logs_them_out_at_their_next_request(client, clerk):
    client.force_login(clerk, backend="customers.auth_backends.ModelBackend")
    assert client.get("/accounts/password_change/").status_code == 200

    clerk.is_active = False
    clerk.save()

    response = client.get("/accounts/password_change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_password_changed_elsewhere_ends_the_session(client, clerk):
    client.force_login(clerk, backend="customers.auth_backends.ModelBackend")

    clerk.set_password("a-new-password-456")
    clerk.save()

    assert client.get("/accounts/password_change/").status_code == 302


def test_views_see_the_user_itself_not_the_lazy_proxy(client, clerk, django_user_model):
    client.force_login(clerk, backend="customers.auth_backends.ModelBackend")

    response = client.get("/accounts/password_change/")

    assert type(response.wsgi_request.user) is django_user_model
    assert response.wsgi_request.user.pk == clerk.pk


def test_pages_without_login_still_get_an_anonymous_user(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated is False
