"""Electronic copies (bản sao điện tử, decision 0031): the records clerk makes a SAO Y, SAO LỤC or
TRÍCH SAO of a document of the unit, or a SAO Y of a paper original from its scan; each copy takes
the next number of the unit's one copy series for the year and carries the unit's signature alone
at the top right of its first page (the copy form, the copying unit, the signing time at +07:00),
no image. Every refusal takes no number and stores no file."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from congan.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.models import AuditEvent
from congan.documents import copy_services, outgoing_services
from congan.documents.models import (
    Classification,
    DocumentCopy,
    DocumentEvent,
    IncomingDocument,
    NumberSeries,
    OutgoingDocument,
    OutgoingEvent,
)
from congan.documents.tests.factories import (
    IncomingDocumentFactory,
    clerk,
    document_type,
    drafter_of,
    leader_of,
    outgoing_signed,
    register,
)
from congan.documents.tests.signed import key_for, pages_pdf, scan_pdf, seal_for
from congan.signatures.selectors import verify_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing")]
Form = DocumentCopy.Form


@pytest.fixture
def unit(commune):
    commune.symbol = "CAP"
    commune.save()
    return commune


@pytest.fixture
def vanthu(unit):
    return clerk(unit)


@pytest.fixture
def sealed(pki, unit):
    return seal_for(pki, unit)


def _issued(unit, to, *, pki=None, **overrides) -> OutgoingDocument:
    drafter, signer = drafter_of(unit), leader_of(unit)
    if pki is not None:
        key_for(pki, signer)
    document = outgoing_signed(drafter, signer, recipient_units=[to], **overrides)
    return outgoing_services.outgoing_issue(by=clerk(unit), document_id=document.pk)


def _make(by, **fields) -> DocumentCopy:
    return copy_services.copy_make(by=by, request=copy_services.CopyRequest(**fields))


def _fields(signed: bytes) -> list:
    reader = PdfReader(io.BytesIO(signed))
    return [a.get_object() for a in reader.pages[0].get("/Annots", []) if a.get_object().get("/FT") == "/Sig"]


def corner_text(signed: bytes) -> str:
    """The text of the last signature's appearance on the first page (the copying unit's)."""
    annotation = _fields(signed)[-1]
    appearance = annotation["/AP"]["/N"].get_object()
    writer = PdfWriter()
    page = writer.add_blank_page(width=600, height=200)
    page[NameObject("/Resources")] = appearance["/Resources"]
    page.replace_contents(appearance)
    return page.extract_text()


def _series_last(unit) -> int | None:
    found = NumberSeries.objects.filter(unit=unit, book=NumberSeries.Book.COPY).first()
    return found.last if found else None


def test_a_sao_y_of_an_issued_document_is_numbered_and_signed_by_the_unit_alone_at_the_top_right(
    unit, other_commune, vanthu, sealed, pki
):
    document = _issued(unit, other_commune, pki=pki)
    copy = _make(vanthu, form=Form.SAO_Y, outgoing_id=document.pk)

    assert copy.number_symbol == "01/SY-CAP"
    assert (copy.unit, copy.origin, copy.source_outgoing) == (unit, "outgoing", document)
    content = copy.file.read()
    assert hashlib.sha256(content).hexdigest() == copy.file_sha256
    assert copy.source_sha256 == document.pdf_sha256
    report = verify_pdf(content)
    # The original's signer and seal stay valid under the copy's own signature, which is the unit's.
    assert len(report.signatures) == 3 and report.all_valid
    assert report.signatures[-1].signer_name == "Công an tỉnh thử nghiệm"
    text = corner_text(content)
    assert "SAO Y" in text and unit.name in text and "+07:00" in text
    corner = _fields(content)[-1]
    width = float(PdfReader(io.BytesIO(content)).pages[0].mediabox.width)
    _x1, y1, x2, _y2 = (float(v) for v in corner["/Rect"])
    assert x2 > width * 0.75 and y1 > 700  # top right of the first page
    xobjects = corner["/AP"]["/N"].get_object().get("/Resources", {}).get("/XObject", {})
    assert all(xobject.get_object().get("/Subtype") != "/Image" for xobject in xobjects.values())  # no image
    assert _series_last(unit) == 1


def test_the_three_forms_share_one_series_per_unit_and_year(unit, other_commune, vanthu, sealed):
    document = _issued(unit, other_commune)
    made = [
        _make(vanthu, form=Form.SAO_Y, outgoing_id=document.pk),
        _make(vanthu, form=Form.TRICH_SAO, outgoing_id=document.pk, page_from=1, page_to=1),
        _make(vanthu, form=Form.SAO_LUC, outgoing_id=document.pk),
    ]
    assert [copy.number_symbol for copy in made] == ["01/SY-CAP", "02/TrS-CAP", "03/SL-CAP"]
    assert "SAO LỤC" in corner_text(made[2].file.read())


def test_a_trich_sao_holds_the_chosen_pages_and_the_units_signature_only(unit, vanthu, sealed):
    entry = register(vanthu, file=SimpleUploadedFile("den.pdf", pages_pdf(5, "Ke hoach")))
    copy = _make(vanthu, form=Form.TRICH_SAO, incoming_id=entry.document.pk, page_from=2, page_to=4)

    content = copy.file.read()
    reader = PdfReader(io.BytesIO(content))
    assert reader.pages[0].extract_text().strip().startswith("Ke hoach trang 2")
    assert len(reader.pages) == 3 and (copy.page_from, copy.page_to, copy.pages) == (2, 4, 3)
    assert copy.pages_display == "2–4"
    [signature] = verify_pdf(content).signatures
    assert signature.valid
    assert "TRÍCH SAO" in corner_text(content)


def test_a_sao_luc_of_a_registered_incoming_document_is_noted_on_its_timeline(unit, vanthu, sealed):
    entry = register(vanthu, file=SimpleUploadedFile("den.pdf", pages_pdf(2))).document
    copy = _make(vanthu, form=Form.SAO_LUC, incoming_id=entry.pk, note="Gửi Đội Cảnh sát")

    assert (copy.origin, copy.source_incoming, copy.original_number_symbol) == ("incoming", entry, "15/QĐ-CATP-PV01")
    step = DocumentEvent.objects.get(document=entry, action="copy")
    assert copy.number_symbol in step.note
    event = AuditEvent.objects.get(action="documents.copy.make")
    assert event.details["number_symbol"] == "01/SL-CAP" and event.details["sha256"] == copy.file_sha256
    assert AuditEvent.objects.filter(action="signatures.sign").count() == 1


def test_an_issued_documents_copy_is_noted_on_its_timeline(unit, other_commune, vanthu, sealed):
    document = _issued(unit, other_commune)
    copy = _make(vanthu, form=Form.SAO_Y, outgoing_id=document.pk)
    assert OutgoingEvent.objects.filter(document=document, action="copy", note__contains=copy.number_symbol).exists()


def _paper(**overrides: Any) -> copy_services.PaperOriginal:
    values: dict[str, Any] = {
        "file": SimpleUploadedFile("scan.pdf", scan_pdf(300), content_type="application/pdf"),
        "issuer_name": "Ủy ban nhân dân phường Hải Châu",
        "subject": "Quyết định thành lập tổ dân phố số 5",
        "document_type": document_type("QĐ"),
        "number_symbol": "12/qđ-ubnd",
    }
    values.update(overrides)
    return copy_services.PaperOriginal(**values)


def test_a_sao_y_from_a_colour_scan_of_300_dpi_is_made(unit, vanthu, sealed):
    copy = _make(vanthu, form=Form.SAO_Y, paper=_paper())
    assert (copy.origin, copy.original_number_symbol, copy.pages) == ("paper", "12/QĐ-UBND", 1)
    [signature] = verify_pdf(copy.file.read()).signatures
    assert signature.valid


@pytest.mark.parametrize(
    ("scan", "message"),
    [
        (scan_pdf(150), "150 dpi"),
        (scan_pdf(300, mode="L"), "ảnh màu"),
        (scan_pdf(300, version=(1, 3)), "PDF 1.4"),
        (pages_pdf(1), "không có ảnh quét"),
        (b"not a pdf", "không phải PDF"),
    ],
    ids=["150-dpi", "grey", "pdf-1.3", "no-image", "not-pdf"],
)
def test_a_paper_scan_that_is_not_a_colour_pdf_of_200_dpi_is_refused(unit, vanthu, sealed, scan, message):
    with pytest.raises(ValidationFailed) as refused:
        _make(vanthu, form=Form.SAO_Y, paper=_paper(file=SimpleUploadedFile("scan.pdf", scan)))
    assert any(message in text for text in refused.value.details["file"])
    assert _series_last(unit) is None and not DocumentCopy.objects.exists()


def test_a_paper_original_is_copied_as_sao_y_only(unit, vanthu, sealed):
    with pytest.raises(ValidationFailed) as refused:
        _make(vanthu, form=Form.SAO_LUC, paper=_paper())
    assert "form" in refused.value.details


def test_classified_documents_are_never_copied_electronically(unit, other_commune, vanthu, sealed):
    vanthu.clearance = Classification.TOP_SECRET
    vanthu.save()
    secret_in = IncomingDocumentFactory(unit=unit, classification=Classification.SECRET)
    drafter, signer = drafter_of(unit, clearance=2), leader_of(unit, clearance=2)
    secret_out = outgoing_services.outgoing_issue(
        by=clerk(unit, clearance=2),
        document_id=outgoing_signed(
            drafter, signer, recipient_units=[other_commune], classification=Classification.SECRET, body=""
        ).pk,
    )
    attempts = [
        {"form": Form.SAO_Y, "incoming_id": secret_in.pk},
        {"form": Form.SAO_Y, "outgoing_id": secret_out.pk},
        {"form": Form.SAO_Y, "paper": _paper(classification=Classification.SECRET)},
    ]
    for fields in attempts:
        with pytest.raises(ValidationFailed) as refused:
            _make(vanthu, **fields)
        assert refused.value.code == "classified_not_copied"
        assert "Văn bản mật không được sao điện tử" in str(refused.value.message)
    assert _series_last(unit) is None and not DocumentCopy.objects.exists()


def test_a_unit_without_a_seal_key_makes_no_copy_and_takes_no_number(unit, other_commune, vanthu):
    document = _issued(unit, other_commune)
    with pytest.raises(ValidationFailed) as refused:
        _make(vanthu, form=Form.SAO_Y, outgoing_id=document.pk)
    assert refused.value.code == "no_seal_key"
    assert _series_last(unit) is None


def test_a_seal_key_that_cannot_sign_makes_no_copy_and_gives_its_number_back(unit, other_commune, vanthu, sealed):
    document = _issued(unit, other_commune)
    sealed.pkcs12_passphrase = "not-the-passphrase"
    sealed.save()
    with pytest.raises(ValidationFailed):
        _make(vanthu, form=Form.SAO_Y, outgoing_id=document.pk)
    assert not DocumentCopy.objects.exists() and _series_last(unit) in (None, 0)


def test_what_cannot_be_copied_is_refused_with_its_reason(unit, other_commune, vanthu, sealed):
    drafter, signer = drafter_of(unit), leader_of(unit)
    not_issued = outgoing_signed(drafter, signer, recipient_units=[other_commune])
    with pytest.raises(InvalidTransition):
        _make(vanthu, form=Form.SAO_Y, outgoing_id=not_issued.pk)
    recalled = _issued(unit, other_commune)
    outgoing_services.outgoing_recall(by=signer, document_id=recalled.pk, reason="Ban hành nhầm nơi nhận")
    with pytest.raises(InvalidTransition, match="thu hồi"):
        _make(vanthu, form=Form.SAO_Y, outgoing_id=recalled.pk)
    received = IncomingDocumentFactory(unit=unit, status=IncomingDocument.Status.RECEIVED)
    with pytest.raises(InvalidTransition, match="Vào sổ"):
        _make(vanthu, form=Form.SAO_Y, incoming_id=received.pk)
    paper_only = IncomingDocumentFactory(unit=unit)
    with pytest.raises(ValidationFailed) as refused:
        _make(vanthu, form=Form.SAO_Y, incoming_id=paper_only.pk)
    assert refused.value.code == "no_file"
    issued = _issued(unit, other_commune)
    for pages, field in (((0, 1), "page_from"), ((1, 9), "page_to"), ((2, 1), "page_to"), ((None, None), "page_from")):
        with pytest.raises(ValidationFailed) as refused:
            _make(vanthu, form=Form.TRICH_SAO, outgoing_id=issued.pk, page_from=pages[0], page_to=pages[1])
        assert field in refused.value.details
    with pytest.raises(ValidationFailed):
        _make(vanthu, form="photocopy", outgoing_id=issued.pk)
    assert _series_last(unit) is None


def test_only_the_units_own_clerk_copies_its_documents(unit, other_commune, vanthu, sealed, province):
    document = _issued(unit, other_commune)
    with pytest.raises(NotFound):
        _make(clerk(other_commune), form=Form.SAO_Y, outgoing_id=document.pk)
    with pytest.raises(PermissionDenied):  # the province's clerk sees it, but it is not the province's
        _make(clerk(province), form=Form.SAO_Y, outgoing_id=document.pk)
    with pytest.raises(PermissionDenied):
        _make(drafter_of(unit), form=Form.SAO_Y, outgoing_id=document.pk)
    received = IncomingDocument.objects.get(source_outgoing=document)
    with pytest.raises(NotFound):
        _make(vanthu, form=Form.SAO_Y, incoming_id=received.pk)


def test_a_changed_original_file_is_not_copied(unit, other_commune, vanthu, sealed):
    document = _issued(unit, other_commune)
    OutgoingDocument.objects.filter(pk=document.pk).update(pdf_sha256="0" * 64)
    with pytest.raises(ValidationFailed) as refused:
        _make(vanthu, form=Form.SAO_Y, outgoing_id=document.pk)
    assert refused.value.code == "source_tampered"


def test_a_copy_sent_to_units_arrives_as_incoming_entries_with_the_same_signed_bytes(
    unit, other_commune, vanthu, sealed, province
):
    document = _issued(unit, other_commune)
    copy = _make(vanthu, form=Form.SAO_Y, outgoing_id=document.pk)
    [entry] = copy_services.copy_send(by=vanthu, copy_id=copy.pk, units=[other_commune, unit])

    assert (entry.unit, entry.status, entry.channel) == (other_commune, "received", "platform")
    assert (entry.number_symbol, entry.source_copy, entry.document_type.abbreviation) == ("01/SY-CAP", copy, "SY")
    assert entry.file.read() == copy.file.read() and entry.file_sha256 == copy.file_sha256
    with pytest.raises(ValidationFailed):  # not twice to the same unit, never to itself
        copy_services.copy_send(by=vanthu, copy_id=copy.pk, units=[other_commune, unit])
    [second] = copy_services.copy_send(by=vanthu, copy_id=copy.pk, units=[province])
    assert second.unit == province
    audit = AuditEvent.objects.filter(action="documents.copy.send").order_by("seq")
    assert [event.details["units"] for event in audit] == [[other_commune.pk], [province.pk]]

    registered = register(
        clerk(other_commune),
        received_id=entry.pk,
        number_symbol="01/SY-CAP",
        document_type=document_type("SY"),
        issuer_name=unit.name,
    ).document
    assert registered.pk == entry.pk and registered.arrival_number == 1


def test_only_the_copying_units_clerk_sends_a_copy(unit, other_commune, vanthu, sealed, province):
    copy = _make(vanthu, form=Form.SAO_Y, outgoing_id=_issued(unit, other_commune).pk)
    with pytest.raises(NotFound):
        copy_services.copy_send(by=clerk(other_commune), copy_id=copy.pk, units=[province])
    with pytest.raises(PermissionDenied):
        copy_services.copy_send(by=clerk(province), copy_id=copy.pk, units=[other_commune])
    assert not copy.received_entries.exists()
