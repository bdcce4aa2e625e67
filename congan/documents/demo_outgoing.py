"""`congan demo` builder for outgoing documents (after the incoming registers): twelve months of
documents the provincial police and a few of its departments issued to the demo communes and to a
few outside agencies, numbered per unit, type and year as issuing numbers them, signed off by
`lanhdao`. Each has its issued PDF (Appendix I layout) signed through the signing port with the
demo PKI (`lanhdao`'s key and the issuing unit's seal). Those of the last fortnight reached the
communes as incoming entries from a unit of the platform: some registered and acknowledged there
(read receipts), the rest waiting for the clerk; two were recalled. Older ones carry their receipts
only (no incoming copy). A few drafts wait for `lanhdao`'s approval or signature."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from congan.core.audit import audit_record
from congan.core.text import fold
from congan.documents import outgoing_services, signing_port
from congan.documents.demo import SUBJECTS, URGENCIES, default_documents
from congan.documents.models import (
    DocumentEvent,
    DocumentType,
    IncomingDocument,
    NumberSeries,
    OutgoingDelivery,
    OutgoingDocument,
    OutgoingEvent,
    OutgoingVersion,
)
from congan.documents.symbols import notation_of
from congan.org.models import Officer, Unit
from congan.org.selectors import COMMUNE_KINDS

SIGNER = "lanhdao"
CLERK = "vanthu"
RECENT_DAYS = 14
# Outgoing documents of the demo at most (a tenth of the incoming ones): each has its issued PDF, signed
# with the demo PKI (the issue asks for about 500 signed PDFs).
MOST = 500
TYPES = ("", "", "KH", "QĐ", "TB", "HD", "CĐ", "BC")
OUTSIDE = (
    ("Sở Tư pháp", "sotuphap@demo.invalid"),
    ("Ủy ban nhân dân thành phố", "ubnd@demo.invalid"),
    ("Viện kiểm sát nhân dân thành phố", "vks@demo.invalid"),
)
BODY = (
    "Thực hiện chỉ đạo của Bộ Công an và Ủy ban nhân dân thành phố về công tác bảo đảm an ninh, trật tự.",
    "Đề nghị các đơn vị khẩn trương quán triệt, triển khai thực hiện nghiêm túc, báo cáo kết quả đúng thời hạn.",
    "Quá trình thực hiện có khó khăn, vướng mắc, báo cáo về Công an thành phố (qua Phòng Tham mưu) để được hướng dẫn.",
)


def demo_build_outgoing(
    *,
    province: Unit,
    documents: int | None = None,
    residents: int = 0,
    seed: str = "congan-demo",
    today: dt.date | None = None,
    **_options: Any,
) -> dict[str, int]:
    count = outgoing_count(documents, residents)
    if count <= 0 or OutgoingDocument.objects.filter(unit__path__startswith=province.path).exists():
        return {"outgoing_documents": 0}
    with transaction.atomic():
        created = _build(province, count, today or timezone.localdate(), seed)
        if created.get("outgoing_documents"):
            audit_record(actor="system", action="documents.demo.build_outgoing", unit=province, details=created)
    return created


def outgoing_count(documents: int | None, residents: int) -> int:
    """A tenth of the incoming documents (the demo's default for its residents), at most MOST."""
    return min(MOST, (documents if documents is not None else default_documents(residents)) // 10)


class _Context:
    def __init__(self, province: Unit, today: dt.date, rng: random.Random, signer: Officer):
        self.province, self.today, self.rng, self.signer = province, today, rng, signer
        self.types = {t.abbreviation: t for t in DocumentType.objects.all()}
        clerk = Officer.objects.filter(username=CLERK, unit__path__startswith=province.path).first()
        self.clerk = clerk
        self.focus = clerk.unit if clerk and clerk.unit_id else None
        departments = list(
            Unit.objects.filter(parent=province, kind=Unit.Kind.DEPARTMENT, active=True).order_by("path")[:4]
        )
        self.issuers = [province, *departments]
        communes = list(Unit.objects.filter(path__startswith=province.path, kind__in=COMMUNE_KINDS, active=True))
        rng.shuffle(communes)
        self.communes = [c for c in communes if c != self.focus][:5]
        officers: dict[int, list[Officer]] = defaultdict(list)
        for officer in Officer.objects.filter(unit__in=self.issuers, is_active=True).select_related("unit"):
            if officer.unit_id is not None:
                officers[officer.unit_id].append(officer)
        self.officers = officers

    def drafter(self, unit: Unit) -> Officer:
        found = self.officers.get(unit.pk) or self.officers.get(self.province.pk) or []
        return self.rng.choice(found) if found else self.signer


def _build(province: Unit, count: int, today: dt.date, seed: str) -> dict[str, int]:
    rng = random.Random(f"{seed}:outgoing")  # noqa: S311 - reproducible demo data
    signer = Officer.objects.filter(username=SIGNER, unit__path__startswith=province.path).first()
    if signer is None:
        return {"outgoing_documents": 0}
    context = _Context(province, today, rng, signer)
    start = today - dt.timedelta(days=364)
    plans = []
    for _index in range(count):
        day = start + dt.timedelta(days=int(rng.triangular(0, 364, 330)))
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        plans.append((day, rng.randint(0, 480)))
    plans.sort()
    numbers: dict[tuple[int, int, str], int] = defaultdict(int)
    figures = {"outgoing_documents": 0, "issued_pdfs": 0, "incoming_copies": 0, "registered": 0, "recalled": 0}
    recent: list[OutgoingDocument] = []
    older: list[OutgoingDocument] = []
    for day, minutes in plans:
        document = _issued(context, day, minutes, numbers)
        figures["outgoing_documents"] += 1
        (recent if (today - day).days <= RECENT_DAYS else older).append(document)
    for document in recent:
        figures["issued_pdfs"] += 1
        figures["incoming_copies"] += _send(context, document, figures)
    for document in older:  # their PDF only: the recipients' registers of those months are built apart
        if document.signer is not None and document.issued_on is not None:
            _issued_pdf(context, document, list(document.deliveries.select_related("unit").order_by("pk")))
            figures["issued_pdfs"] += 1
    settled = [d for d in recent if d.issued_on and (today - d.issued_on).days >= 3]
    for document in settled[:2]:
        _recall(context, document)
        figures["recalled"] += 1
    NumberSeries.objects.bulk_create(
        [
            NumberSeries(unit_id=unit_id, year=year, book=NumberSeries.Book.OUTGOING, series=series, last=last)
            for (unit_id, year, series), last in numbers.items()
        ]
    )
    figures["drafts"] = _drafts(context)
    return figures


def _issued(context: _Context, day: dt.date, minutes: int, numbers: dict) -> OutgoingDocument:
    rng = context.rng
    unit = rng.choices(context.issuers, weights=[4] + [1] * (len(context.issuers) - 1))[0]
    abbreviation = rng.choice(TYPES)
    document_type = context.types.get(abbreviation) or context.types[""]
    subject = rng.choice(SUBJECTS.get(abbreviation, SUBJECTS[""]))
    urgency = rng.choices([u for u, _w in URGENCIES], weights=[w for _u, w in URGENCIES])[0]
    key = (unit.pk, day.year, document_type.code)
    numbers[key] += 1
    groups = outgoing_services.issuer_groups(unit)
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0))) + dt.timedelta(minutes=minutes)
    drafter = context.drafter(unit)
    signer = context.signer
    document = OutgoingDocument.objects.create(
        unit=unit,
        status=OutgoingDocument.Status.ISSUED,
        document_type=document_type,
        subject=subject,
        urgency=urgency,
        drafted_by=drafter,
        signer=signer,
        signer_title="KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
        approved_by=signer,
        approved_at=at - dt.timedelta(hours=3),
        signed_at=at - dt.timedelta(hours=1),
        year=day.year,
        number=numbers[key],
        notation=notation_of(document_type.abbreviation, groups),
        issued_on=day,
        issued_at=at,
        issued_by=context.clerk,
        created_at=at - dt.timedelta(days=1),
    )
    document.search_folded = fold(f"{subject} {document.number_symbol} {unit.name}")
    document.save(update_fields=["search_folded"])
    OutgoingVersion.objects.create(
        document=document, number=1, body="\n".join(BODY), created_by=drafter, created_at=at - dt.timedelta(days=1)
    )
    targets = ([context.focus] if context.focus and rng.random() < 0.6 else []) + rng.sample(
        context.communes, k=min(len(context.communes), rng.randint(1, 2))
    )
    old = (context.today - day).days > RECENT_DAYS
    deliveries = []
    for target in targets:
        deliveries.append(
            OutgoingDelivery(
                document=document,
                unit=target,
                name=target.name,
                delivered_at=at,
                registered_at=at + dt.timedelta(hours=2) if old else None,
                acknowledged_at=at + dt.timedelta(hours=5) if old and rng.random() < 0.8 else None,
            )
        )
    if rng.random() < 0.15:
        name, address = rng.choice(OUTSIDE)
        deliveries.append(OutgoingDelivery(document=document, name=name, address=address, delivered_at=at))
    OutgoingDelivery.objects.bulk_create(deliveries)
    label = signer.full_name
    steps = [
        ("draft", at - dt.timedelta(days=1), drafter.full_name),
        ("submit", at - dt.timedelta(hours=20), drafter.full_name),
        ("approve", at - dt.timedelta(hours=3), label),
        ("sign", at - dt.timedelta(hours=1), label),
        ("issue", at, context.clerk.full_name if context.clerk else "Văn thư"),
    ]
    OutgoingEvent.objects.bulk_create(
        [OutgoingEvent(document=document, action=action, at=when, actor_label=who) for action, when, who in steps]
        + [
            OutgoingEvent(document=document, action="deliver", at=at, note=d.name, actor_label=steps[-1][2])
            for d in deliveries
        ]
    )
    return document


def _issued_pdf(context: _Context, document: OutgoingDocument, deliveries: list[OutgoingDelivery]) -> bytes:
    """The issued PDF in the Appendix I layout, signed through the port as issuing signs it (the
    demo leader's key and the unit's seal from the demo PKI, when `congan demo` made them)."""
    signer = document.signer
    if signer is None:  # not in the demo: lanhdao signs off every document
        return b""
    rendered, box = outgoing_services._render(document, deliveries)
    content = signing_port.sign_issued_pdf(
        pdf=rendered, signer=signer, box=box, number_symbol=document.number_symbol, by=context.clerk or signer
    )
    document.pdf_sha256 = hashlib.sha256(content).hexdigest()
    document.signature_box = box.as_dict()
    document.pdf.save(f"{document.number_symbol}.pdf", ContentFile(content), save=False)
    document.save(update_fields=["pdf", "pdf_sha256", "signature_box"])
    return content


def _send(context: _Context, document: OutgoingDocument, figures: dict[str, int]) -> int:
    """The issued PDF, and an incoming entry at each recipient unit (some registered, acknowledged)."""
    deliveries = list(document.deliveries.select_related("unit").order_by("pk"))
    if document.signer is None or document.issued_on is None or document.issued_at is None:
        return 0
    issued_on, issued_at = document.issued_on, document.issued_at
    content = _issued_pdf(context, document, deliveries)
    copies = 0
    for delivery in deliveries:
        if delivery.unit is None:
            continue
        unit = document.unit
        incoming = IncomingDocument(
            unit=delivery.unit,
            status=IncomingDocument.Status.RECEIVED,
            channel=IncomingDocument.Channel.PLATFORM,
            received_on=issued_on,
            issuer_name=unit.name,
            issuer_agency_id=unit.agency_code,
            number=document.number,
            notation=document.notation,
            issued_on=document.issued_on,
            document_type=document.document_type,
            subject=document.subject,
            urgency=document.urgency,
            source_outgoing=document,
            file_sha256=document.pdf_sha256,
            file_name=f"{document.number_symbol}.pdf",
            file_size=len(content),
            issuer_folded=fold(unit.name)[:200],
            search_folded=fold(f"{document.subject} {unit.name} {document.number_symbol}"),
            created_at=issued_at,
        )
        incoming.file.save("van-ban.pdf", ContentFile(content), save=False)
        incoming.save()
        DocumentEvent.objects.create(
            document=incoming,
            action="receive",
            at=issued_at,
            actor_label=unit.name,
            note=document.number_symbol,
        )
        delivery.incoming = incoming
        delivery.save(update_fields=["incoming"])
        copies += 1
        if (context.today - issued_on).days >= 2 and context.rng.random() < 0.7:
            _register(context, incoming, delivery)
            figures["registered"] += 1
    return copies


def _register(context: _Context, incoming: IncomingDocument, delivery: OutgoingDelivery) -> None:
    """Vào sổ at the receiving unit, continuing its register's series for the year; a receipt back."""
    year = incoming.received_on.year
    series, _created = NumberSeries.objects.get_or_create(
        unit=incoming.unit, year=year, book=NumberSeries.Book.INCOMING, series="", secret=False
    )
    if _created:
        taken = IncomingDocument.objects.filter(unit=incoming.unit, year=year, secret=False).aggregate(
            last=Max("arrival_number")
        )["last"]
        series.last = taken or 0
    series.last += 1
    series.save(update_fields=["last"])
    registered_at = timezone.now()
    clerk = context.clerk if context.clerk and context.clerk.unit_id == incoming.unit_id else None
    IncomingDocument.objects.filter(pk=incoming.pk).update(
        status=IncomingDocument.Status.REGISTERED,
        year=year,
        arrival_number=series.last,
        registered_at=registered_at,
        registered_by=clerk,
    )
    incoming.arrival_number = series.last
    label = clerk.full_name if clerk else "Văn thư"
    DocumentEvent.objects.create(
        document=incoming, action="register", at=registered_at, actor_label=label, note=f"Số đến {series.last:02d}"
    )
    delivery.registered_at, delivery.arrival_number = registered_at, series.last
    delivery.save(update_fields=["registered_at", "arrival_number"])
    OutgoingEvent.objects.create(
        document=delivery.document,
        action="registered",
        at=registered_at,
        actor_label=delivery.name,
        note=f"{delivery.name}, số đến {series.last:02d}",
    )


def _recall(context: _Context, document: OutgoingDocument) -> None:
    """Two recent documents recalled by lanhdao through the service (both sides, audited)."""
    outgoing_services.outgoing_recall(
        by=context.signer,
        document_id=document.pk,
        reason="Ban hành chưa đúng thẩm quyền, sẽ thay thế bằng văn bản khác",
    )


def _drafts(context: _Context) -> int:
    """Drafts for lanhdao: three in review (to approve), two approved (to sign)."""
    made = 0
    province = context.province
    for index in range(5):
        drafter = context.drafter(province)
        document = OutgoingDocument.objects.create(
            unit=province,
            status=OutgoingDocument.Status.IN_REVIEW if index < 3 else OutgoingDocument.Status.APPROVED,
            document_type=context.types.get("KH") or context.types[""],
            subject=SUBJECTS["KH"][index % len(SUBJECTS["KH"])],
            urgency=1 if index == 0 else 0,
            drafted_by=drafter,
            signer=context.signer,
            signer_title="KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
            approved_by=context.signer if index >= 3 else None,
            approved_at=timezone.now() if index >= 3 else None,
        )
        document.search_folded = fold(f"{document.subject} {province.name}")
        document.save(update_fields=["search_folded"])
        OutgoingVersion.objects.create(document=document, number=1, body="\n".join(BODY), created_by=drafter)
        targets = ([context.focus] if context.focus else []) + context.communes[:2]
        OutgoingDelivery.objects.bulk_create(
            [OutgoingDelivery(document=document, unit=unit, name=unit.name) for unit in targets]
        )
        OutgoingEvent.objects.bulk_create(
            [
                OutgoingEvent(document=document, action="draft", actor_label=drafter.full_name),
                OutgoingEvent(document=document, action="submit", actor_label=drafter.full_name),
            ]
        )
        made += 1
    return made
