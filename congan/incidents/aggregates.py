"""Incremental aggregates of reports (ReportStat, ReportIntervalStat, ReportHeatCell) and their recount.

A report adds, for its commune unit, department, kind family (the kind's parent, or the kind) and
month of receipt (local time): one to ReportStat; for each standard interval it has, one to that
interval's bucket in ReportIntervalStat (congan.incidents.histogram); and, with a map point, one
to its grid cell in ReportHeatCell. Every write that changes any of those — the synchronous intake,
the completion of quick intakes, triage (kind and department), closing, merging, locating,
transferring, dispatching and a team's steps — takes what the report adds before and after the
change under the report's row lock (``kept``) and applies the difference in its own transaction.
A report the quick intake path has committed but not completed (``intake_pending``) adds nothing
until the transaction that completes it, which adds it whole: nothing is counted twice or lost,
whenever a process stops.

``recount`` computes the rows from the reports and their first assignments; ``rebuild`` replaces
the stored rows by it (``congan stats rebuild incidents``; the demo builder and the migration that
created the tables call it too). See docs/decisions/0022-statistics-aggregates.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from congan.core.aggregates import Aggregates
from congan.core.tallies import Tally, tally_apply, tally_counters, tally_lock
from congan.incidents.histogram import COLUMNS, bucket_of
from congan.incidents.intervals import intervals_between
from congan.incidents.models import Assignment, Report, ReportHeatCell, ReportIntervalStat, ReportStat

HEAT_CELL_DEGREES = Decimal("0.005")  # about 550 m of latitude
REPORT_FIELDS = (
    "pk",
    "unit_id",
    "department_id",
    "kind_id",
    "kind__parent_id",
    "received_at",
    "dispatched_at",
    "on_scene_at",
    "closed_at",
    "latitude",
    "longitude",
    "intake_pending",
)
FirstAssignment = tuple[dt.datetime, dt.datetime | None]  # dispatched_at, en_route_at
CHUNK = 20_000  # reports per step of a recount


def month_of(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date().replace(day=1)


def cell_of(latitude: Any, longitude: Any) -> tuple[int, int]:
    """The grid cell of a point: ⌊latitude / size⌋, ⌊longitude / size⌋, in exact decimals."""
    return tuple(  # type: ignore[return-value]
        int((Decimal(str(value)) / HEAT_CELL_DEGREES).to_integral_value(rounding=ROUND_FLOOR))
        for value in (latitude, longitude)
    )


def cell_centre(row: int, col: int) -> tuple[float, float]:
    size = float(HEAT_CELL_DEGREES)
    return round((row + 0.5) * size, 6), round((col + 0.5) * size, 6)


def report_tally(report: Mapping[str, Any], first: FirstAssignment | None, tally: Tally) -> None:
    """Add what one report adds (``report`` has REPORT_FIELDS; ``first`` is its first assignment)."""
    if report["intake_pending"]:
        return  # counted by the transaction that completes its intake
    unit, department = report["unit_id"], report["department_id"] or 0
    family, month = report["kind__parent_id"] or report["kind_id"], month_of(report["received_at"])
    tally.add(ReportStat, (unit, department, family, month), reports=1)
    seconds = intervals_between(
        {
            "received_at": report["received_at"],
            "closed_at": report["closed_at"],
            "on_scene_at": report["on_scene_at"],
            "dispatched_at": first[0] if first else report["dispatched_at"],
            "en_route_at": first[1] if first else None,
        }
    )
    for name, value in seconds.items():
        if value is not None:
            key = (unit, department, family, month, name)
            tally.add(ReportIntervalStat, key, **{COLUMNS[bucket_of(max(0.0, value))]: 1})
    if report["latitude"] is not None and report["longitude"] is not None:
        row, col = cell_of(report["latitude"], report["longitude"])
        tally.add(ReportHeatCell, (unit, department, month, row, col), reports=1)


def report_values(report: Report) -> dict[str, Any]:
    """REPORT_FIELDS of an instance in hand (a report just inserted, its kind loaded)."""
    values = {name: getattr(report, name) for name in REPORT_FIELDS if "__" not in name}
    values["kind__parent_id"] = report.kind.parent_id
    return values


def _first_assignments(assignments: Any) -> dict[int, FirstAssignment]:
    """The first assignment of each report (earliest dispatch; the first created among equals)."""
    first: dict[int, FirstAssignment] = {}
    rows = assignments.order_by("report_id", "dispatched_at", "pk").values_list(
        "report_id", "dispatched_at", "en_route_at"
    )
    for report_id, dispatched_at, en_route_at in rows.iterator(chunk_size=5000):
        first.setdefault(report_id, (dispatched_at, en_route_at))
    return first


def reports_tally(report_ids: Iterable[int], *, completing: bool = False) -> Tally:
    """What these reports add to the aggregates as they are stored now (two queries); with
    ``completing``, as they will once their intake is completed (the completer, holding them)."""
    ids = list(report_ids)
    tally = Tally()
    if not ids:
        return tally
    first = _first_assignments(Assignment.objects.filter(report_id__in=ids))
    for report in Report.objects.filter(pk__in=ids).values(*REPORT_FIELDS):
        if completing:
            report["intake_pending"] = False
        report_tally(report, first.get(report["pk"]), tally)
    return tally


@contextmanager
def kept(*report_ids: int) -> Iterator[None]:
    """Around a write to these reports (or their assignments), inside its transaction and once the
    reports are locked: the aggregates follow the change (what the reports add after the block,
    less what they added before, is applied when the block ends without an error)."""
    before = reports_tally(report_ids)
    yield
    tally_apply(reports_tally(report_ids).minus(before))


def report_added(report: Report) -> None:
    """A report just inserted and complete (the synchronous intake): add it, without a query."""
    tally = Tally()
    report_tally(report_values(report), None, tally)
    tally_apply(tally)


# --- recount and rebuild ------------------------------------------------------------------------

MODELS = {"stat": ReportStat, "interval": ReportIntervalStat, "heat": ReportHeatCell}


def _recount_tally(apps: Any | None) -> Tally:
    reports = Report if apps is None else apps.get_model("incidents", "Report")
    assignments = Assignment if apps is None else apps.get_model("incidents", "Assignment")
    tally = Tally()

    def count(batch: list[dict[str, Any]]) -> None:
        if not batch:
            return
        span = assignments.objects.filter(report_id__gte=batch[0]["pk"], report_id__lte=batch[-1]["pk"])
        first = _first_assignments(span)
        for report in batch:
            report_tally(report, first.get(report["pk"]), tally)

    batch: list[dict[str, Any]] = []
    for report in reports.objects.order_by("pk").values(*REPORT_FIELDS).iterator(chunk_size=5000):
        batch.append(report)
        if len(batch) >= CHUNK:
            count(batch)
            batch = []
    count(batch)
    return tally


def recount(apps: Any | None = None) -> dict[Hashable, dict[str, int]]:
    """The aggregate rows computed from the reports and their first assignments, keyed
    ("stat" | "interval" | "heat", key), counters other than zero only."""
    names = {model: name for name, model in MODELS.items()}
    return {
        (names[model], key): counters
        for model, rows in _recount_tally(apps).nonzero().items()
        for key, counters in rows.items()
    }


def _stored_model(apps: Any | None, name: str) -> Any:
    return MODELS[name] if apps is None else apps.get_model("incidents", MODELS[name].__name__)


def stored(apps: Any | None = None) -> dict[Hashable, dict[str, int]]:
    """The stored aggregate rows, keyed like ``recount`` (counters of zero left out)."""
    rows: dict[Hashable, dict[str, int]] = {}
    for name, model in MODELS.items():
        key_names = [*model.TALLY_KEY]  # type: ignore[attr-defined]
        counters = tally_counters(model)
        values = _stored_model(apps, name).objects.values(*key_names, *counters)
        for row in values.iterator(chunk_size=5000):
            kept_counters = {counter: row[counter] for counter in counters if row[counter]}
            if kept_counters:
                rows[(name, tuple(row[key] for key in key_names))] = kept_counters
    return rows


def rebuild(apps: Any | None = None) -> int:
    """Replace the stored aggregates by a recount; returns the number of rows written. The tables
    are locked against writers first (PostgreSQL), so no report committed meanwhile is lost."""
    models = {name: _stored_model(apps, name) for name in MODELS}
    with transaction.atomic():
        tally_lock(*models.values())
        counted = _recount_tally(apps).nonzero()
        written = 0
        for name, model in MODELS.items():
            target = models[name]
            target.objects.all().delete()
            key_names = [*model.TALLY_KEY]  # type: ignore[attr-defined]
            rows = counted.get(model, {})
            target.objects.bulk_create(
                [
                    target(
                        **{_attname(model, key): value for key, value in zip(key_names, key, strict=True)}, **counters
                    )
                    for key, counters in rows.items()
                ],
                batch_size=1000,
            )
            written += len(rows)
    return written


def _attname(model: Any, name: str) -> str:
    return model._meta.get_field(name).attname  # "unit" → "unit_id"


AGGREGATES = Aggregates(name="incidents", recount=recount, stored=stored, rebuild=rebuild)
