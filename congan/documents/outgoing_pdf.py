"""The issued PDF of an outgoing document, in the layout of Decree 30/2020/NĐ-CP, Appendix I: the
issuing authority and unit at the top left with the number and symbol under them, the national
motto at the top right with the place and date, the type name and the subject (a công văn: "V/v …"
under its number), the body, then "Nơi nhận" at the bottom left and the signer's authority and
title, an empty box to sign in, and the signer's name at the bottom right.

The box is left empty on purpose: the signature (congan/signatures, wired through
``signing_port.sign_issued_pdf``) is placed in it; ``render`` gives its rectangle with the PDF.
Drawn with reportlab and the bundled DejaVu fonts (``core.pdf.fonts``), nothing fetched.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from congan.core.pdf import LEFT_COLUMN, MOTTO, MOTTO_SECOND_LINE, RIGHT_COLUMN, fitting_size, fonts

BOX_WIDTH, BOX_HEIGHT = 60 * mm, 24 * mm


@dataclass(frozen=True)
class SignatureBox:
    """Where the signature goes: a page (0 = the first) and a rectangle in PDF points, origin at the
    bottom left of the page, as pyHanko's ``SigFieldSpec(box=…)`` takes it."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    def as_dict(self) -> dict[str, float | int]:
        return {"page": self.page, "x1": self.x1, "y1": self.y1, "x2": self.x2, "y2": self.y2}

    @classmethod
    def from_dict(cls, data: dict) -> SignatureBox:
        return cls(
            page=int(data["page"]),
            x1=float(data["x1"]),
            y1=float(data["y1"]),
            x2=float(data["x2"]),
            y2=float(data["y2"]),
        )


@dataclass
class IssuedLayout:
    authority: str  # cơ quan chủ quản (the parent unit), may be empty
    unit: str  # the issuing unit
    number_symbol: str  # "Số: 15/QĐ-CAT-PV01"
    place: str
    issued_on: dt.date
    type_name: str  # empty for a công văn
    subject: str
    body: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer_title: list[str] = field(default_factory=list)  # "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"
    signer_name: str = ""
    urgency: str = ""  # "HỎA TỐC", shown under the number; empty for an ordinary one
    title: str = ""


class _Box(Flowable):
    """The empty signature box; drawing it notes where it landed."""

    def __init__(self, width: float, height: float):
        super().__init__()
        self.width, self.height = width, height
        self.placed: SignatureBox | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._available = available_width
        return available_width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        left = x + (self._available - self.width) / 2
        self.placed = SignatureBox(
            page=self.canv.getPageNumber() - 1,
            x1=round(left, 2),
            y1=round(y, 2),
            x2=round(left + self.width, 2),
            y2=round(y + self.height, 2),
        )


# The same box for other layouts that leave a space to sign in (the closed register's head of unit).
SignatureSpace = _Box


def _style(name: str, regular: str, **overrides) -> ParagraphStyle:
    return ParagraphStyle(name, **{"fontName": regular, "fontSize": 12, "leading": 16, **overrides})


def _line(text: str, width: float, font: str, largest: float, *, underline: bool = False, italic: bool = False):
    size = fitting_size(text, font, width - 12, largest)
    markup = escape(text)
    if underline:
        markup = f"<u>{markup}</u>"
    if italic:
        markup = f"<i>{markup}</i>"
    return Paragraph(
        markup, ParagraphStyle(f"l{size}", fontName=font, fontSize=size, leading=size * 1.35, alignment=TA_CENTER)
    )


def date_line(place: str, day: dt.date) -> str:
    """ "Đà Nẵng, ngày 07 tháng 12 năm 2026" (Appendix I: a zero before days 1–9 and months 1–2)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def render(layout: IssuedLayout) -> tuple[bytes, SignatureBox]:
    """The PDF and the rectangle of its empty signature box."""
    regular, bold = fonts()
    left: list = []
    if layout.authority:
        left.append(_line(layout.authority.upper(), LEFT_COLUMN, regular, 12))
    left.append(_line(layout.unit.upper(), LEFT_COLUMN, bold, 12, underline=True))
    left.append(_line(f"Số: {layout.number_symbol}", LEFT_COLUMN, regular, 13))
    if not layout.type_name:  # a công văn: the subject under the number, "V/v …"
        left.append(
            Paragraph(
                escape(f"V/v {layout.subject}"), _style("vv", regular, fontSize=11, leading=14, alignment=TA_CENTER)
            )
        )
    if layout.urgency:
        left.append(_line(layout.urgency.upper(), LEFT_COLUMN, bold, 13))
    right = [
        _line(MOTTO, RIGHT_COLUMN, bold, 12),
        _line(MOTTO_SECOND_LINE, RIGHT_COLUMN, bold, 13, underline=True),
        Spacer(1, 3 * mm),
        _line(date_line(layout.place, layout.issued_on), RIGHT_COLUMN, regular, 13, italic=True),
    ]
    header = Table([[left, right]], colWidths=[LEFT_COLUMN, RIGHT_COLUMN])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story: list = [header, Spacer(1, 8 * mm)]
    if layout.type_name:
        centre_bold = _style("type", bold, fontSize=14, leading=18, alignment=TA_CENTER)
        story += [
            Paragraph(escape(layout.type_name.upper()), centre_bold),
            Paragraph(escape(layout.subject), _style("subject", bold, fontSize=13, leading=17, alignment=TA_CENTER)),
            Spacer(1, 6 * mm),
        ]
    body = _style("body", regular, fontSize=13, leading=19, alignment=TA_JUSTIFY, firstLineIndent=10 * mm)
    story += [Paragraph(escape(text), body) for text in layout.body if text.strip()]
    story.append(Spacer(1, 8 * mm))
    small = _style("recipients", regular, fontSize=10, leading=13, alignment=TA_LEFT)
    recipients: list = [Paragraph(f"<b><i>{escape('Nơi nhận:')}</i></b>", _style("nn", bold, fontSize=11))]
    names = [*layout.recipients, "Lưu: VT."]
    recipients += [Paragraph(escape(f"- {name};" if name != "Lưu: VT." else f"- {name}"), small) for name in names]
    box = _Box(BOX_WIDTH, BOX_HEIGHT)
    signer: list = [_line(line.upper(), RIGHT_COLUMN, bold, 13) for line in layout.signer_title if line.strip()]
    signer += [box, _line(layout.signer_name, RIGHT_COLUMN, bold, 13)]
    footer = Table([[recipients, signer]], colWidths=[LEFT_COLUMN, RIGHT_COLUMN])
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(KeepTogether([footer]))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=30 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=layout.title or layout.subject,
        author=layout.unit,
    ).build(story)
    if box.placed is None:  # pragma: no cover - reportlab draws every flowable it lays out
        raise RuntimeError("the signature box was not drawn")
    return buffer.getvalue(), box.placed
