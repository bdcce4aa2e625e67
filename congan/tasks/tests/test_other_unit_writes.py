"""An officer of another commune changes no task and directs no document through any page that
names one. Each write is tried first by an officer of another commune with the same roles (refused
as not found, nothing changed), then by the right officer with the same request (accepted), so the
refusal can only come from the unit scope. These tests stand for the routes exempted as writes in
congan/core/tests/scope_exemptions.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congan.documents.tests.factories import IncomingDocumentFactory
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.org.tests.otp import verified_login
from congan.tasks.models import Task

pytestmark = pytest.mark.django_db


def _day(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).strftime("%d/%m/%Y")


def _state(task: Task) -> tuple:
    task.refresh_from_db()
    return (task.status, task.percent, task.deadline, task.extensions.count(), task.events.count())


def test_another_communes_officer_changes_no_task(client, commune, other_commune, commune_leader):
    doer = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    stranger = OfficerFactory(unit=other_commune, roles=[roles.SPECIALIST, roles.LEADER])
    document = IncomingDocumentFactory(unit=commune)

    directive = reverse("tasks:directive", args=[document.pk])
    form = {"text": "Giao cán bộ xác minh", "lead_officer": doer.pk, "deadline": _day(5)}
    verified_login(client, stranger)
    assert client.post(directive, form).status_code == 404
    assert not Task.objects.exists()
    verified_login(client, commune_leader)
    assert client.post(directive, form).status_code == 302
    task = Task.objects.get()

    steps = [
        ("tasks:report", {"text": "Đã xác minh một phần", "percent": 50}, doer),
        ("tasks:extension", {"new_deadline": _day(9), "reason": "Chờ kết quả giám định"}, doer),
        ("tasks:decide", {"decision": "approve", "note": "Đồng ý"}, commune_leader),
        ("tasks:complete", {"result": "Đã xác minh xong, báo cáo"}, doer),
    ]
    for name, data, rightful in steps:
        url = reverse(name, args=[task.pk])
        verified_login(client, stranger)
        before = _state(task)
        assert client.post(url, data).status_code == 404, name
        assert _state(task) == before, name
        if rightful.in_role(roles.LEADER):
            verified_login(client, rightful)
        else:
            client.force_login(rightful)
        assert client.post(url, data).status_code == 302, name
        assert _state(task) != before, name
    assert _state(task)[0] == "done"
