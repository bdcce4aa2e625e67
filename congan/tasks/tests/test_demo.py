"""The demo's directives and tasks: on about a third of the recent registered documents, given by
`lanhdao`; `nghiepvu` has open work, some overdue, some extension requests wait; the documents
follow their lead task; idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from congan.documents.demo import demo_build_documents
from congan.documents.models import IncomingDocument
from congan.org import roles
from congan.org.tests.factories import OfficerFactory, UnitFactory
from congan.tasks import selectors
from congan.tasks.demo import demo_build_tasks
from congan.tasks.models import Directive, ExtensionRequest, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_people(province, commune, other_commune):
    UnitFactory(parent=province, kind="department", code="CA48-PV01", name="Phòng Tham mưu")
    OfficerFactory(username="vanthu", unit=commune, roles=[roles.CLERK])
    leader = OfficerFactory(username="lanhdao", unit=province, roles=[roles.LEADER])
    officer = OfficerFactory(username="nghiepvu", unit=commune, roles=[roles.SPECIALIST])
    return leader, officer


def test_the_demo_gives_directives_and_tasks_some_overdue_some_waiting_for_more_time(province, commune, demo_people):
    leader, officer = demo_people
    demo_build_documents(province=province, documents=600)
    created = demo_build_tasks(province=province)
    assert created["directives"] > 20 and created["tasks"] >= created["directives"]
    assert set(Directive.objects.values_list("given_by", flat=True)) == {leader.pk}
    today = timezone.localdate()
    mine = selectors.my_tasks(viewer=officer)
    assert mine.exists() and mine.filter(assignee_officer=officer).exists()
    assert Task.objects.filter(status__in=selectors.OPEN, deadline__lt=today).exists()
    assert ExtensionRequest.objects.filter(status="pending").exists()
    assert Task.objects.filter(status="done").exists()
    for task in Task.objects.filter(role="lead").select_related("document"):
        expected = {"done": "done", "in_progress": None, "new": "directed"}[task.status]
        if expected:
            assert task.document.status == expected, task.pk
    assert IncomingDocument.objects.filter(status="registered", unit=commune).exists()  # left for lanhdao
    assert demo_build_tasks(province=province) == {"directives": 0, "tasks": 0}
