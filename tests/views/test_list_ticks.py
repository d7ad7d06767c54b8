"""Ticks are not lost (A second day at the counter #4): back on the list after Go without
an action, too many ticked, "No, take me back" or failures, what was ticked is ticked."""

import pytest

pytestmark = pytest.mark.usefixtures("branches")


def _ticked(client, html_of, url="/customers/") -> list[str]:
    html = html_of(client.get(url))
    boxes = html.find_all("input", class_="action-select")
    return [box.attrs["value"] for box in boxes if "checked" in box.attrs]


@pytest.fixture
def three(upstream):
    return upstream.serve(
        {
            n: {"id": n, "customer_no": f"C{n}", "branch_id": "00", "name": f"Customer {n}"}
            for n in (1, 2, 3)
        }
    )


def test_go_without_an_action_keeps_the_ticks(admin_client, three, html_of, messages_of):
    response = admin_client.post(
        "/customers/actions/?_changelist_filters=status%3Dactive",
        {"action": "", "selected": ["1", "3"]},
    )

    assert response["Location"] == "/customers/?status=active"
    assert "Pick an action" in messages_of(response)[0]
    assert _ticked(admin_client, html_of, response["Location"]) == ["1", "3"]
    assert _ticked(admin_client, html_of) == []  # once: a later visit starts clear


def test_too_many_ticked_keeps_the_ticks(admin_client, three, html_of):
    ids = [str(n) for n in range(1, 27)]

    admin_client.post("/customers/actions/", {"action": "mark_inactive", "selected": ids})

    assert _ticked(admin_client, html_of) == ["1", "2", "3"]


def test_no_take_me_back_keeps_the_ticks(admin_client, three, html_of):
    page = html_of(
        admin_client.post("/customers/actions/", {"action": "mark_inactive", "selected": ["2"]})
    )

    back = page.find("a", class_="cancel-link").attrs["href"]

    assert _ticked(admin_client, html_of, back) == ["2"]


def test_after_a_run_the_failed_customers_stay_ticked(admin_client, upstream, html_of, fault_named):
    upstream.list(upstream.rows(3))
    for customer_id in (1, 2):
        upstream.detail(customer_id, is_active=True)
    upstream.update(1)
    upstream.fail("PUT", "customers/2", fault_named("503"))
    page = html_of(
        admin_client.post(
            "/customers/actions/", {"action": "mark_inactive", "selected": ["1", "2"]}
        )
    )
    data = page.form_data()
    data["selected"] = ["1", "2"]

    admin_client.post("/customers/actions/", data)

    assert _ticked(admin_client, html_of) == ["2"]


def test_an_htmx_refresh_of_the_list_does_not_take_the_ticks(
    admin_client, three, html_of, htmx_headers
):
    admin_client.post("/customers/actions/", {"action": "", "selected": ["1"]})

    admin_client.get("/customers/", headers=htmx_headers)

    assert _ticked(admin_client, html_of) == ["1"]


def test_the_keys_dialog_lists_x(admin_client, three, html_of):
    html = html_of(admin_client.get("/customers/"))

    keys = " ".join(html.by_id("list-keys").text.split())
    assert "xTick or untick the highlighted customer" in keys
