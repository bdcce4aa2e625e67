"""The PDFs of a dossier: the receipt (giấy tiếp nhận hồ sơ và hẹn trả kết quả), the result with
its verification QR code, and the apology letter (thư xin lỗi và hẹn lại ngày trả kết quả)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from congan.core.pdf import PdfDocument, render_pdf
from congan.eservices.formdefs import display_value
from congan.eservices.models import ApologyLetter, Dossier
from congan.eservices.workflow import status_url

# Generated documents are Vietnamese administrative papers: their text is not translated.


def _place_date(day: dt.date) -> str:
    return f"{settings.PLACE_NAME}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def verify_url(dossier: Dossier) -> str:
    return f"{settings.PUBLIC_BASE_URL}{reverse('eservices:verify', args=[dossier.verify_token])}"


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def receipt_pdf(dossier: Dossier) -> bytes:
    submitted = timezone.localtime(dossier.submitted_at)
    rows = [
        ("Mã hồ sơ", dossier.code),
        ("Thủ tục", dossier.procedure.name),
        ("Người nộp", dossier.applicant.full_name),
        ("Nộp lúc", submitted.strftime("%H:%M ngày %d/%m/%Y")),
        ("Hình thức", "Trực tuyến" if dossier.online else "Trực tiếp"),
        ("Cơ quan giải quyết", dossier.unit.name),
        (
            "Thời hạn giải quyết",
            f"{dossier.procedure.processing_days} ngày làm việc kể từ khi tiếp nhận"
            if dossier.procedure.processing_days is not None
            else "Giải quyết trong ngày",
        ),
        ("Hẹn trả kết quả", _date(dossier.due_on) if dossier.due_on else "Sau khi hồ sơ được tiếp nhận"),
        ("Giấy tờ đã nộp", ", ".join(a.label for a in dossier.attachments.all()) or "Không"),
    ]
    if dossier.submitted_by_id:
        rows.insert(3, ("Người nộp thay", dossier.submitted_by.full_name))
    return render_pdf(
        PdfDocument(
            agency=dossier.unit.name,
            title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            number=dossier.code,
            place_date=_place_date(submitted.date()),
            rows=rows,
            paragraphs=["Quét mã QR hoặc tra cứu bằng mã hồ sơ để theo dõi tình trạng giải quyết."],
            qr_url=status_url(dossier),
            qr_caption="Tra cứu tình trạng hồ sơ",
            signer="Bộ phận tiếp nhận và trả kết quả",
        )
    )


def result_pdf(dossier: Dossier) -> bytes:
    decided = timezone.localtime(dossier.decided_at).date()
    applicant = dossier.applicant
    rows = [
        ("Số kết quả", dossier.result_number),
        ("Mã hồ sơ", dossier.code),
        ("Thủ tục", dossier.procedure.name),
        ("Kết quả", dossier.procedure.result_type),
        ("Họ và tên", applicant.full_name),
        ("Ngày sinh", applicant.birth_date_display),
        *_declared(dossier, shown={"full_name", "birth_date"}),
        ("Ngày cấp", _date(decided)),
    ]
    return render_pdf(
        PdfDocument(
            agency=dossier.unit.name,
            title="Kết quả giải quyết thủ tục hành chính",
            number=dossier.result_number,
            place_date=_place_date(decided),
            rows=rows,
            paragraphs=[
                f"{dossier.unit.name} xác nhận hồ sơ {dossier.code} đã được giải quyết: "
                f"{dossier.procedure.result_type}."
                + (f" Ghi chú: {dossier.decision_note}" if dossier.decision_note else "")
            ],
            qr_url=verify_url(dossier),
            qr_caption="Quét mã để xác minh tính xác thực của văn bản",
            signer=f"THỦ TRƯỞNG {dossier.unit.name.upper()}\n{_decided_by(dossier)}".rstrip(),
        )
    )


def _declared(dossier: Dossier, *, shown: set[str]) -> list[tuple[str, str]]:
    """What the dossier settles, as its form holds it (the address registered, the period…)."""
    rows = []
    for field in dossier.form.fields:
        value = dossier.data.get(field["name"], "")
        if field["name"] not in shown and value not in ("", None):
            rows.append((field["label"], display_value(field, str(value))))
    return rows


def _decided_by(dossier: Dossier) -> str:
    """The name of the officer who approved the dossier, from its timeline."""
    step = dossier.events.filter(action="approve", officer__isnull=False).select_related("officer").last()
    return step.officer.full_name if step is not None and step.officer is not None else ""


def apology_pdf(letter: ApologyLetter) -> bytes:
    dossier = letter.dossier
    issued = timezone.localtime(letter.issued_at).date()
    return render_pdf(
        PdfDocument(
            agency=dossier.unit.name,
            title="Thư xin lỗi và hẹn lại ngày trả kết quả",
            number=f"{dossier.code}/XL{letter.pk}",
            place_date=_place_date(issued),
            rows=[
                ("Kính gửi", f"Ông/Bà {dossier.applicant.full_name}"),
                ("Mã hồ sơ", dossier.code),
                ("Thủ tục", dossier.procedure.name),
                ("Hẹn trả kết quả cũ", _date(letter.old_due_on)),
                ("Hẹn trả kết quả mới", _date(letter.new_due_on)),
            ],
            paragraphs=[
                f"{dossier.unit.name} đã tiếp nhận hồ sơ của Ông/Bà ngày {_date(dossier.received_on)}. "
                f"Do {letter.reason.rstrip('.')}, việc giải quyết hồ sơ chưa bảo đảm thời hạn đã hẹn.",
                f"{dossier.unit.name} thành thật xin lỗi Ông/Bà vì sự chậm trễ này và hẹn trả kết quả vào ngày "
                f"{_date(letter.new_due_on)}.",
            ],
            qr_url=status_url(dossier),
            qr_caption="Tra cứu tình trạng hồ sơ",
            signer=f"THỦ TRƯỞNG {dossier.unit.name.upper()}",
        )
    )
