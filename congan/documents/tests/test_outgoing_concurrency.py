"""Issuing under concurrency (PostgreSQL, parallel connections): fifty signed documents issued at
once take the numbers 01–50 of their series exactly, each sent once."""

from __future__ import annotations

import pytest

from congan.documents.tests.test_numbering_concurrency import CALLS, in_parallel

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_fifty_documents_issued_from_parallel_connections_are_numbered_one_to_fifty(commune, other_commune):
    from congan.documents import outgoing_services
    from congan.documents.models import DocumentType, IncomingDocument, NumberSeries, OutgoingDocument
    from congan.documents.tests.factories import clerk, drafter_of, leader_of, outgoing_signed
    from congan.documents.types import load_types

    load_types(DocumentType)  # a transactional test starts from flushed tables
    commune.symbol = "CAP"
    commune.save()
    drafter, signer = drafter_of(commune), leader_of(commune)
    clerks = [clerk(commune) for _ in range(5)]
    signed = [outgoing_signed(drafter, signer, recipient_units=[other_commune]).pk for _ in range(CALLS)]
    assert not NumberSeries.objects.filter(book=NumberSeries.Book.OUTGOING).exists()  # none before issue

    def issue(index: int) -> int:
        document = outgoing_services.outgoing_issue(by=clerks[index % len(clerks)], document_id=signed[index])
        assert document.number is not None
        return document.number

    numbers = in_parallel(issue)
    assert sorted(numbers) == list(range(1, CALLS + 1))
    stored = OutgoingDocument.objects.filter(unit=commune, status=OutgoingDocument.Status.ISSUED)
    assert sorted(stored.values_list("number", flat=True)) == list(range(1, CALLS + 1))
    assert set(stored.values_list("notation", flat=True)) == {"QĐ-CAP"}
    assert IncomingDocument.objects.filter(unit=other_commune, source_outgoing__isnull=False).count() == CALLS
    assert NumberSeries.objects.get(unit=commune, book=NumberSeries.Book.OUTGOING, series="quyet-dinh").last == CALLS
