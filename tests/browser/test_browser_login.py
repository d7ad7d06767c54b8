"""Logging in and out through the real forms."""

import re

from playwright.sync_api import expect


def test_login_with_a_wrong_then_the_right_password_returns_to_the_asked_page(app):
    page = app.page
    app.goto("/customers/1/")
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/customers/1/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to ctaxoffice")

    page.get_by_label("Username").fill(app.username)
    page.get_by_label("Password").fill("not-the-password")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username")
    expect(page.get_by_label("Username")).to_have_value(app.username)
    expect(page.get_by_label("Password")).to_have_value("")

    page.get_by_label("Password").fill(app.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/customers/1/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Jamii Trading Ltd")

    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to ctaxoffice")
    app.goto("/customers/")
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/customers/"))


def test_login_lands_on_the_list(app):
    app.login()  # through the form, by the labels "Username" and "Password"
    expect(app.page.locator("#result-count")).to_contain_text("58 customers")
