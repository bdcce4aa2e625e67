"""`congan search_reindex [kind …]`: rebuild the full-text index from the records (every kind, or
the kinds named: documents.incoming, documents.outgoing, …). Safe to run at any time and to repeat:
each batch of 500 records is rebuilt in its own transaction while the platform keeps serving, and
entries whose record is gone or no longer searchable are removed."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from congan.search import providers
from congan.search.services import reindex


class Command(BaseCommand):
    help = "Rebuild the full-text search index from the records (all kinds, or those named)."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="documents.incoming, documents.outgoing… (all when none)")

    def handle(self, *args, **options):
        known = [provider.kind for provider in providers.all_providers()]
        kinds = options["kinds"] or known
        unknown = [kind for kind in kinds if kind not in known]
        if unknown:
            raise CommandError(f"unknown kind(s): {', '.join(unknown)}; known: {', '.join(known)}")
        for kind in kinds:
            started = time.perf_counter()
            done = reindex(kind=kind)
            self.stdout.write(
                f"{kind}: {done.written} entries written, {done.removed} removed "
                f"in {time.perf_counter() - started:.1f} s"
            )
