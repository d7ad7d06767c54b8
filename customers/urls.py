from django.urls import path, register_converter

from . import views
from .request_numbers import CustomerIdConverter
from .views import exports, review

register_converter(CustomerIdConverter, "customer_id")

app_name = "customers"

urlpatterns = [
    path("customers/", views.customer_list, name="list"),
    path("customers/search/", views.quick_search, name="search"),
    path("customers/recent/", views.recently_viewed, name="recent"),
    path("customers/actions/", views.list_action, name="list_action"),
    path("customers/export.csv", views.customers_csv, name="export_csv"),
    path("customers/new/", views.create, name="create"),
    path("customers/validate/<slug:field>/", views.validate_field, name="validate_field"),
    path("customers/<customer_id:customer_id>/", views.detail, name="detail"),
    path(
        "customers/<customer_id:customer_id>/transactions/", views.transactions, name="transactions"
    ),
    path(
        "customers/<customer_id:customer_id>/transactions/totals/",
        views.transaction_totals,
        name="transaction_totals",
    ),
    path("customers/<customer_id:customer_id>/edit/", views.edit, name="edit"),
    path("customers/<customer_id:customer_id>/delete/", views.delete, name="delete"),
    path("customers/<customer_id:customer_id>/chart/", views.chart, name="chart"),
    path(
        "customers/<customer_id:customer_id>/transactions.csv",
        views.transactions_csv,
        name="transactions_csv",
    ),
    path("customers/<customer_id:customer_id>/statement/", views.statement, name="statement"),
    path("exports/new/", exports.start_export, name="export_start"),
    path("exports/<uuid:job_id>/", exports.export, name="export"),
    path("exports/<uuid:job_id>/download/", exports.download, name="export_download"),
    path("branches/<str:code>/review/", review.review, name="branch_review"),
    path("branches/<str:code>/review/refresh/", review.refresh, name="branch_review_refresh"),
    path("branches/<str:code>/review/progress/", review.progress, name="branch_review_progress"),
    path(
        "branches/<str:code>/review/dormant/mark-inactive/",
        review.mark_dormant_inactive,
        name="branch_review_mark_inactive",
    ),
    path(
        "branches/<str:code>/review/action-progress/",
        review.action_progress,
        name="branch_review_action_progress",
    ),
    path(
        "branches/<str:code>/review/<slug:section>.csv",
        review.section_csv,
        name="branch_review_csv",
    ),
]
