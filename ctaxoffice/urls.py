from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ctaxoffice.auth_views import LoginView
from customers.views import home
from customers.views.health import readyz

# Static pages: a request refused before the session exists must not need one.
handler400 = "ctaxoffice.error_views.bad_request"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Only these: password reset pages (and the rest of django.contrib.auth.urls) are 404.
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("customers.urls")),
    path("", home, name="home"),
    # /healthz: answered by customers.views.health.HealthProbeMiddleware, first of all.
    path("readyz", readyz, name="readyz"),
]

if settings.CTAX_SANDBOX_ENABLED:
    urlpatterns.append(path("sandbox/api/v1/", include("sandbox.urls")))
