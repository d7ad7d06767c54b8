from django.apps import AppConfig


class RefappConfig(AppConfig):
    name = "bench.refapp"
    label = "refapp"
    verbose_name = "Benchmark reference"
    default_auto_field = "django.db.models.BigAutoField"
