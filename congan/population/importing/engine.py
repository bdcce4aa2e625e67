"""The enrichment import: read a file, validate every row, upsert residents chunk by chunk.

Each chunk is one transaction that also moves the batch's checkpoint, so a crash loses at most
the chunk in flight and a rerun of the same batch resumes after the checkpoint without writing
anything twice. Rows are validated once, in Python, for both databases; only the write differs
(``writers.py``): COPY + set-based SQL on PostgreSQL, executemany on SQLite.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.audit import audit_record
from congan.core.errors import ValidationFailed
from congan.core.text import vietnamese_name_sort_string
from congan.org.models import Unit
from congan.population.importing.fields import (
    ENRICHED_PREFIX,
    IGNORED,
    TARGETS,
    CellError,
    Target,
    target_for,
)
from congan.population.importing.readers import Row, open_source
from congan.population.models import ImportBatch
from congan.population.validation import folded_name

CHUNK_ROWS = 5000
COMMUNE_UNIT_KINDS = ("ward", "commune", "special_zone")

folded_name_cached = functools.lru_cache(maxsize=1 << 17)(folded_name)
sort_name_cached = functools.lru_cache(maxsize=1 << 17)(vietnamese_name_sort_string)


@dataclass
class CleanRow:
    row_number: int
    personal_id: str
    values: dict[str, Any]  # resident columns (birth_date already split into year, month, day)
    enriched: dict[str, str]
    unit_id: int = 0


@dataclass
class Reject:
    row_number: int
    field: str
    reason: str


@dataclass
class ChunkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejects: list[Reject] = field(default_factory=list)


ProgressCallback = Callable[[ImportBatch], None]


_PLAIN = frozenset(TARGETS) - {"personal_id", "birth_date"}
_ENRICHED_CUT = len(ENRICHED_PREFIX)


@dataclass(frozen=True)
class Plan:
    """Which cell feeds which target, grouped so the per-row loop does as little as possible."""

    entries: tuple[tuple[int, Target], ...]
    id_index: int
    birth_index: int | None
    plain: tuple[tuple[int, str, Callable[[str], Any]], ...]
    enriched: tuple[tuple[int, str, Callable[[str], Any]], ...]

    @classmethod
    def of(cls, entries: list[tuple[int, Target]]) -> Plan:
        by_name = {target.name: index for index, target in entries}
        return cls(
            entries=tuple(entries),
            id_index=by_name["personal_id"],
            birth_index=by_name.get("birth_date"),
            plain=tuple((i, t.name, t.clean) for i, t in entries if t.name in _PLAIN),
            enriched=tuple(
                (i, t.name[_ENRICHED_CUT:], t.clean) for i, t in entries if t.name.startswith(ENRICHED_PREFIX)
            ),
        )


def plan_columns(header: list[str], mapping: dict[str, str]) -> Plan:
    """Resolve each header cell to its target through the mapping; a file with an unknown
    column, a missing ID column or two columns for one field is refused before any row is read."""
    plan: list[tuple[int, Target]] = []
    unknown: list[str] = []
    used: dict[str, str] = {}
    for index, column in enumerate(header):
        name = (mapping[column] or IGNORED) if column in mapping else column
        name = name.strip()
        if name == IGNORED:
            continue
        target = target_for(name)
        if target is None:
            unknown.append(column)
            continue
        if target.name in used:
            raise ValidationFailed(
                _("Hai cột cùng ghi vào trường %(field)s: %(a)s, %(b)s.")
                % {"field": target.name, "a": used[target.name], "b": column}
            )
        used[target.name] = column
        plan.append((index, target))
    if unknown:
        raise ValidationFailed(
            _('Tệp có cột không xác định; hãy khai báo trong tệp ánh xạ (hoặc ánh xạ về "" để bỏ qua).'),
            details={"columns": unknown},
        )
    if "personal_id" not in used:
        raise ValidationFailed(_("Tệp phải có cột số định danh cá nhân (personal_id)."))
    return Plan.of(plan)


def validate_row(row: Row, plan: Plan) -> CleanRow | list[Reject]:
    """One row to the values to store, or every reason it cannot be stored."""
    number, cells, problem = row
    if problem is None:
        try:
            return _clean_fast(number, cells, plan)
        except CellError:
            pass  # rare: go through the cells again, collecting every problem
    return _clean_reporting(row, plan)


def _clean_fast(number: int, cells: list[str], plan: Plan) -> CleanRow | list[Reject]:
    personal_id = cells[plan.id_index]
    personal_id = TARGETS["personal_id"].clean(personal_id) if personal_id else ""
    if not personal_id:
        raise CellError("")
    values = {name: clean(raw) for index, name, clean in plan.plain if (raw := cells[index]) and not raw.isspace()}
    if plan.birth_index is not None and (raw := cells[plan.birth_index]) and not raw.isspace():
        values["birth_year"], values["birth_month"], values["birth_day"] = TARGETS["birth_date"].clean(raw)
    enriched = {key: clean(raw) for index, key, clean in plan.enriched if (raw := cells[index]) and not raw.isspace()}
    mismatches = _identity_mismatches(number, personal_id, values)
    return mismatches or CleanRow(number, personal_id, values, enriched)


def _clean_reporting(row: Row, plan: Plan) -> CleanRow | list[Reject]:
    number, cells, problem = row
    errors: list[Reject] = [Reject(number, problem[0], problem[1])] if problem else []
    values: dict[str, Any] = {}
    enriched: dict[str, str] = {}
    personal_id = ""
    for index, target in plan.entries:
        raw = cells[index]
        if not raw or raw.isspace():
            continue
        try:
            value = target.clean(raw)
        except CellError as exc:
            errors.append(Reject(number, target.name, exc.reason))
            continue
        name = target.name
        if name in _PLAIN:
            values[name] = value
        elif name == "personal_id":
            personal_id = value
        elif name == "birth_date":
            values["birth_year"], values["birth_month"], values["birth_day"] = value
        else:
            enriched[name[_ENRICHED_CUT:]] = value
    if not personal_id and not any(e.field == "personal_id" for e in errors):
        errors.append(Reject(number, "personal_id", _("Thiếu số định danh cá nhân.")))
    if personal_id:
        errors.extend(_identity_mismatches(number, personal_id, values))
    if errors:
        return errors
    return CleanRow(number, personal_id, values, enriched)


def _identity_mismatches(number: int, personal_id: str, values: dict[str, Any]) -> list[Reject]:
    """The 4th digit encodes sex and century, the 5th–6th the birth year (domain §1)."""
    century_sex = int(personal_id[3])
    mismatches = []
    sex = values.get("sex")
    if sex and sex != ("male" if century_sex % 2 == 0 else "female"):
        mismatches.append(Reject(number, "sex", _("Giới tính không khớp với chữ số thứ 4 của số định danh.")))
    year = values.get("birth_year")
    if year is not None and year != 1900 + 100 * (century_sex // 2) + int(personal_id[4:6]):
        mismatches.append(Reject(number, "birth_date", _("Năm sinh không khớp với số định danh.")))
    return mismatches


def commune_units(default_unit_id: int) -> Callable[[dict[str, Any]], int]:
    """New residents belong to the police of their current (else permanent) commune."""
    by_code = dict(
        Unit.objects.filter(kind__in=COMMUNE_UNIT_KINDS).exclude(area_code="").values_list("area_code", "pk")
    )

    def unit_for(values: dict[str, Any]) -> int:
        return by_code.get(values.get("current_commune") or values.get("permanent_commune") or "", default_unit_id)

    return unit_for


def _rebuild_seen(source, plan, batch: ImportBatch) -> dict[str, int]:
    """On resume: the IDs accepted before the checkpoint, so duplicates are still caught."""
    rejected = set(batch.rejects.values_list("row_number", flat=True))
    id_index = plan.id_index
    seen: dict[str, int] = {}
    for number, cells, _problem in source.rows():
        if number > batch.checkpoint_row:
            break
        if number not in rejected:
            seen.setdefault(cells[id_index].strip(), number)
    return seen


def run_import(
    batch: ImportBatch,
    *,
    chunk_rows: int = CHUNK_ROWS,
    progress: ProgressCallback | None = None,
    writer=None,
    pipeline: bool | None = None,
) -> ImportBatch:
    """Run (or resume) a batch to the end. Raises after marking the batch failed.

    ``pipeline`` (default: settings.IMPORT_PIPELINE, on PostgreSQL only) writes each chunk on a
    second thread while the next one is validated."""
    from congan.population.importing.writers import writer_for

    writer = writer or writer_for(connection)
    pipelined = pipeline if pipeline is not None else settings.IMPORT_PIPELINE and connection.vendor == "postgresql"
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING,
        started_at=batch.started_at or timezone.now(),
        error="",
        updated_at=timezone.now(),
    )
    batch.refresh_from_db()
    try:
        source = open_source(Path(batch.file_path), batch.file_format)
        plan = plan_columns(source.header, batch.mapping or {})
        if not batch.total_rows:
            ImportBatch.objects.filter(pk=batch.pk).update(total_rows=source.estimate_rows())
            batch.refresh_from_db()
        sink = _Pipelined(writer) if pipelined else _Inline(writer)
        try:
            _run_chunks(batch, source, plan, chunk_rows=chunk_rows, progress=progress, sink=sink)
        finally:
            sink.close()
    except Exception as exc:
        message = exc.message if isinstance(exc, ValidationFailed) else f"{type(exc).__name__}: {exc}"
        details = getattr(exc, "details", None)
        if details:
            message = f"{message} {details}"
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.FAILED, error=str(message)[:2000])
        batch.refresh_from_db()
        raise
    batch.refresh_from_db()
    audit_record(
        actor=batch.created_by or "system",
        action="population.import.finish",
        target=batch,
        unit=batch.unit,
        details={
            "source": batch.source_agency,
            "rows": batch.total_rows,
            "created": batch.created_count,
            "updated": batch.updated_count,
            "unchanged": batch.unchanged_count,
            "rejected": batch.rejected_count,
        },
    )
    return batch


class _Inline:
    def __init__(self, writer) -> None:
        self.writer = writer

    def write(self, *args: Any, **kwargs: Any) -> None:
        self.writer.write_chunk(*args, **kwargs)

    def close(self) -> None:
        pass


def _close_thread_connection() -> None:
    connection.close()


class _Pipelined:
    """Writes each chunk on a second thread (with its own database connection) while this thread
    reads and validates the next one, so Python and the database server work at the same time.
    One chunk at most is in flight and chunks commit in file order, so checkpoints keep their
    meaning; a failed write surfaces at the next chunk or at the end."""

    def __init__(self, writer) -> None:
        self.writer = writer
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")
        self.pending: Future | None = None

    def write(self, *args: Any, **kwargs: Any) -> None:
        self.wait()
        self.pending = self.pool.submit(self.writer.write_chunk, *args, **kwargs)

    def wait(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self.pool.submit(_close_thread_connection).result()
            self.pool.shutdown()


def _run_chunks(batch, source, plan, *, chunk_rows, progress, sink) -> None:
    seen = _rebuild_seen(source, plan, batch) if batch.checkpoint_row else {}
    unit_for = commune_units(batch.unit_id)
    clean: list[CleanRow] = []
    rejects: list[Reject] = []
    last_row = batch.checkpoint_row
    for row in source.rows(after=batch.checkpoint_row):
        last_row = row[0]
        result = validate_row(row, plan)
        if isinstance(result, list):
            rejects.extend(result)
        elif (first := seen.setdefault(result.personal_id, result.row_number)) != result.row_number:
            reason = _("Số định danh đã có ở dòng %(row)s của tệp.") % {"row": first}
            rejects.append(Reject(result.row_number, "personal_id", reason))
        else:
            _derive(result, unit_for)
            clean.append(result)
        if len(clean) + len(rejects) >= chunk_rows:
            sink.write(batch, clean, rejects, checkpoint=last_row)
            clean, rejects = [], []
            if progress:
                progress(batch)
    sink.write(batch, clean, rejects, checkpoint=last_row, final=True)
    if progress:
        progress(batch)


def _derive(row: CleanRow, unit_for: Callable[[dict[str, Any]], int]) -> None:
    name = row.values.get("full_name")
    if name:
        row.values["full_name_folded"] = folded_name_cached(name)
        row.values["sort_name"] = sort_name_cached(name)
    row.unit_id = unit_for(row.values)
