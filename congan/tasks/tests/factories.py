"""Factories of điều hành: tasks written directly (for lists, scope and dashboards)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from congan.tasks.models import Task


class TaskFactory(factory.django.DjangoModelFactory):
    """A task given by hand, written directly (no service, no audit)."""

    class Meta:
        model = Task

    unit = None
    assignee_unit = factory.LazyAttribute(lambda o: o.unit)
    title = factory.Sequence(lambda n: f"Rà soát địa bàn theo kế hoạch số {n}")
    assigned_by = None
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
