"""Demo set-up helpers: keep the local branch registry in step with the sandbox's branches."""

from django.apps import apps

from .models import Branch


def sync_branches_from_sandbox() -> int:
    """Create or rename local branches to match the sandbox's; returns how many there are."""
    if not apps.is_installed("sandbox"):
        return Branch.objects.count()
    SandboxBranch = apps.get_model("sandbox", "SandboxBranch")
    for branch in SandboxBranch.objects.all():
        Branch.objects.update_or_create(code=branch.code, defaults={"name": branch.name})
    return Branch.objects.count()
