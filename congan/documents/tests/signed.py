"""Helpers of the documents tests that sign: keys of the loopback PKI given to units and officers,
PDFs to copy and attach, and a document issued with its signatures."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from congan.signatures.images import seal_png, signature_png
from congan.signatures.models import SigningKey
from congan.signatures.tests.conftest import pkcs12_key


def seal_for(pki, unit, label: str = "seal") -> SigningKey:
    """The unit's seal key (the organisation's signature) with its seal image."""
    key = pkcs12_key(pki, label, unit=unit)
    key.seal_image.save("con-dau.png", ContentFile(seal_png(unit.name)))
    return key


def key_for(pki, officer, label: str = "signer") -> SigningKey:
    """The officer's own key with their signature image."""
    key = pkcs12_key(pki, label, officer=officer)
    key.signer_image.save("chu-ky.png", ContentFile(signature_png(officer.full_name)))
    return key


def pages_pdf(count: int = 3, title: str = "Phu luc") -> bytes:
    """``count`` A4 pages saying "<title> trang N"."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=0)
    for number in range(1, count + 1):
        page.setFont("Times-Roman", 14)
        page.drawString(72, 700, f"{title} trang {number}")
        page.showPage()
    page.save()
    return out.getvalue()


def scan_pdf(dpi: int = 300, mode: str = "RGB", pages: int = 1, version: tuple[int, int] = (1, 4)) -> bytes:
    """A scanned paper original: each A4 page one image of ``dpi`` in ``mode`` (RGB colour, L grey)."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pdfVersion=version)
    width, height = A4
    for _index in range(pages):
        image = Image.new(mode, (round(width / 72 * dpi), round(height / 72 * dpi)), "white")
        page.drawImage(ImageReader(image), 0, 0, width, height)
        page.showPage()
    page.save()
    return out.getvalue()
