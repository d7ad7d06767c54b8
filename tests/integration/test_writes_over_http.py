"""The forms against the seeded sandbox over real HTTP (live_server): issue 14 #1, #4, #5."""

import importlib
import io
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from customers import phones, submissions
from customers.demo import sync_branches_from_sandbox
from customers.models import AuditEntry
from customers.upstream import door
from sandbox.models import SandboxCustomer
from tests.role_users import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(request, sandbox_api):
    """The sandbox seeded: the full demo data (318 live customers) or, asked, a smaller one."""
    size = getattr(request, "param", None)
    options = ["--customers", str(size)] if size else []
    call_command("seed_sandbox", *options, stdout=io.StringIO())
    sync_branches_from_sandbox()
    _restore_roles()
    door.reset_client()
    yield sandbox_api
    door.reset_client()


small_seed = pytest.mark.parametrize("seeded", [60], indirect=True, ids=["60-customers"])


def _restore_roles():
    """The roles' groups (a data migration's rows, flushed after every transactional test)."""
    roles = importlib.import_module("customers.migrations.0002_roles").ROLES
    for name, codenames in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="customers", codename__in=codenames)
        )


def refused_by_todays_rules(phone: str) -> bool:
    return phones.valid(phone) is None


class _FormReader(HTMLParser):
    """What a browser sends for #customer-form as rendered (inputs, selects, textareas)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data, self._inside, self._select, self._textarea = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._inside = attrs.get("id") == "customer-form"
        if not self._inside or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "checkbox"):
            self.data[attrs["name"]] = attrs.get("value", "")
        elif tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.data[attrs["name"]] = "on"
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_data(page: str) -> dict:
    """The customer form's fields as the browser would send them."""
    reader = _FormReader()
    reader.feed(page)
    return {k: v.removeprefix("\n") for k, v in reader.data.items()}


def test_every_customer_with_a_stale_phone_can_be_edited(seeded, admin_client):
    live = SandboxCustomer.objects.filter(deleted_at__isnull=True).exclude(phone="")
    stale = [c for c in live if refused_by_todays_rules(c.phone)]
    assert len(stale) == 24  # of the seed's 318 live customers: 1 in 13

    for customer in stale:
        url = f"/customers/{customer.pk}/edit/"
        page = admin_client.get(url).content.decode()
        data = form_data(page)
        assert data["phone"] == customer.phone
        assert "The stored phone number no longer passes today" in page

        response = admin_client.post(url, {**data, "address": f"New address {customer.pk}"})

        assert response.status_code == 302, response.content.decode()[:2000]
        customer.refresh_from_db()
        assert customer.address == f"New address {customer.pk}"
        assert refused_by_todays_rules(customer.phone)  # kept as it was, untouched
    changes = list(AuditEntry.objects.values_list("outcome", "changes"))
    assert len(changes) == 24
    assert all(outcome == AuditEntry.SUCCESS and set(c) == {"address"} for outcome, c in changes)


@small_seed
def test_a_deleted_customer_is_told_to_its_branch_only(seeded, client, django_user_model):
    customer = SandboxCustomer.objects.filter(deleted_at__isnull=True, branch_id="00").first()
    manager = make_user(django_user_model, "boss00", role="Branch manager", branch_codes=["00"])
    stranger = make_user(django_user_model, "clerk01", role="Office staff", branch_codes=["01"])
    client.force_login(manager)

    token = {"submission_token": submissions.new_token()}
    assert client.post(f"/customers/{customer.pk}/delete/", token).status_code == 302
    as_manager = client.get(f"/customers/{customer.pk}/")
    client.force_login(stranger)
    as_stranger = client.get(f"/customers/{customer.pk}/")
    never_existed = client.get("/customers/999999/")

    assert as_manager.status_code == as_stranger.status_code == 404
    assert "was deleted by boss00" in as_manager.content.decode()
    assert "deleted" not in as_stranger.content.decode()
    assert "Customer not found." in as_stranger.content.decode()
    assert "Customer not found." in never_existed.content.decode()


@small_seed
def test_a_taken_number_names_its_holder(seeded, admin_client):
    holder = SandboxCustomer.objects.filter(deleted_at__isnull=True).exclude(tin="").first()
    typed = {
        "branch_id": holder.branch_id,
        "customer_no": holder.customer_no,
        "name": holder.name,
        "tin": "",
        "_save": "Save",
        "submission_token": submissions.new_token(),
    }

    response = admin_client.post("/customers/new/", typed)

    body = response.content.decode()
    assert response.status_code == 200
    assert f"The customer number {holder.customer_no} is already taken by" in body
    assert f'href="/customers/{holder.pk}/"' in body
    assert "probably saved" not in body


@small_seed
def test_a_tin_already_held_is_named_as_the_field_is_left(seeded, client, django_user_model):
    holder = SandboxCustomer.objects.filter(deleted_at__isnull=True, branch_id="00").exclude(
        tin=""
    )[0]
    other = SandboxCustomer.objects.filter(deleted_at__isnull=True, branch_id="01").exclude(tin="")[
        0
    ]
    clerk = make_user(django_user_model, "clerk00", role="Office staff", branch_codes=["00"])
    client.force_login(clerk)

    def check(tin):
        return client.post(
            "/customers/validate/tin/",
            {"tin": tin, "check_duplicates": "1"},
            headers={"HX-Request": "true"},
        ).content.decode()

    own, elsewhere = check(holder.tin), check(other.tin)

    assert f"{holder.customer_no}" in own and f'href="/customers/{holder.pk}/"' in own
    assert "A customer in another branch already has this TIN." in elsewhere
    assert other.customer_no not in elsewhere and other.name not in elsewhere
