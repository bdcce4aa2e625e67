"""Reads of the incidents module: the triage queue, a report for its handling officers (reading the
reporter's identity is audited), the public status by tracking code, duplicate suggestions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Count, Model, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.audit import audit_read
from congan.core.errors import NotFound
from congan.core.geo import box_lookup, distance_m
from congan.core.limits import rate_limit_client
from congan.core.models import ApiKey
from congan.core.scoping import scope_to_viewer, sees_all_units
from congan.incidents import aggregates, histogram, intake, labels
from congan.incidents.intervals import INTERVALS
from congan.incidents.models import (
    Assignment,
    PatrolUnit,
    Priority,
    Report,
    ReportEvent,
    ReportHeatCell,
    ReportIntervalStat,
    ReportKind,
    ReportMedia,
    ReportStat,
)
from congan.org.models import Unit

M = TypeVar("M", bound=Model)
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


def _stats_in_scope(viewer: Any, model: type[M]) -> QuerySet[M]:
    """Aggregate rows of the reports the viewer's units handle, as ``handled_by`` has it: the row's
    commune unit or its department in the viewer's subtree (all with the view-all permission)."""
    rows = model._default_manager.all()
    if sees_all_units(viewer):
        return rows
    unit = getattr(viewer, "unit", None)
    if unit is None:
        return rows.none()
    subtree = Unit.objects.filter(path__startswith=unit.path).values("pk")
    return rows.filter(Q(unit__path__startswith=unit.path) | Q(department__in=subtree))


def months_from(*, months: int, now: dt.datetime | None = None) -> dt.datetime:
    """The start (local midnight) of the first of the last ``months`` calendar months, this one included."""
    first = timezone.localdate(now or timezone.now()).replace(day=1)
    for _step in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return timezone.make_aware(dt.datetime.combine(first, dt.time.min))


# The groups of the response-time page and the aggregate field each is read by.
METRIC_GROUPS = {"commune": "unit__name", "kind": "family__name", "month": "month"}


def response_metrics(*, viewer: Any, since: dt.datetime) -> dict[str, Any]:
    """50th/90th percentile of each standard interval by commune, kind family and month, with open
    and overdue counts, for the reports received from the month of ``since`` on (local time).

    Read from the incremental aggregates (congan.incidents.aggregates), never the reports: the
    counts per group, and the percentiles from each interval's bucket counts — within ±9 % of the
    exact ones (congan.incidents.histogram). The open reports are counted from the reports, which
    a partial index keeps to the open ones."""
    month = aggregates.month_of(since)
    start = timezone.make_aware(dt.datetime.combine(month, dt.time.min))
    counts = _stats_in_scope(viewer, ReportStat).filter(month__gte=month)
    histograms = _stats_in_scope(viewer, ReportIntervalStat).filter(month__gte=month)
    sums = {column: Sum(column) for column in histogram.COLUMNS}
    table: dict[str, list[dict[str, Any]]] = {}
    for group, field in METRIC_GROUPS.items():
        reports = dict(counts.values_list(field).annotate(n=Sum("reports")).filter(n__gt=0).order_by())
        rows: dict[Any, dict[str, Any]] = {
            key: {"key": key.strftime("%m/%Y") if group == "month" else key, "count": n} | _no_intervals()
            for key, n in reports.items()
        }
        for row in histograms.values(field, "interval").annotate(**sums).order_by():
            if row[field] in rows:
                buckets = [row[column] or 0 for column in histogram.COLUMNS]
                rows[row[field]][row["interval"]] = histogram.percentiles_minutes(buckets)
        table[group] = [rows[key] for key in sorted(rows)]  # names in code-point order, months by date
    now = timezone.now()
    late = Q()
    for priority, hours in OVERDUE_HOURS.items():
        late |= Q(priority=priority, received_at__lt=now - dt.timedelta(hours=hours))
    open_reports = visible_reports(viewer, Report.objects.filter(status__in=OPEN_STATUSES, received_at__gte=start))
    figures = open_reports.aggregate(open=Count("pk"), overdue=Count("pk", filter=late))
    return {"open": figures["open"], "overdue": figures["overdue"], "tables": table, "intervals": list(INTERVALS)}


def _no_intervals() -> dict[str, dict[str, float | None]]:
    return {name: {"p50": None, "p90": None} for name in INTERVALS}


def heat_cells(*, viewer: Any, since: dt.datetime) -> list[list[float]]:
    """Reports with a location counted per grid cell (0.005°, about 550 m at this latitude) from the
    month of ``since`` on: [[lat, lon, n], …] (the cell's centre), busiest first; the map shades each
    cell by its share of the busiest. Read from the incremental aggregates."""
    rows = (
        _stats_in_scope(viewer, ReportHeatCell)
        .filter(month__gte=aggregates.month_of(since))
        .values_list("row", "col")
        .annotate(n=Sum("reports"))
        .filter(n__gt=0)
        .order_by("-n", "row", "col")
    )
    return [[*aggregates.cell_centre(row, col), n] for row, col, n in rows]


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
