"""Attachments and appendices in separate files (phụ lục, tài liệu kèm theo, Decree 30 Appendix I
II.8.b; decision 0031): PDFs added to a draft, each signed at issue by the unit alone at the top
right of its first page with the document's number and symbol and the signing time, while the main
document keeps its signer's and seal signatures; the recipients receive the signed files."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from congan.core.errors import InvalidTransition, ValidationFailed
from congan.core.models import AuditEvent
from congan.documents import attachments, outgoing_services
from congan.documents.models import Classification, IncomingAttachment, IncomingDocument, OutgoingAttachment
from congan.documents.signing_port import pdf_has_signature
from congan.documents.tests.factories import clerk, drafter_of, leader_of, outgoing_draft, outgoing_signed
from congan.documents.tests.signed import key_for, pages_pdf, seal_for
from congan.documents.tests.test_copies import corner_text
from congan.signatures.selectors import verify_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing")]


@pytest.fixture
def people(commune, other_commune):
    commune.symbol = "CAP"
    commune.save()
    return {
        "drafter": drafter_of(commune),
        "signer": leader_of(commune),
        "clerk": clerk(commune),
        "to": other_commune,
        "unit": commune,
    }


def _pdf(name: str = "phu-luc.pdf", pages: int = 2, title: str = "Phu luc I") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pages_pdf(pages, title), content_type="application/pdf")


def _draft_with_attachments(people, count: int = 2):
    document = outgoing_draft(people["drafter"], signer=people["signer"], recipient_units=[people["to"]])
    for index in range(1, count + 1):
        attachments.attachment_add(
            by=people["drafter"],
            document_id=document.pk,
            title=f"Phụ lục {index}. Danh sách tổ công tác",
            file=_pdf(title=f"Phu luc {index}"),
        )
    return document


def _sign_off_and_issue(people, document):
    outgoing_services.outgoing_submit(by=people["drafter"], document_id=document.pk)
    outgoing_services.outgoing_approve(by=people["signer"], document_id=document.pk)
    outgoing_services.outgoing_sign(by=people["signer"], document_id=document.pk)
    return outgoing_services.outgoing_issue(by=people["clerk"], document_id=document.pk)


def test_each_attachment_is_signed_at_issue_by_the_unit_with_the_number_and_symbol(people, pki):
    key_for(pki, people["signer"])
    seal_for(pki, people["unit"])
    issued = _sign_off_and_issue(people, _draft_with_attachments(people))

    main = verify_pdf(issued.pdf.read())
    assert len(main.signatures) == 2 and main.all_valid  # the signer's, then the seal's
    stored = list(issued.attachments.order_by("order"))
    assert [a.order for a in stored] == [1, 2]
    for attachment in stored:
        content = attachment.issued.read()
        [signature] = verify_pdf(content).signatures  # the unit's alone
        assert signature.valid and signature.signer_name == "Công an tỉnh thử nghiệm"
        text = corner_text(content)
        assert "01/QĐ-CAP" in text and "+07:00" in text
        assert attachment.file_sha256 != attachment.issued_sha256
        assert len(PdfReader(io.BytesIO(content)).pages) == 2
    event = AuditEvent.objects.get(action="documents.outgoing.issue")
    assert event.details["attachments"] == [a.issued_sha256 for a in stored]


def test_the_recipient_unit_receives_the_signed_attachments_byte_for_byte(people, pki, client):
    seal_for(pki, people["unit"])
    issued = _sign_off_and_issue(people, _draft_with_attachments(people))
    entry = IncomingDocument.objects.get(source_outgoing=issued)
    received = list(entry.attachments.order_by("order"))
    sent = list(issued.attachments.order_by("order"))
    assert [(r.title, r.file_sha256) for r in received] == [(s.title, s.issued_sha256) for s in sent]
    first = received[0].file.read()
    assert first == sent[0].issued.read()

    receiver = clerk(people["to"])
    client.force_login(receiver)
    page = client.get(reverse("documents:incoming", args=[entry.pk])).content.decode()
    assert "Phụ lục 1. Danh sách tổ công tác" in page and 'data-testid="attachment-signature-state"' in page
    download = client.get(reverse("documents:incoming_attachment", args=[entry.pk, received[0].pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == first


def test_a_unit_without_a_seal_key_issues_its_attachments_unsigned(people):
    issued = _sign_off_and_issue(people, _draft_with_attachments(people, count=1))
    [attachment] = issued.attachments.all()
    assert attachment.issued_sha256 == attachment.file_sha256
    assert not pdf_has_signature(attachment.issued.read())
    assert IncomingAttachment.objects.get().file_sha256 == attachment.file_sha256


def test_attachments_are_added_and_removed_only_while_the_draft_is_written(people):
    document = _draft_with_attachments(people, count=2)
    first = document.attachments.get(order=1)
    attachments.attachment_remove(by=people["drafter"], document_id=document.pk, attachment_id=first.pk)
    assert list(document.attachments.values_list("order", flat=True)) == [2]
    third = attachments.attachment_add(by=people["drafter"], document_id=document.pk, title="Phụ lục 3", file=_pdf())
    assert third.order == 3
    actions = list(AuditEvent.objects.filter(action__startswith="documents.outgoing.").values_list("action", flat=True))
    assert actions.count("documents.outgoing.attach") == 3 and "documents.outgoing.detach" in actions
    assert document.events.filter(action="detach").exists()

    outgoing_services.outgoing_submit(by=people["drafter"], document_id=document.pk)
    outgoing_services.outgoing_approve(by=people["signer"], document_id=document.pk)
    with pytest.raises(InvalidTransition):
        attachments.attachment_add(by=people["drafter"], document_id=document.pk, title="Phụ lục 4", file=_pdf())
    with pytest.raises(InvalidTransition):
        attachments.attachment_remove(by=people["drafter"], document_id=document.pk, attachment_id=third.pk)


def test_an_attachment_must_be_a_readable_pdf_with_a_title(people):
    document = outgoing_draft(people["drafter"], signer=people["signer"], recipient_units=[people["to"]])
    with pytest.raises(ValidationFailed) as refused:
        attachments.attachment_add(
            by=people["drafter"],
            document_id=document.pk,
            title="",
            file=SimpleUploadedFile("phu-luc.docx", b"PK\x03\x04 not a pdf"),
        )
    assert set(refused.value.details) == {"attachment_title", "attachment_file"}
    with pytest.raises(ValidationFailed):
        attachments.attachment_add(by=people["drafter"], document_id=document.pk, title="Phụ lục", file=None)
    assert not OutgoingAttachment.objects.exists()


def test_a_classified_document_takes_no_attachment(people):
    drafter = drafter_of(people["unit"], clearance=Classification.SECRET)
    document = outgoing_draft(
        drafter, signer=people["signer"], classification=Classification.SECRET, body="", recipient_units=[people["to"]]
    )
    with pytest.raises(ValidationFailed) as refused:
        attachments.attachment_add(by=drafter, document_id=document.pk, title="Phụ lục", file=_pdf())
    assert "Văn bản mật" in refused.value.details["attachment_file"][0]


def test_the_outgoing_page_adds_shows_and_removes_attachments(people, client):
    document = outgoing_draft(people["drafter"], signer=people["signer"], recipient_units=[people["to"]])
    client.force_login(people["drafter"])
    url = reverse("documents:outgoing", args=[document.pk])
    assert 'data-testid="attachment-form"' in client.get(url).content.decode()
    attach = reverse("documents:outgoing_step", args=[document.pk, "attach"])
    response = client.post(attach, {"attachment_title": "Phụ lục I. Kế hoạch", "attachment_file": _pdf()})
    assert response.status_code == 302
    attachment = document.attachments.get()
    page = client.get(url).content.decode()
    assert "Phụ lục I. Kế hoạch" in page and "Chưa có chữ ký số" in page
    download = client.get(reverse("documents:outgoing_attachment", args=[document.pk, attachment.pk]))
    assert download.status_code == 200
    client.post(attach, {"attachment_title": "Phụ lục II", "attachment_file": SimpleUploadedFile("x.pdf", b"nope")})
    assert document.attachments.count() == 1
    assert "Phụ lục ở tệp riêng phải là tệp PDF" in client.get(url).content.decode()
    detach = reverse("documents:outgoing_step", args=[document.pk, "detach"])
    assert client.post(detach, {"attachment": attachment.pk}).status_code == 302
    assert not document.attachments.exists()
    assert client.post(detach, {"attachment": "x"}).status_code == 404


def test_the_api_lists_the_attachments_of_an_issued_document(people, pki, client):
    seal_for(pki, people["unit"])
    issued = _sign_off_and_issue(people, _draft_with_attachments(people, count=1))
    client.force_login(people["clerk"])
    body = client.get(f"/api/v1/documents/outgoing/{issued.pk}").json()
    [attachment] = body["attachments"]
    assert attachment["title"] == "Phụ lục 1. Danh sách tổ công tác"
    assert attachment["issued_sha256"] == issued.attachments.get().issued_sha256
    entry = IncomingDocument.objects.get(source_outgoing=issued)
    client.force_login(clerk(people["to"]))
    assert client.get(f"/api/v1/documents/incoming/{entry.pk}").json()["attachments"][0]["order"] == 1


def test_an_issued_signed_document_without_attachments_is_unchanged(people, pki):
    key_for(pki, people["signer"])
    document = outgoing_signed(people["drafter"], people["signer"], recipient_units=[people["to"]])
    issued = outgoing_services.outgoing_issue(by=people["clerk"], document_id=document.pk)
    assert not issued.attachments.exists() and verify_pdf(issued.pdf.read()).all_valid
