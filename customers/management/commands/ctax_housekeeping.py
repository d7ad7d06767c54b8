"""Remove expired sessions, old one-time form tokens and expired database-cache rows;
mark writes left unfinished for 15 minutes as "unknown" and free their forms.

Run it every few minutes (cron, a systemd timer, or a scheduled job of the platform),
from any one instance:  python manage.py ctax_housekeeping
"""

from django.core.management.base import BaseCommand

from customers.exports.files import remove_expired as remove_expired_exports
from customers.housekeeping import sweep
from customers.jobs import sweep_stale
from customers.review.snapshot import remove_expired


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
        stalled, old_reviews, old_exports = (
            sweep_stale(),
            remove_expired(),
            remove_expired_exports(),
        )
        if stalled or old_reviews or old_exports:
            self.stdout.write(
                f"Marked {stalled} stalled background jobs failed; removed {old_reviews} "
                f"branch reviews older than CTAX_REVIEW_KEEP_DAYS and {old_exports} expired "
                "export files."
            )
