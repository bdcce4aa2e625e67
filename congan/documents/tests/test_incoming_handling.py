"""The handling of a registered entry: registered → directed → in progress → done, each step on
the timeline and audited, every other move refused."""

from __future__ import annotations

import pytest

from congan.core.errors import InvalidTransition, NotFound
from congan.core.models import AuditEvent
from congan.documents import selectors, services
from congan.documents.models import IncomingDocument
from congan.documents.tests.factories import IncomingDocumentFactory

pytestmark = pytest.mark.django_db

Status = IncomingDocument.Status


@pytest.fixture
def document(commune):
    return IncomingDocumentFactory(unit=commune)


def _advance(leader, document, to):
    return services.incoming_advance(by=leader, document_id=document.pk, to=to)


def test_a_document_goes_from_registered_to_directed_in_progress_and_done(leader, document):
    for step in (Status.DIRECTED, Status.IN_PROGRESS, Status.DONE):
        _advance(leader, document, step)
        document.refresh_from_db()
        assert document.status == step
    assert [event.action for event in selectors.timeline(document)] == ["directed", "in_progress", "done"]
    labels = [event.action_display() for event in selectors.timeline(document)]
    assert labels == ["Lãnh đạo cho ý kiến chỉ đạo (bút phê)", "Bắt đầu xử lý", "Xử lý xong"]
    audited = AuditEvent.objects.filter(target_id=str(document.pk), action__startswith="documents.").order_by("seq")
    assert [event.action for event in audited] == [
        "documents.incoming.directed",
        "documents.incoming.in_progress",
        "documents.incoming.done",
    ]
    assert audited[0].details == {"from": "registered", "to": "directed"}


def test_a_directed_document_may_be_done_without_a_progress_step(leader, document):
    _advance(leader, document, Status.DIRECTED)
    assert _advance(leader, document, Status.DONE).status == Status.DONE


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Status.RECEIVED, Status.DIRECTED),
        (Status.REGISTERED, Status.IN_PROGRESS),
        (Status.REGISTERED, Status.DONE),
        (Status.REGISTERED, Status.REGISTERED),
        (Status.DIRECTED, Status.DIRECTED),
        (Status.DIRECTED, Status.REGISTERED),
        (Status.IN_PROGRESS, Status.DIRECTED),
        (Status.IN_PROGRESS, Status.IN_PROGRESS),
        (Status.DONE, Status.IN_PROGRESS),
        (Status.DONE, Status.DIRECTED),
        (Status.DONE, Status.DONE),
        (Status.DIRECTED, Status.RECEIVED),
    ],
)
def test_every_other_move_is_refused_and_changes_nothing(leader, commune, start, to):
    document = IncomingDocumentFactory(unit=commune, status=start)
    with pytest.raises(InvalidTransition):
        _advance(leader, document, to)
    document.refresh_from_db()
    assert document.status == start
    assert not document.events.exists()
    assert not AuditEvent.objects.filter(target_id=str(document.pk), action__startswith="documents.").exists()


def test_another_communes_officer_cannot_move_a_document(other_commune_officer, document):
    with pytest.raises(NotFound):
        _advance(other_commune_officer, document, Status.DIRECTED)
    document.refresh_from_db()
    assert document.status == Status.REGISTERED


def test_handled_documents_stay_in_the_register_and_can_still_be_acknowledged(leader, officer, commune):
    handled = IncomingDocumentFactory(
        unit=commune, status=Status.DIRECTED, recipient_unit=commune, recipient_officer=officer
    )
    handled.handed_at = handled.registered_at
    handled.save()
    listed = selectors.incoming_register(viewer=leader, filters=selectors.RegisterFilters())
    assert handled in list(listed)
    services.incoming_acknowledge(by=officer, document_id=handled.pk)
    handled.refresh_from_db()
    assert handled.acknowledged_by == officer
