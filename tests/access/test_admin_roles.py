"""Administrators give roles and branches in Django's admin; the trail stays read-only."""

import pytest
from django.contrib.auth.models import Group

from customers.models import Branch, BranchMembership


@pytest.mark.django_db
def test_an_administrator_makes_a_staff_user_of_branch_01(admin_client, django_user_model):
    Branch.objects.create(code="01", name="Mombasa Road")
    added = admin_client.post(
        "/admin/auth/user/add/",
        {
            "username": "wanjiku",
            "password1": "Kahawa-Chai-2026",
            "password2": "Kahawa-Chai-2026",
            "usable_password": "true",
            "branch_memberships-TOTAL_FORMS": "0",
            "branch_memberships-INITIAL_FORMS": "0",
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    user = django_user_model.objects.get(username="wanjiku")
    page = admin_client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    assert "branch_memberships-TOTAL_FORMS" in page

    staff = Group.objects.get(name="Office staff")
    changed = admin_client.post(
        f"/admin/auth/user/{user.pk}/change/",
        {
            "username": "wanjiku",
            "is_active": "on",
            "groups": [staff.pk],
            "date_joined_0": "2026-11-26",
            "date_joined_1": "09:00:00",
            "branch_memberships-TOTAL_FORMS": "1",
            "branch_memberships-INITIAL_FORMS": "0",
            "branch_memberships-0-branch": Branch.objects.get(code="01").pk,
            "branch_memberships-0-user": user.pk,
        },
    )
    assert changed.status_code == 302, changed.content.decode()[:3000]
    assert BranchMembership.objects.filter(user=user, branch__code="01").exists()
    assert user.groups.filter(name="Office staff").exists()


@pytest.mark.django_db
def test_the_add_user_page_takes_role_and_branches_at_once(admin_client, django_user_model):
    """Issue "A second day at the counter" #9: one screen, not two."""
    branch = Branch.objects.create(code="01", name="Mombasa Road")
    manager = Group.objects.get(name="Branch manager")
    page = admin_client.get("/admin/auth/user/add/").content.decode()
    assert 'name="role"' in page and "branch_memberships-TOTAL_FORMS" in page

    added = admin_client.post(
        "/admin/auth/user/add/",
        {
            "username": "otieno",
            "password1": "Kahawa-Chai-2026",
            "password2": "Kahawa-Chai-2026",
            "usable_password": "true",
            "role": manager.pk,
            "branch_memberships-TOTAL_FORMS": "1",
            "branch_memberships-INITIAL_FORMS": "0",
            "branch_memberships-0-branch": branch.pk,
        },
    )

    assert added.status_code == 302, added.content.decode()[:2000]
    user = django_user_model.objects.get(username="otieno")
    assert list(user.groups.values_list("name", flat=True)) == ["Branch manager"]
    assert list(user.branch_memberships.values_list("branch__code", flat=True)) == ["01"]


@pytest.mark.django_db
def test_the_users_list_shows_each_ones_role(admin_client, django_user_model):
    from tests.role_users import make_user

    Branch.objects.create(code="00", name="Head Office")
    make_user(django_user_model, "achieng", role="Office staff", branch_codes=("00",))
    make_user(django_user_model, "norole")

    page = admin_client.get("/admin/auth/user/").content.decode()

    assert '<th scope="col" class="column-role_list">' in page and "<span>Role</span>" in page
    rows = {row.split("</a></th>")[0].rsplit(">", 1)[-1]: row for row in page.split("<tr>")[1:]}
    assert '<td class="field-role_list">Office staff</td>' in rows["achieng"]
    assert '<td class="field-branch_list">00</td>' in rows["achieng"]
    assert '<td class="field-role_list">—</td>' in rows["norole"]
    superuser = next(row for row in rows.values() if "Superuser" in row)
    assert 'class="field-role_list">Superuser' in superuser
