import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sandbox import seed as seeding
from sandbox.models import SandboxCustomer


class Command(BaseCommand):
    help = (
        "Fill the sandbox Customers API with deterministic, realistic data "
        "(3 branches, 320 customers, thousands of transactions). Does nothing when "
        "sandbox data already exists, unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Delete all existing sandbox data first."
        )
        parser.add_argument(
            "--customers",
            type=int,
            default=seeding.DEFAULT_CUSTOMERS,
            help=f"Number of customers (default {seeding.DEFAULT_CUSTOMERS}, "
            f"at least {seeding.MIN_CUSTOMERS}).",
        )
        parser.add_argument(
            "--seed",
            dest="seed_value",
            type=int,
            default=seeding.DEFAULT_SEED,
            help=f"Random seed (default {seeding.DEFAULT_SEED}).",
        )

    def handle(self, *args, reset, customers, seed_value, **options):
        if customers < seeding.MIN_CUSTOMERS:
            raise CommandError(f"--customers must be at least {seeding.MIN_CUSTOMERS}.")
        started = time.monotonic()
        with transaction.atomic():
            if seeding.has_data():
                if not reset:
                    count = SandboxCustomer.objects.count()
                    self.stdout.write(
                        f"Sandbox data already present ({count} customers); nothing done. "
                        "Use --reset to recreate it."
                    )
                    return
                seeding.delete_all()
            result = seeding.seed(seed_value=seed_value, customers=customers)
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded sandbox: {result.branches} branches, {result.customers} customers "
                f"({result.deleted} soft-deleted, {result.inactive} inactive), "
                f"{result.transactions} transactions in {time.monotonic() - started:.1f}s."
            )
        )
