import json

from django.core.management.base import BaseCommand, CommandError

from sandbox import faults


class Command(BaseCommand):
    requires_system_checks = []  # quick to call between test steps
    help = (
        "Show or set the sandbox API fault knobs (shared by all server processes). "
        "Without options: print the current state. With options: replace all knobs, "
        "e.g. --status 503 --fraction 0.2, --latency-ms 50, --hang-seconds 10, "
        "--body truncated; --clear turns everything off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clear", action="store_true", help="Turn every fault off.")
        parser.add_argument("--latency-ms", type=int, help="Extra delay on each call.")
        parser.add_argument("--status", type=int, help="Force this HTTP status (e.g. 503).")
        parser.add_argument("--retry-after", type=int, help="Retry-After header, in seconds.")
        parser.add_argument("--hang-seconds", type=float, help="Sleep this long before answering.")
        parser.add_argument("--body", choices=faults.BODY_FAULTS, help="Answer with a broken body.")
        parser.add_argument(
            "--fraction", type=float, help="Share of calls (0..1) that get the fault."
        )
        parser.add_argument(
            "--paths",
            action="append",
            help="Only affect request paths containing this text (repeatable).",
        )

    def handle(self, *args, clear, **options):
        knobs = {
            name: options[name]
            for name in (
                "latency_ms",
                "status",
                "retry_after",
                "hang_seconds",
                "body",
                "fraction",
                "paths",
            )
            if options.get(name) is not None
        }
        if clear and knobs:
            raise CommandError("--clear cannot be combined with other options.")
        if clear:
            faults.clear_faults()
        elif knobs:
            try:
                faults.set_faults(**knobs)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        state = faults.get_faults()
        label = "ON" if faults.is_active(state) else "off"
        self.stdout.write(f"sandbox faults {label}: {json.dumps(state, sort_keys=True)}")
