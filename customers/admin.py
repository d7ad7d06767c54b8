from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group

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


class UserCreationWithRoleForm(AdminUserCreationForm):
    """Django's add-user form, with the role (a group, see migration 0002) given at once."""

    role = forms.ModelChoiceField(
        label="Role",
        queryset=Group.objects.order_by("name"),
        required=False,
        empty_label="No role (sees no customers)",
        help_text="Office staff view, add and change customers; branch managers also "
        "delete, export and read the audit trail. More groups can be given later.",
    )


@admin.register(User)
class CtaxUserAdmin(UserAdmin):
    """A user is set up on one page: password, role and branches together."""

    inlines = [BranchMembershipInline]
    add_form = UserCreationWithRoleForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2", "role"),
            },
        ),
    )
    list_display = [*UserAdmin.list_display, "role_list", "branch_list"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).prefetch_related("groups", "branch_memberships__branch")
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        role = None if change else form.cleaned_data.get("role")
        if role is not None:
            form.instance.groups.add(role)

    @admin.display(description="Role")
    def role_list(self, user):
        roles = sorted(group.name for group in user.groups.all())
        return ", ".join(["Superuser", *roles] if user.is_superuser else roles) or "—"

    @admin.display(description="Branches")
    def branch_list(self, user):
        return ", ".join(m.branch.code for m in user.branch_memberships.all())


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
