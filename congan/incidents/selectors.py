"""Reads of the incidents module: the triage queue, a report for its handling officers (reading the
reporter's identity is audited), the public status by tracking code, duplicate suggestions."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.audit import audit_read
from congan.core.errors import NotFound
from congan.core.geo import box_lookup, distance_m
from congan.core.limits import rate_limit_client
from congan.core.models import ApiKey
from congan.core.scoping import scope_to_viewer, sees_all_units
from congan.incidents import intake, labels
from congan.incidents.intervals import INTERVALS, intervals_of, percentiles
from congan.incidents.models import Assignment, PatrolUnit, Priority, Report, ReportEvent, ReportKind, ReportMedia

TRACK_ATTEMPTS, TRACK_WINDOW = 30, 600
OPEN_STATUSES = (Report.Status.RECEIVED, Report.Status.TRIAGED, Report.Status.IN_PROGRESS)


def kinds() -> QuerySet[ReportKind]:
    return ReportKind.objects.filter(active=True).select_related("parent").order_by("code")


def handled_by(viewer: Any) -> Q:
    """Reports of the viewer's units: the commune's, and the department's for its kinds."""
    unit = getattr(viewer, "unit", None)
    if unit is None:
        return Q(pk__in=[])
    return Q(unit__path__startswith=unit.path) | Q(department__path__startswith=unit.path)


def visible_reports(viewer: Any, reports: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """The reports the viewer's units handle (all with the view-all permission)."""
    reports = Report.objects.all() if reports is None else reports
    return reports if sees_all_units(viewer) else reports.filter(handled_by(viewer))


def _visible(viewer: Any) -> QuerySet[Report]:
    return visible_reports(viewer, Report.objects.select_related("kind", "unit", "department"))


def triage_queue(*, viewer: Any, status: str = "open", priority: str = "", kind: str = "") -> QuerySet[Report]:
    """Most urgent first, then oldest first."""
    reports = _visible(viewer)
    if status == "open":
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif status:
        reports = reports.filter(status=status)
    if priority:
        reports = reports.filter(priority=priority)
    if kind:
        reports = reports.filter(Q(kind__code=kind) | Q(kind__code__startswith=f"{kind}."))
    return reports.order_by("priority_rank", "received_at")


def report_for_officer(*, viewer: Any, report_id: int) -> Report:
    try:
        return _visible(viewer).get(pk=report_id)
    except Report.DoesNotExist as exc:
        raise NotFound() from exc


REPORTER_PURPOSE = labels.REPORTER_PURPOSE


@dataclass(frozen=True)
class ReportView:
    report: Report
    reporter: dict[str, str] | None  # None: anonymous, or the officer may not see who reported it


def report_view(*, viewer: Any, report_id: int) -> ReportView:
    """A report for its handling officer's page, with who reported it when the officer holds
    ``incidents.view_reporter``. Every view is audited once (who, which report, its unit, whether
    the reporter's identity was shown): the page shows personal data."""
    report = report_for_officer(viewer=viewer, report_id=report_id)
    reporter = _reporter_contact(viewer=viewer, report=report)
    audit_read(
        actor=viewer,
        action="incidents.report.view",
        target=report,
        unit=report.unit_id,
        purpose=REPORTER_PURPOSE,
        details={"tracking_code": report.tracking_code, "reporter_shown": reporter is not None},
    )
    return ReportView(report, reporter)


def _reporter_contact(*, viewer: Any, report: Report) -> dict[str, str] | None:
    """Name, phone and identified resident of the reporter; None for anonymous reports or without
    the permission. Read only through ``report_view``, which audits it."""
    if report.anonymous or not viewer.has_perm("incidents.view_reporter"):
        return None
    resident = report.reporter
    return {
        "name": report.reporter_name or (resident.full_name if resident else ""),
        "phone": report.reporter_phone or (resident.phone if resident else ""),
        "personal_id": resident.personal_id if resident else "",
    }


def report_media_download(*, viewer: Any, report_id: int, media_id: int) -> ReportMedia:
    """A photo or video of a report the viewer handles (NotFound otherwise); every download is
    audited (a photo may show a face, an identity card, a plate)."""
    report = report_for_officer(viewer=viewer, report_id=report_id)
    item = ReportMedia.objects.filter(report=report, pk=media_id).first()
    if item is None:
        raise NotFound()
    audit_read(
        actor=viewer,
        action="incidents.report.media_view",
        target=item,
        unit=report.unit_id,
        purpose=REPORTER_PURPOSE,
        details={"report": report.pk, "tracking_code": report.tracking_code, "name": item.original_name},
    )
    return item


def public_report(*, tracking_code: str, client_ip: str | None) -> Report:
    """The public status of a report by its tracking code (rate limited per address)."""
    rate_limit_client(name="report-track", client_ip=client_ip, limit=TRACK_ATTEMPTS, window_seconds=TRACK_WINDOW)
    code = (tracking_code or "").strip().upper()[:16]
    report = Report.objects.select_related("kind", "unit", "duplicate_of").filter(tracking_code=code).first()
    if report is None:
        raise NotFound(_("Không tìm thấy tin báo với mã này."))
    return report


def public_events(*, report: Report) -> QuerySet[ReportEvent]:
    return report.events.filter(public=True).order_by("at", "pk")


def public_timeline(*, report: Report) -> list[ReportEvent]:
    """What the reporter sees: the public entries, and for a report the quick intake path accepted
    a moment ago, the receipt its completer is writing (congan.incidents.intake)."""
    events = list(public_events(report=report))
    if report.intake_pending:
        events.insert(0, intake.receive_event(report.pk, report.received_at))
    return events


def possible_duplicates(
    *, kind_code: str, latitude: Any, longitude: Any, at: dt.datetime | None = None, exclude_id: int | None = None
) -> list[tuple[Report, int]]:
    """Open reports of the same kind family near the place and time, nearest first, with their
    distance in metres. A bounding box on the indexed columns first, the exact distance after."""
    if latitude in (None, "") or longitude in (None, "") or not kind_code:
        return []
    lat, lon = Decimal(str(latitude)), Decimal(str(longitude))
    at = at or timezone.now()
    radius = settings.INCIDENTS_DUPLICATE_RADIUS_M
    window = dt.timedelta(minutes=settings.INCIDENTS_DUPLICATE_WINDOW_MINUTES)
    family = kind_code.split(".")[0]
    candidates = Report.objects.filter(
        Q(kind__code=family) | Q(kind__code__startswith=f"{family}."),
        status__in=OPEN_STATUSES,
        received_at__gte=at - window,
        received_at__lte=at + window,
        **box_lookup(lat, lon, radius),
    ).select_related("kind")
    if exclude_id:
        candidates = candidates.exclude(pk=exclude_id)
    near = [(report, round(distance_m(lat, lon, report.latitude, report.longitude))) for report in candidates[:200]]
    return sorted([pair for pair in near if pair[1] <= radius], key=lambda pair: pair[1])


def board_reports(*, viewer: Any) -> QuerySet[Report]:
    """Open reports for the dispatch board, most urgent first."""
    return triage_queue(viewer=viewer, status="open")


def patrol_units(*, viewer: Any) -> QuerySet[PatrolUnit]:
    """The active teams of the viewer's units (all with the view-all permission): the one unit
    scope (core.scoping) that the board, the recommendations and dispatching share."""
    return scope_to_viewer(PatrolUnit.objects.filter(active=True), viewer=viewer)


def board_units(*, viewer: Any) -> QuerySet[PatrolUnit]:
    return patrol_units(viewer=viewer).select_related("unit").order_by("status", "call_sign")


def patrol_unit_for_actor(*, actor: Any, unit_id: int) -> PatrolUnit:
    """The active team ``unit_id``, locked, when ``actor`` may act for it: its own device key, one of
    its members, or a dispatcher of the units it belongs to. NotFound otherwise, as if it did not
    exist."""
    unit = PatrolUnit.objects.select_for_update().filter(pk=unit_id, active=True).first()
    if unit is None or not _acts_for(actor, unit):
        raise NotFound()
    return unit


def _acts_for(actor: Any, unit: PatrolUnit) -> bool:
    if isinstance(actor, ApiKey):
        return unit.device_key_id == actor.pk
    if unit.members.filter(pk=actor.pk).exists():
        return True
    return actor.has_perm("incidents.dispatch_report") and patrol_units(viewer=actor).filter(pk=unit.pk).exists()


def teams_of(*, officer: Any) -> list[tuple[PatrolUnit, Assignment | None]]:
    """The teams an officer belongs to, each with its open assignment."""
    teams = PatrolUnit.objects.filter(members=officer, active=True).order_by("call_sign")
    open_tasks = {
        a.patrol_unit_id: a
        for a in Assignment.objects.filter(patrol_unit__in=teams, cleared_at__isnull=True)
        .select_related("report__kind", "report__unit")
        .prefetch_related("report__media")
    }
    return [(team, open_tasks.get(team.pk)) for team in teams]


# Hours after which an open report counts as overdue, by priority.
OVERDUE_HOURS = {"urgent": 1, "high": 24, "normal": 72}


def response_metrics(*, viewer: Any, since: dt.datetime) -> dict[str, Any]:
    """50th/90th percentile of each standard interval by commune, kind and month, with open and
    overdue counts: computed from the reports received since ``since`` and their first assignment."""
    reports = visible_reports(viewer, Report.objects.filter(received_at__gte=since))
    reports = reports.select_related("kind__parent", "unit")
    first: dict[int, Assignment] = {}
    for assignment in Assignment.objects.filter(report__in=reports).order_by("dispatched_at"):
        first.setdefault(assignment.report_id, assignment)
    groups: dict[str, dict[str, dict[str, list[float]]]] = {"commune": {}, "kind": {}, "month": {}}
    counts: dict[tuple[str, str], int] = {}
    now = timezone.now()
    open_count = overdue = 0
    for report in reports:
        if report.status in OPEN_STATUSES:
            open_count += 1
            overdue += now - report.received_at > dt.timedelta(hours=OVERDUE_HOURS[report.priority])
        values = intervals_of(report, first.get(report.pk))
        family = report.kind.parent or report.kind
        keys = {
            "commune": report.unit.name,
            "kind": family.name,
            "month": timezone.localtime(report.received_at).strftime("%m/%Y"),
        }
        for group, key in keys.items():
            counts[(group, key)] = counts.get((group, key), 0) + 1
            bucket = groups[group].setdefault(key, {name: [] for name in INTERVALS})
            for name, seconds in values.items():
                if seconds is not None:
                    bucket[name].append(seconds / 60)
    table = {
        group: [
            {"key": key, "count": counts[(group, key)], **{name: percentiles(sorted(v)) for name, v in buckets.items()}}
            for key, buckets in sorted(rows.items())
        ]
        for group, rows in groups.items()
    }
    return {"open": open_count, "overdue": overdue, "tables": table, "intervals": list(INTERVALS)}


def heat_cells(*, viewer: Any, since: dt.datetime, cell_degrees: float = 0.005) -> list[list[float]]:
    """Reports with a location counted per grid cell (about 550 m at this latitude): [[lat, lon, n], …],
    busiest first; the map draws each cell shaded by its share of the busiest."""
    reports = visible_reports(viewer, Report.objects.filter(received_at__gte=since, latitude__isnull=False))
    counts: dict[tuple[int, int], int] = {}
    for lat, lon in reports.values_list("latitude", "longitude").iterator():
        key = (math.floor(float(lat) / cell_degrees), math.floor(float(lon) / cell_degrees))
        counts[key] = counts.get(key, 0) + 1
    cells = [
        [round((row + 0.5) * cell_degrees, 6), round((col + 0.5) * cell_degrees, 6), count]
        for (row, col), count in counts.items()
    ]
    return sorted(cells, key=lambda cell: -cell[2])


def dashboard_figures(*, viewer: Any) -> dict[str, int]:
    """Open reports of the viewer's units, the urgent ones among them, and those received today."""
    reports = _visible(viewer)
    open_reports = reports.filter(status__in=OPEN_STATUSES)
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return {
        "open": open_reports.count(),
        "urgent": open_reports.filter(priority=Priority.URGENT).count(),
        "today": reports.filter(received_at__gte=start).count(),
    }


def attention_figures(*, viewer: Any) -> dict[str, int]:
    """Urgent reports still open, and new ones nobody has triaged, in the viewer's units."""
    reports = _visible(viewer)
    return {
        "urgent": reports.filter(status__in=OPEN_STATUSES, priority=Priority.URGENT).count(),
        "new": reports.filter(status=Report.Status.RECEIVED).count(),
    }
