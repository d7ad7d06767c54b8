"""Customers API v1 routes, mounted at /sandbox/api/v1/ (no trailing slashes, as upstream)."""

from django.urls import path, re_path

from . import views

app_name = "sandbox"

urlpatterns = [
    path("customers", views.customers, name="customers"),
    path("customers/search", views.search, name="search"),
    path("customers/<str:customer_id>", views.customer, name="customer"),
    path("customers/<str:customer_id>/transactions", views.transactions, name="transactions"),
    # Anything else under the API root: a JSON 404, not an HTML page.
    re_path(r"^(?P<unmatched>.*)$", views.not_found, name="not_found"),
]
