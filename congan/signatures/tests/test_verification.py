"""``verify_pdf`` tells a valid signature from a tampered file, an untrusted or demo root, an expired
certificate, a weak key and a page changed after signing; bad input is a field error."""

from __future__ import annotations

import pytest

from congan.core.errors import ValidationFailed
from congan.signatures.images import signature_png
from congan.signatures.selectors import verify_pdf
from congan.signatures.services import SignerBoxPlacement, sign_pdf
from congan.signatures.tests.conftest import pkcs12_key
from congan.signatures.tests.tampering import change_a_signed_byte, draw_after_signing

pytestmark = pytest.mark.django_db
BOX = (300.0, 320.0, 480.0, 400.0)


def _sign(pdf: bytes, key) -> bytes:
    placement = SignerBoxPlacement(page=0, box=BOX, signer_image=signature_png("Lãnh Đạo"))
    return sign_pdf(pdf=pdf, key=key, placement=placement)


def test_a_byte_changed_after_signing_is_reported_as_not_intact(pdf, officer_key, trusted):
    tampered = change_a_signed_byte(_sign(pdf, officer_key))

    [signature] = verify_pdf(tampered).signatures
    assert signature.integrity == "modified"
    assert not signature.valid


def test_a_signature_from_an_unconfigured_root_is_untrusted(pdf, pki, leader, trusted):
    key = pkcs12_key(pki, "stranger", officer=leader)

    [signature] = verify_pdf(_sign(pdf, key)).signatures
    assert signature.trust == "untrusted"
    assert signature.integrity == "intact"
    assert not signature.valid


def test_with_no_trust_roots_configured_nothing_is_trusted(pdf, officer_key):
    [signature] = verify_pdf(_sign(pdf, officer_key)).signatures
    assert signature.trust == "untrusted"


def test_a_page_drawn_on_after_signing_is_reported_as_changed(pdf, officer_key, trusted):
    changed = draw_after_signing(_sign(pdf, officer_key))

    [signature] = verify_pdf(changed).signatures
    assert signature.integrity == "intact"
    assert signature.changes == "other"
    assert not signature.valid


def test_a_second_signature_leaves_the_first_valid(pdf, officer_key, seal_key, trusted):
    twice = _sign(_sign(pdf, officer_key), seal_key)

    first, second = verify_pdf(twice).signatures
    assert first.valid and first.changes == "form_filling"
    assert second.valid and second.changes == "none"


def _bare_sign(pdf: bytes, pki, label: str) -> bytes:
    """Signed by pyHanko alone: the service refuses to sign with such a certificate."""
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    from congan.signatures.tests.pki import PASSPHRASE

    signer = signers.SimpleSigner.load_pkcs12(str(pki.pkcs12(label, key="signer")), passphrase=PASSPHRASE.encode())
    meta = signers.PdfSignatureMetadata(field_name="ChuKy1")
    return signers.PdfSigner(meta, signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf))).getvalue()


def test_an_expired_certificate_is_reported(pdf, pki, trusted):
    [signature] = verify_pdf(_bare_sign(pdf, pki, "signer-expired")).signatures
    assert signature.trust == "expired"
    assert not signature.valid


def test_a_revoked_certificate_is_reported_when_its_responder_is_asked(settings, pdf, pki, trusted):
    signed = _bare_sign(pdf, pki, "signer-revoked")
    assert verify_pdf(signed).signatures[0].trust == "trusted"  # offline: revocation not known

    settings.SIGNING_VERIFY_ONLINE = True
    [signature] = verify_pdf(signed).signatures
    assert signature.trust == "revoked"
    assert not signature.valid


def test_a_key_weaker_than_rsa_2048_is_reported(pdf, pki, leader, trusted):
    key = pkcs12_key(pki, "weak", officer=leader)

    [signature] = verify_pdf(_sign(pdf, key)).signatures
    assert signature.key == "RSA 1024"
    assert signature.weak_key
    assert not signature.valid
    assert "RSA 1024" in signature.problems[0]


def test_the_demo_root_is_trusted_only_as_a_demo(settings, pdf, officer_key, pki):
    demo = settings.SIGNING_DIR / "demo" / "ca.pem"
    demo.parent.mkdir(parents=True)
    demo.write_bytes(pki.root_pem())

    [signature] = verify_pdf(_sign(pdf, officer_key)).signatures
    assert signature.trust == "trusted_demo"
    assert "demo" in signature.trust_label


def test_a_file_that_is_not_a_pdf_is_a_field_error():
    with pytest.raises(ValidationFailed) as caught:
        verify_pdf(b"PK\x03\x04 not a pdf")
    assert caught.value.code == "not_pdf"
    assert "pdf" in caught.value.details


def test_a_pdf_without_signatures_has_an_empty_report(pdf):
    report = verify_pdf(pdf)
    assert report.signatures == []
    assert not report.all_valid


def test_a_truncated_pdf_is_a_field_error():
    with pytest.raises(ValidationFailed) as caught:
        verify_pdf(b"%PDF-1.7\n1 0 obj <<")
    assert "pdf" in caught.value.details


def test_a_signature_whose_contents_are_garbage_is_a_field_error_not_a_crash(pdf, officer_key):
    signed = _sign(pdf, officer_key)
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    garbage = signed[:start] + b"00" * 64 + signed[start + 128 :]

    with pytest.raises(ValidationFailed) as caught:
        verify_pdf(garbage)
    assert caught.value.details == {"pdf": ["Không đọc được tệp PDF."]}
