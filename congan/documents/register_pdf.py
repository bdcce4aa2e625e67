"""The incoming register of a period as PDF, in the layout of Decree 30/2020, Appendix IV: a cover
(the unit above, the unit, "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", the year, the days and numbers it covers),
then the ten columns on landscape A4 with their headings repeated on every page, and the closing
lines where the clerk and the head of the unit sign ("được in ra giấy, ký nhận và đóng sổ"). The
head of the unit's space is noted where it is drawn (``render_with_box``), so that a closed period
is signed there (closing.register_sign)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from congan.core import pdf
from congan.core.labels import data_label
from congan.documents.models import IncomingDocument
from congan.documents.outgoing_pdf import SignatureBox, SignatureSpace

# Column widths (mm) of the ten columns across the 267 mm between the margins.
WIDTHS = (15, 12, 32, 28, 17, 65, 33, 17, 25, 23)


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = pdf.fonts()
    return {
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8, leading=10),
        "head": ParagraphStyle("head", fontName=bold, fontSize=8, leading=10, alignment=TA_CENTER),
        "centre": ParagraphStyle("centre", fontName=regular, fontSize=12, leading=16, alignment=TA_CENTER),
        "bold_centre": ParagraphStyle("bold-centre", fontName=bold, fontSize=12, leading=16, alignment=TA_CENTER),
        "title": ParagraphStyle("title", fontName=bold, fontSize=24, leading=30, alignment=TA_CENTER),
    }


def _day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def _row(document: IncomingDocument, style: ParagraphStyle) -> list[Paragraph]:
    recipient = [str(document.recipient_unit)] if document.recipient_unit_id else []
    if document.recipient_officer_id:
        recipient.append(str(document.recipient_officer))
    subject = f"{data_label(document.document_type.name)}: {document.subject}"
    marks = [str(document.get_urgency_display())] if document.is_urgent else []
    if document.is_classified:
        marks.append(str(document.get_classification_display()))
    note = "; ".join([*marks, document.note] if document.note else marks)
    acknowledged = ""
    if document.acknowledged_by_id:
        acknowledged = f"{document.acknowledged_by} {_day(document.acknowledged_at)}"
    cells = [
        _day(document.received_on),
        document.arrival_display,
        document.issuer_name,
        document.number_symbol,
        _day(document.issued_on),
        subject,
        " — ".join(recipient),
        _day(document.handed_at),
        acknowledged,
        note,
    ]
    return [Paragraph(escape(text), style) for text in cells]


def render(
    *,
    unit_name: str,
    parent_name: str,
    secret: bool,
    start: dt.date,
    end: dt.date,
    documents: Sequence[IncomingDocument],
) -> bytes:
    content, _box = render_with_box(
        unit_name=unit_name, parent_name=parent_name, secret=secret, start=start, end=end, documents=documents
    )
    return content


def render_with_box(
    *,
    unit_name: str,
    parent_name: str,
    secret: bool,
    start: dt.date,
    end: dt.date,
    documents: Sequence[IncomingDocument],
) -> tuple[bytes, SignatureBox | None]:
    """The register's PDF and where the head of the unit signs it (under "THỦ TRƯỞNG ĐƠN VỊ")."""
    styles = _styles()
    numbers = [d.arrival_number for d in documents if d.arrival_number is not None]
    title = _("SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐẾN") if secret else _("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN")
    years = sorted({d.year for d in documents if d.year}) or [start.year]
    story: list = [
        Paragraph(escape(parent_name.upper()), styles["centre"]),
        Paragraph(f"<b>{escape(unit_name.upper())}</b>", styles["bold_centre"]),
        Spacer(1, 45 * mm),
        Paragraph(escape(title), styles["title"]),
        Spacer(1, 12 * mm),
        Paragraph(escape(_("Năm: %(years)s") % {"years": ", ".join(str(y) for y in years)}), styles["centre"]),
        Paragraph(
            escape(_("Từ ngày %(start)s đến ngày %(end)s") % {"start": _day(start), "end": _day(end)}),
            styles["centre"],
        ),
        Paragraph(
            escape(
                _("Từ số %(first)s đến số %(last)s") % {"first": f"{min(numbers):02d}", "last": f"{max(numbers):02d}"}
                if numbers
                else _("Không có văn bản nào vào sổ trong thời gian này.")
            ),
            styles["centre"],
        ),
        PageBreak(),
    ]
    headings = [
        _("Ngày đến"),
        _("Số đến"),
        _("Tác giả"),
        _("Số, ký hiệu"),
        _("Ngày tháng"),
        _("Tên loại và trích yếu nội dung"),
        _("Đơn vị hoặc người nhận"),
        _("Ngày chuyển"),
        _("Ký nhận"),
        _("Ghi chú"),
    ]
    rows = [
        [Paragraph(escape(text), styles["head"]) for text in headings],
        [Paragraph(f"({index})", styles["head"]) for index in range(1, 11)],
        *[_row(document, styles["cell"]) for document in documents],
    ]
    table = Table(rows, colWidths=[width * mm for width in WIDTHS], repeatRows=2)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 1), colors.Color(0.93, 0.93, 0.93)),
            ]
        )
    )
    story += [table, Spacer(1, 8 * mm)]
    closing = _("Sổ này có %(count)s văn bản, đóng sổ ngày %(day)s.") % {
        "count": len(documents),
        "day": _day(timezone.localdate()),
    }
    space = SignatureSpace(60 * mm, 24 * mm)
    story += [
        Paragraph(escape(closing), styles["cell"]),
        Spacer(1, 4 * mm),
        KeepTogether(
            Table(
                [
                    [
                        Paragraph(f"<b>{escape(_('NGƯỜI LẬP SỔ'))}</b>", styles["bold_centre"]),
                        Paragraph(f"<b>{escape(_('THỦ TRƯỞNG ĐƠN VỊ'))}</b>", styles["bold_centre"]),
                    ],
                    [
                        Paragraph(escape(_("(Ký, ghi rõ họ tên)")), styles["centre"]),
                        Paragraph(escape(_("(Ký, ghi rõ họ tên, đóng dấu)")), styles["centre"]),
                    ],
                    [Spacer(1, 24 * mm), space],
                ],
                colWidths=[133 * mm, 133 * mm],
            )
        ),
    ]
    regular, _bold = pdf.fonts()

    def page_number(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.drawRightString(282 * mm, 8 * mm, _("Trang %(n)d") % {"n": document.page})
        canvas.restoreState()

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="Công an số",
    ).build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buffer.getvalue(), space.placed
