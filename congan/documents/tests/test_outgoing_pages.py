"""The outgoing pages and API: the register (filters, search without diacritics, CSV), the draft
form and its field errors, the document page with the steps each person may take, the recipients'
receipts, the issued PDF and its signature state, and the API's list, read, issue and recall."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

from congan.documents import outgoing_services, signing_port
from congan.documents.models import Classification, IncomingDocument, OutgoingDocument, Urgency
from congan.documents.tests.factories import (
    OutgoingDocumentFactory,
    clerk,
    document_type,
    drafter_of,
    leader_of,
    outgoing_draft,
    outgoing_signed,
)
from congan.org.tests.otp import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(commune, other_commune):
    commune.symbol = "CAP"
    commune.save()
    return {"drafter": drafter_of(commune), "signer": leader_of(commune), "clerk": clerk(commune)}


def _text(response) -> str:
    return response.content.decode()


def test_the_register_filters_searches_without_diacritics_and_exports(client, people, commune):
    OutgoingDocumentFactory(unit=commune, subject="Kế hoạch tuần tra kiểm soát dịp Tết", urgency=Urgency.FLASH)
    OutgoingDocumentFactory(unit=commune, subject="Báo cáo kết quả công tác tháng", status="draft")
    client.force_login(people["clerk"])
    url = reverse("documents:outgoing_register")
    page = _text(client.get(url))
    assert "Kế hoạch tuần tra" in page and "Báo cáo kết quả" in page and "Chưa cấp số" in page
    found = _text(client.get(url, {"q": "ke hoach tuan tra"}))
    assert "Kế hoạch tuần tra" in found and "Báo cáo kết quả" not in found
    drafts = _text(client.get(url, {"status": "draft"}))
    assert "Báo cáo kết quả" in drafts and "Kế hoạch tuần tra" not in drafts
    export = client.get(url, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Ngày văn bản", "Số, ký hiệu", "Tên loại và trích yếu nội dung"]
    assert len(rows) == 3


def test_the_draft_form_saves_a_draft_and_shows_field_errors(client, people, other_commune):
    client.force_login(people["drafter"])
    url = reverse("documents:outgoing_new")
    assert client.get(url).status_code == 200
    refused = client.post(
        url, {"document_type": document_type("QĐ").pk, "subject": "x", "urgency": 0, "classification": 0}
    )
    assert refused.status_code == 400 and "ít nhất 5 chữ cái" in _text(refused)
    saved = client.post(
        url,
        {
            "document_type": document_type("").pk,
            "subject": "Về việc phối hợp bảo đảm an ninh lễ hội",
            "urgency": Urgency.URGENT,
            "classification": Classification.NORMAL,
            "signer": people["signer"].pk,
            "body": "Kính gửi Công an phường Liên Chiểu.\nĐề nghị phối hợp.",
            "recipient_units": [other_commune.pk],
            "outside": "Sở Văn hóa; sovanhoa@danang.gov.vn",
        },
    )
    document = OutgoingDocument.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse("documents:outgoing", args=[document.pk])
    assert [d.name for d in document.deliveries.all()] == [other_commune.name, "Sở Văn hóa"]
    assert document.versions.get().body.startswith("Kính gửi")


def test_the_document_page_offers_each_person_their_step_only(client, people):
    document = outgoing_draft(people["drafter"], signer=people["signer"])
    client.force_login(people["drafter"])
    page = _text(client.get(reverse("documents:outgoing", args=[document.pk])))
    assert 'data-testid="submit"' in page and 'data-testid="approve"' not in page
    client.post(reverse("documents:outgoing_step", args=[document.pk, "submit"]))
    verified_login(client, people["signer"])
    page = _text(client.get(reverse("documents:outgoing", args=[document.pk])))
    assert 'data-testid="approve"' in page and 'data-testid="return"' in page and 'data-testid="issue"' not in page


def test_the_page_shows_receipts_and_says_signed_only_when_the_pdf_carries_a_signature(
    client, people, other_commune, monkeypatch
):
    document = outgoing_signed(people["drafter"], people["signer"], recipient_units=[other_commune])
    client.force_login(people["clerk"])
    client.post(reverse("documents:outgoing_step", args=[document.pk, "issue"]))
    page = _text(client.get(reverse("documents:outgoing", args=[document.pk])))
    assert "01/QĐ-CAP" in page and "Chưa có chữ ký số" in page and "Đã ký số" not in page
    assert other_commune.name in page
    pdf = client.get(reverse("documents:outgoing_pdf", args=[document.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")

    monkeypatch.setattr(signing_port, "sign_issued_pdf", lambda **kwargs: _with_signature_field())
    second = outgoing_signed(people["drafter"], people["signer"], recipient_units=[other_commune])
    client.post(reverse("documents:outgoing_step", args=[second.pk, "issue"]))
    assert "Đã ký số" in _text(client.get(reverse("documents:outgoing", args=[second.pk])))
    copy = IncomingDocument.objects.get(source_outgoing=second)
    receiver = clerk(other_commune)
    client.force_login(receiver)
    assert "Đã ký số" in _text(client.get(reverse("documents:incoming", args=[copy.pk])))


def _with_signature_field() -> bytes:
    """A PDF with a filled signature field, as a signing library leaves it (for the page's badge)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    value = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/Sig")}))
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Sig"),
            NameObject("/T"): TextStringObject("Signature1"),
            NameObject("/V"): value,
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(0), FloatObject(0)]),
        }
    )
    reference = writer._add_object(field)
    page[NameObject("/Annots")] = ArrayObject([reference])
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject([reference])})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_has_signature_reads_the_signature_field():
    assert signing_port.pdf_has_signature(_with_signature_field())
    assert not signing_port.pdf_has_signature(b"%PDF-1.4 not really")
    assert not signing_port.pdf_has_signature(b"")


def test_the_recipient_sees_a_withdrawn_entry_with_its_reason_but_not_in_the_register(client, people, other_commune):
    document = outgoing_signed(people["drafter"], people["signer"], recipient_units=[other_commune])
    outgoing_services.outgoing_issue(by=people["clerk"], document_id=document.pk)
    outgoing_services.outgoing_recall(by=people["signer"], document_id=document.pk, reason="Ban hành nhầm nơi nhận")
    copy = IncomingDocument.objects.get(source_outgoing=document)
    client.force_login(clerk(other_commune))
    assert copy.subject not in _text(client.get(reverse("documents:register") + "?book=received"))
    page = _text(client.get(reverse("documents:incoming", args=[copy.pk])))
    assert 'data-testid="withdrawn"' in page and "Ban hành nhầm nơi nhận" in page
    assert 'data-testid="register-received"' not in page


def test_the_api_lists_reads_issues_and_recalls(client, people, other_commune):
    document = outgoing_signed(people["drafter"], people["signer"], recipient_units=[other_commune])
    client.force_login(people["clerk"])
    listed = client.get("/api/v1/documents/outgoing", {"status": "signed"}).json()
    assert [item["id"] for item in listed["items"]] == [document.pk]
    issued = client.post(f"/api/v1/documents/outgoing/{document.pk}/issue", content_type="application/json")
    body = issued.json()
    assert issued.status_code == 200 and body["number_symbol"] == "01/QĐ-CAP" and body["signed"] is False
    assert body["deliveries"][0]["name"] == other_commune.name and body["deliveries"][0]["delivered_at"]
    assert set(body["signature_box"]) == {"page", "x1", "y1", "x2", "y2"}
    again = client.post(f"/api/v1/documents/outgoing/{document.pk}/issue", content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    verified_login(client, people["signer"])
    short = client.post(
        f"/api/v1/documents/outgoing/{document.pk}/recall", {"reason": "x"}, content_type="application/json"
    )
    assert short.status_code == 422 and "reason" in short.json()["details"]
    recalled = client.post(
        f"/api/v1/documents/outgoing/{document.pk}/recall",
        {"reason": "Ban hành nhầm số"},
        content_type="application/json",
    )
    assert recalled.status_code == 200 and recalled.json()["status"] == "recalled"
    read = client.get(f"/api/v1/documents/outgoing/{document.pk}").json()
    assert [e["action"] for e in read["events"]][-1] == "recall"


def test_the_to_do_list_counts_drafts_to_approve_and_documents_to_issue_of_the_viewers_units(
    client, people, commune, other_commune
):
    from congan.core.attention import items_for

    outgoing_draft(people["drafter"], signer=people["signer"], urgency=Urgency.FLASH)
    waiting = outgoing_draft(people["drafter"], signer=people["signer"])
    outgoing_services.outgoing_submit(by=people["drafter"], document_id=waiting.pk)
    outgoing_signed(people["drafter"], people["signer"])
    elsewhere = drafter_of(other_commune)
    outgoing_signed(elsewhere, leader_of(other_commune))
    signer_items = {item.url.rsplit("?", 1)[-1]: (item.count, item.urgent) for item in items_for(people["signer"])}
    assert signer_items["mine=on"] == (1, False)
    clerk_items = {item.url.rsplit("?", 1)[-1]: item.count for item in items_for(people["clerk"])}
    assert clerk_items["status=signed"] == 1  # the other commune's is not counted
    client.force_login(people["clerk"])
    assert "Văn bản đi chờ cấp số, phát hành" in client.get(reverse("attention")).content.decode()


def test_the_classified_register_is_for_cleared_officers_and_each_list_or_export_is_audited(client, people, commune):
    from congan.core.models import AuditEvent
    from congan.org.models import Clearance

    OutgoingDocumentFactory(unit=commune, subject="Văn bản đi mật kiểm tra", classification=Classification.SECRET)
    client.force_login(people["clerk"])  # no clearance
    url = reverse("documents:outgoing_register")
    assert "Văn bản đi mật kiểm tra" not in _text(client.get(url, {"book": "secret"}))
    assert not AuditEvent.objects.filter(action="documents.outgoing.list_classified").exists()
    cleared = clerk(commune, clearance=Clearance.SECRET)
    client.force_login(cleared)
    assert "Văn bản đi mật kiểm tra" in _text(client.get(url, {"book": "secret"}))
    assert "Văn bản đi mật kiểm tra" not in _text(client.get(url))  # not in the ordinary register
    client.get(url, {"book": "secret", "export": "xlsx"})
    hows = [e.details["how"] for e in AuditEvent.objects.filter(action="documents.outgoing.list_classified")]
    assert sorted(hows) == ["export:xlsx", "list"]
