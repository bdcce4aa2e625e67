from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congan.core.errors import ApplicationError
from congan.org.models import Unit
from congan.population.importing.batches import file_sha256, find_resumable, import_batch_create, load_mapping
from congan.population.importing.engine import CHUNK_ROWS, run_import
from congan.population.models import ImportBatch


class Command(BaseCommand):
    help = (
        "Population registry tasks. `import FILE --source AGENCY [--mapping FILE]`: upsert an enrichment "
        "file (CSV, XLSX or JSON Lines) by personal ID. Every row is validated; rejected rows are listed "
        "in the batch's reject report; only changed fields are written and recorded in the history. "
        "Rerunning an unfinished import of the same file, source and mapping resumes from its checkpoint; "
        "rerunning a finished one changes nothing."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import an enrichment file")
        imp.add_argument("file", type=Path)
        imp.add_argument("--source", required=True, help="the agency that supplied the file (cơ quan cung cấp)")
        imp.add_argument("--mapping", type=Path, help="JSON or TOML file: source column → field")
        imp.add_argument("--unit", help="code of the unit that owns the batch (default: the province police)")
        imp.add_argument("--chunk", type=int, default=CHUNK_ROWS, help="rows per transaction and checkpoint")
        imp.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, action: str, **options):
        try:
            if action == "import":
                self._import(options)
        except ApplicationError as exc:
            details = f" {exc.details}" if exc.details else ""
            raise CommandError(f"{exc.message}{details}") from exc

    def _import(self, options) -> None:
        path: Path = options["file"].resolve()
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        mapping = {}
        if options["mapping"]:
            mapping = load_mapping(options["mapping"].read_text(encoding="utf-8"), name=options["mapping"].name)
        batch = find_resumable(sha256=file_sha256(path), source_agency=options["source"].strip(), mapping=mapping)
        if batch:
            self.stderr.write(f"Resuming batch #{batch.pk} after row {batch.checkpoint_row}")
        else:
            batch = import_batch_create(
                by="system",
                unit=self._unit(options["unit"]),
                path=path,
                file_name=path.name,
                source_agency=options["source"],
                mapping=mapping,
            )
        progress = None if options["no_progress"] else ProgressBar(self.stderr._out)
        batch = run_import(batch, chunk_rows=options["chunk"], progress=progress)
        if progress:
            progress.close()
        self.stdout.write(
            f"batch #{batch.pk}: {batch.total_rows} rows — created {batch.created_count}, "
            f"updated {batch.updated_count}, unchanged {batch.unchanged_count}, rejected {batch.rejected_count}"
        )
        if batch.rejected_count:
            self.stdout.write(f"reject report: /dan-cu/nhap-du-lieu/{batch.pk}/tu-choi.csv (or the admin)")

    @staticmethod
    def _unit(code: str | None) -> Unit:
        units = Unit.objects.all()
        unit = units.filter(code=code).first() if code else units.filter(kind=Unit.Kind.PROVINCE).first()
        if unit is None:
            raise CommandError(f"unit {code!r} not found" if code else "no province unit: run `congan demo` first")
        return unit


class ProgressBar:
    """A one-line text progress bar on the terminal (only when it is a terminal)."""

    def __init__(self, stream=sys.stderr, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.started = time.monotonic()
        self.interactive = stream.isatty()
        self.last_decile = -1

    def __call__(self, batch: ImportBatch) -> None:
        done = batch.created_count + batch.updated_count + batch.unchanged_count + batch.rejected_count
        total = max(batch.total_rows, done, 1)
        filled = int(self.width * done / total)
        rate = done / max(time.monotonic() - self.started, 1e-6)
        line = f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done:,}/{total:,} rows · {rate:,.0f} rows/s"
        decile = 10 * done // total
        if self.interactive:
            self.stream.write(line)
        elif decile != self.last_decile:  # logs get one line per tenth
            self.stream.write(line.lstrip("\r") + "\n")
        self.last_decile = decile
        self.stream.flush()

    def close(self) -> None:
        if self.interactive:
            self.stream.write("\n")
