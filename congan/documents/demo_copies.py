"""`congan demo` builder for electronic copies and a signed register (after the registers, the
outgoing documents, the tasks and the exchange; decision 0031). The demo clerk `vanthu` makes, through
the services (numbered, signed with the commune's demo seal key, audited): a SAO Y and a TRÍCH SAO of
documents in the commune's register, and a SAO Y of a paper decision from its colour scan; the first
copy is sent to another commune. The commune's register of last month is closed by `vanthu` and
signed by `lanhdao` (their demo key, then the commune's seal)."""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from congan.core.errors import ApplicationError
from congan.documents import closing, copy_pdf, copy_services, services, signing_port
from congan.documents.demo import DEMO_CLERK
from congan.documents.models import REGISTERED_STATUSES, DocumentCopy, DocumentType, IncomingDocument, RegisterClosure
from congan.org.models import Officer, Unit
from congan.org.selectors import COMMUNE_KINDS

logger = logging.getLogger(__name__)
SIGNER = "lanhdao"
FONT = Path(__file__).resolve().parent.parent / "core" / "fonts" / "DejaVuSerif.ttf"
SCAN_DPI = 200


def demo_build_copies(*, province: Unit, today: dt.date | None = None, **_options: Any) -> dict[str, int]:
    clerk = (
        Officer.objects.filter(username=DEMO_CLERK, unit__path__startswith=province.path).select_related("unit").first()
    )
    unit = clerk.unit if clerk is not None else None
    if clerk is None or unit is None or DocumentCopy.objects.filter(unit=unit).exists():
        return {"copies": 0}
    if not signing_port.unit_has_seal_key(unit):  # the demo PKI was not built
        return {"copies": 0}
    today = today or timezone.localdate()
    made = _copies_of_register(clerk, unit)
    made.append(_paper_copy(clerk, unit, today))
    sent = 0
    neighbour = (
        Unit.objects.filter(path__startswith=province.path, kind__in=COMMUNE_KINDS, active=True)
        .exclude(pk=unit.pk)
        .order_by("path")
        .first()
    )
    if neighbour is not None:
        sent = len(copy_services.copy_send(by=clerk, copy_id=made[0].pk, units=[neighbour]))
    return {"copies": len(made), "copies_sent": sent, "registers_signed": _signed_register(clerk, province, today)}


def _readable(entry: IncomingDocument) -> bool:
    try:
        with entry.file.open("rb") as handle:
            copy_pdf.page_count(handle.read())
    except (ApplicationError, OSError):
        return False
    return True


def _copies_of_register(clerk: Officer, unit: Unit) -> list[DocumentCopy]:
    """A SAO Y and a TRÍCH SAO of documents of the clerk's register whose file is a readable PDF:
    registered ones first, else documents other units sent that wait, which the clerk registers
    first (through the service)."""
    ordinary = IncomingDocument.objects.filter(unit=unit, withdrawn_at__isnull=True, classification=0).exclude(file="")
    registered = ordinary.filter(status__in=REGISTERED_STATUSES).order_by("-received_on", "-pk")[:10]
    waiting = ordinary.filter(status=IncomingDocument.Status.RECEIVED).order_by("-received_on", "-pk")[:10]
    forms = (DocumentCopy.Form.SAO_Y, DocumentCopy.Form.TRICH_SAO)
    made: list[DocumentCopy] = []
    for entry in [*registered, *waiting]:
        if len(made) == len(forms):
            break
        if not _readable(entry):
            continue
        try:
            if entry.status == IncomingDocument.Status.RECEIVED:
                entry = _register(clerk, entry)
            extract = forms[len(made)] == DocumentCopy.Form.TRICH_SAO
            request = copy_services.CopyRequest(
                form=forms[len(made)],
                incoming_id=entry.pk,
                page_from=1 if extract else None,
                page_to=1 if extract else None,
                note="Sao gửi các đội nghiệp vụ",
            )
            made.append(copy_services.copy_make(by=clerk, request=request))
        except ApplicationError as exc:  # a closed period, a symbol the grammar refuses: the next one
            logger.info("demo copy of entry %s not made: %s", entry.pk, exc)
    return made


def _register(clerk: Officer, entry: IncomingDocument) -> IncomingDocument:
    data = services.IncomingInput(
        issuer_name=entry.issuer_name,
        issuer_agency_id=entry.issuer_agency_id,
        subject=entry.subject,
        document_type=entry.document_type,
        number_symbol=entry.number_symbol,
        received_on=entry.received_on,
        issued_on=entry.issued_on,
        urgency=entry.urgency,
        note=entry.note,
    )
    return services.incoming_register(by=clerk, data=data, received_id=entry.pk, confirm_not_duplicate=True).document


def _scan(lines: list[str]) -> bytes:
    """One A4 page of a paper decision as a scanner gives it: a colour JPEG of 200 dpi in a PDF 1.4."""
    width_pt, height_pt = A4
    size = (round(width_pt / 72 * SCAN_DPI), round(height_pt / 72 * SCAN_DPI))
    image = Image.new("RGB", size, (250, 248, 240))  # paper, not pure white
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 34)
    top = 180
    for line in lines:
        draw.text((170, top), line, fill=(20, 20, 30), font=font)
        top += 70
    draw.ellipse((950, top + 40, 1250, top + 340), outline=(200, 20, 30), width=8)  # the seal, in red
    jpeg = io.BytesIO()
    image.save(jpeg, format="JPEG", quality=70)
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pdfVersion=(1, 4))
    page.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 0, 0, width_pt, height_pt)
    page.showPage()
    page.save()
    return out.getvalue()


def _paper_copy(clerk: Officer, unit: Unit, today: dt.date) -> DocumentCopy:
    place = unit.name.removeprefix("Công an ").strip()
    issued_on = today - dt.timedelta(days=10)
    lines = [
        f"ỦY BAN NHÂN DÂN {place.upper()}",
        "Số: 25/QĐ-UBND",
        "",
        "QUYẾT ĐỊNH",
        "Thành lập Tổ bảo vệ an ninh, trật tự ở cơ sở",
        "",
        "Điều 1. Thành lập Tổ bảo vệ an ninh, trật tự.",
        "Điều 2. Quyết định có hiệu lực từ ngày ký.",
        f"Ngày {issued_on:%d/%m/%Y}",
    ]
    return copy_services.copy_make(
        by=clerk,
        request=copy_services.CopyRequest(
            form=DocumentCopy.Form.SAO_Y,
            paper=copy_services.PaperOriginal(
                file=SimpleUploadedFile("ban-quet.pdf", _scan(lines), content_type="application/pdf"),
                issuer_name=f"Ủy ban nhân dân {place}",
                subject="Quyết định thành lập Tổ bảo vệ an ninh, trật tự ở cơ sở",
                document_type=DocumentType.objects.filter(abbreviation="QĐ").first(),
                number_symbol="25/QĐ-UBND",
                issued_on=issued_on,
            ),
        ),
    )


def _signed_register(clerk: Officer, province: Unit, today: dt.date) -> int:
    """Last month of the clerk's register closed, and signed by the demo leader."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    start = end.replace(day=1)
    if clerk.unit is None or RegisterClosure.objects.filter(unit=clerk.unit, period_to__gte=start).exists():
        return 0
    signer = Officer.objects.filter(username=SIGNER, unit__path__startswith=province.path).first()
    try:
        closure = closing.register_close(by=clerk, book=RegisterClosure.Book.ORDINARY, start=start, end=end)
        if signer is None:
            return 0
        closing.register_sign(by=signer, closure_id=closure.pk)
    except ApplicationError as exc:  # a demo without lanhdao's key keeps the period closed, unsigned
        logger.warning("demo register not signed: %s", exc)
        return 0
    return 1
