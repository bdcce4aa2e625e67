"""Writing validated chunks: the same outcome on both databases, by different means.

``RowWriter`` (SQLite, and any database): read the chunk's residents, diff in Python, write with
executemany/bulk_create. ``CopyWriter`` (PostgreSQL): COPY the chunk into a temporary staging
table, then three set-based statements: drop new rows that lack what a new record needs, record
each changed field in the history and update the residents that changed, insert the new ones.
Both count a resident as updated only when some value differs, so a rerun changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.audit import Actor
from congan.population.importing.engine import ChunkResult, CleanRow, Reject
from congan.population.importing.fields import HISTORY_COLUMNS, RESIDENT_COLUMNS
from congan.population.models import ImportBatch, ImportReject, Resident
from congan.population.services import history_text

CREATED_FIELD = "*"
CREATED_VALUE = "created"
NAME_COLUMNS = ("full_name_folded", "sort_name")
UPDATE_COLUMNS = tuple(c for c in RESIDENT_COLUMNS if c not in ("sex", "birth_year")) + NAME_COLUMNS


def missing_required_reason() -> str:
    return _("Công dân chưa có trong cơ sở dữ liệu; để tạo mới cần họ tên, ngày sinh và giới tính.")


def history_actor(batch: ImportBatch) -> str:
    who = Actor.of(batch.created_by).label if batch.created_by_id else "system"
    return f"{who} · {_('nhập dữ liệu')} #{batch.pk}"


def finish_chunk(batch: ImportBatch, result: ChunkResult, *, checkpoint: int, final: bool) -> None:
    """Rejects, counters and the checkpoint, in the chunk's transaction."""
    ImportReject.objects.bulk_create(
        ImportReject(batch=batch, row_number=r.row_number, field=r.field[:64], reason=r.reason[:500])
        for r in result.rejects
    )
    changes: dict[str, Any] = {
        "checkpoint_row": checkpoint,
        "created_count": F("created_count") + result.created,
        "updated_count": F("updated_count") + result.updated,
        "unchanged_count": F("unchanged_count") + result.unchanged,
        "rejected_count": F("rejected_count") + len({r.row_number for r in result.rejects}),
        "updated_at": timezone.now(),
    }
    if final:
        changes.update(status=ImportBatch.Status.DONE, finished_at=timezone.now())
    ImportBatch.objects.filter(pk=batch.pk).update(**changes)
    if final:
        ImportBatch.objects.filter(pk=batch.pk).update(
            total_rows=F("created_count") + F("updated_count") + F("unchanged_count") + F("rejected_count")
        )
    batch.refresh_from_db()


DATE_COLUMNS = frozenset({"id_card_issued_on", "id_card_expires_on"})
_HISTORY_INSERT = (
    "INSERT INTO population_residentchange"
    " (resident_id, field, old_value, new_value, changed_at, changed_by, source, batch_id)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)
_ROW_INSERT_COLUMNS = (
    "personal_id",
    *RESIDENT_COLUMNS,
    *NAME_COLUMNS,
    "unit_id",
    "enriched",
    "relationship",
    "partner_lookup_locked",
    "created_at",
    "updated_at",
)
_ROW_INSERT = (
    f"INSERT INTO population_resident ({', '.join(_ROW_INSERT_COLUMNS)})"  # noqa: S608
    f" VALUES ({', '.join(['%s'] * len(_ROW_INSERT_COLUMNS))})"
)
_ROW_UPDATE = (
    "UPDATE population_resident SET "  # noqa: S608
    + ", ".join(f"{name} = %s" for name in (*UPDATE_COLUMNS, "enriched", "updated_at"))
    + " WHERE id = %s"
)
_CREATED_HISTORY = (
    "INSERT INTO population_residentchange"  # noqa: S608
    " (resident_id, field, old_value, new_value, changed_at, changed_by, source, batch_id)"
    f" SELECT id, '{CREATED_FIELD}', '', '{CREATED_VALUE}', %s, %s, %s, %s FROM population_resident"
    " WHERE personal_id IN ({})"
)


class ChunkWriter:
    """One chunk = one transaction: the rows, the rejects, the counters and the checkpoint."""

    def write_chunk(
        self, batch: ImportBatch, rows: list[CleanRow], rejects: list[Reject], *, checkpoint: int, final: bool = False
    ) -> ChunkResult:
        with transaction.atomic():
            result = self.write_rows(batch, rows) if rows else ChunkResult()
            result.rejects = rejects + result.rejects
            finish_chunk(batch, result, checkpoint=checkpoint, final=final)
        return result

    def write_rows(self, batch: ImportBatch, rows: list[CleanRow]) -> ChunkResult:
        raise NotImplementedError


class RowWriter(ChunkWriter):
    """Diff in Python; executemany for updates, new residents and history (no ORM objects: a
    chunk holds thousands of rows and model instances would cost more than the database)."""

    LOOKUP_SLICE = 500

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        meta = Resident._meta
        self.defaults = {name: meta.get_field(name).get_default() for name in (*RESIDENT_COLUMNS, *NAME_COLUMNS)}
        self.json_field = meta.get_field("enriched")

    def _value(self, name: str, value: Any) -> Any:
        if name in DATE_COLUMNS and value is not None:
            return self.connection.ops.adapt_datefield_value(value)
        return value

    def _json(self, value: dict) -> Any:
        return self.json_field.get_db_prep_save(value, self.connection)

    def write_rows(self, batch: ImportBatch, rows: list[CleanRow]) -> ChunkResult:
        stored = self._stored(row.personal_id for row in rows)
        now = self.connection.ops.adapt_datetimefield_value(timezone.now())
        by = history_actor(batch)
        provenance = (now, by, batch.source_agency, batch.pk)
        result = ChunkResult()
        updates: list[list[Any]] = []
        history: list[tuple[Any, ...]] = []
        creates: list[list[Any]] = []
        for row in rows:
            current = stored.get(row.personal_id)
            if current is None:
                if not (row.values.get("full_name") and row.values.get("birth_year") and row.values.get("sex")):
                    result.rejects.append(Reject(row.row_number, "personal_id", missing_required_reason()))
                    continue
                creates.append(self._new_row(batch, row, now))
                continue
            changes = self._changes(current, row)
            if not changes:
                result.unchanged += 1
                continue
            updates.append(self._update_row(batch, current, row, now))
            history.extend(
                (current["pk"], name, history_text(old), history_text(new), *provenance) for name, old, new in changes
            )
        with self.connection.cursor() as cursor:
            if updates:
                cursor.executemany(_ROW_UPDATE, updates)
            if creates:
                cursor.executemany(_ROW_INSERT, creates)
                self._created_history(cursor, [values[0] for values in creates], provenance)
            if history:
                cursor.executemany(_HISTORY_INSERT, history)
        result.created = len(creates)
        result.updated = len(updates)
        return result

    def _created_history(self, cursor, personal_ids: list[str], provenance: tuple[Any, ...]) -> None:
        for start in range(0, len(personal_ids), self.LOOKUP_SLICE):
            ids = personal_ids[start : start + self.LOOKUP_SLICE]
            cursor.execute(_CREATED_HISTORY.format(", ".join(["%s"] * len(ids))), [*provenance, *ids])

    def _stored(self, personal_ids) -> dict[str, dict[str, Any]]:
        ids = list(personal_ids)
        stored: dict[str, dict[str, Any]] = {}
        columns = ("pk", "personal_id", *UPDATE_COLUMNS, "enriched")
        for start in range(0, len(ids), self.LOOKUP_SLICE):
            for record in Resident.objects.filter(personal_id__in=ids[start : start + self.LOOKUP_SLICE]).values(
                *columns
            ):
                stored[record["personal_id"]] = record
        return stored

    @staticmethod
    def _changes(current: dict[str, Any], row: CleanRow) -> list[tuple[str, Any, Any]]:
        changes = [
            (name, current[name], value)
            for name, value in row.values.items()
            if name in HISTORY_COLUMNS and current[name] != value
        ]
        enriched = current["enriched"] or {}
        for name, value in row.enriched.items():
            old = (enriched.get(name) or {}).get("v")
            if old != value:
                changes.append((f"enriched.{name}", old, value))
        return changes

    def _update_row(self, batch: ImportBatch, current: dict[str, Any], row: CleanRow, now: Any) -> list[Any]:
        values = row.values
        enriched = dict(current["enriched"] or {})
        for name, value in row.enriched.items():
            if (enriched.get(name) or {}).get("v") != value:
                enriched[name] = {"v": value, "b": batch.pk}
        merged = [self._value(name, values.get(name, current[name])) for name in UPDATE_COLUMNS]
        return [*merged, self._json(enriched), now, current["pk"]]

    def _new_row(self, batch: ImportBatch, row: CleanRow, now: Any) -> list[Any]:
        values, defaults = row.values, self.defaults
        enriched = {name: {"v": value, "b": batch.pk} for name, value in row.enriched.items()}
        return [
            row.personal_id,
            *(self._value(name, values.get(name, defaults[name])) for name in (*RESIDENT_COLUMNS, *NAME_COLUMNS)),
            row.unit_id,
            self._json(enriched),
            "",
            False,
            now,
            now,
        ]


_STAGE = "population_import_stage"
_STAGE_TYPES = {
    "birth_year": "smallint",
    "birth_month": "smallint",
    "birth_day": "smallint",
    "id_card_issued_on": "date",
    "id_card_expires_on": "date",
}


def _as_text_sql(column: str, alias: str) -> str:
    kind = _STAGE_TYPES.get(column, "text")
    if kind == "date":
        return f"to_char({alias}.{column}, 'YYYY-MM-DD')"
    if kind == "smallint":
        return f"{alias}.{column}::text"
    return f"{alias}.{column}"


class CopyWriter(ChunkWriter):
    """PostgreSQL: COPY into a temporary staging table, then set-based merge."""

    def __init__(self, connection) -> None:
        self.connection = connection

    def write_rows(self, batch: ImportBatch, rows: list[CleanRow]) -> ChunkResult:
        now = timezone.now()
        params = {"now": now, "by": history_actor(batch), "source": batch.source_agency, "batch": batch.pk}
        with self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")  # compiling these statements costs more than it saves
            self._stage(cursor, rows)
            cursor.execute(_DROP_INCOMPLETE_NEW)
            missing = [row_no for (row_no,) in cursor.fetchall()]
            cursor.execute(_UPDATE_CHANGED, params)
            updated = cursor.rowcount
            cursor.execute(_INSERT_NEW, {**params, **_defaults()})
            created = cursor.rowcount
        result = ChunkResult(created=created, updated=updated)
        result.unchanged = len(rows) - len(missing) - created - updated
        result.rejects = [Reject(row_no, "personal_id", missing_required_reason()) for row_no in sorted(missing)]
        return result

    def _stage(self, cursor, rows: list[CleanRow]) -> None:
        cursor.execute(_CREATE_STAGE)
        cursor.execute(f"TRUNCATE {_STAGE}")
        columns = ", ".join(_STAGE_COLUMNS)
        with cursor.cursor.copy(f"COPY {_STAGE} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = row.values
                copy.write_row(
                    (
                        row.row_number,
                        row.personal_id,
                        *[values.get(name) for name in RESIDENT_COLUMNS],
                        values.get("full_name_folded"),
                        values.get("sort_name"),
                        row.unit_id,
                        json.dumps(row.enriched, ensure_ascii=False) if row.enriched else None,
                    )
                )


_STAGE_COLUMNS = ("row_no", "personal_id", *RESIDENT_COLUMNS, *NAME_COLUMNS, "unit_id", "enriched")
_CREATE_STAGE = (
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGE} ("
    + ", ".join(
        f"{name} {_STAGE_TYPES.get(name, 'text')}" for name in ("personal_id", *RESIDENT_COLUMNS, *NAME_COLUMNS)
    )
    + ", row_no integer, unit_id bigint, enriched jsonb)"
)
_EXISTS = "EXISTS (SELECT 1 FROM population_resident r WHERE r.personal_id = s.personal_id)"
_DROP_INCOMPLETE_NEW = f"""
DELETE FROM {_STAGE} s
WHERE (s.full_name IS NULL OR s.birth_year IS NULL OR s.sex IS NULL) AND NOT {_EXISTS}
RETURNING s.row_no
"""  # noqa: S608
_CORE_PAIRS = ",\n".join(
    f"('{name}', {_as_text_sql(name, 'r')}, {_as_text_sql(name, 's')}, s.{name} IS DISTINCT FROM r.{name})"
    for name in HISTORY_COLUMNS
)
_ENRICHED_MERGE = (
    "(SELECT jsonb_object_agg(e.key, jsonb_build_object('v', e.value, 'b', %(batch)s::bigint))"
    " FROM jsonb_each_text(s.enriched) e WHERE (r.enriched -> e.key ->> 'v') IS DISTINCT FROM e.value)"
)
_UPDATE_CHANGED = f"""
WITH changes AS (
    INSERT INTO population_residentchange
        (resident_id, field, old_value, new_value, changed_at, changed_by, source, batch_id)
    SELECT r.id, v.field, COALESCE(v.old_value, ''), v.new_value, %(now)s, %(by)s, %(source)s, %(batch)s
    FROM {_STAGE} s
    JOIN population_resident r ON r.personal_id = s.personal_id
    CROSS JOIN LATERAL (
        SELECT * FROM (VALUES {_CORE_PAIRS}) AS core (field, old_value, new_value, differs)
        UNION ALL
        SELECT 'enriched.' || e.key, r.enriched -> e.key ->> 'v', e.value,
               (r.enriched -> e.key ->> 'v') IS DISTINCT FROM e.value
        FROM jsonb_each_text(s.enriched) e
    ) AS v
    WHERE v.new_value IS NOT NULL AND v.differs
    RETURNING resident_id
), changed AS (SELECT DISTINCT resident_id FROM changes)
UPDATE population_resident r SET
    {", ".join(f"{name} = COALESCE(s.{name}, r.{name})" for name in UPDATE_COLUMNS)},
    enriched = r.enriched || COALESCE({_ENRICHED_MERGE}, '{{}}'::jsonb),
    updated_at = %(now)s
FROM {_STAGE} s, changed c
WHERE r.id = c.resident_id AND s.personal_id = r.personal_id
"""  # noqa: S608
_INSERT_COLUMNS = ("personal_id", *RESIDENT_COLUMNS, *NAME_COLUMNS)
_INSERT_NEW = f"""
WITH created AS (
    INSERT INTO population_resident
        ({", ".join(_INSERT_COLUMNS)}, unit_id, enriched, relationship, partner_lookup_locked, created_at, updated_at)
    SELECT s.personal_id,
        {", ".join(f"COALESCE(s.{name}, %(default_{name})s)" for name in (*RESIDENT_COLUMNS, *NAME_COLUMNS))},
        s.unit_id,
        COALESCE((SELECT jsonb_object_agg(e.key, jsonb_build_object('v', e.value, 'b', %(batch)s::bigint))
                  FROM jsonb_each_text(s.enriched) e), '{{}}'::jsonb),
        '', false, %(now)s, %(now)s
    FROM {_STAGE} s
    WHERE NOT {_EXISTS}
    RETURNING id
), history AS (
    INSERT INTO population_residentchange
        (resident_id, field, old_value, new_value, changed_at, changed_by, source, batch_id)
    SELECT id, '{CREATED_FIELD}', '', '{CREATED_VALUE}', %(now)s, %(by)s, %(source)s, %(batch)s FROM created
)
SELECT 1 FROM created
"""  # noqa: S608


def _defaults() -> dict[str, Any]:
    meta = Resident._meta
    return {f"default_{name}": meta.get_field(name).get_default() for name in (*RESIDENT_COLUMNS, *NAME_COLUMNS)}


def writer_for(connection) -> RowWriter | CopyWriter:
    return CopyWriter(connection) if connection.vendor == "postgresql" else RowWriter()
