"""django-tasks-db's `db_worker`, which first marks failed the jobs whose worker died.

(This app comes before django_tasks_db in INSTALLED_APPS, so this command is the one
`manage.py db_worker` runs; everything else is the library's.)
"""

from django_tasks_db.management.commands.db_worker import Command as LibraryCommand

from customers.jobs import sweep_stale


class Command(LibraryCommand):
    def handle(self, *args, **options):
        stale = sweep_stale()
        if stale:
            self.stdout.write(f"Marked {stale} job(s) failed: their worker stopped answering.")
        return super().handle(*args, **options)
