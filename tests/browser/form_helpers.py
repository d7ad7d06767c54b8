"""Helpers of the form's browser tests (test_browser_forms*.py)."""

import importlib

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.test import Client

STALE_PHONE = "+254192375643"


def restore_roles():
    """The roles' groups: a data migration's rows, flushed after every live-server test."""
    roles = importlib.import_module("customers.migrations.0002_roles").ROLES
    for name, codenames in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="customers", codename__in=codenames)
        )


def log_in_as(app, user):
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    app.page.context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": app.base_url}]
    )


def drafts(page) -> dict:
    return page.evaluate(
        "() => Object.fromEntries(Object.keys(sessionStorage)"
        ".filter(k => k.startsWith('ctax-draft')).map(k => [k, sessionStorage.getItem(k)]))"
    )


def accept_leaving(app):
    """Accept the browser's "leave this page?" prompt once, and remember it was asked."""
    asked = []
    app.page.remove_listener("dialog", app._on_dialog)

    def answer(dialog):
        asked.append(dialog.type)
        dialog.accept()

    app.page.once("dialog", answer)
    return asked
