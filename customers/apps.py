from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "customers"

    def ready(self):
        from . import login_lifetime, login_lockouts  # noqa: F401  (signal receivers)
