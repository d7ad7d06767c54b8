from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from customers.views import home
from customers.views.health import healthz, readyz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("customers.urls")),
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]

if settings.CTAX_SANDBOX_ENABLED:
    urlpatterns.append(path("sandbox/api/v1/", include("sandbox.urls")))
