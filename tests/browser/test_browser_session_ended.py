"""A form sent after the login ended: the login page, then the form again with its draft."""

import re
from importlib import import_module

from django.conf import settings
from playwright.sync_api import expect

from ctaxoffice.auth_views import SESSION_ENDED as ENDED
from tests.browser.form_helpers import drafts


def end_the_session(app):
    """What the end of the working day (or a logout in another tab) does on the server."""
    cookie = next(
        c for c in app.page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME
    )
    import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"]).delete()


def type_then_save_after_the_session_ended(app):
    page = app.page
    app.goto("/customers/new/")
    page.get_by_label("Customer name").fill("Wanjiru Traders")
    email = page.get_by_label("Email")
    email.fill("info@wanjiru.example")
    with page.expect_response(re.compile(r"/customers/validate/email/$")):
        email.press("Tab")  # the field's check, while the login still holds
    end_the_session(app)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/accounts/login/\?next=%2Fcustomers%2Fnew%2F&ended=1$"))
    expect(page.locator(".messagelist li")).to_have_text([ENDED])
    app.snap("login-after-session-ended")


def log_in(app, username, password):
    page = app.page
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/customers/new/$"))


def test_the_same_user_logging_in_again_gets_the_form_back_with_its_draft(app):
    app.login()
    type_then_save_after_the_session_ended(app)
    log_in(app, app.username, app.password)
    page = app.page
    expect(page.get_by_label("Customer name")).to_have_value("Wanjiru Traders")
    expect(page.get_by_label("Email")).to_have_value("info@wanjiru.example")
    expect(page.locator("#draft-notice")).to_be_visible()
    app.snap("draft-back")


def test_another_user_logging_in_does_not_see_the_draft(app, django_user_model):
    django_user_model.objects.create_superuser("other", "o@example.com", "pw-other-123")
    app.login()
    type_then_save_after_the_session_ended(app)
    log_in(app, "other", "pw-other-123")
    page = app.page
    expect(page.get_by_label("Customer name")).to_have_value("")
    expect(page.locator("#draft-notice")).to_be_hidden()
    assert drafts(page) == {}


def test_a_fields_check_after_the_session_ended_leaves_without_asking(app):
    """The check of a field just left finds the login ended: the app sends the page to the
    login page (HX-Redirect) without a "leave the page?" question; the draft is kept."""
    app.login()
    page = app.page
    app.goto("/customers/new/")
    page.get_by_label("Customer name").fill("Wanjiru Traders")
    email = page.get_by_label("Email")
    email.fill("info@wanjiru.example")
    end_the_session(app)
    email.press("Tab")  # its check is refused: the login ended
    page.wait_for_url(re.compile(r"/accounts/login/\?next=%2Fcustomers%2Fnew%2F&ended=1$"))
    assert app.dialogs == []  # the leave guard did not ask
    log_in(app, app.username, app.password)
    expect(page.get_by_label("Customer name")).to_have_value("Wanjiru Traders")
    expect(page.get_by_label("Email")).to_have_value("info@wanjiru.example")
