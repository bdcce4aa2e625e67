"""Thống kê vi phạm — figures of camera-detected violations for the officers' statistics page: totals
and paid rate, by violation type, camera, commune, hour of day and month, top locations and status.

Every figure is one GROUP BY over the incremental aggregates (congan.traffic.aggregates: events per
month, camera, type, status and outcome; violations per month, camera and hour), never over the
events themselves, so the page costs the same at a hundred thousand events as at ten million.
Months and hours are those of the local time zone (TIME_ZONE), as the aggregates keep them. The
unit scope is the events' own — the camera's unit or the resolving unit in the viewer's subtree
(``violation_in_scope``) — read from the aggregates' two parts (``stats_scope``). Events
marked as duplicates are extra frames of one violation and are not counted as violations (they
appear only in the table by status)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.scoping import sees_all_units
from congan.org.models import Unit
from congan.traffic.models import Camera, ViolationEvent, ViolationHourStat, ViolationStat

DEFAULT_MONTHS = 6
MAX_MONTHS = 12
TOP_LOCATIONS = 10
S = ViolationEvent.Status
O = ViolationEvent.Outcome  # noqa: E741 — the model's own short name, as in review.py

# Notices issued and still standing: a notice withdrawn on closing (a contest upheld) does not count.
NOTICE_ISSUED = Q(status__in=(S.NOTICE_ISSUED, S.PAID, S.CONTESTED, S.FORWARDED, S.CLOSED)) & ~Q(
    status=S.CLOSED, outcome=O.WITHDRAWN
)
PAID = Q(status=S.PAID) | Q(status=S.CLOSED, outcome=O.PENALISED)


@dataclass(frozen=True)
class Totals:
    violations: int
    dismissed: int
    notices: int
    paid: int
    fines_collected: int

    @property
    def paid_rate(self) -> float | None:
        """Percent of notices issued (withdrawn ones left out) that ended paid or penalised."""
        return round(100 * self.paid / self.notices, 1) if self.notices else None


@dataclass(frozen=True)
class Row:
    """One line of a figure: ``key`` identifies it (a code, an hour, a month), ``label`` names it."""

    key: str
    label: str
    count: int
    share: float | None = None


@dataclass(frozen=True)
class Bar:
    label: str
    tick: str
    count: int
    x: float
    y: float
    height: float
    text_x: float

    @property
    def value_y(self) -> float:
        """Where the count is written: just above the bar (the tallest reaches 90 of 100, leaving room)."""
        return round(self.y - 1.5, 1)


@dataclass(frozen=True)
class Chart:
    """Geometry of an inline SVG bar chart (no script, as the CSP requires): bars stand on y = 100
    and the tallest is 90 high; ``step`` units of width per bar."""

    width: int
    top: int
    bars: list[Bar]


@dataclass(frozen=True)
class ViolationStats:
    start: dt.date
    end: dt.date
    months: int
    camera: str
    totals: Totals
    by_type: list[Row]
    by_camera: list[Row]
    by_commune: list[Row]
    by_hour: list[Row]
    by_month: list[Row]
    top_locations: list[Row]
    by_status: list[Row]

    @property
    def month_chart(self) -> Chart:
        return bar_chart(self.by_month, step=20)

    @property
    def hour_chart(self) -> Chart:
        return bar_chart(self.by_hour, step=10)


def bar_chart(rows: list[Row], *, step: int) -> Chart:
    top = max([row.count for row in rows] + [1])
    bars = []
    for index, row in enumerate(rows):
        height = round(90 * row.count / top, 1)
        bars.append(
            Bar(
                label=row.label,
                tick=row.key[-2:],
                count=row.count,
                x=index * step + step * 0.15,
                y=round(100 - height, 1),
                height=height,
                text_x=index * step + step / 2,
            )
        )
    return Chart(width=step * len(rows), top=top, bars=bars)


def months_back(*, months: int, today: dt.date) -> list[dt.date]:
    """The first days of the last ``months`` months, this one included, oldest first."""
    first = today.replace(day=1)
    result = [first]
    for _step in range(months - 1):
        result.insert(0, (result[0] - dt.timedelta(days=1)).replace(day=1))
    return result


def _share(count: int, whole: int) -> float | None:
    return round(100 * count / whole, 1) if whole else None


def stats_scope(*, viewer: Any) -> Q | None:
    """The aggregate rows of the viewer's violations (None: none), as ``violation_in_scope`` has it
    — the camera's unit or the resolving unit in the viewer's subtree — each violation once: the
    camera's part (resolver 0) of the cameras in the subtree, and the resolving unit's part, for the
    units of the subtree, of the cameras outside it (see ViolationStat)."""
    if sees_all_units(viewer):
        return Q(resolver=0)
    unit = getattr(viewer, "unit", None) if getattr(viewer, "is_authenticated", False) else None
    if unit is None:
        return None
    inside: list[int] = []
    outside: list[int] = []
    for pk, path in Camera.objects.values_list("pk", "unit__path"):
        (inside if path.startswith(unit.path) else outside).append(pk)
    scope = Q(resolver=0, camera__in=inside)
    if outside:  # a province's officer over every camera reads the camera's part only
        subtree = Unit.objects.filter(path__startswith=unit.path).values("pk")
        scope |= Q(resolver__in=subtree, camera__in=outside)
    return scope


def violation_stats(
    *, viewer: Any, months: int = DEFAULT_MONTHS, camera: str = "", now: dt.datetime | None = None
) -> ViolationStats:
    """Figures for the violations in the viewer's scope that occurred in the last ``months``
    calendar months (local time, this month included), of one camera when ``camera`` is a code."""
    months = max(1, min(int(months), MAX_MONTHS))
    zone = timezone.get_default_timezone()
    month_starts = months_back(months=months, today=timezone.localtime(now or timezone.now(), zone).date())
    scope = stats_scope(viewer=viewer)
    window = {"month__gte": month_starts[0], "month__lte": month_starts[-1]}
    rows, hours = ViolationStat.objects.filter(**window), ViolationHourStat.objects.filter(**window)
    rows, hours = (rows.filter(scope), hours.filter(scope)) if scope is not None else (rows.none(), hours.none())
    if camera:
        rows, hours = rows.filter(camera__code=camera), hours.filter(camera__code=camera)
    violations = rows.exclude(status=S.DUPLICATE)
    totals, per_camera = _totals(violations), _per_camera(violations)
    return ViolationStats(
        start=month_starts[0],
        end=month_starts[-1],
        months=months,
        camera=camera,
        totals=totals,
        by_type=_by_type(violations, totals.violations),
        by_camera=_by_camera(per_camera, totals.violations),
        by_commune=_by_commune(violations, totals.violations),
        by_hour=_by_hour(hours),
        by_month=_by_month(violations, month_starts),
        top_locations=_top_locations(per_camera),
        by_status=_by_status(rows),
    )


EVENTS = Sum("events")


def _totals(violations: QuerySet[ViolationStat]) -> Totals:
    figures = violations.aggregate(
        violations=Sum("events", default=0),
        dismissed=Sum("events", filter=Q(status=S.DISMISSED), default=0),
        notices=Sum("events", filter=NOTICE_ISSUED, default=0),
        paid=Sum("events", filter=PAID, default=0),
        fines_collected=Sum("fines", filter=PAID, default=0),
    )
    return Totals(**figures)


def _by_type(violations: QuerySet[ViolationStat], whole: int) -> list[Row]:
    """One row per code: versions of a code from amended decrees count together."""
    rows = (
        violations.values("violation_type__code")
        .annotate(n=EVENTS, title=Max("violation_type__title"))
        .filter(n__gt=0)
        .order_by("-n", "violation_type__code")
    )
    return [
        Row(key=row["violation_type__code"], label=row["title"], count=row["n"], share=_share(row["n"], whole))
        for row in rows
    ]


def _per_camera(violations: QuerySet[ViolationStat]) -> list[dict[str, Any]]:
    """Violations per camera with its code, name and road: one query for two figures."""
    rows = violations.values("camera__code", "camera__name", "camera__road").annotate(n=EVENTS)
    return [dict(row) for row in rows.filter(n__gt=0).order_by()]


def _by_camera(per_camera: list[dict[str, Any]], whole: int) -> list[Row]:
    rows = sorted(per_camera, key=lambda row: (-row["n"], row["camera__code"]))
    return [
        Row(key=row["camera__code"], label=row["camera__name"], count=row["n"], share=_share(row["n"], whole))
        for row in rows
    ]


def _by_commune(violations: QuerySet[ViolationStat], whole: int) -> list[Row]:
    """By the commune where the camera stands, named after the unit with that administrative code."""
    rows = list(
        violations.values("camera__commune_code")
        .annotate(n=EVENTS)
        .filter(n__gt=0)
        .order_by("-n", "camera__commune_code")
    )
    codes = [row["camera__commune_code"] for row in rows if row["camera__commune_code"]]
    names: dict[str, str] = {}
    for code, name in (
        Unit.objects.filter(area_code__in=codes).order_by("depth", "code").values_list("area_code", "name")
    ):
        names.setdefault(code, name)
    unknown = _("Chưa xác định")
    return [
        Row(key=code, label=names.get(code, "") if code else unknown, count=n, share=_share(n, whole))
        for code, n in ((row["camera__commune_code"], row["n"]) for row in rows)
    ]


def _by_hour(hours: QuerySet[ViolationHourStat]) -> list[Row]:
    counts = dict(hours.values_list("hour").annotate(n=Sum("violations")).order_by())
    return [
        Row(key=f"{hour:02d}", label=f"{hour:02d}:00–{hour:02d}:59", count=counts.get(hour, 0)) for hour in range(24)
    ]


def _by_month(violations: QuerySet[ViolationStat], month_starts: list[dt.date]) -> list[Row]:
    counts = dict(violations.values_list("month").annotate(n=EVENTS).order_by())
    return [Row(key=f"{month:%Y-%m}", label=f"{month:%m/%Y}", count=counts.get(month, 0)) for month in month_starts]


def _top_locations(per_camera: list[dict[str, Any]]) -> list[Row]:
    """The busiest places: the road and the camera's description of the spot (cameras at one spot add up)."""
    places: dict[tuple[str, str], int] = {}
    for row in per_camera:
        place = (row["camera__road"], row["camera__name"])
        places[place] = places.get(place, 0) + row["n"]
    busiest = sorted(places.items(), key=lambda item: (-item[1], item[0]))[:TOP_LOCATIONS]
    return [Row(key=road, label=name, count=n) for (road, name), n in busiest]


def _by_status(rows: QuerySet[ViolationStat]) -> list[Row]:
    """Every status in the order of the workflow, duplicates included, each with its share of all events."""
    counts = dict(rows.values_list("status").annotate(n=EVENTS).order_by())
    whole = sum(counts.values())
    return [
        Row(
            key=status.value,
            label=str(status.label),
            count=counts[status.value],
            share=_share(counts[status.value], whole),
        )
        for status in S
        if counts.get(status.value)
    ]
