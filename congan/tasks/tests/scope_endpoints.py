"""Unit-scoped endpoints of điều hành, checked by congan/core/tests/test_scope_leak.py.

A task belongs to the unit that gave it and the unit it was given to; the list of my units' tasks,
the task page, both dashboards (their overdue lists), the task form's choice of assignees and the
tasks API are each checked."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from congan.core.testing.scope_leak import ScopedEndpoint, register
from congan.org.tests.factories import OfficerFactory
from congan.tasks.tests.factories import TaskFactory


def _task(unit, days: int = 5):
    giver = OfficerFactory(unit=unit, full_name=f"Người giao {unit.code}")
    return TaskFactory(
        unit=unit,
        assignee_unit=unit,
        assigned_by=giver,
        title=f"Việc kiểm tra {unit.code}",
        deadline=timezone.localdate() + dt.timedelta(days=days),
    )


def _overdue(unit):
    return _task(unit, days=-2)


def _title(task) -> str:
    return task.title


register(
    ScopedEndpoint(
        name="tasks.unit tasks page",
        make=_task,
        marker=_title,
        list_url=lambda: reverse("tasks:list") + "?tab=unit",
        detail_url=lambda task: reverse("tasks:detail", args=[task.pk]),
    )
)
register(
    ScopedEndpoint(
        name="tasks.unit dashboard",
        make=_overdue,
        marker=_title,
        list_url=lambda: reverse("tasks:unit_dashboard"),
    )
)
register(
    ScopedEndpoint(
        name="tasks.leader dashboard",
        make=_overdue,
        marker=_title,
        list_url=lambda: reverse("tasks:leader_dashboard"),
        permissions=("tasks.give_directive",),
    )
)
register(
    ScopedEndpoint(
        name="tasks.task form assignees",
        make=lambda unit: OfficerFactory(unit=unit, full_name=f"Cán bộ được giao {unit.code}"),
        marker=lambda officer: officer.full_name,
        list_url=lambda: reverse("tasks:new"),
        permissions=("tasks.add_task",),
    )
)
register(
    ScopedEndpoint(
        name="tasks.tasks api",
        make=_task,
        marker=_title,
        list_url=lambda: "/api/v1/tasks?scope=unit",
        detail_url=lambda task: f"/api/v1/tasks/{task.pk}",
    )
)
# The dashboard's "documents awaiting a directive" list is narrower than the unit scope: only the
# leader's own unit's register (a commune's documents wait for its own leaders, not the province's),
# so the harness's "a province officer sees both communes" does not apply to it. Proved by
# congan/tasks/tests/test_pages.py::test_the_leader_dashboard_lists_documents_awaiting_a_directive_urgent_first
# (the commune's leader sees them, the province's does not) and the page's scope above.
