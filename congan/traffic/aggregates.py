"""Incremental aggregates of violation events (ViolationStat, ViolationHourStat) and their recount.

An event counts in one ViolationStat row — its month (local time), camera, type, status and
outcome — with its fine, and, unless it is a duplicate frame, in one ViolationHourStat row
(month, camera, local hour): the camera's part (``resolver`` 0). An event with a resolving unit
counts again in the same rows with ``resolver`` = that unit: the resolving unit's part, which the
page reads for the units below the viewer whose cameras lie outside their subtree (see
ViolationStat for why the scope needs both). Every write that creates an event or changes one
of those values adds the difference in its own transaction: ingestion (``events_tally`` for the
batch) and the review steps (``event_tally`` before and after, congan.traffic.review). The
statistics page (congan.traffic.stats) then reads a few thousand rows whatever the number of
events. ``recount`` computes the same rows from the events with GROUP BY; ``rebuild`` replaces
the stored rows by it (``congan stats rebuild traffic``; the demo builder and the migration that
created the tables call it too). See docs/decisions/0022-statistics-aggregates.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, DateField, Q, Sum
from django.db.models.functions import ExtractHour, TruncMonth
from django.utils import timezone

from congan.core.aggregates import Aggregates
from congan.core.tallies import Tally, tally_lock
from congan.traffic.models import ViolationEvent, ViolationHourStat, ViolationStat

DUPLICATE = ViolationEvent.Status.DUPLICATE


def month_of(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date().replace(day=1)


def event_tally(
    *,
    camera_id: int,
    occurred_at: dt.datetime,
    violation_type_id: int,
    status: str,
    outcome: str = "",
    resolving_unit_id: int | None = None,
    fine_amount: int | None = None,
    tally: Tally | None = None,
) -> Tally:
    """What one event adds to the aggregates (into ``tally`` when given): the camera's part, and the
    resolving unit's part when it has one."""
    tally = tally if tally is not None else Tally()
    month = month_of(occurred_at)
    hour = timezone.localtime(occurred_at, timezone.get_default_timezone()).hour
    for resolver in (0, resolving_unit_id) if resolving_unit_id else (0,):
        tally.add(
            ViolationStat,
            (month, camera_id, resolver, violation_type_id, status, outcome),
            events=1,
            fines=fine_amount or 0,
        )
        if status != DUPLICATE:
            tally.add(ViolationHourStat, (month, camera_id, resolver, hour), violations=1)
    return tally


def violation_tally(event: ViolationEvent) -> Tally:
    """What a stored event adds, from the instance as it stands (a review step takes it before
    and after its change, under the event's row lock, and applies the difference)."""
    return event_tally(
        camera_id=event.camera_id,
        occurred_at=event.occurred_at,
        violation_type_id=event.violation_type_id,
        status=event.status,
        outcome=event.outcome,
        resolving_unit_id=event.resolving_unit_id,
        fine_amount=event.fine_amount,
    )


def events_tally(events: Iterable[Any]) -> Tally:
    """What a batch of new events adds; each has camera_id, occurred_at, violation_type_id and
    status (ingestion's rows: no resolving unit, outcome or fine yet)."""
    tally = Tally()
    for event in events:
        event_tally(
            camera_id=event.camera_id,
            occurred_at=event.occurred_at,
            violation_type_id=event.violation_type_id,
            status=event.status,
            tally=tally,
        )
    return tally


# --- recount and rebuild ------------------------------------------------------------------------

StatKey = tuple[str, tuple[Any, ...]]


def _models(apps: Any | None) -> tuple[Any, Any, Any]:
    if apps is None:
        return ViolationEvent, ViolationStat, ViolationHourStat
    return (
        apps.get_model("traffic", "ViolationEvent"),
        apps.get_model("traffic", "ViolationStat"),
        apps.get_model("traffic", "ViolationHourStat"),
    )


def recount(apps: Any | None = None) -> dict[Hashable, dict[str, int]]:
    """The aggregate rows computed from the events with GROUP BY queries (months and hours in the
    local time zone, on SQLite and PostgreSQL alike), keyed ("stat" | "hour", key): the camera's
    part over every event, the resolving units' part over the events that have one."""
    events, _stat, _hour = _models(apps)
    zone = timezone.get_default_timezone()
    month = TruncMonth("occurred_at", output_field=DateField(), tzinfo=zone)
    rows: dict[Hashable, dict[str, int]] = {}
    for part in ("camera", "resolver"):
        chosen = events.objects.all() if part == "camera" else events.objects.filter(resolving_unit__isnull=False)
        by = ("resolving_unit_id",) if part == "resolver" else ()
        stats = (
            chosen.annotate(month=month)
            .values("month", "camera_id", *by, "violation_type_id", "status", "outcome")
            .annotate(n=Count("pk"), fines=Sum("fine_amount", default=0))
            .order_by()
        )
        for row in stats.iterator(chunk_size=5000):
            key = (row["month"], row["camera_id"], row.get("resolving_unit_id", 0), row["violation_type_id"])
            rows[("stat", (*key, row["status"], row["outcome"]))] = {"events": row["n"], "fines": row["fines"]}
        hours = (
            chosen.filter(~Q(status=DUPLICATE))
            .annotate(month=month, hour=ExtractHour("occurred_at", tzinfo=zone))
            .values("month", "camera_id", *by, "hour")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in hours.iterator(chunk_size=5000):
            key = (row["month"], row["camera_id"], row.get("resolving_unit_id", 0), row["hour"])
            rows[("hour", key)] = {"violations": row["n"]}
    return rows


def stored(apps: Any | None = None) -> dict[Hashable, dict[str, int]]:
    """The stored aggregate rows, keyed like ``recount`` (rows of zeros left out)."""
    _events, stat, hour = _models(apps)
    rows: dict[Hashable, dict[str, int]] = {}
    for values in stat.objects.values(*ViolationStat.TALLY_KEY, "events", "fines").iterator(chunk_size=5000):
        if values["events"] or values["fines"]:
            key = tuple(values[name] for name in ("month", "camera", "resolver", "violation_type", "status", "outcome"))
            rows[("stat", key)] = {"events": values["events"], "fines": values["fines"]}
    for values in hour.objects.values(*ViolationHourStat.TALLY_KEY, "violations").iterator(chunk_size=5000):
        if values["violations"]:
            key = tuple(values[name] for name in ("month", "camera", "resolver", "hour"))
            rows[("hour", key)] = {"violations": values["violations"]}
    return rows


def rebuild(apps: Any | None = None) -> int:
    """Replace the stored aggregates by a recount; returns the number of rows written. The tables
    are locked against writers first (PostgreSQL), so no event committed meanwhile is lost."""
    _events, stat, hour = _models(apps)
    with transaction.atomic():
        tally_lock(stat, hour)
        counted = recount(apps)
        stat.objects.all().delete()
        hour.objects.all().delete()
        stat.objects.bulk_create(
            [
                stat(
                    month=month,
                    camera_id=camera,
                    resolver=resolver,
                    violation_type_id=kind,
                    status=status,
                    outcome=outcome,
                    **values,
                )
                for (_table, (month, camera, resolver, kind, status, outcome)), values in _of(counted, "stat")
            ],
            batch_size=2000,
        )
        hour.objects.bulk_create(
            [
                hour(month=month, camera_id=camera, resolver=resolver, hour=hour_of_day, **values)
                for (_table, (month, camera, resolver, hour_of_day)), values in _of(counted, "hour")
            ],
            batch_size=2000,
        )
    return len(counted)


def _of(rows: dict[Hashable, dict[str, int]], table: str) -> list[tuple[Any, dict[str, int]]]:
    return [(key, values) for key, values in rows.items() if key[0] == table]  # type: ignore[index]


AGGREGATES = Aggregates(name="traffic", recount=recount, stored=stored, rebuild=rebuild)
