"""The roles' groups (data migrations' rows, flushed after every live-server test) with
the branch review's permission, as migrations 0002 and 0007 make them."""

from django.contrib.auth.models import Group, Permission

from tests.browser.form_helpers import restore_roles as restore_base_roles


def restore_roles() -> None:
    restore_base_roles()
    Group.objects.get(name="Branch manager").permissions.add(
        Permission.objects.get(content_type__app_label="customers", codename="view_branch_review")
    )
