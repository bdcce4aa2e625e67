"""The demo's outgoing documents: numbered per unit, type and year without gaps, the recent ones
with their PDF delivered to the communes as incoming entries (some registered, with receipts), two
recalled on both sides, drafts waiting for lanhdao, and idempotent."""

from __future__ import annotations

from collections import defaultdict

import pytest

from congan.documents.demo import demo_build_documents
from congan.documents.demo_outgoing import demo_build_outgoing
from congan.documents.models import IncomingDocument, NumberSeries, OutgoingDelivery, OutgoingDocument
from congan.org import roles
from congan.org.tests.factories import OfficerFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_people(province, commune, other_commune):
    UnitFactory(parent=province, kind="department", code="CA48-PV01", name="Phòng Tham mưu")
    OfficerFactory(unit=province, roles=[roles.SPECIALIST])
    OfficerFactory(username="lanhdao", unit=province, roles=[roles.LEADER], position="Phó Giám đốc")
    return OfficerFactory(username="vanthu", unit=commune, roles=[roles.CLERK])


def test_the_demo_issues_a_year_of_outgoing_documents_delivered_with_receipts(province, commune, demo_people):
    demo_build_documents(province=province, documents=300)
    created = demo_build_outgoing(province=province, documents=2000)
    assert created["outgoing_documents"] == 200 and created["drafts"] == 5
    numbers: dict[tuple, list[int]] = defaultdict(list)
    issued = OutgoingDocument.objects.filter(status__in=["issued", "recalled"])
    for unit_id, year, type_id, number in issued.values_list("unit", "year", "document_type", "number"):
        numbers[(unit_id, year, type_id)].append(number)
    for key, taken in numbers.items():
        assert sorted(taken) == list(range(1, len(taken) + 1)), key
    assert NumberSeries.objects.filter(book="outgoing").count() == len(numbers)
    copies = IncomingDocument.objects.filter(source_outgoing__isnull=False)
    assert copies.filter(unit=commune).exists() and created["incoming_copies"] == copies.count()
    assert all(copy.file.read() == copy.source_outgoing.pdf.read() for copy in copies[:3])
    registered = OutgoingDelivery.objects.filter(incoming__status="registered")
    assert registered.exists() and all(d.arrival_number == d.incoming.arrival_number for d in registered)
    assert OutgoingDocument.objects.filter(status="recalled").count() == 2
    assert copies.filter(withdrawn_at__isnull=False).exists()
    lanhdao = demo_people.__class__.objects.get(username="lanhdao")
    assert OutgoingDocument.objects.filter(signer=lanhdao, status="in_review").count() == 3
    for key in {
        (u, y, s)
        for u, y, s in IncomingDocument.objects.filter(status="registered", secret=False).values_list(
            "unit", "year", "secret"
        )
    }:
        taken = sorted(
            IncomingDocument.objects.filter(unit=key[0], year=key[1], secret=False).values_list(
                "arrival_number", flat=True
            )
        )
        assert taken == list(range(1, len(taken) + 1))
    assert demo_build_outgoing(province=province, documents=2000) == {"outgoing_documents": 0}


def test_with_the_demo_pki_every_issued_pdf_is_signed_and_verifies(province, commune, demo_people, settings, tmp_path):
    from congan.signatures.demo import demo_build_signatures
    from congan.signatures.selectors import verify_pdf

    settings.SIGNING_DIR = tmp_path / "signing"
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_build_signatures(province=province)
    demo_build_documents(province=province, documents=100)
    created = demo_build_outgoing(province=province, documents=300)
    issued = OutgoingDocument.objects.filter(status__in=["issued", "recalled"], classification=0)
    assert created["issued_pdfs"] == issued.count() == 30
    for document in issued.order_by("pk")[:3]:
        report = verify_pdf(document.pdf.read())
        assert len(report.signatures) == 2 and report.all_valid  # lanhdao, then the unit's seal


def test_the_full_demo_has_five_hundred_outgoing_documents():
    from congan.documents.demo_outgoing import outgoing_count

    assert outgoing_count(None, 200_152) == 500  # `congan demo`: 20,000 incoming, a tenth outgoing
    assert outgoing_count(2000, 0) == 200
