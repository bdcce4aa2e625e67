"""Fixtures of the signature tests: the loopback PKI (once per session), a trust store holding its
root, a small PDF to sign and signing keys made through the model."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from congan.signatures.images import seal_png, signature_png
from congan.signatures.models import SigningKey
from congan.signatures.tests.pki import PASSPHRASE, TestPKI, start_pki


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestPKI]:
    started = start_pki(tmp_path_factory.mktemp("pki"))
    yield started
    started.close()


@pytest.fixture(autouse=True)
def _signing_settings(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_DIR = tmp_path / "signing"
    settings.SIGNING_TSA_URL = ""
    settings.SIGNING_TRUST_ROOTS = ""
    settings.SIGNING_VERIFY_ONLINE = False


@pytest.fixture
def trusted(settings, pki: TestPKI, tmp_path: Path) -> Path:
    """The test PKI's root configured as the only trust root."""
    bundle = tmp_path / "trust" / "roots.pem"
    bundle.parent.mkdir()
    bundle.write_bytes(pki.root_pem())
    settings.SIGNING_TRUST_ROOTS = str(bundle)
    return bundle


def make_pdf(text: str = "Quyet dinh thu nghiem so 15") -> bytes:
    """One A4 page, its content stream uncompressed so a test can change a letter of it."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=0)
    page.setFont("Times-Roman", 14)
    page.drawString(72, 760, text)
    page.drawString(72, 300, "CHU TICH")
    page.showPage()
    page.save()
    return out.getvalue()


@pytest.fixture
def pdf() -> bytes:
    return make_pdf()


def pkcs12_key(pki: TestPKI, label: str = "signer", **fields: object) -> SigningKey:
    key = SigningKey(
        label=f"Khóa {label}",
        kind=SigningKey.Kind.PKCS12,
        pkcs12_path=str(pki.pkcs12(label)),
        pkcs12_passphrase=PASSPHRASE,
        **fields,
    )
    if key.officer_id is None and key.unit_id is None:
        raise ValueError("a key needs an owner")
    key.save()
    return key


@pytest.fixture
def officer_key(pki: TestPKI, leader) -> SigningKey:
    key = pkcs12_key(pki, "signer", officer=leader)
    key.signer_image.save("chu-ky.png", ContentFile(signature_png(leader.full_name)))
    return key


@pytest.fixture
def seal_key(pki: TestPKI, leader) -> SigningKey:
    key = pkcs12_key(pki, "seal", unit=leader.unit)
    key.seal_image.save("con-dau.png", ContentFile(seal_png(leader.unit.name)))
    return key
