"""The reminder job: tasks due tomorrow or overdue, urgent documents nobody has directed or
acknowledged after a few hours; each reminder once per (thing, day, officer)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from congan.core.models import Notification
from congan.documents.tests.factories import IncomingDocumentFactory
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.tasks.reminders import reminders_send
from congan.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _in(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def doer(commune):
    return OfficerFactory(unit=commune, roles=[roles.SPECIALIST], email="nghia@congan.vn")


@pytest.fixture
def giver(commune):
    return OfficerFactory(unit=commune, roles=[roles.LEADER], email="truong@congan.vn")


def test_due_tomorrow_and_overdue_tasks_are_reminded_and_later_ones_not(commune, doer, giver):
    tomorrow = TaskFactory(unit=commune, assignee_officer=doer, assigned_by=giver, deadline=_in(1))
    overdue = TaskFactory(unit=commune, assignee_officer=doer, assigned_by=giver, deadline=_in(-3))
    TaskFactory(unit=commune, assignee_officer=doer, assigned_by=giver, deadline=_in(5))
    TaskFactory(unit=commune, assignee_officer=doer, assigned_by=giver, deadline=_in(-3), status="cancelled")
    assert reminders_send() == {"tasks_due": 1, "tasks_overdue": 2, "urgent_documents": 0, "no_address": 0}
    by_target = sorted(Notification.objects.values_list("target_id", "recipient"))
    assert by_target == sorted(
        [(str(tomorrow.pk), doer.email), (str(overdue.pk), doer.email), (str(overdue.pk), giver.email)]
    )
    overdue_message = Notification.objects.get(target_id=str(overdue.pk), recipient=doer.email)
    assert "quá hạn" in overdue_message.body and f"{overdue.deadline:%d/%m/%Y}" in overdue_message.body


def test_running_the_job_again_the_same_day_sends_nothing_twice(commune, doer, giver):
    TaskFactory(unit=commune, assignee_officer=doer, assigned_by=giver, deadline=_in(-1))
    reminders_send()
    assert reminders_send() == {"tasks_due": 0, "tasks_overdue": 0, "urgent_documents": 0, "no_address": 0}
    call_command("tasks_remind")
    assert Notification.objects.count() == 2


def test_the_next_day_reminds_again(commune, doer, giver):
    TaskFactory(unit=commune, assignee_officer=doer, assigned_by=giver, deadline=_in(-1))
    reminders_send()
    reminders_send(now=timezone.now() + dt.timedelta(days=1))
    assert Notification.objects.filter(recipient=doer.email).count() == 2


def test_a_unit_task_reminds_the_units_leaders_and_an_officer_without_address_is_counted(commune, giver):
    TaskFactory(unit=commune, assigned_by=OfficerFactory(unit=commune), deadline=_in(1))
    assert reminders_send()["tasks_due"] == 1
    assert Notification.objects.get().recipient == giver.email
    TaskFactory(
        unit=commune, assignee_officer=OfficerFactory(unit=commune, email=""), assigned_by=giver, deadline=_in(1)
    )
    assert reminders_send()["no_address"] == 1


def test_an_urgent_document_nobody_handled_after_some_hours_is_reminded_once(commune, giver, settings):
    settings.TASKS_URGENT_REMIND_HOURS = 2
    three_hours_ago = timezone.now() - dt.timedelta(hours=3)
    waiting = IncomingDocumentFactory(unit=commune, urgency=1, registered_at=three_hours_ago)
    IncomingDocumentFactory(unit=commune, urgency=0, registered_at=three_hours_ago)  # not urgent
    IncomingDocumentFactory(unit=commune, urgency=3, registered_at=timezone.now())  # too fresh
    IncomingDocumentFactory(unit=commune, urgency=3, registered_at=three_hours_ago, status="directed")
    IncomingDocumentFactory(
        unit=commune, urgency=2, registered_at=three_hours_ago, acknowledged_at=three_hours_ago, acknowledged_by=giver
    )
    assert reminders_send()["urgent_documents"] == 1
    message = Notification.objects.get()
    assert (message.target_id, message.recipient) == (str(waiting.pk), giver.email)
    assert "Khẩn" in message.subject
    assert reminders_send()["urgent_documents"] == 0


def test_an_urgent_document_of_a_commune_without_leader_goes_to_the_leaders_above(commune, province):
    above = OfficerFactory(unit=province, roles=[roles.LEADER], email="giamdoc@congan.vn")
    IncomingDocumentFactory(unit=commune, urgency=3, registered_at=timezone.now() - dt.timedelta(hours=5))
    reminders_send()
    assert Notification.objects.get().recipient == above.email
