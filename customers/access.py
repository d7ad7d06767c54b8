"""Who may do what, and see which branches: the one place every customer view asks.

Roles are groups with permissions (see migration 0002): Office staff view, add
and change; Branch managers also delete, export and read the audit trail;
superusers may do everything in every branch. The branch rules are applied by the
reads (`customers.selectors`) and the writes (`customers.services`): a customer of a
branch the user does not belong to answers 404 there, so its existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Branch, BranchMembership

VIEW = "customers.view_customer"
ADD = "customers.add_customer"
CHANGE = "customers.change_customer"
DELETE = "customers.delete_customer"
EXPORT = "customers.export_customer"
PRINT = "customers.print_statement"  # a customer's printable statement (both roles)
AUDIT = "customers.view_auditentry"
REVIEW = "customers.view_branch_review"  # a branch's review (managers, administrators)


REFUSED = {  # what a 403 says when the permission missing has words of its own
    ADD: "You don't have permission to add customers.",
    CHANGE: "You don't have permission to edit customers.",
    DELETE: "You don't have permission to delete customers.",
    REVIEW: "You don't have permission to see the branch review.",
}


def requires(*perms: str):
    """View decorator: every listed permission, for every method and for fragments too; the
    403 page says what was refused (REFUSED) when it has words for it."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refuse_unless_allowed(request.user, *perms)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def refuse_unless_allowed(user, *perms: str) -> None:
    """PermissionDenied (with REFUSED's words, if any) unless `user` has every permission."""
    for perm in perms:
        if not user.has_perm(perm):
            raise PermissionDenied(REFUSED.get(perm, ""))


def allowed_branches(user) -> list[str] | None:
    """Branch codes the user may work with; None means every branch (superusers)."""
    return None if user.is_superuser else list(_branches(user).mine)


def read_branches(user) -> None:
    """Read the user's branches now (once a request): a read that fans out does it while
    the upstream answers, so the branch check and the page after cost no query."""
    _branches(user)


def branch_registry(user) -> dict[str, str]:
    """Every registered branch, code -> name (read with the user's own: once a request)."""
    return dict(_branches(user).names)


def branch_options(user) -> list[tuple[str, str]] | None:
    """(code, "code — name") for the branches the user may choose.

    None only for a superuser while no branch is registered (e.g. a fresh install
    on the real API): forms then take the branch ID as typed.
    """
    branches = _branches(user)
    codes = branches.names if user.is_superuser else branches.mine
    options = [(code, f"{code} — {branches.names[code]}") for code in codes]
    return None if user.is_superuser and not options else options


_BRANCHES_ON_USER = "_ctax_branches"  # the attribute the user object keeps them in


@dataclass(frozen=True, slots=True)
class _Branches:
    names: dict[str, str]  # every registered branch, code -> name, in code order
    mine: tuple[str, ...]  # the codes of the user's branches (a superuser's: none needed)


def _branches(user) -> _Branches:
    """Every branch, and the user's own, once per user object: a request reads them once
    however many parts of its page ask (Django's ModelBackend keeps a user's permissions
    on the user object the same way). A superuser works with every branch: their
    memberships are not read."""
    cached = getattr(user, _BRANCHES_ON_USER, None)
    if cached is None:
        names = dict(Branch.objects.order_by("code").values_list("code", "name"))
        mine = ()
        if not user.is_superuser:
            codes = BranchMembership.objects.filter(user_id=user.pk).order_by("branch__code")
            mine = tuple(codes.values_list("branch__code", flat=True))
        cached = _Branches(names=names, mine=mine)
        setattr(user, _BRANCHES_ON_USER, cached)
    return cached


def branch_name_of(user, customer) -> str:
    """The upstream's name for the customer's branch, else ours (list answers carry none)."""
    return customer.branch_name or branch_registry(user).get(customer.branch_id, "")


def may_see_branch(user, branch_id: str) -> bool:
    return in_branches(allowed_branches(user), branch_id)


def refuse_unless_branch_allowed(user, branch_id: str, *, doing: str) -> None:
    """A write naming a branch the user may not see is refused (403), saying what was
    refused: `doing` as in "add customers to"."""
    if not may_see_branch(user, branch_id):
        raise PermissionDenied(f"You may not {doing} branch {branch_id}.")


def in_branches(allowed: list[str] | None, branch_id: str) -> bool:
    """Is `branch_id` among `allowed` (as allowed_branches gives them; None: every branch)?

    For checks in a loop: read allowed_branches once, then ask this for each row."""
    return allowed is None or branch_id in allowed
