"""Dispatch: the nearest suitable units, sending them, their status and position, and the standard
timestamps and intervals of each response.

Travel time comes from a router (``settings.INCIDENTS_ROUTER``): by default the straight-line
distance times a road factor at an urban speed; a self-hosted OSRM or Valhalla can stand behind
the same one-method interface.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from congan.core.audit import audit_enqueue, audit_record
from congan.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.geo import box_lookup, distance_m
from congan.core.models import ApiKey
from congan.core.tallies import tally_apply
from congan.incidents import aggregates
from congan.incidents.models import MAX_ID, Assignment, PatrolUnit, Report
from congan.incidents.selectors import patrol_unit_for_actor, patrol_units, visible_reports
from congan.incidents.services import check_location, record_event
from congan.org.models import Officer

U = PatrolUnit.Status


Point = tuple[float, float]  # latitude, longitude


class Router(Protocol):
    def travel_seconds(self, origin: Point, destination: Point) -> int: ...


class StraightLineRouter:
    """Great-circle distance × road factor at an average urban speed."""

    def __init__(self, road_factor: float = 1.4, speed_kmh: float = 30.0) -> None:
        self.road_factor, self.speed = road_factor, speed_kmh / 3.6

    def travel_seconds(self, origin: Point, destination: Point) -> int:
        return round(distance_m(*origin, *destination) * self.road_factor / self.speed)


def router() -> Router:
    return import_string(settings.INCIDENTS_ROUTER)()


@dataclass(frozen=True)
class Candidate:
    unit: PatrolUnit
    seconds: int | None  # None: the report has no map point, so no distance to rank by
    metres: int | None


# Search boxes (km around the scene) tried in turn until enough teams are found; then every team.
SEARCH_RADII_KM = (3, 10, 30)


def nearest_units(*, report: Report, viewer: Any, limit: int = 5) -> list[Candidate]:
    """Available teams of the viewer's units, of a kind suited to the report, with a known position,
    fastest first. Teams in a box around the scene are ranked first, widening the box until twice
    ``limit`` are found, so a province with a thousand teams costs about what one with ten does.
    A report with no map point still gets its suitable available teams, by call sign and without
    a distance, so the dispatcher can choose one by hand."""
    suitable = patrol_units(viewer=viewer).filter(status=U.AVAILABLE, kind__in=report.kind.suitable_unit_kinds)
    if report.latitude is None or report.longitude is None:
        return [Candidate(unit, None, None) for unit in suitable.order_by("call_sign")[: 2 * limit]]
    ready = suitable.filter(latitude__isnull=False)
    units: list[PatrolUnit] = []
    for km in SEARCH_RADII_KM:
        units = list(ready.filter(**box_lookup(report.latitude, report.longitude, km * 1000)))
        if len(units) >= 2 * limit:
            break
    else:
        units = list(ready)
    destination = (float(report.latitude), float(report.longitude))
    route = router()
    ranked = [
        Candidate(unit, route.travel_seconds(origin, destination), round(distance_m(*origin, *destination)))
        for unit, origin in _placed(units)
    ]
    return sorted(ranked, key=lambda candidate: (candidate.seconds or 0, candidate.unit.call_sign))[:limit]


def _placed(units: list[PatrolUnit]) -> list[tuple[PatrolUnit, Point]]:
    return [
        (unit, (float(unit.latitude), float(unit.longitude)))
        for unit in units
        if unit.latitude is not None and unit.longitude is not None
    ]


def _report_for(by: Officer, report_id: int) -> Report:
    if not by.has_perm("incidents.dispatch_report"):
        raise PermissionDenied()
    report = visible_reports(by, Report.objects.select_for_update(of=("self",))).filter(pk=report_id).first()
    if report is None:
        raise NotFound()
    return report


def dispatch(*, by: Officer, report_id: int, unit_ids: list[int]) -> list[Assignment]:
    """Send available teams of the dispatcher's units to an open report; each must then acknowledge.
    A team outside those units is answered as one that does not exist (404)."""
    if not unit_ids:
        raise ValidationFailed(details={"units": [_("Chọn ít nhất một tổ công tác.")]})
    with transaction.atomic():
        report = _report_for(by, report_id)
        if report.status in (Report.Status.RESOLVED, Report.Status.CLOSED, Report.Status.MERGED):
            raise InvalidTransition(_("Tin báo đã xử lý xong hoặc đã đóng."))
        # OF self: the unit scope joins the teams' units, which are not to be locked.
        storable = [unit_id for unit_id in set(unit_ids) if 0 < unit_id <= MAX_ID]  # others name no team
        units = list(patrol_units(viewer=by).select_for_update(of=("self",)).filter(pk__in=storable))
        if len(units) != len(set(unit_ids)):
            raise NotFound(
                _("Có tổ công tác không tồn tại hoặc ngừng hoạt động."),
                details={"units": sorted(set(unit_ids) - {unit.pk for unit in units})},
            )
        busy = [unit.call_sign for unit in units if unit.status != U.AVAILABLE]
        if busy:
            raise Conflict(_("Tổ đang bận: %(units)s.") % {"units": ", ".join(busy)}, details={"busy": busy})
        now, route = timezone.now(), router()
        counted = aggregates.reports_tally([report.pk])  # the first dispatch starts the intervals
        scene = None
        if report.latitude is not None and report.longitude is not None:
            scene = (float(report.latitude), float(report.longitude))
        assignments = []
        for unit in units:
            seconds = None
            if unit.latitude is not None and unit.longitude is not None and scene is not None:
                seconds = route.travel_seconds((float(unit.latitude), float(unit.longitude)), scene)
            try:
                with transaction.atomic():
                    assignment = Assignment.objects.create(
                        report=report, patrol_unit=unit, dispatched_by=by, dispatched_at=now, estimated_seconds=seconds
                    )
                assignments.append(assignment)
            except IntegrityError as exc:
                raise Conflict(_("Tổ %(unit)s đang có nhiệm vụ khác.") % {"unit": unit.call_sign}) from exc
            unit.status = U.DISPATCHED
            unit.save(update_fields=["status", "updated_at"])
            _audit_status(by, unit, U.AVAILABLE, action="incidents.unit.dispatch", report=report.pk)
        report.dispatched_at = report.dispatched_at or now
        report.status = Report.Status.IN_PROGRESS
        report.save(update_fields=["dispatched_at", "status", "updated_at"])
        tally_apply(aggregates.reports_tally([report.pk]).minus(counted))
        names = ", ".join(unit.call_sign for unit in units)
        record_event(
            report, by=by, action="dispatch", status=report.status, note=_("Đã điều động lực lượng đến hiện trường.")
        )
        record_event(report, by=by, action="dispatch_units", status=report.status, note=names, public=False)
    return assignments


# Each status a unit reports, the assignment timestamp it sets and the statuses it may follow.
_STEPS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "acknowledge": ("acknowledged_at", (U.DISPATCHED,)),
    U.EN_ROUTE: ("en_route_at", (U.DISPATCHED,)),
    U.ON_SCENE: ("on_scene_at", (U.DISPATCHED, U.EN_ROUTE)),
    "clear": ("cleared_at", (U.DISPATCHED, U.EN_ROUTE, U.ON_SCENE)),
    U.OUT_OF_SERVICE: (None, (U.AVAILABLE,)),
    U.AVAILABLE: (None, (U.OUT_OF_SERVICE,)),
}
_NEXT_STATUS = {"acknowledge": U.DISPATCHED, "clear": U.AVAILABLE}


def unit_step(
    *, actor: Officer | ApiKey, unit_id: int, step: str, at: dt.datetime | None = None, outcome: str = ""
) -> PatrolUnit:
    """acknowledge → en_route → on_scene → clear (back to available); out_of_service / available.
    By the team's device, a member, or a dispatcher of its units (selectors.patrol_unit_for_actor).
    ``outcome``: what the team found and did, written with the clear step on the report's timeline."""
    if step not in _STEPS:
        raise ValidationFailed(details={"step": [_("Bước không hợp lệ.")]})
    outcome = " ".join((outcome or "").split())[:2000]
    stamp, allowed = _STEPS[step]
    with transaction.atomic():
        unit = patrol_unit_for_actor(actor=actor, unit_id=unit_id)
        if unit.status not in allowed:
            raise InvalidTransition(
                _("Tổ đang “%(status)s”, không thể chuyển như vậy.") % {"status": unit.get_status_display()},
                details={"status": unit.status},
            )
        at = at or timezone.now()
        if stamp:
            _stamp(unit, stamp, at, actor, outcome=outcome if step == "clear" else "")
        before, unit.status = unit.status, _NEXT_STATUS.get(step, step)
        unit.save(update_fields=["status", "updated_at"])
        _audit_status(actor, unit, before, action=f"incidents.unit.{step}")
    return unit


def _audit_status(actor: Officer | ApiKey, unit: PatrolUnit, before: str, *, action: str, **details: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=unit,
        unit=unit.unit_id,
        details={"from": before, "to": unit.status, **details},
    )


def _stamp(unit: PatrolUnit, stamp: str, at: dt.datetime, actor: Officer | ApiKey, *, outcome: str = "") -> None:
    assignment = Assignment.objects.select_for_update().filter(patrol_unit=unit, cleared_at__isnull=True).first()
    if assignment is None:
        raise InvalidTransition(_("Tổ không có nhiệm vụ đang thực hiện."))
    # The report is locked before anything changes: the response-time figures follow both rows.
    report = Report.objects.select_for_update().get(pk=assignment.report_id)
    counted = aggregates.reports_tally([report.pk])
    if stamp == "on_scene_at" and assignment.acknowledged_at is None:
        assignment.acknowledged_at = at  # arriving implies the order was received
    setattr(assignment, stamp, at)
    assignment.save()
    arrived = stamp == "on_scene_at" and report.on_scene_at is None
    if arrived:
        report.on_scene_at = at
        report.save(update_fields=["on_scene_at", "updated_at"])
    tally_apply(aggregates.reports_tally([report.pk]).minus(counted))
    if arrived:
        record_event(
            report,
            by=actor,
            action="on_scene",
            status=report.status,
            note=_("Lực lượng đã có mặt tại hiện trường."),
            label=unit.unit.name,  # in public a team is named by its police unit, as officers are
        )
    step = {"acknowledged_at": "acknowledge", "en_route_at": "en_route", "cleared_at": "clear"}.get(stamp)
    if step:
        team = f"{unit.call_sign} · {unit.unit.name}"
        note = f"{unit.call_sign}: {outcome}" if outcome else unit.call_sign
        record_event(report, by=actor, action=f"unit_{step}", status=report.status, note=note, public=False, label=team)


def unit_position(
    *, actor: Officer | ApiKey, unit_id: int, latitude: Any, longitude: Any, at: dt.datetime | None = None
) -> PatrolUnit:
    """Tọa độ mới của tổ (từ điện thoại hoặc thiết bị); older fixes than the stored one are ignored.
    Every change is audited through the buffered writer: a device sends one every few seconds, and
    a position is not personal data whose read must be proven before the answer."""
    lat, lon = check_location(latitude, longitude)
    if lat is None:
        raise ValidationFailed(details={"location": [_("Thiếu tọa độ.")]})
    at = at or timezone.now()
    with transaction.atomic():
        unit = patrol_unit_for_actor(actor=actor, unit_id=unit_id)
        moved = unit.position_at is None or at >= unit.position_at
        if moved:
            unit.latitude, unit.longitude, unit.position_at = lat, lon, at
            unit.save(update_fields=["latitude", "longitude", "position_at", "updated_at"])
    if moved:  # after the commit: a rolled-back move leaves no event behind
        audit_enqueue(
            actor=actor,
            action="incidents.unit.position",
            target=unit,
            unit=unit.unit_id,
            details={"latitude": str(lat), "longitude": str(lon)},
        )
    return unit
