from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from congan.core.audit import buffer, journal
from congan.core.audit.chain import read_head, verify
from congan.core.audit.checkpoints import (
    CheckpointKeyMissing,
    checkpoint_dir,
    checkpoint_files,
    checkpoint_write,
    checkpoints_verify,
    last_checkpoint,
)


class Command(BaseCommand):
    help = (
        "Audit trail tools: 'verify' walks the hash chain and checks the signed checkpoints of its head "
        "kept outside the database, failing on the first broken event and on every checkpoint that does not "
        "hold; 'head' prints the chain head (sequence number and hash) and writes a signed checkpoint of it; "
        "'checkpoint' writes one (--follow: every AUDIT_CHECKPOINT_SECONDS while the head moves); "
        "'recover' chains the events that stopped server processes left in their local audit journals."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify", "head", "checkpoint", "recover"])
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--checkpoints",
            type=Path,
            default=None,
            help="verify: a checkpoint file or folder (a copy shipped elsewhere); default AUDIT_CHECKPOINT_DIR",
        )
        parser.add_argument("--follow", action="store_true", help="checkpoint: keep writing them until stopped")

    def handle(self, *args: Any, **options: Any) -> None:
        buffer.flush()  # events this process still holds belong on the chain before it is judged
        if options["action"] == "head":
            seq, digest = read_head() or (0, "")
            self.stdout.write(f"{seq} {digest}")
            self._checkpoint()
            return
        if options["action"] == "checkpoint":
            self._follow() if options["follow"] else self._checkpoint()
            return
        if options["action"] == "recover":
            recovered = journal.recover_orphans()
            self.stdout.write(f"{recovered} events from the journals of stopped processes chained")
            return
        self._verify(batch_size=options["batch_size"], location=options["checkpoints"])

    def _checkpoint(self) -> None:
        checkpoint, path = checkpoint_write()
        stamped = ", time-stamped" if checkpoint.tsa_token else ""
        self.stderr.write(f"checkpoint of event #{checkpoint.seq} signed{stamped} and appended to {path}")

    def _follow(self) -> None:
        every = settings.AUDIT_CHECKPOINT_SECONDS
        if every <= 0:
            raise CommandError("AUDIT_CHECKPOINT_SECONDS is 0: periodic checkpoints are off")
        while True:
            close_old_connections()
            head = read_head()
            last = last_checkpoint()
            if head is not None and (last is None or (last.seq, last.hash) != tuple(head)):
                self._checkpoint()
            time.sleep(every)

    def _verify(self, *, batch_size: int, location: Path | None) -> None:
        checked, broken = verify(batch_size=batch_size)
        files = checkpoint_files(location)
        try:
            count, problems = checkpoints_verify(files)
        except CheckpointKeyMissing as exc:
            raise CommandError(str(exc)) from None
        for problem in problems:
            self.stderr.write(str(problem))
        failed = f"; {len(problems)} of {count} checkpoints do not hold (listed above)" if problems else ""
        if broken is not None:
            raise CommandError(
                f"audit chain broken at event #{broken.seq}: {broken.reason} ({checked} events verified before it)"
                + failed
            )
        if problems:
            raise CommandError(f"audit chain rewritten or checkpoints altered{failed}")
        where = location or checkpoint_dir()
        pinned = f"{count} signed checkpoints hold" if count else f"no checkpoint found in {where}"
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {checked} events verified; {pinned}"))
