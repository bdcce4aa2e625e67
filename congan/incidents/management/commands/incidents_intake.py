"""`congan incidents_intake`: write the receive entry and audit record of reports the quick intake
path committed (congan.incidents.intake). ``--follow`` keeps doing it; ``congan serve`` runs it so
beside the web server. Safe to run several at once and to repeat: each report is completed once."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand

from congan.incidents import intake


class Command(BaseCommand):
    help = "Complete the record of reports accepted by the quick intake path (--follow: keep doing it)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--follow", action="store_true", help="keep completing new reports until stopped")
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="seconds between rounds with --follow (default INCIDENTS_INTAKE_FLUSH_SECONDS)",
        )

    def handle(self, *args, **options):
        if options["follow"]:
            # Below the web workers: the answers to reporters come first; this catches up between them.
            os.nice(settings.INCIDENTS_INTAKE_NICE)
            intake.follow(interval=options["interval"])
            return
        done = intake.complete_pending()
        self.stdout.write(self.style.SUCCESS(f"{done} reports completed"))
