"""Reads of the traffic module: cameras with their status and uptime, violations in review and
the public plate lookup (unit-scoped except the public lookup, which shows nothing of the owner)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from congan.core.audit import audit_read
from congan.core.errors import NotFound
from congan.core.prepared import fetch_prepared
from congan.core.scoping import scope_to_viewer
from congan.traffic import labels, lookups
from congan.traffic.models import (
    NOTICE_STATUSES,
    OPEN_NOTICE_STATUSES,
    Camera,
    CameraUptimeHour,
    Evidence,
    Vehicle,
    ViolationEvent,
    ViolationType,
)
from congan.traffic.plates import PlateColour


def visible_cameras(*, viewer: Any) -> QuerySet[Camera]:
    return scope_to_viewer(Camera.objects.filter(active=True), viewer=viewer).select_related("unit")


@dataclass(frozen=True)
class Uptime:
    camera: Camera
    beats: int
    expected: int

    @property
    def percent(self) -> float:
        return round(100 * min(self.beats, self.expected) / self.expected, 1) if self.expected else 0.0


def camera_uptime(*, viewer: Any, days: int = 7, now: dt.datetime | None = None) -> list[Uptime]:
    """Heartbeats received against those expected (one per TRAFFIC_HEARTBEAT_SECONDS) over the
    last ``days``, counting only the time since each camera was installed; worst first."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    cameras = list(visible_cameras(viewer=viewer))
    beats = dict(
        CameraUptimeHour.objects.filter(camera__in=cameras, hour__gte=since)
        .values_list("camera")
        .annotate(total=Sum("beats"))
    )
    rows = []
    for camera in cameras:
        start = since
        if camera.installed_on:
            installed = timezone.make_aware(dt.datetime.combine(camera.installed_on, dt.time()))
            start = max(since, installed)
        expected = max(0, int((now - start).total_seconds() // settings.TRAFFIC_HEARTBEAT_SECONDS))
        rows.append(Uptime(camera=camera, beats=beats.get(camera.pk, 0), expected=expected))
    return sorted(rows, key=lambda row: (row.percent, row.camera.code))


def violation_type_on(code: str, on: dt.date) -> ViolationType | None:
    """The row of the fine tables in force for ``code`` on the day of the violation."""
    rows = ViolationType.objects.filter(code=code, valid_from__lte=on)
    return rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).order_by("-valid_from").first()


def violation_in_scope(*, viewer: Any) -> QuerySet[ViolationEvent]:
    """Violations seen by the viewer's cameras, or sent to the viewer's unit to resolve."""
    events = ViolationEvent.objects.all()
    return scope_to_viewer(events, viewer=viewer, unit_field="camera__unit") | scope_to_viewer(
        events, viewer=viewer, unit_field="resolving_unit"
    )


REVIEW_QUEUES = {
    "review": ("detected",),
    "verified": ("verified",),
    "notice": OPEN_NOTICE_STATUSES,
    "paid": ("paid",),
    "done": ("closed", "dismissed"),
    "duplicate": ("duplicate",),
}


def violation_queue(
    *,
    viewer: Any,
    queue: str = "review",
    plate: str = "",
    camera: str = "",
    overdue: bool = False,
    now: dt.datetime | None = None,
) -> QuerySet[ViolationEvent]:
    """One queue of the review desk, oldest first where a clock runs, newest first otherwise."""
    statuses = REVIEW_QUEUES.get(queue, REVIEW_QUEUES["review"])
    events = violation_in_scope(viewer=viewer).filter(status__in=statuses)
    if plate:
        events = events.filter(plate__startswith=plate)
    if camera:
        events = events.filter(camera__code=camera)
    if overdue:
        events = _past_identification(events, now)
    events = events.select_related("camera", "violation_type")
    return events.order_by("occurred_at") if queue in ("review", "verified", "notice") else events


def violation_counts(*, viewer: Any, now: dt.datetime | None = None) -> dict[str, int]:
    """How many violations wait in each queue, and how many are past the 10-day identification clock."""
    now = now or timezone.now()
    by_status = dict(violation_in_scope(viewer=viewer).values_list("status").annotate(n=Count("pk")).order_by())
    counts = {queue: sum(by_status.get(status, 0) for status in statuses) for queue, statuses in REVIEW_QUEUES.items()}
    waiting_statuses = (*REVIEW_QUEUES["review"], *REVIEW_QUEUES["verified"])
    waiting = violation_in_scope(viewer=viewer).filter(status__in=waiting_statuses)
    counts["overdue"] = _past_identification(waiting, now).count()
    return counts


def _past_identification(events: QuerySet[ViolationEvent], now: dt.datetime | None) -> QuerySet[ViolationEvent]:
    """Those whose owner was not identified within TRAFFIC_IDENTIFY_OWNER_DAYS of detection."""
    due = (now or timezone.now()) - dt.timedelta(days=settings.TRAFFIC_IDENTIFY_OWNER_DAYS)
    return events.filter(occurred_at__lt=due, owner_identified_at__isnull=True)


def violation_detail(*, viewer: Any, event_id: int) -> ViolationEvent:
    event = (
        violation_in_scope(viewer=viewer)
        .select_related(
            "camera",
            "camera__unit",
            "violation_type",
            "vehicle",
            "owner",
            "resolving_unit",
            "reviewed_by",
            "duplicate_of",
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        raise NotFound()
    return event


OWNER_PURPOSE = labels.OWNER_PURPOSE


def _audit_owner_read(*, viewer: Any, event: ViolationEvent, action: str) -> None:
    """One view of a violation, which shows its vehicle's owner: audited against the owner when the
    registry gave one (so the citizen's "who looked me up" lists it), else against the violation."""
    target = event.owner if event.owner_id else event
    audit_read(
        actor=viewer,
        action=action,
        target=target,
        purpose=OWNER_PURPOSE,
        unit=getattr(viewer, "unit_id", None),
        details={"violation": event.pk, "plate": event.plate},
    )


def violation_read(*, viewer: Any, event_id: int) -> ViolationEvent:
    """One violation opened by an officer (its page, the API): unit-scoped and audited."""
    event = violation_detail(viewer=viewer, event_id=event_id)
    _audit_owner_read(viewer=viewer, event=event, action="traffic.violation.view")
    return event


def violation_notice_read(*, viewer: Any, event_id: int) -> ViolationEvent:
    """The notice of a violation (Form 03, with the owner's name and address), for an officer in
    scope: audited like the violation itself."""
    event = violation_detail(viewer=viewer, event_id=event_id)
    if not event.notice_number:
        raise NotFound()
    _audit_owner_read(viewer=viewer, event=event, action="traffic.notice.view")
    return event


MOTORBIKE_KINDS = ("motorbike", "e_bike")


@dataclass(frozen=True)
class PublicViolation:
    """One row of the public lookup: what csgt.vn shows, nothing about the owner."""

    plate: str
    plate_colour: str
    vehicle_kind: str
    occurred_at: dt.datetime
    place: str
    violation_code: str
    violation: str
    paid: bool
    detecting_unit: str
    resolving_unit: str
    resolving_address: str
    resolving_phone: str
    evidence_token: str


CAR_KINDS = ("car", "truck", "bus", "other")
# The public lookup is the hot path of the module (anyone may call it, see bench/violation_ingest):
# one statement on the violations (cameras, units and fine rows come from traffic.lookups), without
# building model instances. Table names come from the models.
PUBLIC_LOOKUP_SQL = f"""
SELECT e.plate, v.plate_colour, e.vehicle_kind, e.occurred_at, e.camera_id, e.violation_type_id, e.status,
       e.resolving_unit_id,
       (SELECT x.token FROM {Evidence._meta.db_table} x WHERE x.event_id = e.id ORDER BY x.id LIMIT 1)
FROM {ViolationEvent._meta.db_table} e LEFT JOIN {Vehicle._meta.db_table} v ON v.id = e.vehicle_id
WHERE e.plate = %s AND e.vehicle_kind IN {{kinds}}
  AND e.status IN ({", ".join(f"'{status}'" for status in NOTICE_STATUSES)}) AND e.outcome <> 'withdrawn'
ORDER BY e.occurred_at DESC LIMIT 100
"""  # noqa: S608 - no user input in the text: the plate is a parameter, the kinds one of two constant lists
LOOKUP_BY_CLASS = {
    vehicle_class: PUBLIC_LOOKUP_SQL.format(kinds="(" + ", ".join(f"'{kind}'" for kind in kinds) + ")")
    for vehicle_class, kinds in (("car", CAR_KINDS), ("motorbike", MOTORBIKE_KINDS))
}


def public_violations(*, plate: str, vehicle_kind: str) -> list[PublicViolation]:
    """The plate's violations with a notice issued, newest first; withdrawn notices are left out.
    ``vehicle_kind`` is "car" or "motorbike" (e-bikes count as motorbikes, trucks and buses as cars)."""
    sql = LOOKUP_BY_CLASS["motorbike" if vehicle_kind in MOTORBIKE_KINDS else "car"]
    language = translation.get_language()
    return [_public_row(row, language) for row in fetch_prepared(sql, [plate])]


def _moment(value: Any) -> dt.datetime:
    """Raw SQLite rows carry date-times as text; PostgreSQL's as aware date-times."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)


@functools.lru_cache(maxsize=256)
def _label(choices: type[models.TextChoices], value: str, language: str) -> str:
    """A choice's label in ``language`` (the lookup is the hot path; translating costs more than this)."""
    return str(choices(value).label)


def _public_row(row: tuple, language: str) -> PublicViolation:
    plate, colour, kind, occurred_at, camera_id, type_id, status, resolving_id, token = row
    place = lookups.camera_place(camera_id)
    detecting, resolving = lookups.office(place.unit_id), lookups.office(resolving_id or place.unit_id)
    code, title = lookups.violation_type(type_id)
    return PublicViolation(
        plate=plate,
        plate_colour=_label(PlateColour, colour, language) if colour else "",
        vehicle_kind=_label(Vehicle.Kind, kind, language),
        occurred_at=_moment(occurred_at),
        place=f"{place.road}, {place.camera}" if place.road else place.camera,
        violation_code=code,
        violation=title,
        paid=status in ("paid", "closed"),
        detecting_unit=detecting.name,
        resolving_unit=resolving.name,
        resolving_address=resolving.address,
        resolving_phone=resolving.phone,
        evidence_token=token or "",
    )


def violation_by_notice_token(token: str) -> ViolationEvent:
    event = (
        ViolationEvent.objects.filter(notice_token=token, notice_number__isnull=False)
        .select_related("camera", "camera__unit", "violation_type", "owner", "resolving_unit")
        .first()
    )
    if not token or event is None:
        raise NotFound()
    return event


def evidence_visible(item: Evidence, *, viewer: Any) -> bool:
    """Public once the violation's notice is out (and not withdrawn); otherwise officers in scope."""
    event = item.event
    if event.status in NOTICE_STATUSES and event.outcome != ViolationEvent.Outcome.WITHDRAWN:
        return True
    if not getattr(viewer, "is_authenticated", False) or not viewer.has_perm("traffic.view_violationevent"):
        return False
    return violation_in_scope(viewer=viewer).filter(pk=event.pk).exists()


def citizen_notices(*, resident: Any) -> QuerySet[ViolationEvent]:
    """The notices sent to a citizen as owner, newest first (withdrawn ones stay listed as closed)."""
    return (
        ViolationEvent.objects.filter(owner=resident, notice_number__isnull=False)
        .select_related("violation_type")
        .order_by("-notice_issued_at")
    )
