from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from congan.core.audit import buffer
from congan.core.audit.chain import read_head, verify


class Command(BaseCommand):
    help = (
        "Audit trail tools: 'verify' walks the hash chain and fails naming the first broken event; "
        "'head' prints the chain head (sequence number and hash) to record outside the database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify", "head"])
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        buffer.flush()  # events this process still holds belong on the chain before it is judged
        if options["action"] == "head":
            seq, digest = read_head() or (0, "")
            self.stdout.write(f"{seq} {digest}")
            return
        checked, broken = verify(batch_size=options["batch_size"])
        if broken is not None:
            raise CommandError(
                f"audit chain broken at event #{broken.seq}: {broken.reason} ({checked} events verified before it)"
            )
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {checked} events verified"))
