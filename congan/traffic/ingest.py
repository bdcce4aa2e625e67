"""Ingestion of camera-detected violation events, one or thousands at a time.

Every item is checked on its own: a malformed item is rejected with its reasons while the rest are
accepted. An event is accepted once per (camera, idempotency key): sending it again answers
"repeated" with the first event's id. An event of the same camera, plate and violation within
``TRAFFIC_DUPLICATE_WINDOW_SECONDS`` of an accepted one is kept but marked as its duplicate, so an
officer reviews one violation, not five frames of it. An unreadable plate is not malformed: the
event waits for an officer to read the evidence.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from congan.core.audit import Actor, audit_record
from congan.core.errors import ValidationFailed
from congan.core.models import ApiKey
from congan.core.tallies import tally_apply
from congan.org.actors import OfficerOrSystem
from congan.traffic import aggregates
from congan.traffic.models import Camera, Vehicle, ViolationEvent, ViolationType
from congan.traffic.plate_reader import PlateReader, PlateReaderUnavailable, PlateReading
from congan.traffic.plates import parse_plate
from congan.traffic.services import evidence_check, evidence_save

logger = logging.getLogger(__name__)
MAX_BATCH = 5000
MAX_EVIDENCE = 10
MAX_AGE = dt.timedelta(days=365)
STATUSES = ("created", "duplicate", "repeated", "rejected")
VEHICLE_KINDS = frozenset(Vehicle.Kind.values)


@dataclass
class ItemResult:
    index: int
    status: str  # created | duplicate | repeated | rejected
    id: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


def _moment(value: Any, errors: dict[str, list[str]]) -> dt.datetime | None:
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        errors["occurred_at"] = [_("Thời điểm vi phạm theo ISO 8601, ví dụ 2026-11-22T08:30:00+07:00.")]
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    now = timezone.now()
    if moment > now + dt.timedelta(minutes=5) or moment < now - MAX_AGE:
        errors["occurred_at"] = [_("Thời điểm vi phạm không thể ở tương lai hoặc quá một năm trước.")]
        return None
    return moment.astimezone(dt.UTC)


def _plate(item: dict[str, Any], kind: str) -> tuple[str, str]:
    """(as read, canonical or "" when unreadable)."""
    read = str(item.get("plate") or "")[:20]
    try:
        parsed = parse_plate(read, motorbike=kind in (Vehicle.Kind.MOTORBIKE, Vehicle.Kind.E_BIKE))
    except ValidationFailed:
        return read, ""
    return read, parsed.canonical


def _number(item: dict[str, Any], name: str, errors: dict[str, list[str]], top: float) -> float | None:
    value = item.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= top:
        errors[name] = [_("Giá trị từ 0 đến %(top)s.") % {"top": top}]
        return None
    return value


def _check(item: Any, cameras: dict[str, Camera], types: dict[str, list[ViolationType]]) -> tuple[dict, dict]:
    if not isinstance(item, dict):
        return {}, {"item": [_("Mỗi sự kiện là một đối tượng JSON.")]}
    errors: dict[str, list[str]] = {}
    camera = cameras.get(str(item.get("camera") or ""))
    if camera is None:
        errors["camera"] = [_("Không có camera đang sử dụng với mã này.")]
    key = str(item.get("idempotency_key") or "").strip()
    if not key or len(key) > 64:
        errors["idempotency_key"] = [_("Cần khóa chống gửi trùng (1–64 ký tự).")]
    occurred_at = _moment(item.get("occurred_at"), errors)
    kind = str(item.get("vehicle_kind") or "")
    if kind not in VEHICLE_KINDS:
        errors["vehicle_kind"] = [_("Loại phương tiện không hợp lệ.")]
    violation = None
    if occurred_at is not None:
        on = timezone.localdate(occurred_at)
        violation = next(
            (
                row
                for row in types.get(str(item.get("violation_type") or ""), [])
                if row.valid_from <= on and (row.valid_to is None or row.valid_to >= on)
            ),
            None,
        )
        if violation is None:
            errors["violation_type"] = [_("Không có loại vi phạm với mã này vào ngày vi phạm.")]
    evidence = item.get("evidence_urls") or []
    if (
        not isinstance(evidence, list)
        or len(evidence) > MAX_EVIDENCE
        or not all(isinstance(url, str) and 0 < len(url) <= 500 for url in evidence)
    ):
        errors["evidence_urls"] = [_("Tối đa 10 đường dẫn, mỗi đường dẫn tối đa 500 ký tự.")]
    confidence = _number(item, "read_confidence", errors, 1)
    speed = _number(item, "measured_speed_kmh", errors, 400)
    limit = _number(item, "speed_limit_kmh", errors, 200)
    if errors:
        return {}, errors
    read, plate = _plate(item, kind)
    return {
        "camera": camera,
        "occurred_at": occurred_at,
        "plate_read": read,
        "plate": plate,
        "read_confidence": confidence,
        "vehicle_kind": kind,
        "violation_type": violation,
        "measured_speed_kmh": speed,
        "speed_limit_kmh": limit if limit is not None else camera.speed_limit_kmh,
        "evidence_urls": evidence,
        "idempotency_key": key,
    }, {}


TwinKey = tuple[int, str, int]


def _twin_key(camera_id: int, plate: str, violation_type_id: int) -> TwinKey:
    return camera_id, plate, violation_type_id


def _earlier_twin(values: dict, recent: dict[TwinKey, list[_Row]]) -> _Row | None:
    """An accepted (not duplicate) event of the same camera, plate and violation close in time."""
    window = dt.timedelta(seconds=settings.TRAFFIC_DUPLICATE_WINDOW_SECONDS)
    same = recent.get(_twin_key(values["camera"].pk, values["plate"], values["violation_type"].pk), [])
    return next(
        (
            event
            for event in same
            if event.status != "duplicate" and abs(event.occurred_at - values["occurred_at"]) <= window
        ),
        None,
    )


def status_counts(results: list[ItemResult]) -> dict[str, int]:
    return {status: sum(1 for result in results if result.status == status) for status in STATUSES}


def events_ingest(*, by: ApiKey | OfficerOrSystem, items: list[Any]) -> list[ItemResult]:
    """Accept what is well formed, reject the rest item by item; one audit record per call."""
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH:
        raise ValidationFailed(details={"items": [_("Gửi từ 1 đến 5.000 sự kiện mỗi lần.")]})
    codes = {str(item.get("camera")) for item in items if isinstance(item, dict)}
    cameras = {camera.code: camera for camera in Camera.objects.filter(code__in=codes, active=True)}
    types: dict[str, list[ViolationType]] = {}
    for row in ViolationType.objects.all():
        types.setdefault(row.code, []).append(row)
    results: list[ItemResult] = []
    checked: list[tuple[int, dict]] = []
    for index, item in enumerate(items):
        values, errors = _check(item, cameras, types)
        if errors:
            results.append(ItemResult(index=index, status="rejected", errors=errors))
        else:
            checked.append((index, values))
    with transaction.atomic():
        results += _store(checked)
        audit_record(actor=Actor.of(by), action="traffic.events.ingest", details=status_counts(results))
    return sorted(results, key=lambda result: result.index)


def _read_plate(upload: Any, reader_factory: Callable[[], PlateReader]) -> PlateReading | None:
    """The plate in the first image (a plate crop), or None: a reader that is not configured or
    cannot run leaves the plate to the reviewing officer rather than losing the event."""
    try:
        reader = reader_factory()
    except PlateReaderUnavailable as exc:
        logger.warning("plate reader unavailable, event kept for review: %s", exc)
        return None
    reading = reader.read(upload.read())
    upload.seek(0)
    return reading


def event_ingest_with_evidence(
    *,
    by: ApiKey | OfficerOrSystem,
    item: Any,
    uploads: list[Any],
    reader_factory: Callable[[], PlateReader] | None = None,
) -> ItemResult:
    """One event with its evidence images in one request. When the camera sent no plate text, the
    plate reader (Tesseract or the operator's ONNX model) reads the first image, which should be
    the plate crop."""
    checked = evidence_check(uploads, max_bytes=settings.TRAFFIC_EVIDENCE_MAX_BYTES)
    if isinstance(item, dict) and not item.get("plate") and checked and reader_factory is not None:
        reading = _read_plate(checked[0][0], reader_factory)
        if reading is not None:
            # The text as read keeps its separators: they tell 29-B1 1234 from 29B-112.34.
            item = {**item, "plate": reading.raw or reading.text, "read_confidence": round(reading.confidence, 3)}
    with transaction.atomic():
        [result] = events_ingest(by=by, items=[item])
        if result.status in ("created", "duplicate") and checked:
            evidence_save(ViolationEvent.objects.get(pk=result.id), checked)
    return result


@dataclass(slots=True)
class _Row:
    """An event on its way to the table (or one already there, for duplicate detection): no model
    instance, which would cost more than the rest of the batch put together."""

    camera_id: int
    plate: str
    violation_type_id: int
    occurred_at: dt.datetime
    status: str
    pk: int | None = None
    values: dict | None = None
    duplicate_of: _Row | None = None


def _recent(checked: list[tuple[int, dict]]) -> dict[TwinKey, list[_Row]]:
    """Stored events of the batch's plates close in time to it, by camera, plate and violation."""
    window = dt.timedelta(seconds=settings.TRAFFIC_DUPLICATE_WINDOW_SECONDS)
    moments = [values["occurred_at"] for _index, values in checked]
    plates = {values["plate"] for _index, values in checked if values["plate"]}
    recent: dict[TwinKey, list[_Row]] = {}
    stored = ViolationEvent.objects.filter(
        plate__in=plates, occurred_at__gte=min(moments) - window, occurred_at__lte=max(moments) + window
    )
    for pk, camera_id, plate, type_id, occurred_at, status in stored.values_list(
        "pk", "camera_id", "plate", "violation_type_id", "occurred_at", "status"
    ):
        recent.setdefault(_twin_key(camera_id, plate, type_id), []).append(
            _Row(camera_id, plate, type_id, occurred_at, status, pk=pk)
        )
    return recent


def _stored_keys(keys: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """Ids of the events already stored under these (camera, idempotency key) pairs. On PostgreSQL
    each pair probes the unique (camera, key) index; a filter on the keys alone is a scan of the
    whole table once it holds a million events."""
    if connection.vendor == "postgresql":
        cameras, idempotency_keys = zip(*keys, strict=True)
        with connection.cursor() as cursor:
            cursor.execute(STORED_KEYS_SQL, [list(cameras), list(idempotency_keys)])
            return {(camera_id, key): pk for pk, camera_id, key in cursor.fetchall()}
    stored = ViolationEvent.objects.filter(idempotency_key__in={key for _camera, key in keys})
    return {
        (camera_id, key): pk
        for pk, camera_id, key in stored.values_list("pk", "camera_id", "idempotency_key")
        if (camera_id, key) in keys
    }


def _store(checked: list[tuple[int, dict]]) -> list[ItemResult]:
    if not checked:
        return []
    keys = {(values["camera"].pk, values["idempotency_key"]) for _index, values in checked}
    existing = _stored_keys(keys)
    recent = _recent(checked)
    results: list[ItemResult] = []
    fresh: list[tuple[int, _Row]] = []
    seen: dict[tuple[int, str], _Row] = {}
    repeats_in_batch: list[tuple[ItemResult, _Row]] = []
    for index, values in checked:
        key = (values["camera"].pk, values["idempotency_key"])
        if key in existing:
            results.append(ItemResult(index=index, status="repeated", id=existing[key]))
            continue
        if key in seen:
            result = ItemResult(index=index, status="repeated")
            results.append(result)
            repeats_in_batch.append((result, seen[key]))
            continue
        twin = _earlier_twin(values, recent) if values["plate"] else None
        row = _Row(
            values["camera"].pk,
            values["plate"],
            values["violation_type"].pk,
            values["occurred_at"],
            "duplicate" if twin else "detected",
            values=values,
            duplicate_of=twin,
        )
        seen[key] = row
        fresh.append((index, row))
        if values["plate"]:
            recent.setdefault(_twin_key(row.camera_id, row.plate, row.violation_type_id), []).append(row)
    # Originals first: a duplicate may point at an event of this very batch.
    for status in ("detected", "duplicate"):
        _insert([row for _index, row in fresh if row.status == status])
    tally_apply(aggregates.events_tally(row for _index, row in fresh))  # the statistics, in this transaction
    for index, row in fresh:
        results.append(
            ItemResult(index=index, status=row.status if row.status == "duplicate" else "created", id=row.pk)
        )
    for result, row in repeats_in_batch:
        result.id = row.pk
    return results


INSERT_COLUMNS = (
    "camera_id",
    "occurred_at",
    "plate_read",
    "plate",
    "read_confidence",
    "vehicle_kind",
    "violation_type_id",
    "measured_speed_kmh",
    "speed_limit_kmh",
    "evidence_urls",
    "idempotency_key",
    "status",
    "duplicate_of_id",
    "owner_organisation",
    "dismissal_reason",
    "outcome",
    "created_at",
    "updated_at",
)
# PostgreSQL: one INSERT … SELECT FROM unnest(arrays) RETURNING id per batch, ids in row order.
PG_TYPES = (
    "bigint",
    "timestamptz",
    "text",
    "text",
    "float8",
    "text",
    "bigint",
    "int",
    "int",
    "text",
    "text",
    "text",
    "bigint",
    "text",
    "text",
    "text",
    "timestamptz",
    "timestamptz",
)


def _tuple(row: _Row, now: dt.datetime) -> tuple:
    values = row.values
    return (
        row.camera_id,
        row.occurred_at,
        values["plate_read"],
        row.plate,
        values["read_confidence"],
        values["vehicle_kind"],
        row.violation_type_id,
        values["measured_speed_kmh"],
        values["speed_limit_kmh"],
        json.dumps(values["evidence_urls"]),
        values["idempotency_key"],
        row.status,
        row.duplicate_of.pk if row.duplicate_of else None,
        "",
        "",
        "",
        now,
        now,
    )


_TABLE, _NAMES = ViolationEvent._meta.db_table, ", ".join(INSERT_COLUMNS)
PG_INSERT = (
    f"INSERT INTO {_TABLE} ({_NAMES}) SELECT "  # noqa: S608 - column names and types are constants
    + ", ".join(f"u.{name}::jsonb" if name == "evidence_urls" else f"u.{name}" for name in INSERT_COLUMNS)
    + " FROM unnest("
    + ", ".join(f"%s::{kind}[]" for kind in PG_TYPES)
    + f") AS u({_NAMES}) RETURNING id"
)
# LATERAL … LIMIT 1: one probe of the unique (camera, key) index per pair; left to itself (or with
# a plain join) the planner hashes the whole table, misjudging how many pairs match.
STORED_KEYS_SQL = (
    "SELECT e.id, e.camera_id, e.idempotency_key FROM unnest(%s::bigint[], %s::varchar[]) AS k(camera_id, key) "  # noqa: S608 - constant names
    f"CROSS JOIN LATERAL (SELECT id, camera_id, idempotency_key FROM {_TABLE} "
    "WHERE camera_id = k.camera_id AND idempotency_key = k.key LIMIT 1) e"
)
ROW_INSERT = f"INSERT INTO {_TABLE} ({_NAMES}) VALUES ({', '.join(['%s'] * len(INSERT_COLUMNS))})"  # noqa: S608


def _insert(rows: list[_Row]) -> None:
    """Write the rows and give each its id (one statement on PostgreSQL, one per row on SQLite)."""
    if not rows:
        return
    now = timezone.now()
    tuples = [_tuple(row, now) for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_INSERT, [list(column) for column in zip(*tuples, strict=True)])
            for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                row.pk = pk
            return
        for row, values in zip(rows, tuples, strict=True):
            cursor.execute(
                ROW_INSERT,
                [
                    connection.ops.adapt_datetimefield_value(value) if isinstance(value, dt.datetime) else value
                    for value in values
                ],
            )
            row.pk = cursor.lastrowid
