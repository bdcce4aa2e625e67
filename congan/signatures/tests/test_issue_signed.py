"""Issuing an outgoing document signs it (decisions 0027 and 0028): the signer's signature in the
empty box of the Appendix I layout and the unit's seal signature over it; each recipient unit
receives the very same bytes as an incoming entry, and its page shows the signatures valid. A
signer without a key issues unsigned; a key that cannot sign refuses the issue and takes no number."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from congan.core.errors import ValidationFailed
from congan.documents import outgoing_services
from congan.documents.models import IncomingDocument, NumberSeries, OutgoingDocument
from congan.documents.signing_port import pdf_has_signature
from congan.documents.tests.factories import clerk, drafter_of, outgoing_signed
from congan.signatures.images import seal_png, signature_png
from congan.signatures.selectors import verify_pdf
from congan.signatures.tests.conftest import pkcs12_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def issuing(commune, commune_leader, other_commune):
    commune.symbol = "CAP"
    commune.save()
    return {"drafter": drafter_of(commune), "signer": commune_leader, "clerk": clerk(commune), "to": other_commune}


def _issue(people) -> OutgoingDocument:
    document = outgoing_signed(people["drafter"], people["signer"], recipient_units=[people["to"]])
    return outgoing_services.outgoing_issue(by=people["clerk"], document_id=document.pk)


def test_an_issued_document_carries_the_signers_and_the_units_signatures_to_the_recipient(
    issuing, pki, trusted, client
):
    signer = issuing["signer"]
    key = pkcs12_key(pki, "signer", officer=signer)
    key.signer_image.save("chu-ky.png", ContentFile(signature_png(signer.full_name)))
    seal = pkcs12_key(pki, "seal", unit=signer.unit)
    seal.seal_image.save("con-dau.png", ContentFile(seal_png(signer.unit.name)))

    issued = _issue(issuing)
    content = issued.pdf.read()
    report = verify_pdf(content)
    assert len(report.signatures) == 2 and report.all_valid
    assert pdf_has_signature(content)
    received = IncomingDocument.objects.get(source_outgoing=issued)
    assert received.file.read() == content  # the same bytes: the signatures intact

    client.force_login(clerk(issuing["to"]))
    page = client.get(f"/van-ban/den/{received.pk}/").content.decode()
    assert "Đã ký số" in page and 'data-testid="signatures-valid"' in page
    client.force_login(issuing["clerk"])
    page = client.get(reverse("documents:outgoing", args=[issued.pk])).content.decode()
    assert page.count('data-testid="signature"') == 2 and 'data-testid="signatures-valid"' in page


def test_a_signer_without_a_key_issues_the_document_unsigned(issuing):
    issued = _issue(issuing)
    assert issued.status == OutgoingDocument.Status.ISSUED and issued.number == 1
    assert not pdf_has_signature(issued.pdf.read())


def test_a_key_that_cannot_sign_refuses_the_issue_and_takes_no_number(issuing, pki):
    signer = issuing["signer"]
    key = pkcs12_key(pki, "signer", officer=signer)
    key.signer_image.save("chu-ky.png", ContentFile(signature_png(signer.full_name)))
    key.pkcs12_passphrase = "not-the-passphrase"
    key.save()
    with pytest.raises(ValidationFailed):
        _issue(issuing)
    assert OutgoingDocument.objects.get().status == OutgoingDocument.Status.SIGNED
    assert not NumberSeries.objects.filter(book=NumberSeries.Book.OUTGOING, last__gt=0).exists()
    assert not IncomingDocument.objects.exists()
