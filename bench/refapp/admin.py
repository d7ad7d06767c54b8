from django.contrib import admin

from .models import BenchCustomer


@admin.register(BenchCustomer)
class BenchCustomerAdmin(admin.ModelAdmin):
    """Stock changelist, the same 8 columns and page size as /customers/."""

    list_display = [
        "customer_no",
        "name",
        "tin",
        "phone",
        "branch_id",
        "is_active",
        "total_transactions",
        "created_at",
    ]
    list_per_page = 25
