"""Remove expired sessions, old one-time form tokens and expired database-cache rows;
mark writes left unfinished for 15 minutes as "unknown" and free their forms.

Run it every few minutes (cron, a systemd timer, or a scheduled job of the platform),
from any one instance:  python manage.py ctax_housekeeping
"""

from django.core.management.base import BaseCommand

from customers.housekeeping import sweep


class Command(BaseCommand):
    help = (
        "Remove expired sessions, old form tokens and expired database-cache rows; "
        "mark unfinished writes as unknown."
    )

    def handle(self, *args, **options):
        removed = sweep()
        self.stdout.write(
            f"Removed {removed.sessions} expired sessions, {removed.form_tokens} old form "
            f"tokens, {removed.cache_rows} expired cache rows; {removed.unfinished} "
            "unfinished writes marked unknown."
        )
