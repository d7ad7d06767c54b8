from django.urls import path

from . import views

app_name = "customers"

urlpatterns = [
    path("customers/", views.customer_list, name="list"),
    path("customers/search/", views.quick_search, name="search"),
    path("customers/recent/", views.recently_viewed, name="recent"),
    path("customers/actions/", views.list_action, name="list_action"),
    path("customers/export.csv", views.customers_csv, name="export_csv"),
    path("customers/new/", views.create, name="create"),
    path("customers/validate/<slug:field>/", views.validate_field, name="validate_field"),
    path("customers/<int:customer_id>/", views.detail, name="detail"),
    path("customers/<int:customer_id>/transactions/", views.transactions, name="transactions"),
    path(
        "customers/<int:customer_id>/transactions/totals/",
        views.transaction_totals,
        name="transaction_totals",
    ),
    path("customers/<int:customer_id>/edit/", views.edit, name="edit"),
    path("customers/<int:customer_id>/delete/", views.delete, name="delete"),
    path("customers/<int:customer_id>/chart/", views.chart, name="chart"),
    path(
        "customers/<int:customer_id>/transactions.csv",
        views.transactions_csv,
        name="transactions_csv",
    ),
    path("customers/<int:customer_id>/statement/", views.statement, name="statement"),
]
