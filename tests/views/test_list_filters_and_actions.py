"""The list at the counter (issue 13): filters as given, long values, actions, recently viewed."""

import logging

import pytest

from customers.models import AuditEntry
from tests.role_users import make_user

pytestmark = pytest.mark.usefixtures("branches")

LONG_NAME = "N" * 255


def clerk_client(client, django_user_model, *, role="Office staff", branch_codes=("01",)):
    user = make_user(django_user_model, "clerk", role=role, branch_codes=branch_codes)
    client.force_login(user)
    return client


# --- 1. filters passed as given --------------------------------------------------------


def test_an_administrator_may_name_an_unregistered_branch(admin_client, upstream, html_of):
    upstream.list(upstream.rows(25, branch_id="07"), total=60, last_page=3)

    html = html_of(admin_client.get("/customers/?branch_id=07&status=inactive"))

    call = upstream.only_call("GET", "customers")
    assert upstream.params(call)["branch_id"] == "07"
    select = html.by_id("id_branch_id")
    chosen = [o for o in html.find_all("option", within=select) if "selected" in o.attrs]
    assert [(o.attrs["value"], o.text) for o in chosen] == [("07", "07 (not registered here)")]
    assert html.find("a", rel="next").attrs["href"] == "?branch_id=07&status=inactive&page=2"


def test_a_registered_branch_shows_with_its_name(admin_client, upstream, html_of):
    upstream.list()

    html = html_of(admin_client.get("/customers/?branch_id=01"))

    assert html.form_data("changelist-search")["branch_id"] == "01"
    assert "01 — Mombasa Road" in html.html


def test_a_branch_user_naming_another_branch_is_told_and_not_widened(
    client, django_user_model, upstream, html_of
):
    upstream.list([upstream.row(0, branch_id="01")])
    clerk_client(client, django_user_model)

    html = html_of(client.get("/customers/?branch_id=00"))

    assert upstream.params(upstream.only_call("GET", "customers"))["branch_id"] == "01"
    notice = html.find("ul", class_="filter-notices")
    assert "Branch “00” is not one of your branches (01): showing 01 instead." in notice.text


def test_a_malformed_branch_id_is_told(admin_client, upstream, html_of):
    upstream.list()

    html = html_of(admin_client.get("/customers/?branch_id=%3Cb%3E"))

    assert "branch_id" not in upstream.params(upstream.only_call("GET", "customers"))
    assert "That branch ID is not valid" in html.find("ul", class_="filter-notices").text


# --- issue 11 #12: rows of another branch never show --------------------------------------


def test_rows_of_another_branch_are_dropped_and_logged(
    client, django_user_model, upstream, html_of, caplog
):
    upstream.list([upstream.row(0, branch_id="01"), upstream.row(1, branch_id="00")])
    clerk_client(client, django_user_model)

    with caplog.at_level(logging.WARNING, logger="customers.access"):
        html = html_of(client.get("/customers/"))

    assert "ABC Trading Ltd" in html.html
    assert "Jane Wanjiku" not in html.html
    assert "dropped 1 row" in caplog.text


# --- 2. long values -----------------------------------------------------------------------


def test_a_long_name_is_wrapped_with_its_full_text_kept(admin_client, upstream, html_of):
    upstream.list([upstream.row(0, name=LONG_NAME)])

    html = html_of(admin_client.get("/customers/"))

    cut = html.find("span", class_="long-text", title=LONG_NAME)
    assert cut.text == LONG_NAME


# --- 6 and 7. the list's search ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("+254 720 337 647", "720337647"),
        ("0720-337-647", "720337647"),
        ("0720 337647", "720337647"),
        ("0722 345", "722345"),
        ("722 345", "722345"),
        ("+254 722 345", "722345"),
        ("(0722) 345.678", "722345678"),
        ("+254 7", "2547"),
        ("254", "254"),
    ],
)
def test_a_phone_search_is_sent_as_its_digits_and_shown_as_typed(
    admin_client, upstream, html_of, typed, sent
):
    """The stored '+254722345678' holds these digits; a prefix stays when < 3 would remain."""
    upstream.list()

    html = html_of(admin_client.get("/customers/", {"search": typed}))

    assert upstream.params(upstream.only_call("GET", "customers"))["search"] == sent
    assert html.form_data("changelist-search")["search"] == typed


def test_a_name_search_is_sent_as_given(admin_client, upstream):
    upstream.list()

    admin_client.get("/customers/", {"search": "Jamii Ltd"})

    assert upstream.params(upstream.only_call("GET", "customers"))["search"] == "Jamii Ltd"


def test_typing_replaces_the_history_entry_and_filters_push_one(admin_client, upstream, html_of):
    upstream.list()

    html = html_of(admin_client.get("/customers/"))

    box = html.by_id("id_search")
    assert box.attrs["hx-replace-url"] == "true"
    assert box.attrs["hx-push-url"] == "false"  # not inherited from the form
    assert html.by_id("changelist-search").attrs["hx-push-url"] == "true"
    hint = html.by_id(box.attrs["aria-describedby"])
    assert "not the customer number" in hint.text


# --- 3. actions ------------------------------------------------------------------------


def test_rows_have_labelled_checkboxes_and_the_actions_the_user_may_use(
    admin_client, upstream, html_of
):
    upstream.list()

    html = html_of(admin_client.get("/customers/"))

    boxes = html.find_all("input", class_="action-select")
    assert [b.attrs["aria-label"] for b in boxes] == [
        "Select ABC Trading Ltd",
        "Select Jane Wanjiku",
    ]
    assert html.by_id("action-toggle").attrs["aria-label"] == "Select every customer on this page"
    options = [o.text for o in html.find_all("option", within=html.by_id("id_action"))]
    assert options == ["---------", "Mark as inactive", "Mark as active", "Export selected as CSV"]
    assert html.label_for("Action").attrs["name"] == "action"
    assert html.find("button", id="action-go").text == "Go"


def test_office_staff_are_not_offered_the_export(client, django_user_model, upstream, html_of):
    upstream.list([upstream.row(0, branch_id="01")])
    clerk_client(client, django_user_model)

    html = html_of(client.get("/customers/"))

    options = [o.text for o in html.find_all("option", within=html.by_id("id_action"))]
    assert "Export selected as CSV" not in options


def test_a_change_asks_for_confirmation_first(admin_client, upstream, html_of):
    upstream.detail(1, is_active=True)
    upstream.detail(2, is_active=True, name="Jane Wanjiku")

    response = admin_client.post(
        "/customers/actions/?_changelist_filters=status%3Dactive",
        {"action": "mark_inactive", "selected": ["1", "2"]},
    )

    assert response.status_code == 200
    html = html_of(response)
    assert upstream.calls_to("PUT", "customers/1") == []
    assert "Jane Wanjiku" in html.html
    assert html.find("input", type="submit").attrs["value"] == "Yes, I'm sure"
    assert "at most about" in html.html
    assert html.find("a", class_="cancel-link").attrs["href"] == "/customers/?status=active"
    words = " ".join(html.text_of("content").split())
    assert (
        "These 2 customers will be marked inactive. They stay on record with their past "
        "sales, and can be marked active again at any time." in words
    )
    assert "request" not in words and "at a time" not in words  # a clerk's words


def _confirm(client, html_of, upstream, action="mark_inactive", ids=("1", "2")):
    page = html_of(client.post("/customers/actions/", {"action": action, "selected": list(ids)}))
    data = page.form_data()
    data["selected"] = list(ids)
    return data


def test_yes_sends_one_put_per_customer_with_only_is_active(admin_client, upstream, html_of):
    upstream.detail(1, is_active=True)
    upstream.detail(2, is_active=True)
    upstream.update(1)
    upstream.update(2)
    data = _confirm(admin_client, html_of, upstream)

    response = admin_client.post("/customers/actions/", data)

    assert response.status_code == 200
    for customer_id in (1, 2):
        (put,) = upstream.calls_to("PUT", f"customers/{customer_id}")
        assert upstream.json_body(put) == {"is_active": False}
    html = html_of(response)
    assert "2 of 2 customers changed." in html.html
    entries = AuditEntry.objects.filter(action=AuditEntry.UPDATE).order_by("customer_id")
    assert [(e.customer_id, e.changes, e.outcome) for e in entries] == [
        (1, {"is_active": [True, False]}, "success"),
        (2, {"is_active": [True, False]}, "success"),
    ]


def test_a_double_submit_writes_once(admin_client, upstream, html_of, messages_of):
    upstream.detail(1, is_active=True)
    upstream.update(1)
    data = _confirm(admin_client, html_of, upstream, ids=("1",))

    admin_client.post("/customers/actions/", data)
    again = admin_client.post("/customers/actions/", data)

    assert again.status_code == 302
    assert len(upstream.calls_to("PUT", "customers/1")) == 1
    assert AuditEntry.objects.count() == 1


def test_already_so_is_skipped_and_a_failure_shows_its_reason(
    admin_client, upstream, html_of, fault_named
):
    upstream.detail(1, is_active=False)
    upstream.detail(2, is_active=True)
    upstream.fail("PUT", "customers/2", fault_named("503"))
    data = _confirm(admin_client, html_of, upstream)

    html = html_of(admin_client.post("/customers/actions/", data))

    assert upstream.calls_to("PUT", "customers/1") == []
    rows = html.rows(html.by_id("bulk-outcomes"))
    assert rows[1][2] == "Already so: nothing sent"
    assert rows[2][2].startswith("Failed: ")
    assert "not answering" in rows[2][2]
    (entry,) = AuditEntry.objects.all()
    # A 503 may have been applied before the answer was lost: "unknown", as every write.
    assert (entry.customer_id, entry.outcome) == (2, "unknown")


def test_another_branchs_customer_is_never_changed(client, django_user_model, upstream, html_of):
    clerk_client(client, django_user_model)
    upstream.detail(1, is_active=True, branch_id="01")
    upstream.detail(2, is_active=True, branch_id="00")
    upstream.update(1)

    page = html_of(
        client.post("/customers/actions/", {"action": "mark_inactive", "selected": ["1", "2"]})
    )
    data = page.form_data()
    data["selected"] = ["1", "2"]  # a forged form names the other branch's customer again
    html = html_of(client.post("/customers/actions/", data))

    assert "customer ID 2" in page.html
    assert upstream.calls_to("PUT", "customers/2") == []
    assert len(upstream.calls_to("PUT", "customers/1")) == 1
    rows = html.rows(html.by_id("bulk-outcomes"))
    assert rows[2][2] == "Not found: nothing sent"


def test_more_than_25_customers_is_refused(admin_client, upstream, messages_of):
    ids = [str(n) for n in range(1, 27)]

    response = admin_client.post("/customers/actions/", {"action": "mark_active", "selected": ids})

    assert response.status_code == 302
    assert upstream.calls == []
    assert "at most 25" in messages_of(response)[0]


def test_no_action_or_no_customer_is_told(admin_client, upstream, messages_of):
    none_ticked = admin_client.post("/customers/actions/", {"action": "mark_active"})
    no_action = admin_client.post("/customers/actions/", {"action": "", "selected": ["1"]})

    assert "Tick at least one customer" in messages_of(none_ticked)[0]
    assert "Pick an action" in messages_of(no_action)[-1]
    assert upstream.calls == []


def test_permissions_are_enforced_per_action(client, django_user_model, upstream):
    clerk_client(client, django_user_model)

    export = client.post("/customers/actions/", {"action": "export_csv", "selected": ["1"]})

    assert export.status_code == 403
    assert upstream.calls == []


def test_export_selected_uses_the_list_columns(admin_client, upstream):
    upstream.detail(1)

    response = admin_client.post("/customers/actions/", {"action": "export_csv", "selected": ["1"]})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Customer number,Name,TIN,Phone,Email,Address,Branch,Branch name")
    assert lines[1].startswith("CUST001,ABC Trading Ltd,P000123456X,0712 345678,")


# --- 5. recently viewed ----------------------------------------------------------------


def test_recently_viewed_lists_the_last_customers_opened_latest_first(
    admin_client, upstream, html_of
):
    for customer_id in range(1, 11):
        upstream.detail(customer_id, name=f"Customer {customer_id}")
        admin_client.get(f"/customers/{customer_id}/")
    admin_client.get("/customers/3/")

    html = html_of(admin_client.get("/customers/recent/"))

    names = [" ".join(o.text.split()) for o in html.find_all("li", role="option")]
    assert len(names) == 8
    assert names[0].startswith("Customer 3")
    assert names[1].startswith("Customer 10")
    assert html.find("ul", role="listbox").attrs["aria-label"] == "Recently viewed customers"


def test_recently_viewed_never_shows_another_branch(client, django_user_model, upstream, html_of):
    from customers import recent

    user = make_user(django_user_model, "clerk", role="Office staff", branch_codes=("01",))
    client.force_login(user)

    class Seen:
        def __init__(self, id, branch_id):
            self.id, self.branch_id = id, branch_id
            self.customer_no, self.name, self.tin, self.phone = f"C{id}", f"Seen {id}", None, None

    recent.record(user, Seen(1, "01"))
    recent.record(user, Seen(2, "00"))  # e.g. opened before the user changed branch

    html = html_of(client.get("/customers/recent/"))

    assert [o.attrs["data-href"] for o in html.find_all("li", role="option")] == ["/customers/1/"]


def test_nothing_viewed_gives_an_empty_answer(admin_client, upstream):
    response = admin_client.get("/customers/recent/")

    assert response.content == b""
    assert upstream.calls == []
