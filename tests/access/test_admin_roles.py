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
