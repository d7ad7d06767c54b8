"""The table of Django's database cache (the default shared cache when CACHE_URL is unset).

Made here so that `migrate` stays the only database step: it runs Django's own
`createcachetable` for the table named in settings (CACHE_TABLE), whatever CACHES says
today, so switching CACHE_URL off later finds the table ready.
"""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command(
        "createcachetable",
        settings.CACHE_TABLE,
        database=schema_editor.connection.alias,
        verbosity=0,
    )


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_roles")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
