"""Who may see which branches: the one place every customer view asks."""

from __future__ import annotations

from .forms import branch_choices
from .models import Branch


def allowed_branches(user) -> list[str] | None:
    """Branch codes the user may work with; None means every branch."""
    return None


def branch_options(user) -> list[tuple[str, str]]:
    """(code, "code — name") for the branches the user may choose."""
    return branch_choices(allowed_branches(user))


def branch_names() -> dict[str, str]:
    return dict(Branch.objects.values_list("code", "name"))


def get_customer_for(user, customer_id: int):
    """The customer's detail if the user may see it; NotFound (a 404) otherwise."""
    from . import services

    customer = services.get_customer(customer_id=customer_id)
    allowed = allowed_branches(user)
    if allowed is not None and customer.branch_id not in allowed:
        raise services.NotFound()
    return customer
