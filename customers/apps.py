from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "customers"

    def ready(self) -> None:
        from . import login_lifetime, login_lockouts, recent  # noqa: F401  (signal receivers)
