"""Outgoing documents (văn bản đi): the draft's versions and comments, review, approval, the
signer's sign-off, numbering at issue and only then, the issued PDF, sending inside the platform and
to outside addresses, read receipts, recall on both sides, classified refusals, and the audit."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from congan.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.models import AuditEvent, Notification
from congan.documents import outgoing_selectors, outgoing_services, selectors, services, signing_port
from congan.documents.models import Classification, IncomingDocument, NumberSeries, OutgoingDocument
from congan.documents.outgoing_services import OutsideAddress
from congan.documents.tests.factories import (
    clerk,
    document_type,
    drafter_of,
    entry,
    leader_of,
    outgoing_draft,
    outgoing_signed,
    pdf_upload,
)
from congan.org.models import Clearance
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db
Status = OutgoingDocument.Status


@pytest.fixture
def people(commune, other_commune):
    commune.symbol = "CAP"
    commune.agency_code = "000.20.19.H48"
    commune.save()
    return {
        "drafter": drafter_of(commune),
        "signer": leader_of(commune, clearance=Clearance.SECRET),
        "clerk": clerk(commune, clearance=Clearance.SECRET),
        "receiver": clerk(other_commune),
        "receiver_handler": drafter_of(other_commune),
    }


def _issued(people, other_commune, **overrides):
    overrides.setdefault("recipient_units", [other_commune])
    document = outgoing_signed(people["drafter"], people["signer"], **overrides)
    return outgoing_services.outgoing_issue(by=people["clerk"], document_id=document.pk)


def _audited(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_a_draft_keeps_its_versions_and_comments_on_each(people, other_commune):
    draft = outgoing_draft(people["drafter"], recipient_units=[other_commune])
    assert draft.status == Status.DRAFT and draft.number is None
    second = outgoing_services.outgoing_add_version(
        by=people["drafter"], document_id=draft.pk, body="Nội dung sửa lần hai", file=pdf_upload("du-thao.pdf")
    )
    comment = outgoing_services.outgoing_comment(by=people["signer"], document_id=draft.pk, text="Sửa Điều 2 cho rõ")
    assert second.number == 2 and second.file_sha256
    assert comment.version == second
    versions = outgoing_selectors.versions(draft)
    assert [v.number for v in versions] == [1, 2]
    assert [c.text for c in versions[1].comments.all()] == ["Sửa Điều 2 cho rõ"]
    assert len(_audited("documents.outgoing.version")) == 1
    assert len(_audited("documents.outgoing.comment")) == 1


def test_a_draft_may_carry_a_docx_and_nothing_else(people):
    draft = outgoing_draft(people["drafter"])
    docx = pdf_upload("du-thao.docx", content=b"PK\x03\x04" + b"x" * 40)
    assert outgoing_services.outgoing_add_version(by=people["drafter"], document_id=draft.pk, body="", file=docx)
    with pytest.raises(ValidationFailed) as refused:
        outgoing_services.outgoing_add_version(
            by=people["drafter"], document_id=draft.pk, body="", file=pdf_upload("x.exe", content=b"MZ....")
        )
    assert "file" in refused.value.details


def test_review_approval_and_signature_go_in_order(people):
    draft = outgoing_draft(people["drafter"], signer=people["signer"])
    with pytest.raises(InvalidTransition):
        outgoing_services.outgoing_approve(by=people["signer"], document_id=draft.pk)
    outgoing_services.outgoing_submit(by=people["drafter"], document_id=draft.pk)
    with pytest.raises(InvalidTransition):
        outgoing_services.outgoing_sign(by=people["signer"], document_id=draft.pk)
    with pytest.raises(PermissionDenied):
        outgoing_services.outgoing_approve(by=people["drafter"], document_id=draft.pk)
    approved = outgoing_services.outgoing_approve(by=people["signer"], document_id=draft.pk)
    assert (approved.status, approved.approved_by) == (Status.APPROVED, people["signer"])
    with pytest.raises(InvalidTransition):
        outgoing_services.outgoing_add_version(by=people["drafter"], document_id=draft.pk, body="Sửa sau khi duyệt")
    signed = outgoing_services.outgoing_sign(by=people["signer"], document_id=draft.pk)
    assert signed.status == Status.SIGNED and signed.number is None
    assert [e.action for e in outgoing_selectors.timeline(signed)] == ["draft", "submit", "approve", "sign"]
    for action in ("submit", "approve", "sign"):
        assert len(_audited(f"documents.outgoing.{action}")) == 1


def test_the_signer_returns_a_draft_with_a_reason(people):
    draft = outgoing_draft(people["drafter"], signer=people["signer"])
    outgoing_services.outgoing_submit(by=people["drafter"], document_id=draft.pk)
    with pytest.raises(ValidationFailed):
        outgoing_services.outgoing_return(by=people["signer"], document_id=draft.pk, reason="")
    back = outgoing_services.outgoing_return(by=people["signer"], document_id=draft.pk, reason="Bổ sung căn cứ")
    assert back.status == Status.DRAFT
    assert outgoing_selectors.timeline(back).last().note == "Bổ sung căn cứ"


def test_submitting_needs_a_signer_and_only_a_leader_above_the_unit_signs(people, other_commune):
    draft = outgoing_draft(people["drafter"])
    with pytest.raises(ValidationFailed) as refused:
        outgoing_services.outgoing_submit(by=people["drafter"], document_id=draft.pk)
    assert "signer" in refused.value.details
    with pytest.raises(ValidationFailed) as refused:
        outgoing_draft(people["drafter"], signer=leader_of(other_commune))
    assert "signer" in refused.value.details
    with pytest.raises(ValidationFailed):
        outgoing_draft(people["drafter"], signer=people["drafter"])


def test_only_the_named_signer_signs(people, commune):
    other_leader = leader_of(commune)
    document = outgoing_draft(people["drafter"], signer=people["signer"])
    outgoing_services.outgoing_submit(by=people["drafter"], document_id=document.pk)
    outgoing_services.outgoing_approve(by=other_leader, document_id=document.pk)  # a leader of the unit approves
    with pytest.raises(PermissionDenied):
        outgoing_services.outgoing_sign(by=other_leader, document_id=document.pk)


def test_the_number_is_taken_at_issue_and_not_before(people, other_commune):
    document = outgoing_signed(people["drafter"], people["signer"], recipient_units=[other_commune])
    assert not NumberSeries.objects.filter(book=NumberSeries.Book.OUTGOING).exists()
    with pytest.raises(PermissionDenied):
        outgoing_services.outgoing_issue(by=people["drafter"], document_id=document.pk)
    issued = outgoing_services.outgoing_issue(by=people["clerk"], document_id=document.pk)
    assert (issued.status, issued.number, issued.number_symbol) == (Status.ISSUED, 1, "01/QĐ-CAP")
    assert issued.issued_on == timezone.localdate()
    second = _issued(people, other_commune)
    letter = _issued(people, other_commune, document_type=document_type(""))
    assert second.number_symbol == "02/QĐ-CAP"
    assert letter.number_symbol == "01/CAP"  # a công văn: its own series, no type block
    series = NumberSeries.objects.get(book=NumberSeries.Book.OUTGOING, series="quyet-dinh", secret=False)
    assert series.last == 2 and series.year == timezone.localdate().year
    with pytest.raises(InvalidTransition):
        outgoing_services.outgoing_issue(by=people["clerk"], document_id=issued.pk)


def test_a_department_writes_its_parents_abbreviation_first(province, make_unit):
    province.symbol = "CAT"
    province.save()
    department = make_unit(parent=province, kind="department", code="PV01X", name="Phòng Tham mưu", symbol="PV01")
    assert outgoing_services.issuer_groups(department) == ("CAT", "PV01")
    assert outgoing_services.issuer_groups(province) == ("CAT",)


def test_issuing_needs_a_recipient(people):
    document = outgoing_signed(people["drafter"], people["signer"])
    with pytest.raises(ValidationFailed) as refused:
        outgoing_services.outgoing_issue(by=people["clerk"], document_id=document.pk)
    assert "recipient_units" in refused.value.details
    assert not NumberSeries.objects.filter(book=NumberSeries.Book.OUTGOING, last__gt=0).exists()


def test_the_issued_pdf_is_laid_out_with_an_empty_signature_box_and_passes_the_port(people, other_commune, monkeypatch):
    calls = []
    original = signing_port.sign_issued_pdf

    def spy(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(signing_port, "sign_issued_pdf", spy)
    issued = _issued(people, other_commune, signer_title="KT. TRƯỞNG CÔNG AN PHƯỜNG / PHÓ TRƯỞNG CÔNG AN PHƯỜNG")
    assert len(calls) == 1 and calls[0]["number_symbol"] == "01/QĐ-CAP" and calls[0]["signer"] == people["signer"]
    content = issued.pdf.read()
    assert hashlib.sha256(content).hexdigest() == issued.pdf_sha256
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 01/QĐ-CAP", "QUYẾT ĐỊNH", "Nơi nhận", "Điều 1"):
        assert part in text
    assert people["signer"].full_name in text and "PHÓ TRƯỞNG CÔNG AN PHƯỜNG" in text
    box = issued.signature_box
    assert box["page"] == 0 and 0 < box["x1"] < box["x2"] < 595.3 and 0 < box["y1"] < box["y2"] < 842
    assert not signing_port.pdf_has_signature(content)  # the signer has no key: issued unsigned


def test_issuing_sends_the_same_pdf_to_each_recipient_unit_as_incoming(people, commune, other_commune, make_unit):
    third = make_unit(parent=commune.parent, kind="ward", code="CAP3", name="Công an phường Hòa Khánh")
    issued = _issued(people, other_commune, recipient_units=[other_commune, third])
    copies = IncomingDocument.objects.filter(source_outgoing=issued).order_by("unit_id")
    assert [c.unit for c in copies] == [other_commune, third]
    pdf = issued.pdf.read()
    for copy in copies:
        assert copy.status == IncomingDocument.Status.RECEIVED and copy.arrival_number is None
        assert copy.channel == IncomingDocument.Channel.PLATFORM
        assert (copy.issuer_name, copy.issuer_agency_id) == (commune.name, "000.20.19.H48")
        assert (copy.number_symbol, copy.issued_on, copy.subject) == ("01/QĐ-CAP", issued.issued_on, issued.subject)
        assert copy.file.read() == pdf and copy.file_sha256 == issued.pdf_sha256
    receiver_view = selectors.incoming_register(
        viewer=people["receiver"], filters=selectors.RegisterFilters(book="received")
    )
    assert list(receiver_view) == [copies[0]]
    assert all(d.delivered_at for d in issued.deliveries.all())


def test_outside_addresses_get_one_outbox_message_each_with_a_link_to_the_pdf(people, other_commune, client):
    outside = [
        OutsideAddress("Sở Tư pháp", "sotuphap@danang.gov.vn"),
        OutsideAddress("UBND phường", "000.00.20.H48"),
    ]
    issued = _issued(people, other_commune, outside=outside)
    messages = list(Notification.objects.filter(channel="email"))
    assert [m.recipient for m in messages] == ["sotuphap@danang.gov.vn"]
    link = messages[0].body.rsplit(" ", 1)[-1]
    response = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 200 and b"".join(response.streaming_content) == issued.pdf.read()
    assert client.get("/van-ban/di/tai/forged-token/").status_code == 404
    assert issued.deliveries.filter(unit__isnull=True, delivered_at__isnull=False).count() == 2


def test_registering_and_acknowledging_at_the_receiver_come_back_as_receipts(people, other_commune):
    issued = _issued(people, other_commune)
    copy = IncomingDocument.objects.get(source_outgoing=issued)
    registered = services.incoming_register(
        by=people["receiver"],
        data=entry(
            issuer_name=copy.issuer_name,
            number_symbol=copy.number_symbol,
            subject=copy.subject,
            document_type=copy.document_type,
            issued_on=copy.issued_on,
        ),
        received_id=copy.pk,
        recipient_officer=people["receiver_handler"],
    ).document
    delivery = issued.deliveries.get()
    assert (delivery.registered_at is not None, delivery.arrival_number) == (True, registered.arrival_number)
    assert registered.file.read() == issued.pdf.read()  # the signed bytes stay intact
    services.incoming_acknowledge(by=people["receiver_handler"], document_id=copy.pk)
    delivery.refresh_from_db()
    assert delivery.acknowledged_at is not None
    steps = [e.action for e in outgoing_selectors.timeline(issued)]
    assert steps[-2:] == ["registered", "acknowledged"]


def test_recall_freezes_the_document_and_withdraws_the_recipients_entries(people, commune, other_commune):
    issued = _issued(people, other_commune, outside=[OutsideAddress("Sở Tư pháp", "stp@danang.gov.vn")])
    copy = IncomingDocument.objects.get(source_outgoing=issued)
    with pytest.raises(PermissionDenied):
        outgoing_services.outgoing_recall(by=people["clerk"], document_id=issued.pk, reason="Ban hành nhầm")
    with pytest.raises(ValidationFailed):
        outgoing_services.outgoing_recall(by=people["signer"], document_id=issued.pk, reason="")
    recalled = outgoing_services.outgoing_recall(by=people["signer"], document_id=issued.pk, reason="Ban hành nhầm số")
    assert (recalled.status, recalled.recall_reason, recalled.recalled_by) == (
        Status.RECALLED,
        "Ban hành nhầm số",
        people["signer"],
    )
    copy.refresh_from_db()
    assert copy.withdrawn_at is not None and copy.subject == issued.subject  # metadata kept
    assert [e.action for e in selectors.timeline(copy)][-1] == "recall"
    assert outgoing_selectors.timeline(recalled).last().action == "recall"
    for book in ("ordinary", "received"):
        filters = selectors.RegisterFilters(book=book)
        assert not selectors.incoming_register(viewer=people["receiver"], filters=filters).exists()
    assert selectors.incoming_open(viewer=people["receiver"], document_id=copy.pk) == copy  # the page stays
    with pytest.raises(InvalidTransition):
        services.incoming_register(by=people["receiver"], data=entry(), received_id=copy.pk)
    for change in (
        lambda: outgoing_services.outgoing_add_version(by=people["drafter"], document_id=issued.pk, body="Sửa"),
        lambda: outgoing_services.outgoing_comment(by=people["drafter"], document_id=issued.pk, text="Góp ý"),
        lambda: outgoing_services.outgoing_recall(by=people["signer"], document_id=issued.pk, reason="Lần nữa"),
    ):
        with pytest.raises(InvalidTransition):
            change()
    assert Notification.objects.filter(key__contains=".recall.").count() == 1
    assert len(_audited("documents.outgoing.recall")) == 1


def test_a_registered_entry_is_withdrawn_too_and_can_no_longer_be_acknowledged(people, other_commune):
    issued = _issued(people, other_commune)
    copy = IncomingDocument.objects.get(source_outgoing=issued)
    services.incoming_register(
        by=people["receiver"],
        data=entry(issuer_name=copy.issuer_name, number_symbol="", subject=copy.subject, issued_on=copy.issued_on),
        received_id=copy.pk,
        recipient_officer=people["receiver_handler"],
    )
    outgoing_services.outgoing_recall(by=people["signer"], document_id=issued.pk, reason="Thay bằng văn bản khác")
    assert not selectors.incoming_register(viewer=people["receiver"], filters=selectors.RegisterFilters()).exists()
    assert selectors.incoming_counts(viewer=people["receiver"])["not_handed"] == 0
    with pytest.raises(InvalidTransition):
        services.incoming_acknowledge(by=people["receiver_handler"], document_id=copy.pk)


def test_a_classified_document_is_metadata_only_and_takes_the_secret_series(people, other_commune):
    with pytest.raises(ValidationFailed) as refused:
        outgoing_draft(people["drafter"], classification=Classification.SECRET)  # no clearance
    assert "classification" in refused.value.details
    secret_drafter = drafter_of(people["drafter"].unit, clearance=Clearance.SECRET)
    with pytest.raises(ValidationFailed) as refused:
        outgoing_draft(secret_drafter, classification=Classification.SECRET)  # a body
    assert "body" in refused.value.details
    with pytest.raises(ValidationFailed) as refused:
        outgoing_draft(secret_drafter, classification=Classification.SECRET, body="", file=pdf_upload())
    assert "file" in refused.value.details
    with pytest.raises(ValidationFailed) as refused:
        outgoing_draft(
            secret_drafter,
            classification=Classification.SECRET,
            body="",
            outside=[OutsideAddress("Sở Tư pháp", "stp@danang.gov.vn")],
        )
    assert "outside" in refused.value.details
    document = outgoing_signed(
        secret_drafter, people["signer"], classification=Classification.SECRET, body="", recipient_units=[other_commune]
    )
    ordinary = _issued(people, other_commune)
    issued = outgoing_services.outgoing_issue(by=people["clerk"], document_id=document.pk)
    assert (issued.number, issued.secret, bool(issued.pdf)) == (1, True, False)
    assert ordinary.number == 1  # separate series
    copy = IncomingDocument.objects.get(source_outgoing=issued)
    assert (copy.classification, copy.secret, bool(copy.file)) == (Classification.SECRET, True, False)
    assert not selectors.incoming_visible(viewer=people["receiver"]).filter(pk=copy.pk).exists()  # no clearance


def test_a_classified_document_is_hidden_below_clearance_and_each_view_audited(people, commune):
    secret_drafter = drafter_of(commune, clearance=Clearance.SECRET)
    document = outgoing_draft(secret_drafter, classification=Classification.SECRET, body="")
    with pytest.raises(NotFound):
        outgoing_selectors.outgoing_open(viewer=people["drafter"], document_id=document.pk)
    assert outgoing_selectors.outgoing_open(viewer=people["signer"], document_id=document.pk) == document
    assert len(_audited("documents.outgoing.read_classified")) == 1


def test_another_unit_neither_sees_nor_changes_an_outgoing_document(people, other_commune):
    document = outgoing_draft(people["drafter"], signer=people["signer"])
    stranger = leader_of(other_commune)
    assert not outgoing_selectors.outgoing_visible(viewer=stranger).exists()
    for change in (
        lambda: outgoing_services.outgoing_submit(by=stranger, document_id=document.pk),
        lambda: outgoing_services.outgoing_comment(by=stranger, document_id=document.pk, text="Góp ý"),
    ):
        with pytest.raises(NotFound):
            change()


def test_an_access_list_hides_an_outgoing_document_from_the_rest_of_the_unit(people, commune):
    colleague = OfficerFactory(unit=commune, roles=["Cán bộ nghiệp vụ"])
    listed = OfficerFactory(unit=commune, roles=["Cán bộ nghiệp vụ"])
    document = outgoing_draft(people["drafter"], restricted=True, allowed_officers=[listed], signer=people["signer"])
    visible = {
        o: outgoing_selectors.outgoing_visible(viewer=o).filter(pk=document.pk).exists()
        for o in (colleague, listed, people["drafter"], people["signer"])
    }
    assert visible == {colleague: False, listed: True, people["drafter"]: True, people["signer"]: True}
    outgoing_services.outgoing_access_set(
        by=people["drafter"], document_id=document.pk, restricted=False, officers=[], units=[]
    )
    assert outgoing_selectors.outgoing_visible(viewer=colleague).filter(pk=document.pk).exists()
    assert len(_audited("documents.outgoing.access")) == 1


def test_an_access_list_on_an_incoming_entry_names_officers_or_units(people, commune, province):
    from congan.documents.tests.factories import register

    named = OfficerFactory(unit=commune, roles=["Cán bộ nghiệp vụ"])
    colleague = OfficerFactory(unit=commune, roles=["Cán bộ nghiệp vụ"])
    above = OfficerFactory(unit=province, roles=["Cán bộ nghiệp vụ"])
    document = register(people["clerk"]).document

    def sees(officer) -> bool:
        return selectors.incoming_visible(viewer=officer).filter(pk=document.pk).exists()

    assert (sees(named), sees(colleague), sees(above)) == (True, True, True)
    outgoing_services.incoming_access_set(
        by=people["clerk"], document_id=document.pk, restricted=True, officers=[named], units=[]
    )
    assert (sees(named), sees(colleague), sees(above), sees(people["clerk"])) == (True, False, False, True)
    outgoing_services.incoming_access_set(
        by=people["clerk"], document_id=document.pk, restricted=True, officers=[], units=[commune]
    )
    assert (sees(named), sees(colleague), sees(above)) == (True, True, False)  # the province is not listed
    with pytest.raises(ValidationFailed):
        outgoing_services.incoming_access_set(
            by=people["clerk"], document_id=document.pk, restricted=True, officers=[above], units=[]
        )
    assert len(_audited("documents.incoming.access")) == 2


def test_a_draft_is_updated_until_it_is_approved(people, other_commune):
    from congan.documents.tests.factories import outgoing_input

    draft = outgoing_draft(people["drafter"], signer=people["signer"])
    changed = outgoing_services.outgoing_update(
        by=people["drafter"],
        document_id=draft.pk,
        data=outgoing_input(
            subject="Kế hoạch bảo đảm an ninh lễ hội mùa xuân",
            document_type=document_type("KH"),
            signer=people["signer"],
            recipient_units=[other_commune],
        ),
    )
    assert (changed.subject, changed.document_type.abbreviation) == ("Kế hoạch bảo đảm an ninh lễ hội mùa xuân", "KH")
    assert [d.unit for d in changed.deliveries.all()] == [other_commune]
    outgoing_services.outgoing_submit(by=people["drafter"], document_id=draft.pk)
    outgoing_services.outgoing_approve(by=people["signer"], document_id=draft.pk)
    with pytest.raises(InvalidTransition):
        outgoing_services.outgoing_update(by=people["drafter"], document_id=draft.pk, data=outgoing_input())
    assert len(_audited("documents.outgoing.update")) == 1


def test_a_restricted_document_reaches_the_clerk_to_be_issued_and_stays_with_them(people, commune, other_commune):
    listed = OfficerFactory(unit=commune, roles=["Cán bộ nghiệp vụ"])
    document = outgoing_signed(
        people["drafter"],
        people["signer"],
        restricted=True,
        allowed_officers=[listed],
        recipient_units=[other_commune],
    )
    other_clerk = clerk(commune)
    assert outgoing_selectors.outgoing_visible(viewer=people["clerk"]).filter(pk=document.pk).exists()
    outgoing_services.outgoing_issue(by=people["clerk"], document_id=document.pk)
    assert outgoing_selectors.outgoing_visible(viewer=people["clerk"]).filter(pk=document.pk).exists()
    assert not outgoing_selectors.outgoing_visible(viewer=other_clerk).filter(pk=document.pk).exists()


def test_the_clerk_who_restricts_an_incoming_entry_keeps_seeing_it(people, commune):
    from congan.documents.tests.factories import IncomingDocumentFactory

    received = IncomingDocumentFactory(unit=commune, status=IncomingDocument.Status.RECEIVED)
    named = OfficerFactory(unit=commune, roles=["Cán bộ nghiệp vụ"])
    outgoing_services.incoming_access_set(
        by=people["clerk"], document_id=received.pk, restricted=True, officers=[named], units=[]
    )
    assert selectors.incoming_visible(viewer=people["clerk"]).filter(pk=received.pk).exists()
    assert set(received.allowed_officers.all()) == {named, people["clerk"]}


def test_the_remaining_forbidden_steps_are_refused(people, commune, other_commune):
    colleague = drafter_of(commune)
    draft = outgoing_draft(people["drafter"], signer=people["signer"], recipient_units=[other_commune])
    with pytest.raises(InvalidTransition):
        outgoing_services.outgoing_return(by=people["signer"], document_id=draft.pk, reason="Chưa trình")
    with pytest.raises(InvalidTransition):
        outgoing_services.outgoing_recall(by=people["signer"], document_id=draft.pk, reason="Chưa phát hành")
    with pytest.raises(PermissionDenied):
        outgoing_services.outgoing_access_set(
            by=colleague, document_id=draft.pk, restricted=True, officers=[colleague], units=[]
        )
    outgoing_services.outgoing_submit(by=people["drafter"], document_id=draft.pk)
    with pytest.raises(InvalidTransition):
        outgoing_services.outgoing_submit(by=people["drafter"], document_id=draft.pk)
    with pytest.raises(PermissionDenied):
        outgoing_services.outgoing_return(by=people["drafter"], document_id=draft.pk, reason="Tự trả lại")
    with pytest.raises(InvalidTransition):
        outgoing_services.outgoing_issue(by=people["clerk"], document_id=draft.pk)  # not signed off
    with pytest.raises(PermissionDenied):
        outgoing_services.outgoing_approve(by=people["clerk"], document_id=draft.pk)  # a clerk approves nothing
    assert OutgoingDocument.objects.get(pk=draft.pk).status == Status.IN_REVIEW
