"""Demo edXML traffic for the demo province: envelopes from outside agencies (one with the SDK's
non-conforming identifier, so the clerk sees a warning) imported into the records clerk's unit,
one of them registered; and documents the province sent to that unit through edXML files, with
the status packets that came back. Runs after the documents demo (order 336)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from congan.core.audit import audit_record
from congan.documents import services as documents_services
from congan.documents.demo import DEMO_CLERK
from congan.exchange import edxml, services
from congan.exchange.models import ExchangeMessage
from congan.org.models import Officer, Unit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

OUTSIDE = [
    (
        "000.00.00.H17",
        "Ủy ban nhân dân thành phố Đà Nẵng",
        "1234",
        "UBND-NC",
        "Công văn",
        1,
        "V/v phối hợp bảo đảm an ninh trật tự dịp Tết Nguyên đán",
    ),
    (
        "000.00.00.G22",
        "Văn phòng Chính phủ",
        "7816",
        "VPCP-TTĐT",
        "Công văn",
        0,
        "V/v kết nối, liên thông phần mềm quản lý văn bản",
    ),
    (
        "999.010.01.H22",
        "Hệ thống thử nghiệm của trục liên thông",
        "45",
        "KH-UBND",
        "Kế hoạch",
        0,
        "Kế hoạch thử nghiệm gửi nhận văn bản điện tử qua trục liên thông",
    ),
]
SENT = [
    (21, "CV-CAT-PV01", "Công văn", "Về việc tăng cường tuần tra kiểm soát ban đêm"),
    (22, "TB-CAT-PV01", "Thông báo", "Thông báo lịch trực lãnh đạo tháng này"),
]


def demo_build_exchange(*, province: Unit, today: dt.date | None = None, **_options: Any) -> dict[str, int]:
    clerk = Officer.objects.filter(username=DEMO_CLERK, unit__path__startswith=province.path).first()
    if clerk is None or clerk.unit is None:
        return {}
    if ExchangeMessage.objects.filter(unit__path__startswith=province.path).exists():
        return {}
    today = today or timezone.localdate()
    with transaction.atomic():
        created = {"exchange_in": 0, "exchange_out": 0}
        for index, (organ_id, name, number, notation, type_name, priority, subject) in enumerate(OUTSIDE):
            data = edxml.envelope_build(
                edxml.Message(
                    sender=edxml.Organisation(organ_id, name),
                    recipients=[edxml.Organisation(clerk.unit.agency_code or clerk.unit.code, clerk.unit.name)],
                    code_number=number,
                    code_notation=notation,
                    promulgation_date=today - dt.timedelta(days=3 + index),
                    subject=subject,
                    type_name=type_name,
                    priority=priority,
                    attachments=[edxml.Attachment(f"van-ban-{number}.pdf", PDF)],
                )
            )
            outcome = services.envelope_import(by="system", unit=clerk.unit, data=data)
            created["exchange_in"] += 1
            if index == 0 and outcome.document is not None:
                document = outcome.document
                documents_services.incoming_register(
                    by=clerk,
                    received_id=document.pk,
                    data=documents_services.IncomingInput(
                        issuer_name=document.issuer_name,
                        issuer_agency_id=document.issuer_agency_id,
                        subject=document.subject,
                        document_type=document.document_type,
                        number_symbol=document.number_symbol,
                        issued_on=document.issued_on,
                        urgency=document.urgency,
                    ),
                )
        if clerk.unit.pk != province.pk:
            for sent_number, sent_notation, sent_type, sent_subject in SENT:
                sent = services.envelope_send(
                    by="system",
                    message=services.OutgoingMessage(
                        unit=province,
                        recipients=[(clerk.unit.agency_code or clerk.unit.code, clerk.unit.name)],
                        number=sent_number,
                        notation=sent_notation.replace("CV-", ""),
                        issued_on=today - dt.timedelta(days=1),
                        subject=sent_subject,
                        type_name=sent_type,
                        signer_name="Trần Văn Minh",
                        signer_position="Phó Giám đốc",
                        attachments=[(f"van-ban-di-{sent_number}.pdf", PDF)],
                        reference=f"demo:{sent_number}",
                    ),
                )
                imported = services.envelope_import(by="system", unit=clerk.unit, data=sent.envelope.read())
                for status in imported.message.statuses.all():
                    services.status_import(by="system", data=status.packet.encode())
                created["exchange_out"] += 1
        audit_record(actor="system", action="exchange.demo.build", unit=province, details=created)
    return created
