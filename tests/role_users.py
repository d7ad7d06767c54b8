"""Users with a role (group) and branches, for the suites that test who may do what."""

from django.contrib.auth.models import Group

from customers.models import Branch, BranchMembership


def make_user(django_user_model, name, *, role=None, branch_codes=(), superuser=False):
    if superuser:
        return django_user_model.objects.create_superuser(name, f"{name}@example.com", "pw")
    user = django_user_model.objects.create_user(name, f"{name}@example.com", "pw")
    if role:
        user.groups.add(Group.objects.get(name=role))
    for code in branch_codes:
        BranchMembership.objects.create(user=user, branch=Branch.objects.get(code=code))
    return user
