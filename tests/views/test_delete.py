"""Deleting a customer: a confirmation (soft delete, transactions kept), then DELETE upstream."""

import pytest

from customers import submissions

pytestmark = pytest.mark.usefixtures("branches")

URL = "/customers/1/delete/"


def signed() -> dict:
    """The delete form's data: a token issued by the server, as the page carries it."""
    return {"submission_token": submissions.new_token()}


def test_confirmation_page(admin_client, upstream, html_of):
    upstream.detail(1)

    response = admin_client.get(URL)

    assert response.status_code == 200
    body = " ".join(response.content.decode().split())
    assert (
        "Are you sure you want to delete the customer “ABC Trading Ltd” (CUST001, branch 00)?"
        in body
    )
    assert (
        "The customer will no longer appear in searches or lists. Their past sales stay on "
        "record. <strong>This cannot be undone from ctaxoffice.</strong>" in body
    )
    assert "soft-deleted" not in body and "transaction records" not in body
    html = html_of(response)
    form = html.find("form", class_="prevent-double-submit")
    assert form.attrs["method"] == "post"
    assert html.find("input", type="submit", within=form).attrs["value"] == "Yes, delete"
    assert html.find("a", class_="cancel-link").attrs["href"] == "/customers/1/"
    upstream.only_call("GET", "customers/1")


def test_post_deletes_and_goes_back_to_the_list(admin_client, upstream, messages_of):
    upstream.detail(1)
    upstream.delete(1)

    response = admin_client.post(URL, signed())

    assert response.status_code == 302
    assert response["Location"] == "/customers/"
    assert len(upstream.calls_to("DELETE", "customers/1")) == 1
    assert messages_of(response) == [
        "The customer “ABC Trading Ltd” was deleted. Their past sales stay on record."
    ]


def test_the_message_shows_on_the_list(admin_client, upstream):
    upstream.detail(1)
    upstream.delete(1)
    upstream.list([upstream.row(1)])

    response = admin_client.post(URL, signed(), follow=True)

    assert response.redirect_chain == [("/customers/", 302)]
    assert "was deleted" in response.content.decode()


def test_get_never_deletes(admin_client, upstream):
    upstream.detail(1)

    admin_client.get(URL)
    admin_client.head(URL)

    assert upstream.calls_to("DELETE", "customers/1") == []


def test_upstream_failure_keeps_the_user_on_the_page(
    admin_client, upstream, html_of, fault, assert_safe
):
    upstream.detail(1)
    upstream.fail("DELETE", "customers/1", fault)

    response = admin_client.post(URL, signed())

    assert response.status_code == fault.status
    body = assert_safe(response)
    assert "<html" in body
    html = html_of(response)
    alert = html.find("div", class_="errornote")
    message = " ".join(alert.text.split())
    assert fault.says in message
    assert "The customer was not deleted." in message
    assert html.find("form", class_="prevent-double-submit")  # can try again
    assert len(upstream.calls_to("DELETE", "customers/1")) == 1  # never retried


def test_a_delete_answer_is_read_without_data(admin_client, upstream):
    """The documented DELETE answer has no `data`: whatever sits there is not read."""
    upstream.detail(1)
    upstream.on("DELETE", "customers/1", json={"status": "success", "data": "odd"})

    response = admin_client.post(URL, signed())

    assert response.status_code == 302
    assert response["Location"] == "/customers/"


def test_already_deleted_is_a_404(admin_client, upstream, assert_safe):
    upstream.detail(1)
    upstream.not_found("DELETE", "customers/1")

    response = admin_client.post(URL, signed())

    assert response.status_code == 404
    assert "Customer not found" in assert_safe(response)


def test_unknown_customer_is_a_404(admin_client, upstream):
    upstream.not_found("GET", "customers/999")

    get = admin_client.get("/customers/999/delete/")
    post = admin_client.post("/customers/999/delete/", signed())

    assert get.status_code == post.status_code == 404
    assert upstream.calls_to("DELETE", "customers/999") == []
