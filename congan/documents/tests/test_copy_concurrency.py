"""Copies under concurrency (PostgreSQL, parallel connections): fifty copies of one document made at
once by the unit's clerks, in the three forms, take the numbers 01–50 of the unit's copy series
exactly, each signed and stored once (decision 0031)."""

from __future__ import annotations

import pytest

from congan.documents.tests.test_numbering_concurrency import CALLS, in_parallel

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("signing")]


def test_fifty_copies_made_from_parallel_connections_are_numbered_one_to_fifty(commune, other_commune, pki):
    from congan.documents import copy_services, outgoing_services
    from congan.documents.models import DocumentCopy, DocumentType, NumberSeries
    from congan.documents.tests.factories import clerk, drafter_of, leader_of, outgoing_signed
    from congan.documents.tests.signed import seal_for
    from congan.documents.types import load_types

    load_types(DocumentType)  # a transactional test starts from flushed tables
    commune.symbol = "CAP"
    commune.save()
    seal_for(pki, commune)
    signed = outgoing_signed(drafter_of(commune), leader_of(commune), recipient_units=[other_commune])
    issued = outgoing_services.outgoing_issue(by=clerk(commune), document_id=signed.pk)
    clerks = [clerk(commune) for _ in range(5)]
    forms = [DocumentCopy.Form.SAO_Y, DocumentCopy.Form.SAO_LUC, DocumentCopy.Form.TRICH_SAO]

    def make(index: int) -> int:
        form = forms[index % len(forms)]
        extract = form == DocumentCopy.Form.TRICH_SAO
        copy = copy_services.copy_make(
            by=clerks[index % len(clerks)],
            request=copy_services.CopyRequest(
                form=form, outgoing_id=issued.pk, page_from=1 if extract else None, page_to=1 if extract else None
            ),
        )
        return copy.number

    numbers = in_parallel(make)
    assert sorted(numbers) == list(range(1, CALLS + 1))
    stored = DocumentCopy.objects.filter(unit=commune)
    assert sorted(stored.values_list("number", flat=True)) == list(range(1, CALLS + 1))
    assert len(set(stored.values_list("file_sha256", flat=True))) == CALLS  # each signed on its own
    assert NumberSeries.objects.get(unit=commune, book=NumberSeries.Book.COPY).last == CALLS
    assert {symbol.split("-")[0] for symbol in stored.values_list("notation", flat=True)} == {"SY", "SL", "TrS"}
