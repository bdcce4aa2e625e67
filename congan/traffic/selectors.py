"""Reads of the traffic module: cameras with their status and uptime, violations in review and
the public plate lookup (unit-scoped except the public lookup, which shows nothing of the owner)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from congan.core.errors import NotFound
from congan.core.scoping import scope_to_viewer, sees_all_units
from congan.traffic.models import Camera, CameraUptimeHour, Evidence, LookupCount, ViolationEvent, ViolationType


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
    if sees_all_units(viewer):
        return events
    unit = getattr(viewer, "unit", None) if getattr(viewer, "is_authenticated", False) else None
    if unit is None:
        return events.none()
    return events.filter(Q(camera__unit__path__startswith=unit.path) | Q(resolving_unit__path__startswith=unit.path))


REVIEW_QUEUES = {
    "review": ("detected",),
    "verified": ("verified",),
    "notice": ("notice_issued", "contested", "forwarded"),
    "paid": ("paid",),
    "done": ("closed", "dismissed"),
    "duplicate": ("duplicate",),
}


def violation_queue(*, viewer: Any, queue: str = "review", plate: str = "", camera: str = "",
                    overdue: bool = False, now: dt.datetime | None = None) -> QuerySet[ViolationEvent]:  # fmt: skip
    """One queue of the review desk, oldest first where a clock runs, newest first otherwise."""
    statuses = REVIEW_QUEUES.get(queue, REVIEW_QUEUES["review"])
    events = violation_in_scope(viewer=viewer).filter(status__in=statuses)
    if plate:
        events = events.filter(plate__startswith=plate)
    if camera:
        events = events.filter(camera__code=camera)
    if overdue:
        now = now or timezone.now()
        events = events.filter(occurred_at__lt=now - dt.timedelta(days=settings.TRAFFIC_IDENTIFY_OWNER_DAYS),
                               owner_identified_at__isnull=True)  # fmt: skip
    events = events.select_related("camera", "violation_type")
    return events.order_by("occurred_at") if queue in ("review", "verified", "notice") else events


def violation_counts(*, viewer: Any, now: dt.datetime | None = None) -> dict[str, int]:
    """How many violations wait in each queue, and how many are past the 10-day identification clock."""
    now = now or timezone.now()
    by_status = dict(violation_in_scope(viewer=viewer).values_list("status").annotate(n=Count("pk")).order_by())
    counts = {queue: sum(by_status.get(status, 0) for status in statuses)
              for queue, statuses in REVIEW_QUEUES.items()}  # fmt: skip
    counts["overdue"] = (
        violation_queue(viewer=viewer, queue="review", overdue=True, now=now).count()
        + violation_queue(viewer=viewer, queue="verified", overdue=True, now=now).count()
    )
    return counts


def violation_detail(*, viewer: Any, event_id: int) -> ViolationEvent:
    event = (
        violation_in_scope(viewer=viewer)
        .select_related("camera", "camera__unit", "violation_type", "vehicle", "owner", "resolving_unit",
                        "reviewed_by", "duplicate_of")
        .filter(pk=event_id)
        .first()
    )  # fmt: skip
    if event is None:
        raise NotFound()
    return event


PUBLIC_UNPAID = ("notice_issued", "contested", "forwarded")
PUBLIC_STATUSES = (*PUBLIC_UNPAID, "paid", "closed")
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


def public_violations(*, plate: str, vehicle_kind: str) -> list[PublicViolation]:
    """The plate's violations with a notice issued, newest first; withdrawn notices are left out.
    ``vehicle_kind`` is "car" or "motorbike" (e-bikes count as motorbikes, trucks and buses as cars)."""
    kinds = MOTORBIKE_KINDS if vehicle_kind in MOTORBIKE_KINDS else ("car", "truck", "bus", "other")
    events = (
        ViolationEvent.objects.filter(plate=plate, vehicle_kind__in=kinds, status__in=PUBLIC_STATUSES)
        .exclude(outcome=ViolationEvent.Outcome.WITHDRAWN)
        .select_related("camera", "camera__unit", "violation_type", "resolving_unit", "vehicle")
        .order_by("-occurred_at")[:100]
    )
    evidence = _first_evidence([event.pk for event in events])
    return [_public_row(event, evidence.get(event.pk, "")) for event in events]


def _first_evidence(event_ids: list[int]) -> dict[int, str]:
    tokens: dict[int, str] = {}
    for event_id, token in (
        Evidence.objects.filter(event_id__in=event_ids).order_by("pk").values_list("event_id", "token")
    ):
        tokens.setdefault(event_id, token)
    return tokens


def _public_row(event: ViolationEvent, evidence_token: str) -> PublicViolation:
    resolving = event.resolving_unit or event.camera.unit
    camera = event.camera
    return PublicViolation(
        plate=event.plate, plate_colour=event.vehicle.get_plate_colour_display() if event.vehicle_id else "",
        vehicle_kind=event.get_vehicle_kind_display(), occurred_at=event.occurred_at,
        place=f"{camera.road}, {camera.name}" if camera.road else camera.name,
        violation_code=event.violation_type.code, violation=event.violation_type.title,
        paid=event.status in ("paid", "closed"), detecting_unit=camera.unit.name, resolving_unit=resolving.name,
        resolving_address=resolving.address, resolving_phone=resolving.phone, evidence_token=evidence_token,
    )  # fmt: skip


def lookups_on(day: dt.date) -> int:
    return LookupCount.objects.filter(day=day).aggregate(total=Sum("lookups"))["total"] or 0


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
    if event.status in PUBLIC_STATUSES and event.outcome != ViolationEvent.Outcome.WITHDRAWN:
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
