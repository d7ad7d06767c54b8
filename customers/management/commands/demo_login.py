"""Create (or reset) the demo login with a fresh random password, and print it."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from customers.demo import sync_branches_from_sandbox


class Command(BaseCommand):
    help = "Create or reset the demo superuser with a new random password and print it."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")

    def handle(self, *args, username, **options):
        synced = sync_branches_from_sandbox()
        password = secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com"}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        verb = "Created" if created else "Reset"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} the demo login (superuser).\n"
                f"    username: {username}\n    password: {password}\n"
                f"Local branches in step with the sandbox: {synced}."
            )
        )
