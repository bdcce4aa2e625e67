"""A leader's directive (bút phê) on an incoming document: who may give it, the tasks it creates,
the document's steps, the rules of each field, the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from congan.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.models import AuditEvent
from congan.documents import selectors as document_selectors
from congan.documents.models import IncomingDocument
from congan.documents.tests.factories import IncomingDocumentFactory
from congan.org.tests.factories import UnitFactory
from congan.tasks import services
from congan.tasks.models import Task

pytestmark = pytest.mark.django_db
Status = IncomingDocument.Status


def _in(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def document(commune):
    return IncomingDocumentFactory(unit=commune, urgency=1)


def _give(leader, document, **fields):
    values = {"text": "Giao Công an phường chủ trì, báo cáo kết quả", "deadline": _in(5)}
    values.update(fields)
    return services.directive_give(by=leader, document_id=document.pk, data=services.DirectiveInput(**values))


def test_a_directive_gives_the_lead_a_task_and_each_cooperating_unit_one(leader, commune, other_commune, document):
    directive = _give(leader, document, lead_unit=commune, co_units=[other_commune])
    tasks = {task.role: task for task in directive.tasks.all()}
    assert set(tasks) == {Task.Role.LEAD, Task.Role.COOPERATE}
    assert tasks[Task.Role.LEAD].assignee_unit == commune
    assert tasks[Task.Role.COOPERATE].assignee_unit == other_commune
    lead = tasks[Task.Role.LEAD]
    assert (lead.deadline, lead.urgency, lead.document, lead.assigned_by) == (_in(5), 1, document, leader)
    assert lead.title.startswith("Chủ trì xử lý")
    document.refresh_from_db()
    assert document.status == Status.DIRECTED
    last = list(document_selectors.timeline(document))[-1]
    assert last.action == "directed" and "Giao Công an phường chủ trì" in last.note
    event = AuditEvent.objects.get(action="tasks.directive.give")
    assert event.details["tasks"] == sorted(task.pk for task in tasks.values())


def test_a_directive_to_an_officer_gives_the_task_to_them_in_their_unit(leader, officer, document):
    directive = _give(leader, document, lead_officer=officer)
    task = directive.tasks.get()
    assert (task.assignee_officer, task.assignee_unit) == (officer, officer.unit)


def test_a_second_directive_adds_tasks_and_leaves_the_document_directed(leader, commune, document):
    _give(leader, document, lead_unit=commune)
    _give(leader, document, lead_unit=commune, text="Bổ sung: phối hợp kiểm tra thực tế")
    document.refresh_from_db()
    assert (document.status, Task.objects.filter(document=document).count()) == (Status.DIRECTED, 2)


def test_only_a_leader_gives_a_directive(officer, commune, document):
    with pytest.raises(PermissionDenied):
        _give(officer, document, lead_unit=commune)
    assert not Task.objects.exists()


def test_a_commune_leader_cannot_direct_another_communes_document(commune_leader, other_commune):
    elsewhere = IncomingDocumentFactory(unit=other_commune)
    with pytest.raises(NotFound):
        _give(commune_leader, elsewhere, lead_unit=other_commune)


def test_a_leader_gives_tasks_only_inside_their_units(commune_leader, commune, other_commune, document):
    with pytest.raises(ValidationFailed) as caught:
        _give(commune_leader, document, lead_unit=other_commune)
    assert "lead_unit" in caught.value.details
    with pytest.raises(ValidationFailed) as caught:
        _give(commune_leader, document, lead_unit=commune, co_units=[other_commune])
    assert "co_units" in caught.value.details


def test_a_directive_needs_text_a_lead_and_a_deadline_not_in_the_past(leader, commune, document):
    with pytest.raises(ValidationFailed) as caught:
        _give(leader, document, text="ok", deadline=_in(-1))
    assert set(caught.value.details) == {"text", "deadline", "lead_unit"}
    with pytest.raises(ValidationFailed) as caught:
        _give(leader, document, lead_unit=commune, co_units=[commune])
    assert "co_units" in caught.value.details
    document.refresh_from_db()
    assert document.status == Status.REGISTERED


def test_the_lead_officer_must_belong_to_the_lead_unit(leader, commune, other_commune, other_commune_officer, document):
    with pytest.raises(ValidationFailed) as caught:
        _give(leader, document, lead_unit=commune, lead_officer=other_commune_officer)
    assert "lead_officer" in caught.value.details


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.DONE])
def test_no_directive_on_a_document_not_registered_or_already_done(leader, commune, status):
    document = IncomingDocumentFactory(unit=commune, status=status)
    with pytest.raises(InvalidTransition):
        _give(leader, document, lead_unit=commune)


def test_a_classified_documents_tasks_do_not_carry_its_subject(leader, commune):
    leader.clearance = 1
    leader.save()
    document = IncomingDocumentFactory(unit=commune, classification=1, subject="Nội dung mật kiểm tra")
    task = _give(leader, document, lead_unit=UnitFactory(parent=commune)).tasks.get()
    assert "Nội dung mật" not in task.title and "mật" in task.title
