from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import AuditEntry, Branch, BranchMembership, LoginLockout


class BranchMembershipInline(admin.TabularInline):
    model = BranchMembership
    extra = 1
    verbose_name = "branch"
    verbose_name_plural = "Branches this user works for (none: sees no customers, unless superuser)"


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class CtaxUserAdmin(UserAdmin):
    inlines = [BranchMembershipInline]
    list_display = [*UserAdmin.list_display, "branch_list"]

    @admin.display(description="Branches")
    def branch_list(self, user):
        return ", ".join(m.branch.code for m in user.branch_memberships.select_related("branch"))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody edits or deletes the trail."""

    list_display = [
        "created_at",
        "username",
        "action",
        "customer_no",
        "customer_id",
        "branch_id",
        "outcome",
        "completed_at",
    ]
    list_filter = ["action", "outcome", "branch_id"]
    search_fields = ["username", "customer_no", "=customer_id", "request_id", "=token"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):
    """Failed logins per username (customers.login_lockouts): "Unlock" forgets them."""

    list_display = ["username", "failures", "window_started_at", "locked_until", "wait"]
    search_fields = ["username"]
    actions = ["unlock"]

    @admin.action(description="Unlock selected usernames", permissions=["delete"])
    def unlock(self, request, queryset):
        count, _ = queryset.delete()
        self.message_user(request, f"Unlocked {count} username(s).")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
