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


def _style(name: str, **overrides) -> ParagraphStyle:
    return ParagraphStyle(name, **{"fontName": REGULAR, "fontSize": 11, "leading": 15, **overrides})


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


def render_pdf(document: PdfDocument) -> bytes:
    _fonts()
    centre = _style("centre", alignment=TA_CENTER)
    bold_centre = _style("bold-centre", alignment=TA_CENTER, fontName=BOLD)
    header = Table(
        [
            [
                Paragraph(f"<b>{escape(document.agency.upper())}</b>", bold_centre),
                Paragraph("<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", bold_centre),
            ],
            [
                Paragraph(f"Số: {escape(document.number)}" if document.number else "", centre),
                Paragraph("<b><u>Độc lập - Tự do - Hạnh phúc</u></b>", bold_centre),
            ],
            ["", Paragraph(f"<i>{escape(document.place_date)}</i>", centre)],
        ],
        colWidths=[75 * mm, 95 * mm],
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
    right = Paragraph(f"<b>{escape(document.signer)}</b>", bold_centre) if document.signer else ""
    story.append(Table([[left, right]], colWidths=[75 * mm, 95 * mm], style=[("VALIGN", (0, 0), (-1, -1), "TOP")]))
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
