"""The demo's electronic copies and signed register (decision 0031): with the demo PKI, `vanthu` has a
SAO Y and a TRÍCH SAO of documents of the commune's register (registering two that wait, when none
with a file is registered yet) and a SAO Y of a paper scan, numbered 01–03 in the commune's copy
series, each valid; the first sent to another commune; last month's register signed
by `lanhdao`; idempotent; nothing without the demo PKI."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from congan.documents.demo import demo_build_documents
from congan.documents.demo_copies import demo_build_copies
from congan.documents.demo_outgoing import demo_build_outgoing
from congan.documents.models import DocumentCopy, IncomingDocument, RegisterClosure
from congan.documents.tests.factories import IncomingDocumentFactory, document_type
from congan.documents.tests.signed import pages_pdf
from congan.documents.tests.test_demo_outgoing import demo_people  # noqa: F401 - lanhdao, vanthu
from congan.signatures.selectors import verify_pdf

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("demo_people", "other_commune")
def test_the_demo_has_three_signed_copies_and_a_signed_register(province, commune, settings, tmp_path):
    from congan.signatures.demo import demo_build_signatures

    settings.SIGNING_DIR = tmp_path / "signing"
    settings.MEDIA_ROOT = tmp_path / "media"
    assert demo_build_copies(province=province) == {"copies": 0}  # no seal key yet
    demo_build_signatures(province=province)
    demo_build_documents(province=province, documents=300)
    demo_build_outgoing(province=province, documents=1000)
    for index in (1, 2):  # sent by another unit, waiting for vanthu (the demo registers them first)
        waiting = IncomingDocumentFactory(
            unit=commune,
            status=IncomingDocument.Status.RECEIVED,
            channel=IncomingDocument.Channel.PLATFORM,
            number=900 + index,
            notation="KH-CATP",
            document_type=document_type("KH"),
        )
        waiting.file.save("van-ban.pdf", ContentFile(pages_pdf(2, f"Ke hoach {index}")))
    created = demo_build_copies(province=province)

    copies = list(DocumentCopy.objects.filter(unit=commune).order_by("number"))
    assert created["copies"] == len(copies) and [c.number for c in copies] == list(range(1, len(copies) + 1))
    assert [(c.form, c.origin) for c in copies] == [
        ("sao_y", "incoming"),
        ("trich_sao", "incoming"),
        ("sao_y", "paper"),
    ]
    for copy in copies:
        assert verify_pdf(copy.file.read()).all_valid
    assert created["copies_sent"] == 1
    assert IncomingDocument.objects.filter(source_copy=copies[0]).exclude(unit=commune).count() == 1
    assert created["registers_signed"] == 1
    closure = RegisterClosure.objects.get(unit=commune)
    assert closure.is_signed and closure.signed_by.username == "lanhdao" and closure.unsigned_sha256
    assert verify_pdf(closure.file.read()).all_valid
    assert demo_build_copies(province=province) == {"copies": 0}
