"""The project's URLs mounted under /office/ (for tests of URL caching)."""

from django.urls import include, path

urlpatterns = [path("office/", include("ctaxoffice.urls"))]
