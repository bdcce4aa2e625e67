"""Reads of điều hành, unit-scoped: an officer sees the tasks their units gave or were given (their
unit's subtree) and those assigned to them by name; the figures of the dashboards (received, done
on time, done late, overdue, average handling days, per unit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from congan.core.errors import NotFound
from congan.core.scoping import sees_all_units
from congan.documents import selectors as document_selectors
from congan.documents.models import IncomingDocument
from congan.tasks.models import Directive, ExtensionRequest, Task

VIEW = "tasks.view_task"
ASSIGN = "tasks.add_task"
GIVE = "tasks.give_directive"
OPEN = (Task.Status.NEW, Task.Status.IN_PROGRESS)


def tasks_visible(*, viewer: Any) -> QuerySet[Task]:
    """The tasks the viewer may read: given by or to their unit's subtree, or to them by name."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.has_perm(VIEW):
        return Task.objects.none()
    if sees_all_units(viewer):
        return Task.objects.all()
    mine = Q(assignee_officer_id=viewer.pk)
    unit = getattr(viewer, "unit", None)
    if unit is not None:
        mine |= Q(unit__path__startswith=unit.path) | Q(assignee_unit__path__startswith=unit.path)
    return Task.objects.filter(mine)


def overdue_first(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Open before finished, overdue before due, the most urgent first, then the nearest deadline."""
    today = timezone.localdate()
    return tasks.annotate(
        open_rank=Case(When(status__in=OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()),
        overdue_rank=Case(
            When(status__in=OPEN, deadline__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
    ).order_by("open_rank", "overdue_rank", "-urgency", "deadline", "pk")


def my_tasks(*, viewer: Any, include_finished: bool = False) -> QuerySet[Task]:
    """Việc của tôi: assigned to the viewer, or to their unit with no officer named."""
    unit_id = getattr(viewer, "unit_id", None)
    mine = Q(assignee_officer_id=viewer.pk)
    if unit_id is not None:
        mine |= Q(assignee_officer__isnull=True, assignee_unit_id=unit_id)
    tasks = tasks_visible(viewer=viewer).filter(mine)
    if not include_finished:
        tasks = tasks.filter(status__in=OPEN)
    return overdue_first(tasks.select_related("assignee_unit", "assignee_officer", "assigned_by", "document"))


def unit_tasks(*, viewer: Any) -> QuerySet[Task]:
    """The tasks of the viewer's units (given or received) that are still open."""
    tasks = tasks_visible(viewer=viewer).filter(status__in=OPEN)
    return overdue_first(tasks.select_related("assignee_unit", "assignee_officer", "assigned_by", "document"))


def task_open(*, viewer: Any, task_id: int) -> Task:
    try:
        return (
            tasks_visible(viewer=viewer)
            .select_related("unit", "assignee_unit", "assignee_officer", "assigned_by", "document", "directive")
            .get(pk=task_id)
        )
    except Task.DoesNotExist as exc:
        raise NotFound() from exc


# How far back a document not directed yet is still waiting for one: older ones were filed for
# information ("để biết") or handled without a written directive.
AWAITING_DIRECTIVE_DAYS = 30


def awaiting_directive(*, viewer: Any) -> QuerySet[IncomingDocument]:
    """Documents registered in the leader's own unit's register in the last month that no leader has
    directed yet (a commune's documents wait for its own leaders, not the province's): the most
    urgent first, then the oldest registration."""
    since = timezone.localdate() - dt.timedelta(days=AWAITING_DIRECTIVE_DAYS)
    unit_id = getattr(viewer, "unit_id", None)
    if unit_id is None:
        return IncomingDocument.objects.none()
    return (
        document_selectors.incoming_visible(viewer=viewer)
        .filter(
            status=IncomingDocument.Status.REGISTERED,
            unit_id=unit_id,
            received_on__gte=since,
            withdrawn_at__isnull=True,
        )
        .select_related("unit", "document_type")
        .order_by("-urgency", "registered_at", "pk")
    )


def directives_of(document: Any) -> QuerySet[Directive]:
    return (
        Directive.objects.filter(document=document)
        .select_related("lead_unit", "lead_officer", "given_by")
        .prefetch_related("co_units", "tasks__assignee_unit", "tasks__assignee_officer")
        .order_by("created_at", "pk")
    )


@dataclass
class UnitFigures:
    """One row of a dashboard: the tasks given to a unit in the period."""

    unit_id: int | None
    unit_name: str
    received: int = 0
    done_on_time: int = 0
    done_late: int = 0
    open: int = 0
    overdue: int = 0
    handling_days: list[float] = field(default_factory=list)

    @property
    def average_days(self) -> float | None:
        return round(sum(self.handling_days) / len(self.handling_days), 1) if self.handling_days else None

    @property
    def on_time_percent(self) -> int | None:
        done = self.done_on_time + self.done_late
        return round(100 * self.done_on_time / done) if done else None


def dashboard(
    *, viewer: Any, date_from: dt.date, date_to: dt.date, unit_id: int | None = None
) -> tuple[list[UnitFigures], UnitFigures]:
    """Per unit the tasks were given to (within the viewer's tasks), those given between the two
    days: received, done on time (on or before the deadline), done late, still open, overdue (open
    past the deadline, today), average handling days (given → done). With the totals."""
    today = timezone.localdate()
    tasks = tasks_visible(viewer=viewer).filter(created_at__date__gte=date_from, created_at__date__lte=date_to)
    tasks = tasks.exclude(status=Task.Status.CANCELLED)
    if unit_id is not None:
        tasks = tasks.filter(assignee_unit_id=unit_id)
    done = Q(status=Task.Status.DONE)
    rows = (
        tasks.values("assignee_unit_id", "assignee_unit__name")
        .annotate(
            received=Count("pk"),
            on_time=Count("pk", filter=done & Q(completed_at__date__lte=F("deadline"))),
            late=Count("pk", filter=done & Q(completed_at__date__gt=F("deadline"))),
            still_open=Count("pk", filter=Q(status__in=OPEN)),
            overdue=Count("pk", filter=Q(status__in=OPEN, deadline__lt=today)),
        )
        .order_by("assignee_unit__name")
    )
    figures: dict[int, UnitFigures] = {}
    for row in rows:
        figures[row["assignee_unit_id"]] = UnitFigures(
            unit_id=row["assignee_unit_id"],
            unit_name=row["assignee_unit__name"],
            received=row["received"],
            done_on_time=row["on_time"],
            done_late=row["late"],
            open=row["still_open"],
            overdue=row["overdue"],
        )
    for unit, given, finished in tasks.filter(done).values_list("assignee_unit_id", "created_at", "completed_at"):
        if finished is not None:
            figures[unit].handling_days.append((finished - given).total_seconds() / 86400)
    total = UnitFigures(unit_id=None, unit_name="")
    for row_figures in figures.values():
        total.received += row_figures.received
        total.done_on_time += row_figures.done_on_time
        total.done_late += row_figures.done_late
        total.open += row_figures.open
        total.overdue += row_figures.overdue
        total.handling_days += row_figures.handling_days
    ordered = sorted(figures.values(), key=lambda f: (-f.overdue, f.unit_name))
    return ordered, total


def counts(*, viewer: Any) -> dict[str, int]:
    """Figures for the home page: my open tasks, my overdue ones, extension requests I decide."""
    mine = my_tasks(viewer=viewer)
    today = timezone.localdate()
    return {
        "mine": mine.count(),
        "mine_overdue": mine.filter(deadline__lt=today).count(),
        "extensions": ExtensionRequest.objects.filter(
            status=ExtensionRequest.Status.PENDING,
            task__assigned_by_id=viewer.pk,
            task__in=tasks_visible(viewer=viewer),
        ).count(),
    }
