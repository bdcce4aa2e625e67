"""Poppler's ``pdfsig`` agrees that the unit's signatures on electronic copies, on separate-file
attachments and on a signed closed register are valid and trusted, and that a copy changed after
signing is not (decision 0031). The certificates name no OCSP responder (``signer-plain`` for the
leaders, ``seal-plain`` for the unit): pdfsig 22.12 answers "Unknown issue with Certificate" for
the test PKI's OCSP-bearing chain (decision 0028), and also for the second of two signatures one
certificate made in one file (verify_pdf finds both valid), so the sao y here is of a document
another unit signed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from congan.documents import attachments, closing, copy_services, outgoing_services
from congan.documents.models import IncomingDocument
from congan.documents.tests.factories import (
    IncomingDocumentFactory,
    clerk,
    drafter_of,
    leader_of,
    outgoing_draft,
    outgoing_signed,
    register,
)
from congan.documents.tests.signed import pages_pdf
from congan.signatures.images import seal_png, signature_png
from congan.signatures.selectors import verify_pdf
from congan.signatures.tests.conftest import make_pdf, pkcs12_key
from congan.signatures.tests.tampering import change_a_signed_byte
from congan.signatures.tests.test_pdfsig import nss_db  # noqa: F401 - the NSS database trusting the root

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("signing"),
    pytest.mark.skipif(
        not (shutil.which("pdfsig") and shutil.which("certutil")),
        reason="make signing-deps installs poppler-utils and libnss3-tools",
    ),
]
PLAIN = "signer-plain"


def pdfsig_verdicts(data: bytes, tmp_path: Path, database: Path) -> list[tuple[str, str]]:
    """pdfsig's (integrity, trust) for each signature of ``data``, in verify_pdf's words."""
    path = tmp_path / "checked.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{database}", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    blocks = re.split(r"^Signature #\d+:", result.stdout, flags=re.MULTILINE)[1:]
    return [
        (
            "intact" if "Signature is Valid." in block else "modified",
            "trusted" if "Certificate is Trusted." in block else "untrusted",
        )
        for block in blocks
    ]


def _ours(data: bytes) -> list[tuple[str, str]]:
    return [
        (s.integrity, "trusted" if s.trust in ("trusted", "trusted_demo") else "untrusted")
        for s in verify_pdf(data).signatures
    ]


@pytest.fixture
def unit(commune, pki):
    commune.symbol = "CAP"
    commune.save()
    seal = pkcs12_key(pki, "seal-plain", unit=commune)
    seal.seal_image.save("con-dau.png", ContentFile(seal_png(commune.name)))
    return commune


@pytest.fixture
def head(unit, pki):
    officer = leader_of(unit)
    key = pkcs12_key(pki, PLAIN, officer=officer)
    key.signer_image.save("chu-ky.png", ContentFile(signature_png(officer.full_name)))
    return officer


def _issue_with_attachment(unit, head, other_commune):
    drafter = drafter_of(unit)
    document = outgoing_draft(drafter, signer=head, recipient_units=[other_commune])
    attachments.attachment_add(
        by=drafter, document_id=document.pk, title="Phụ lục I", file=SimpleUploadedFile("p.pdf", pages_pdf(2))
    )
    outgoing_services.outgoing_submit(by=drafter, document_id=document.pk)
    outgoing_services.outgoing_approve(by=head, document_id=document.pk)
    outgoing_services.outgoing_sign(by=head, document_id=document.pk)
    return outgoing_services.outgoing_issue(by=clerk(unit), document_id=document.pk)


def test_pdfsig_finds_the_copy_and_attachment_signatures_valid_and_trusted(
    unit,
    head,
    other_commune,
    pki,
    tmp_path,
    nss_db,  # noqa: F811
):
    issued = _issue_with_attachment(unit, head, other_commune)
    vanthu = clerk(unit)
    extract = copy_services.copy_make(
        by=vanthu, request=copy_services.CopyRequest(form="trich_sao", outgoing_id=issued.pk, page_from=1, page_to=1)
    )
    # A document another commune's leader signed, registered here, copied here.
    sender = leader_of(other_commune)
    key = pkcs12_key(pki, PLAIN, officer=sender)
    key.signer_image.save("chu-ky.png", ContentFile(signature_png(sender.full_name)))
    theirs = outgoing_services.outgoing_issue(
        by=clerk(other_commune),
        document_id=outgoing_signed(drafter_of(other_commune), sender, recipient_units=[unit]).pk,
    )
    received = IncomingDocument.objects.get(source_outgoing=theirs)
    entry = register(
        vanthu, received_id=received.pk, number_symbol=theirs.number_symbol, issuer_name=other_commune.name
    )
    copy = copy_services.copy_make(
        by=vanthu, request=copy_services.CopyRequest(form="sao_y", incoming_id=entry.document.pk)
    )
    attachment = issued.attachments.get().issued.read()
    for data, count in ((copy.file.read(), 2), (extract.file.read(), 1), (attachment, 1)):
        assert pdfsig_verdicts(data, tmp_path, nss_db) == _ours(data) == [("intact", "trusted")] * count


def test_pdfsig_finds_a_signed_closed_register_valid_and_trusted(unit, head, tmp_path, nss_db):  # noqa: F811
    today = timezone.localdate()
    IncomingDocumentFactory(unit=unit, received_on=today, arrival_number=1)
    closed = closing.register_close(by=clerk(unit), book="ordinary", start=today.replace(day=1), end=today)
    data = closing.register_sign(by=head, closure_id=closed.pk).file.read()
    assert pdfsig_verdicts(data, tmp_path, nss_db) == _ours(data) == [("intact", "trusted")] * 2


def test_pdfsig_and_verify_pdf_agree_a_changed_copy_is_not_intact(unit, tmp_path, nss_db):  # noqa: F811
    vanthu = clerk(unit)
    entry = register(vanthu, file=SimpleUploadedFile("den.pdf", make_pdf())).document
    copy = copy_services.copy_make(by=vanthu, request=copy_services.CopyRequest(form="sao_y", incoming_id=entry.pk))
    changed = change_a_signed_byte(copy.file.read())
    assert pdfsig_verdicts(changed, tmp_path, nss_db)[0][0] == _ours(changed)[0][0] == "modified"
