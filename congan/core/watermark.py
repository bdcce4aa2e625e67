"""A viewer's watermark on a PDF: who opened it, from which unit and when, across every page, so a
printed or forwarded copy names the officer it was shown to (the archive's viewed copies).

The mark is drawn once per page size with reportlab (the bundled Vietnamese font) and stamped
over each page with pypdf; the original file is never changed. A file that cannot be read, or
that is encrypted, is refused with a message rather than served unmarked.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError
from reportlab.lib import colors
from reportlab.pdfgen import canvas

from congan.core.errors import ValidationFailed
from congan.core.pdf import fonts

DIAGONAL_SIZE = 22
FOOTER_SIZE = 7
GREY = colors.Color(0.55, 0.1, 0.1, alpha=0.18)
FOOTER = colors.Color(0.45, 0.1, 0.1, alpha=0.85)


@functools.lru_cache(maxsize=32)
def _overlay(width: float, height: float, lines: tuple[str, ...]) -> bytes:
    """One page of the given size carrying the mark: the lines repeated diagonally, faint, and
    once in full along the bottom edge."""
    regular, _bold = fonts()
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(width, height))
    sheet.saveState()
    sheet.setFillColor(GREY)
    sheet.setFont(regular, DIAGONAL_SIZE)
    sheet.translate(width / 2, height / 2)
    sheet.rotate(35)
    step = DIAGONAL_SIZE * 1.6
    rows = max(3, int(height / step / 2))
    for row in range(-rows, rows + 1):
        sheet.drawCentredString(0, row * step * 2, lines[row % len(lines)])
    sheet.restoreState()
    sheet.setFillColor(FOOTER)
    sheet.setFont(regular, FOOTER_SIZE)
    sheet.drawString(18, 10, " · ".join(lines))
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def _unreadable() -> ValidationFailed:
    return ValidationFailed(_("Không đọc được tệp PDF để đóng dấu người xem."))


def watermark_pdf(content: bytes, lines: Sequence[str]) -> bytes:
    """The PDF with the lines (name, unit, time) stamped over every page."""
    marks = tuple(line for line in lines if line) or ("",)
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise ValidationFailed(_("Tệp PDF có mật khẩu: không đóng dấu người xem được."))
        writer = PdfWriter(clone_from=reader)
        for page in writer.pages:
            box = page.mediabox
            width, height = float(box.width), float(box.height)
            stamp = PdfReader(io.BytesIO(_overlay(width, height, marks))).pages[0]
            page.merge_transformed_page(stamp, Transformation().translate(float(box.left), float(box.bottom)))
        output = io.BytesIO()
        writer.write(output)
    except ValidationFailed:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _unreadable() from exc
    return output.getvalue()
