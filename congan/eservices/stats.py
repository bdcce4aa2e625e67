"""Incremental aggregates of dossiers (per unit, procedure and month) and their recount.

Every service that changes what a dashboard shows adds its deltas here inside its own
transaction, so the figures never drift from the dossiers and a dashboard reads a few hundred
rows however many dossiers there are. ``stats_recount`` rebuilds them from the raw rows: the
tests prove the two agree, and operators can run it after a restore (``congan eservices-recount``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from congan.eservices.deadlines import WorkCalendar
from congan.eservices.models import Dossier, DossierPause, DossierRating, DossierStat

COUNTERS = (
    "received",
    "online",
    "rejected_at_intake",
    "resolved",
    "resolved_on_time",
    "processing_days",
    "suspended",
    "rating_count",
    "rating_sum",
    "satisfied",
    "with_attachments",
)


def month_of(moment: dt.datetime | dt.date) -> dt.date:
    day = timezone.localdate(moment) if isinstance(moment, dt.datetime) else moment
    return day.replace(day=1)


def stat_add(*, unit_id: int, procedure_id: int, month: dt.date, **deltas: int) -> None:
    """Add ``deltas`` to the month's row, creating it on first use (portable upsert)."""
    deltas = {name: value for name, value in deltas.items() if value}
    if not deltas:
        return
    key = {"unit_id": unit_id, "procedure_id": procedure_id, "month": month}
    increments = {name: F(name) + value for name, value in deltas.items()}
    if DossierStat.objects.filter(**key).update(**increments):
        return
    try:
        with transaction.atomic():
            DossierStat.objects.create(**key, **deltas)
    except IntegrityError:  # created by a concurrent transaction in between
        DossierStat.objects.filter(**key).update(**increments)


def stat_add_for(dossier: Dossier, moment: dt.datetime | dt.date, **deltas: int) -> None:
    stat_add(unit_id=dossier.unit_id, procedure_id=dossier.procedure_id, month=month_of(moment), **deltas)


def stats_recount() -> dict[tuple[int, int, dt.date], dict[str, int]]:
    """The aggregates computed from the raw rows, keyed like DossierStat."""
    rows: dict[tuple[int, int, dt.date], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    dossiers = Dossier.objects.values(
        "pk",
        "unit_id",
        "procedure_id",
        "submitted_at",
        "online",
        "status",
        "decided_at",
        "due_on",
        "received_on",
    ).iterator(chunk_size=5000)
    calendar = WorkCalendar()
    with_files = set(Dossier.objects.filter(attachments__isnull=False).values_list("pk", flat=True).distinct())
    for dossier in dossiers:
        submitted = rows[(dossier["unit_id"], dossier["procedure_id"], month_of(dossier["submitted_at"]))]
        submitted["received"] += 1
        submitted["online"] += dossier["online"]
        submitted["with_attachments"] += dossier["pk"] in with_files
        submitted["rejected_at_intake"] += dossier["status"] == Dossier.Status.REJECTED_AT_INTAKE
        if dossier["decided_at"] and dossier["status"] != Dossier.Status.REJECTED_AT_INTAKE:
            decided = rows[(dossier["unit_id"], dossier["procedure_id"], month_of(dossier["decided_at"]))]
            decided_on = timezone.localdate(dossier["decided_at"])
            decided["resolved"] += 1
            decided["resolved_on_time"] += dossier["due_on"] is None or decided_on <= dossier["due_on"]
            decided["processing_days"] += calendar.processing_days(dossier["received_on"], decided_on)
    _recount_pauses(rows)
    _recount_ratings(rows)
    return {key: value for key, value in rows.items() if any(value.values())}


def _recount_pauses(rows: dict) -> None:
    pauses = DossierPause.objects.values("started_on", "dossier__unit_id", "dossier__procedure_id")
    for pause in pauses.iterator(chunk_size=5000):
        key = (pause["dossier__unit_id"], pause["dossier__procedure_id"], month_of(pause["started_on"]))
        rows[key]["suspended"] += 1


def _recount_ratings(rows: dict) -> None:
    ratings = DossierRating.objects.values("score", "created_at", "dossier__unit_id", "dossier__procedure_id")
    for rating in ratings.iterator(chunk_size=5000):
        row = rows[(rating["dossier__unit_id"], rating["dossier__procedure_id"], month_of(rating["created_at"]))]
        row["rating_count"] += 1
        row["rating_sum"] += rating["score"]
        row["satisfied"] += rating["score"] >= 4


def stats_stored() -> dict[tuple[int, int, dt.date], dict[str, int]]:
    stored: dict[tuple[int, int, dt.date], dict[str, Any]] = {}
    for row in DossierStat.objects.values("unit_id", "procedure_id", "month", *COUNTERS):
        key = (row.pop("unit_id"), row.pop("procedure_id"), row.pop("month"))
        if any(row.values()):
            stored[key] = row
    return stored


@transaction.atomic
def stats_rebuild() -> int:
    """Replace the stored aggregates by a recount; returns the number of rows written."""
    counted = stats_recount()
    DossierStat.objects.all().delete()
    DossierStat.objects.bulk_create(
        [
            DossierStat(unit_id=unit_id, procedure_id=procedure_id, month=month, **values)
            for (unit_id, procedure_id, month), values in counted.items()
        ],
        batch_size=2000,
    )
    return len(counted)
