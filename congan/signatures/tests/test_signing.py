"""Signing through ``sign_pdf``: the PAdES level follows the configuration (B-B, B-T with the local
time-stamping authority, B-LT when its OCSP responder answers), the appearance follows Decree 30
Appendix I, and every signature leaves an audit event."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from congan.core.errors import NotFound, ServiceUnavailable, ValidationFailed
from congan.core.models import AuditEvent
from congan.signatures.appearance import POINTS_PER_MM, composed_stamp
from congan.signatures.images import seal_png, signature_png
from congan.signatures.selectors import verify_pdf
from congan.signatures.services import CopyCornerPlacement, SignerBoxPlacement, sign_for_officer, sign_pdf
from congan.signatures.tests.conftest import pkcs12_key

pytestmark = pytest.mark.django_db
BOX = (300.0, 320.0, 480.0, 400.0)


def _box_placement(**overrides):
    values = {"page": 0, "box": BOX, "signer_image": signature_png("Lãnh Đạo"), "seal_image": seal_png("Công an tỉnh")}
    values.update(overrides)
    return SignerBoxPlacement(**values)


def test_a_signature_without_a_timestamp_authority_is_pades_b_b_and_verifies(pdf, officer_key, trusted):
    signed = sign_pdf(pdf=pdf, key=officer_key, placement=_box_placement(), reason="Ký ban hành")

    [signature] = verify_pdf(signed).signatures
    assert signature.valid
    assert signature.level == "B-B"
    assert not signature.timestamped
    assert signature.trust == "trusted"
    assert signature.integrity == "intact"
    assert signature.changes == "none"
    assert signature.signer_name == "Trần Văn Lãnh Đạo"
    assert signature.reason == "Ký ban hành"
    assert signature.key == "RSA 2048"


def test_with_the_timestamp_authority_configured_the_signature_is_timestamped(settings, pdf, officer_key, trusted, pki):
    settings.SIGNING_TSA_URL = pki.tsa_url

    signed = sign_pdf(pdf=pdf, key=officer_key, placement=_box_placement())

    [signature] = verify_pdf(signed).signatures
    assert signature.timestamped
    assert signature.signing_time is not None
    assert signature.level in ("B-T", "B-LT")
    assert signature.valid


def test_when_the_ocsp_responder_answers_the_revocation_data_is_embedded(settings, pdf, officer_key, trusted, pki):
    settings.SIGNING_TSA_URL = pki.tsa_url

    signed = sign_pdf(pdf=pdf, key=officer_key, placement=_box_placement())

    reader = PdfFileReader(io.BytesIO(signed))
    assert "/DSS" in reader.root
    assert reader.root["/DSS"]["/OCSPs"]
    [signature] = verify_pdf(signed).signatures
    assert signature.level == "B-LT"
    assert signature.valid


def test_when_no_revocation_data_answers_the_signature_stays_b_t(settings, monkeypatch, pdf, pki, leader):
    """The stranger's certificate names no OCSP responder or CRL: asked for revocation data anyway,
    nothing answers, and the signature is made without it (B-T), not refused."""
    from congan.signatures import services

    settings.SIGNING_TSA_URL = pki.tsa_url
    monkeypatch.setattr(services, "_revocation_urls", lambda signer: True)
    key = pkcs12_key(pki, "stranger", officer=leader)

    signed = sign_pdf(pdf=pdf, key=key, placement=_box_placement())

    reader = PdfFileReader(io.BytesIO(signed))
    assert "/DSS" not in reader.root
    assert verify_pdf(signed).signatures[0].timestamped


def test_the_seal_overlaps_a_third_of_the_signature_image_on_the_left_at_its_real_size():
    placement = _box_placement(seal_size_mm=36.0)
    (left, bottom, right, top), _png = composed_stamp(placement)

    diameter = 36.0 * POINTS_PER_MM
    # The signature image (600x240) fills the box's width: it spans x 300..480.
    signature_left, signature_width = 300.0, 180.0
    assert left == pytest.approx(signature_left + signature_width / 3 - diameter)
    assert right == BOX[2]
    assert top - bottom >= diameter - 1e-6


def test_the_copy_corner_stamp_reads_back_with_the_number_and_the_signing_time_in_vietnam_time(pdf, seal_key, trusted):
    signed = sign_pdf(pdf=pdf, key=seal_key, placement=CopyCornerPlacement(lines=["Số: 15/QĐ-CAT-PV01", "SAO Y"]))

    text = corner_text(signed)
    assert "Số: 15/QĐ-CAT-PV01" in text
    assert "SAO Y" in text
    assert "+07:00" in text
    [signature] = verify_pdf(signed).signatures
    assert signature.valid
    assert signature.signer_name == "Công an tỉnh thử nghiệm"


def corner_text(signed: bytes) -> str:
    """The text of the signature field's appearance, read with pypdf from a page made of it."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(signed))
    annotations = reader.pages[0]["/Annots"]
    [annotation] = [a.get_object() for a in annotations if a.get_object().get("/FT") == "/Sig"]  # type: ignore[attr-defined]
    appearance = annotation["/AP"]["/N"].get_object()
    writer = PdfWriter()
    page = writer.add_blank_page(width=600, height=200)
    page[NameObject("/Resources")] = appearance["/Resources"]
    page.replace_contents(appearance)
    return page.extract_text()


def test_the_copy_corner_stamp_sits_at_the_top_right_of_the_first_page(pdf, seal_key):
    signed = sign_pdf(pdf=pdf, key=seal_key, placement=CopyCornerPlacement(lines=["SAO Y"]))

    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(signed)).pages[0]
    [annotation] = [a.get_object() for a in page["/Annots"]]
    x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert x1 > width / 2
    assert y1 > height * 3 / 4
    assert x2 <= width and y2 <= height


def test_signing_is_audited_with_the_key_the_level_and_the_hashes(pdf, officer_key, leader):
    sign_pdf(pdf=pdf, key=officer_key, placement=_box_placement(), by=leader)

    event = AuditEvent.objects.filter(action="signatures.sign").latest("seq")
    assert event.details["level"] == "B-B"
    assert event.details["key"] == officer_key.label
    assert "Trần Văn Lãnh Đạo" in event.details["certificate"]
    assert len(event.details["sha256_after"]) == 64


def test_sign_for_officer_signs_with_the_officers_key_then_the_seal_of_their_unit(
    pdf, officer_key, seal_key, leader, trusted
):
    signed = sign_for_officer(pdf=pdf, officer=leader, page=0, box=BOX, reason="Ban hành")

    person, organisation = verify_pdf(signed).signatures
    assert person.valid and organisation.valid
    assert person.signer_name == "Trần Văn Lãnh Đạo"
    assert organisation.signer_name == "Công an tỉnh thử nghiệm"
    assert person.changes == "form_filling"  # the organisation's signature, added after it


def test_the_organisations_signature_covers_the_seal_alone_over_the_left_third(pdf, officer_key, seal_key, leader):
    signed = sign_for_officer(pdf=pdf, officer=leader, page=0, box=BOX, reason="")

    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(signed)).pages[0]
    person, organisation = ([float(v) for v in a.get_object()["/Rect"]] for a in page["/Annots"])
    diameter = float(seal_key.seal_size_mm) * POINTS_PER_MM
    assert organisation[2] - organisation[0] == pytest.approx(diameter, abs=0.5)
    assert organisation[2] == pytest.approx(BOX[0] + (BOX[2] - BOX[0]) / 3, abs=0.5)
    assert person == pytest.approx(list(BOX), abs=0.5)


def test_an_officer_whose_unit_has_no_seal_key_signs_alone(pdf, officer_key, leader, trusted):
    signed = sign_for_officer(pdf=pdf, officer=leader, page=0, box=BOX, reason="")

    [signature] = verify_pdf(signed).signatures
    assert signature.valid


def test_sign_for_officer_without_a_key_says_so(pdf, officer):
    with pytest.raises(NotFound) as caught:
        sign_for_officer(pdf=pdf, officer=officer, page=0, box=BOX, reason="")
    assert caught.value.code == "no_signing_key"


def test_signing_a_file_that_is_not_a_pdf_is_refused(officer_key):
    with pytest.raises(ValidationFailed) as caught:
        sign_pdf(pdf=b"GIF89a", key=officer_key, placement=_box_placement())
    assert "pdf" in caught.value.details


def test_a_pkcs12_key_with_a_wrong_passphrase_is_refused_clearly(pdf, officer_key):
    officer_key.pkcs12_passphrase = "sai"
    officer_key.save()
    officer_key.refresh_from_db()

    with pytest.raises(ValidationFailed) as caught:
        sign_pdf(pdf=pdf, key=officer_key, placement=_box_placement())
    assert caught.value.code == "key_unusable"


def test_a_key_whose_certificate_has_expired_does_not_sign(pdf, pki, leader):
    key = pkcs12_key(pki, "signer-expired", officer=leader)
    key.pkcs12_path = str(pki.pkcs12("signer-expired", key="signer"))
    key.save()

    with pytest.raises(ValidationFailed) as caught:
        sign_pdf(pdf=pdf, key=key, placement=_box_placement())
    assert caught.value.code == "certificate_expired"


def test_a_key_whose_certificate_is_revoked_does_not_sign_once_its_responder_says_so(settings, pdf, pki, leader):
    settings.SIGNING_TSA_URL = pki.tsa_url
    key = pkcs12_key(pki, "signer-revoked", officer=leader)
    key.pkcs12_path = str(pki.pkcs12("signer-revoked", key="signer"))
    key.save()

    with pytest.raises(ValidationFailed) as caught:
        sign_pdf(pdf=pdf, key=key, placement=_box_placement())
    assert caught.value.code == "certificate_revoked"


def test_an_unreachable_timestamp_authority_signs_nothing_and_says_so(settings, pdf, officer_key):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.SIGNING_TSA_URL = f"http://127.0.0.1:{port}/tsa"

    with pytest.raises(ServiceUnavailable) as caught:
        sign_pdf(pdf=pdf, key=officer_key, placement=_box_placement())
    assert caught.value.code == "tsa_unavailable"


def test_page_minus_one_puts_the_signature_on_the_last_page(officer_key, leader):
    import io as _io

    from pypdf import PdfReader
    from reportlab.pdfgen import canvas

    out = _io.BytesIO()
    document = canvas.Canvas(out)
    for number in (1, 2, 3):
        document.drawString(72, 760, f"Trang {number}")
        document.showPage()
    document.save()

    signed = sign_for_officer(pdf=out.getvalue(), officer=leader, page=-1, box=BOX, reason="")

    pages = PdfReader(_io.BytesIO(signed)).pages
    assert "/Annots" not in pages[0] and "/Annots" not in pages[1]
    assert len(pages[2]["/Annots"]) == 1
