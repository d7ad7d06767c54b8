"""Who may do what, and see which branches: the one place every customer view asks.

Roles are groups with permissions (see migration 0002): Office staff view, add
and change; Branch managers also delete, export and read the audit trail;
superusers may do everything in every branch. The branch rules are applied by the
reads (`customers.selectors`) and the writes (`customers.services`): a customer of a
branch the user does not belong to answers 404 there, so its existence does not leak.
"""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required

from .models import Branch

VIEW = "customers.view_customer"
ADD = "customers.add_customer"
CHANGE = "customers.change_customer"
DELETE = "customers.delete_customer"
EXPORT = "customers.export_customer"
PRINT = "customers.print_statement"  # a customer's printable statement (both roles)
AUDIT = "customers.view_auditentry"


def requires(*perms: str):
    """View decorator: every listed permission, for every method and for fragments too."""
    return permission_required(perms, raise_exception=True)


def allowed_branches(user) -> list[str] | None:
    """Branch codes the user may work with; None means every branch (superusers)."""
    if user.is_superuser:
        return None
    return list(_branches_of(user).values_list("code", flat=True))


def branch_registry(user=None) -> dict[str, str]:
    """Every registered branch, code -> name (whoever asks: `user` is not needed)."""
    return dict(Branch.objects.values_list("code", "name"))


def _branches_of(user):
    return Branch.objects.filter(memberships__user=user)


def branch_options(user) -> list[tuple[str, str]] | None:
    """(code, "code — name") for the branches the user may choose.

    None only for a superuser while no branch is registered (e.g. a fresh install
    on the real API): forms then take the branch ID as typed.
    """
    branches = Branch.objects.all() if user.is_superuser else _branches_of(user)
    options = [(code, f"{code} — {name}") for code, name in branches.values_list("code", "name")]
    return None if user.is_superuser and not options else options


def branch_name_of(user, customer) -> str:
    """The upstream's name for the customer's branch, else ours (list answers carry none)."""
    return customer.branch_name or branch_registry(user).get(customer.branch_id, "")


def may_see_branch(user, branch_id: str) -> bool:
    return in_branches(allowed_branches(user), branch_id)


def in_branches(allowed: list[str] | None, branch_id: str) -> bool:
    """Is `branch_id` among `allowed` (as allowed_branches gives them; None: every branch)?

    For checks in a loop: read allowed_branches once, then ask this for each row."""
    return allowed is None or branch_id in allowed
