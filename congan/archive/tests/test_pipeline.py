"""Scanned files become items with a PDF/A archive copy and the text of each page: real OCR
(OCRmyPDF, Tesseract's Vietnamese data) on small scans generated at test time."""

from __future__ import annotations

import pikepdf
import pytest

from congan.archive.models import ItemStatus
from congan.archive.quality import character_error_rate
from congan.archive.services import item_process
from congan.archive.tests.factories import TONE_LINES, scan_pdf, scan_png, upload
from congan.core.models import AuditEvent

pytestmark = pytest.mark.slow


def test_a_scanned_pdf_becomes_pdfa_with_each_pages_vietnamese_text(commune):
    item = upload(commune, scan_pdf([TONE_LINES[:1], TONE_LINES[1:]]), name="bien-ban.pdf")
    assert item.status == ItemStatus.QUEUED

    item = item_process(item_id=item.pk)

    assert item.status == ItemStatus.DONE, item.error
    assert (item.page_count, item.pages_done, item.progress_percent) == (2, 2, 100)
    pages = list(item.pages.order_by("number"))
    assert [page.number for page in pages] == [1, 2]
    # Every tone mark counts: at most one character in fifty wrong on these short clean lines.
    assert character_error_rate(pages[0].text, TONE_LINES[0]) <= 0.02, pages[0].text
    assert character_error_rate(pages[1].text, TONE_LINES[1]) <= 0.02, pages[1].text
    assert "Ủy ban nhân dân" in pages[1].text
    assert all(page.confidence > 80 and page.language == "vie" and not page.needs_review for page in pages)
    assert "cap cuu" in pages[0].text_folded
    with item.archive_copy.open("rb") as handle, pikepdf.open(handle) as pdf:
        assert len(pdf.pages) == 2
        assert "pdfaid" in str(pdf.open_metadata()).lower() or pdf.open_metadata().pdfa_status
    assert AuditEvent.objects.filter(action="archive.item.read", target_id=str(item.pk)).exists()


def test_a_png_scan_keeps_its_original_unchanged_with_its_sha256(commune):
    import hashlib

    data = scan_png(TONE_LINES[:1])
    item = upload(commune, data, name="trang.png")

    item = item_process(item_id=item.pk)

    assert item.status == ItemStatus.DONE, item.error
    assert item.original_sha256 == hashlib.sha256(data).hexdigest()
    with item.original.open("rb") as handle:
        assert handle.read() == data
    assert character_error_rate(item.pages.get().text, TONE_LINES[0]) <= 0.02
