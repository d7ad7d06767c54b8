from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "customers"

    def ready(self) -> None:
        from . import recent  # noqa: F401 - connects its logout receiver
