"""The viewer's watermark: on every page, in Vietnamese, the original untouched; unreadable and
encrypted files refused with a message."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from congan.core.errors import ValidationFailed
from congan.core.watermark import watermark_pdf

VIEWER = ["Nguyễn Thị Hằng", "Công an phường Hải Châu", "07/12/2026 15:30"]


def _two_pages() -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    sheet.drawString(72, 720, "Trang một")
    sheet.showPage()
    sheet.setPageSize(landscape(A4))
    sheet.drawString(72, 500, "Trang hai")
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def test_every_page_names_the_viewer_their_unit_and_the_time():
    original = _two_pages()
    kept = bytes(original)
    marked = PdfReader(io.BytesIO(watermark_pdf(original, VIEWER)))
    assert len(marked.pages) == 2
    for page in marked.pages:
        text = page.extract_text()
        assert all(line in text for line in VIEWER), text
    assert "Trang hai" in marked.pages[1].extract_text()
    assert float(marked.pages[1].mediabox.width) > float(marked.pages[0].mediabox.width)  # sizes kept
    assert original == kept


def test_an_encrypted_pdf_is_refused_with_a_message():
    writer = PdfWriter(clone_from=io.BytesIO(_two_pages()))
    writer.encrypt("mat-khau")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    with pytest.raises(ValidationFailed, match="mật khẩu"):
        watermark_pdf(encrypted.getvalue(), VIEWER)


@pytest.mark.parametrize("content", [b"", b"not a pdf at all", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>"])
def test_a_file_that_is_not_a_readable_pdf_is_refused(content):
    with pytest.raises(ValidationFailed):
        watermark_pdf(content, VIEWER)
