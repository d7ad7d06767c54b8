from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count

from bench.refapp.models import BenchCustomer
from sandbox.models import SandboxCustomer


class Command(BaseCommand):
    help = "Copy the sandbox's live customers into the benchmark's reference table."

    def handle(self, *args, **options):
        live = (
            SandboxCustomer.objects.filter(deleted_at__isnull=True)
            .annotate(n=Count("transactions"))
            .order_by("id")
        )
        rows = [
            BenchCustomer(
                customer_no=c.customer_no,
                name=c.name,
                tin=c.tin,
                phone=c.phone,
                branch_id=c.branch_id,
                is_active=c.is_active,
                total_transactions=c.n,
                created_at=c.created_at,
            )
            for c in live
        ]
        with transaction.atomic():
            BenchCustomer.objects.all().delete()
            BenchCustomer.objects.bulk_create(rows)
        self.stdout.write(f"Reference table: {len(rows)} customers copied from the sandbox.")
