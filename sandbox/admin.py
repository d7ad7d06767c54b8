from django.contrib import admin

from .models import SandboxBranch, SandboxCustomer, SandboxFaults, SandboxTransaction


class ReadOnlyAdmin(admin.ModelAdmin):
    """Sandbox data is changed through the API or seed_sandbox, not by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SandboxBranch)
class SandboxBranchAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]


@admin.register(SandboxCustomer)
class SandboxCustomerAdmin(ReadOnlyAdmin):
    list_display = ["id", "customer_no", "name", "branch", "tin", "is_active", "deleted_at"]
    list_filter = ["branch", "is_active"]
    search_fields = ["customer_no", "name", "tin", "phone", "email"]
    show_full_result_count = False


@admin.register(SandboxTransaction)
class SandboxTransactionAdmin(ReadOnlyAdmin):
    list_display = ["invoice_no", "type", "customer", "total_amount", "status", "created_at"]
    list_filter = ["type", "status", "branch"]
    list_select_related = ["customer"]
    search_fields = ["invoice_no"]
    show_full_result_count = False


@admin.register(SandboxFaults)
class SandboxFaultsAdmin(admin.ModelAdmin):
    """Editable: a quick way to flip the fault knobs while clicking through the app."""

    list_display = ["__str__", "latency_ms", "status", "hang_seconds", "body", "fraction"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request):
        return not SandboxFaults.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
