from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from congan.core.audit import buffer
from congan.core.audit.chain import verify


class Command(BaseCommand):
    help = "Audit trail tools: 'verify' walks the hash chain and fails on the first broken event."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, **options):
        buffer.flush()
        checked, broken = verify(batch_size=options["batch_size"])
        if broken is not None:
            raise CommandError(
                f"audit chain broken at event #{broken.seq}: {broken.reason} ({checked} events verified before it)"
            )
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {checked} events verified"))
