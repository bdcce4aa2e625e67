"""Generated PDF documents (receipts, results, letters) in the layout of Decree 30/2020/NĐ-CP:
agency and number at the top left, the national motto at the top right, a centred title, then
the content; a QR code opens the public page that confirms the document.

The fonts (DejaVu Serif, with every Vietnamese glyph) ship in ``core/fonts``: nothing is
fetched at run time, and the output does not depend on the fonts the server happens to have.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_DIR = Path(__file__).with_name("fonts")
REGULAR, BOLD = "CongAnSerif", "CongAnSerif-Bold"


@dataclass
class PdfDocument:
    agency: str  # the issuing unit, printed in capitals
    title: str
    number: str = ""
    place_date: str = ""
    rows: list[tuple[str, str]] = field(default_factory=list)  # label, value
    paragraphs: list[str] = field(default_factory=list)
    images: list[tuple[bytes, str]] = field(default_factory=list)  # image bytes, caption
    qr_url: str = ""
    qr_caption: str = ""
    signer: str = ""
    author: str = "Công an số"


@functools.cache
def _fonts() -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSerif.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSerif-Bold.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)


def fonts() -> tuple[str, str]:
    """Register the bundled fonts (once) and give their names, regular and bold, for a document
    laid out by its module itself (a register in landscape)."""
    _fonts()
    return REGULAR, BOLD


def _style(name: str, **overrides) -> ParagraphStyle:
    return ParagraphStyle(name, **{"fontName": REGULAR, "fontSize": 11, "leading": 15, **overrides})


CELL_PADDING = 6  # points on each side of a table cell (reportlab's default)
SMALLEST = 8


def fitting_size(text: str, font: str, width: float, largest: float) -> float:
    """The largest size, down to SMALLEST, at which ``text`` holds on one line of ``width`` points:
    the motto and the signer's title must not break (DejaVu is wider than the decree's Times)."""
    size = largest
    while size > SMALLEST and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.25
    return size


def _one_line(
    text: str, column: float, *, bold: bool = True, largest: float = 12, underline: bool = False
) -> Paragraph:
    font = BOLD if bold else REGULAR
    size = fitting_size(text, font, column - 2 * CELL_PADDING, largest)
    markup = escape(text)
    markup = f"<u>{markup}</u>" if underline else markup
    markup = f"<b>{markup}</b>" if bold else markup
    style = _style(f"line-{size}", alignment=TA_CENTER, fontName=font, fontSize=size, leading=size * 1.35)
    return Paragraph(markup, style)


def _qr_image(url: str) -> Image:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=2)
    buffer.seek(0)
    return Image(buffer, width=30 * mm, height=30 * mm)


def _fitted_image(content: bytes, max_width: float = 170 * mm, max_height: float = 90 * mm) -> Image:
    """An image scaled to fit the box, keeping its proportions."""
    reader = ImageReader(io.BytesIO(content))
    width, height = reader.getSize()
    scale = min(max_width / width, max_height / height)
    return Image(io.BytesIO(content), width=width * scale, height=height * scale)


MOTTO, MOTTO_SECOND_LINE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"
LEFT_COLUMN, RIGHT_COLUMN = 68 * mm, 102 * mm  # the 170 mm between the margins, as Appendix I lays it


def _signature(signer: str) -> list:
    """The signer's block: the title on one line each (never broken), room to sign, then the name
    when given as the last line ("TRƯỞNG CÔNG AN PHƯỜNG\nNguyễn Văn A")."""
    lines = [line.strip() for line in signer.splitlines() if line.strip()]
    title, name = (lines[:-1], lines[-1]) if len(lines) > 1 else (lines, "")
    block: list = [_one_line(line.upper(), RIGHT_COLUMN) for line in title]
    if name:
        block += [Spacer(1, 18 * mm), _one_line(name, RIGHT_COLUMN)]
    return block


def render_pdf(document: PdfDocument) -> bytes:
    _fonts()
    centre = _style("centre", alignment=TA_CENTER)
    bold_centre = _style("bold-centre", alignment=TA_CENTER, fontName=BOLD)
    header = Table(
        [
            [
                Paragraph(f"<b>{escape(document.agency.upper())}</b>", bold_centre),
                _one_line(MOTTO, RIGHT_COLUMN),
            ],
            [
                _one_line(f"Số: {document.number}", LEFT_COLUMN, bold=False, largest=11) if document.number else "",
                _one_line(MOTTO_SECOND_LINE, RIGHT_COLUMN, largest=13, underline=True),
            ],
            ["", Paragraph(f"<i>{escape(document.place_date)}</i>", centre)],
        ],
        colWidths=[LEFT_COLUMN, RIGHT_COLUMN],
    )
    story = [
        header,
        Spacer(1, 10 * mm),
        Paragraph(
            f"<b>{escape(document.title.upper())}</b>", _style("title", alignment=TA_CENTER, fontName=BOLD, fontSize=13)
        ),
    ]
    story.append(Spacer(1, 6 * mm))
    if document.rows:
        rows = [
            [Paragraph(escape(label), _style("label")), Paragraph(escape(value), _style("value"))]
            for label, value in document.rows
        ]
        table = Table(rows, colWidths=[55 * mm, 115 * mm])
        table.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey)])
        )
        story += [table, Spacer(1, 4 * mm)]
    body = _style("body", alignment=TA_JUSTIFY)
    story += [Paragraph(escape(text), body) for text in document.paragraphs]
    for content, caption in document.images:
        caption_style = _style("caption", alignment=TA_CENTER, fontSize=8, leading=10)
        story += [Spacer(1, 4 * mm), _fitted_image(content), Paragraph(escape(caption), caption_style)]
    story.append(Spacer(1, 8 * mm))
    left = (
        [_qr_image(document.qr_url), Paragraph(escape(document.qr_caption), _style("small", fontSize=8, leading=10))]
        if document.qr_url
        else ""
    )
    right = _signature(document.signer) if document.signer else ""
    story.append(
        Table([[left, right]], colWidths=[LEFT_COLUMN, RIGHT_COLUMN], style=[("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=document.title,
        author=document.author,
    ).build(story)
    return buffer.getvalue()
