"""`congan stats rebuild|check [NAME…]`: the statistics pages' incremental aggregates.

rebuild: replace the stored aggregates by a recount from the raw rows (after a restore, an import
that wrote rows directly, or an upgrade); check: compare them without writing, exit 1 when any
differ. NAME: traffic, incidents, eservices (all when none is given)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from congan.core.aggregates import registered
from congan.core.audit import audit_record


class Command(BaseCommand):
    help = "Rebuild (or check) the incremental aggregates behind the statistics pages from the raw rows."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "check"])
        parser.add_argument("names", nargs="*", help="which aggregates (default: all registered)")

    def handle(self, *args, **options):
        try:
            chosen = registered(options["names"])
        except KeyError as exc:
            known = ", ".join(item.name for item in registered())
            raise CommandError(f"unknown aggregates {exc}; choose from {known}") from exc
        failed = []
        for aggregates in chosen:
            if options["action"] == "rebuild":
                rows = aggregates.rebuild()
                audit_record(
                    actor="system", action="core.stats.rebuild", details={"name": aggregates.name, "rows": rows}
                )
                self.stdout.write(self.style.SUCCESS(f"{aggregates.name}: rebuilt {rows} aggregate rows"))
                continue
            differing = aggregates.differences()
            if differing:
                failed.append(aggregates.name)
                example = ", ".join(repr(key) for key in differing[:3])
                message = f"{aggregates.name}: {len(differing)} aggregate rows differ from a recount, e.g. {example}"
                self.stdout.write(self.style.ERROR(message))
            else:
                self.stdout.write(self.style.SUCCESS(f"{aggregates.name}: aggregates equal a recount"))
        if failed:
            raise CommandError(f"aggregates differ from a recount: {', '.join(failed)} (run: congan stats rebuild)")
