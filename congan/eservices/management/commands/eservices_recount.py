"""`congan eservices_recount`: rebuild the dashboard aggregates from the dossiers (after a restore,
or to check them: --check compares without writing and exits 1 on a difference)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from congan.core.audit import audit_record
from congan.eservices import stats


class Command(BaseCommand):
    help = "Rebuild (or --check) the online public services aggregates from the raw dossier rows."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare only; exit 1 when they differ")

    def handle(self, *args, **options):
        if options["check"]:
            stored, counted = stats.stats_stored(), stats.stats_recount()
            differing = sorted(key for key in stored.keys() | counted.keys() if stored.get(key) != counted.get(key))
            if differing:
                raise CommandError(f"{len(differing)} aggregate rows differ from a recount, e.g. {differing[:3]}")
            self.stdout.write(self.style.SUCCESS(f"{len(stored)} aggregate rows equal a recount"))
            return
        rows = stats.stats_rebuild()
        audit_record(actor="system", action="eservices.stats.rebuild", details={"rows": rows})
        self.stdout.write(self.style.SUCCESS(f"rebuilt {rows} aggregate rows"))
