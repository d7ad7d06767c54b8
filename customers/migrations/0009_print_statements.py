"""Office staff may print a customer's statement (at the counter); both roles get it.

The CSV exports stay with branch managers ("Can export customers").
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSION = "print_statement"
ROLES = ("Office staff", "Branch manager")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("customers")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="customers", codename=PERMISSION)
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="customers", codename=PERMISSION).delete()


class Migration(migrations.Migration):
    dependencies = [("customers", "0008_export_files")]
    operations = [
        migrations.AlterModelOptions(
            name="customer",
            options={
                "default_permissions": ("view", "add", "change", "delete"),
                "managed": False,
                "permissions": [
                    ("export_customer", "Can export customers"),
                    ("print_statement", "Can print statements"),
                ],
                "verbose_name": "customer record (upstream)",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
