"""Receiving a document from another system: it waits unnumbered until the clerk registers it; the
same idempotency key answers the same entry."""

from __future__ import annotations

import pytest

from congan.core.errors import InvalidTransition, ValidationFailed
from congan.core.models import AuditEvent
from congan.documents import selectors, services
from congan.documents.models import Classification, IncomingDocument
from congan.documents.tests.factories import clerk, entry, register

pytestmark = pytest.mark.django_db


def _receive(unit, key="khoa-1", **overrides):
    return services.incoming_receive(
        by="system", data=entry(**overrides), unit=unit, client_token=key, key_owner="client:7"
    )


def test_a_received_document_waits_without_a_number(commune):
    outcome = _receive(commune)
    document = outcome.document
    assert (outcome.created, document.status, document.arrival_number, document.channel) == (
        True,
        IncomingDocument.Status.RECEIVED,
        None,
        IncomingDocument.Channel.SYSTEM,
    )
    assert AuditEvent.objects.filter(action="documents.incoming.receive", target_id=str(document.pk)).exists()


def test_the_same_key_answers_the_same_entry(commune):
    first = _receive(commune).document
    again = _receive(commune, subject="Một trích yếu khác hẳn lần trước")
    assert (again.created, again.document.pk) == (False, first.pk)
    assert IncomingDocument.objects.count() == 1


def test_a_receipt_needs_an_idempotency_key(commune):
    with pytest.raises(ValidationFailed) as caught:
        _receive(commune, key=" ")
    assert "client_token" in caught.value.details


def test_the_number_is_taken_when_the_clerk_registers_it(commune):
    vanthu = clerk(commune)
    register(vanthu, number_symbol="01/QĐ-CATP")
    received = _receive(commune).document
    assert received.arrival_number is None
    document = register(vanthu, received_id=received.pk).document
    assert (document.pk, document.arrival_number, document.status) == (received.pk, 2, "registered")
    assert [event.action for event in selectors.timeline(document)] == ["receive", "register"]
    with pytest.raises(InvalidTransition):
        register(vanthu, received_id=received.pk)


def test_a_classified_document_sent_with_a_file_is_refused(commune):
    from congan.documents.tests.factories import pdf_upload

    with pytest.raises(ValidationFailed) as caught:
        _receive(commune, classification=Classification.SECRET, file=pdf_upload())
    assert "file" in caught.value.details
