"""Writes of the exchange: importing an edXML envelope into a unit's incoming register, sending
one for an outgoing document, reading the status packets the other side sends back, and the
recall request and its answer. Each use case is one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.audit import audit_record
from congan.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.documents import selectors as documents_selectors
from congan.documents import services as documents_services
from congan.documents import symbols
from congan.documents.models import DocumentEvent, DocumentType, IncomingDocument, Urgency
from congan.exchange import edxml, packets
from congan.exchange.models import Direction, ExchangeMessage, ExchangeStatus, StatusCode
from congan.exchange.status import EDXML_CHANNEL, Actor, status_send
from congan.org.models import Officer, Unit

PDF_MAGIC = b"%PDF-"


@dataclass
class ImportOutcome:
    message: ExchangeMessage
    document: IncomingDocument | None
    created: bool = True
    warnings: list[str] = field(default_factory=list)


def _clerk(by: Actor, unit: Unit) -> None:
    """An officer importing or sending must be a records clerk of ``unit`` (or above it)."""
    if isinstance(by, Officer) and (
        not by.has_perm(documents_selectors.REGISTER) or by.unit is None or not unit.is_within(by.unit)
    ):
        raise PermissionDenied(_("Chỉ văn thư của đơn vị được nhận, gửi gói tin liên thông."))


def _document_type(message: edxml.Message, warnings: list[dict[str, str]]) -> tuple[DocumentType | None, str]:
    """(the type, the number and symbol as our grammar reads it, or "" when it does not)."""
    written = message.code
    try:
        parsed = symbols.parse(written, abbreviations=documents_selectors.type_abbreviations())
    except ValidationFailed:
        warnings.append({"element": "MessageHeader/Code", "problem": "notation", "value": written})
        by_name = DocumentType.objects.filter(active=True, name__iexact=message.type_name.strip()).first()
        return by_name or documents_services.document_type_find("cong-van"), ""
    if parsed.type_abbreviation:
        return documents_services.document_type_find(parsed.type_abbreviation), str(parsed)
    return documents_services.document_type_find("cong-van"), str(parsed)


def _pdf(message: edxml.Message, warnings: list[dict[str, str]]) -> SimpleUploadedFile | None:
    """The first PDF attachment becomes the entry's file; the others stay in the envelope."""
    chosen = None
    for attachment in message.attachments:
        if chosen is None and attachment.content.startswith(PDF_MAGIC):
            chosen = SimpleUploadedFile(attachment.name or "van-ban.pdf", attachment.content, "application/pdf")
        elif not attachment.content.startswith(PDF_MAGIC):
            warnings.append({"element": "AttachmentEncoded/Attachment", "problem": "not_pdf", "value": attachment.name})
    return chosen


def _incoming_input(message: edxml.Message, warnings: list[dict[str, str]]) -> documents_services.IncomingInput:
    document_type, number_symbol = _document_type(message, warnings)
    today = timezone.localdate()
    issued_on = message.promulgation_date
    if issued_on is not None and issued_on > today:
        warnings.append({"element": "PromulgationDate", "problem": "issued_later", "value": f"{issued_on:%d/%m/%Y}"})
        issued_on = None
    note = "" if number_symbol else _("Số, ký hiệu gốc: %(code)s") % {"code": message.code}
    return documents_services.IncomingInput(
        issuer_name=(message.sender.name or message.sender.organ_id)[:200],
        issuer_agency_id=message.sender.organ_id[:35],
        subject=message.subject[:500],
        document_type=document_type,
        number_symbol=number_symbol,
        received_on=today,
        issued_on=issued_on,
        urgency=min(message.priority, Urgency.FLASH),
        note=note[:500],
        file=_pdf(message, warnings),
    )


def _recipients_json(organisations: list[edxml.Organisation]) -> list[dict[str, str]]:
    return [{"organ_id": item.organ_id, "name": item.name} for item in organisations]


@transaction.atomic
def envelope_import(
    *, by: Actor, unit: Unit, data: bytes, client_token: str = "", key_owner: str = ""
) -> ImportOutcome:
    """Nhận gói tin edXML: read and check the envelope (signature, manifest, mandatory elements),
    then put the document in ``unit``'s incoming register as "chờ vào sổ" (received, not numbered)
    with its PDF, keep the envelope file, and send the sender status 01 (đã đến). The same
    envelope (its DocumentId from the same sender), or the same idempotency key, answers the first
    import instead of a second entry."""
    _clerk(by, unit)
    token = (client_token or "").strip()[:64]
    owner = key_owner or _owner(by)
    if token:
        earlier = ExchangeMessage.objects.filter(key_owner=owner, client_token=token).first()
        if earlier is not None:
            return ImportOutcome(message=earlier, document=earlier.incoming, created=False)
    return _import_parsed(by=by, unit=unit, data=data, parsed=packets.read(data), token=token, owner=owner)


def _import_parsed(
    *, by: Actor, unit: Unit, data: bytes, parsed: edxml.Parsed, token: str, owner: str
) -> ImportOutcome:
    if parsed.message is None:
        raise ValidationFailed(
            _("Đây là gói tin trạng thái, không phải văn bản: gửi nó ở mục trạng thái."),
            details={"envelope": [_("Đây là gói tin trạng thái, không phải văn bản.")]},
        )
    message = parsed.message
    earlier = ExchangeMessage.objects.filter(
        unit=unit, direction=Direction.IN, from_agency_id=message.sender.organ_id[:35], document_id=message.document_id
    ).first()
    if earlier is not None:
        return ImportOutcome(message=earlier, document=earlier.incoming, created=False)
    warnings = [packets.warning_record(warning) for warning in parsed.warnings]
    outcome = documents_services.incoming_receive(
        by=by,
        data=_incoming_input(message, warnings),
        unit=unit,
        client_token="edxml-"
        + hashlib.sha256(f"{message.sender.organ_id}|{message.document_id}".encode()).hexdigest()[:50],
        key_owner=f"edxml:{unit.pk}",
        channel=EDXML_CHANNEL,
    )
    record = ExchangeMessage(
        unit=unit,
        direction=Direction.IN,
        document_id=message.document_id[:300],
        from_agency_id=message.sender.organ_id[:35],
        from_name=message.sender.name[:200],
        recipients=_recipients_json(message.recipients),
        number_symbol=message.code[:60],
        issued_on=message.promulgation_date,
        subject=message.subject[:500],
        business_doc_type=message.business_doc_type,
        incoming=outcome.document,
        envelope_sha256=hashlib.sha256(data).hexdigest(),
        envelope_size=len(data),
        signed=parsed.signed,
        signer_subject=parsed.signer_subject[:300],
        warnings=warnings,
        client_token=token,
        key_owner=owner if token else "",
    )
    record.envelope.save("goi-tin.edxml", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        record.envelope.delete(save=False)
        raise Conflict(_("Gói tin này đang được nhận cùng lúc; thử lại sau giây lát.")) from None
    audit_record(
        actor=by,
        action="exchange.envelope.import",
        target=record,
        unit=unit,
        details={
            "document_id": record.document_id,
            "from": record.from_agency_id,
            "incoming": outcome.document.pk,
            "sha256": record.envelope_sha256,
            "signed": record.signed,
            "warnings": [w["problem"] for w in warnings],
        },
    )
    status_send(message=record, code=StatusCode.RECEIVED, by=by if isinstance(by, Officer) else None)
    return ImportOutcome(
        message=record,
        document=outcome.document,
        created=True,
        warnings=[packets.warning_text(w) for w in warnings],
    )


def _owner(by: Actor) -> str:
    if isinstance(by, Officer):
        return f"officer:{by.pk}"
    client_id = getattr(by, "client_id", None)
    return f"client:{client_id}" if client_id is not None else "system"


@dataclass
class OutgoingMessage:
    """What the outgoing register says of a document it sends (the lead connects the outgoing
    model to this): from which unit, to which agencies, its number and symbol, and its files."""

    unit: Unit
    recipients: list[tuple[str, str]]  # (agency identifier, name)
    number: int
    notation: str
    issued_on: dt.date
    subject: str
    type_name: str = ""
    signer_name: str = ""
    signer_position: str = ""
    signer_competence: str = ""
    priority: int = 0
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    reference: str = ""  # the outgoing document's id or link, kept on the message
    place: str = ""
    due_date: dt.date | None = None
    staff_name: str = ""


def envelope_for_outgoing(message: OutgoingMessage) -> bytes:
    """The signed ``.edxml`` file of an outgoing document (no database write)."""
    sender = packets.agency_of(message.unit)
    code_number = symbols.format_number(message.number)
    return edxml.envelope_build(
        edxml.Message(
            sender=sender,
            recipients=[edxml.Organisation(organ_id=organ_id, name=name) for organ_id, name in message.recipients],
            code_number=code_number,
            code_notation=message.notation,
            promulgation_date=message.issued_on,
            subject=message.subject,
            type_name=message.type_name,
            place=message.place,
            signer_competence=message.signer_competence,
            signer_position=message.signer_position,
            signer_name=message.signer_name,
            due_date=message.due_date,
            to_places=[name for _organ_id, name in message.recipients],
            priority=message.priority,
            staff=edxml.StaffInfo(department=message.unit.name, staff=message.staff_name),
            attachments=[
                edxml.Attachment(name=name, content=content, content_type=_content_type(name, content))
                for name, content in message.attachments
            ],
        ),
        key=packets.signing_key(),
    )


def _content_type(name: str, content: bytes) -> str:
    return (
        "application/pdf"
        if content.startswith(PDF_MAGIC) or name.lower().endswith(".pdf")
        else "application/octet-stream"
    )


@transaction.atomic
def envelope_send(*, by: Actor, message: OutgoingMessage) -> ExchangeMessage:
    """Gửi văn bản qua liên thông: build the envelope, keep it in the unit's exchange log, and put
    it in the outbox folder for the transport (the national axis or a partner's system)."""
    _clerk(by, message.unit)
    if not message.recipients:
        raise ValidationFailed(details={"recipients": [_("Chọn ít nhất một cơ quan nhận.")]})
    data = envelope_for_outgoing(message)
    parsed = edxml.parse(data)  # what we send is what the other side will read
    if parsed.message is None:  # cannot happen: we built a message
        raise ValidationFailed()
    record = ExchangeMessage(
        unit=message.unit,
        direction=Direction.OUT,
        document_id=parsed.message.document_id[:300],
        from_agency_id=parsed.message.sender.organ_id[:35],
        from_name=message.unit.name[:200],
        recipients=_recipients_json(parsed.message.recipients),
        number_symbol=parsed.message.code[:60],
        issued_on=message.issued_on,
        subject=message.subject[:500],
        outgoing_ref=message.reference[:100],
        envelope_sha256=hashlib.sha256(data).hexdigest(),
        envelope_size=len(data),
        signed=parsed.signed,
        signer_subject=parsed.signer_subject[:300],
        warnings=[packets.warning_record(warning) for warning in parsed.warnings],
    )
    record.envelope.save("goi-tin.edxml", ContentFile(data), save=False)
    record.save()
    audit_record(
        actor=by,
        action="exchange.envelope.send",
        target=record,
        unit=message.unit,
        details={"document_id": record.document_id, "to": [r["organ_id"] for r in record.recipients]},
    )
    packets.outbox_write(f"envelope-{record.pk}.edxml", data)
    return record


@dataclass
class StatusOutcome:
    status: ExchangeStatus
    created: bool = True


def _messages_answered(status: edxml.Status, viewer_units: QuerySet[Unit] | None) -> QuerySet[ExchangeMessage]:
    """The messages a status packet is about: ours that we sent (the other side's progress), or one
    we received (the issuer recalling it), matched by the DocumentId it answers."""
    found = ExchangeMessage.objects.filter(document_id=status.response_for.document_id).select_related("unit")
    if viewer_units is not None:
        found = found.filter(unit__in=viewer_units)
    if status.code == StatusCode.RECALL_REQUESTED:
        return found.filter(direction=Direction.IN, from_agency_id=status.sender.organ_id)
    return found.filter(direction=Direction.OUT)


@transaction.atomic
def status_import(*, by: Actor, data: bytes, units: QuerySet[Unit] | None = None) -> list[StatusOutcome]:
    """Nhận gói tin trạng thái: record what the other side did with a document we sent (01–06, 15,
    16), or the issuer's recall request (13) for one we received, on the message it answers. The
    same packet again changes nothing. ``units`` limits the messages to a clerk's units."""
    return _status_parsed(by=by, data=data, parsed=packets.read(data), units=units)


def _status_parsed(
    *, by: Actor, data: bytes, parsed: edxml.Parsed, units: QuerySet[Unit] | None
) -> list[StatusOutcome]:
    if parsed.status is None:
        raise ValidationFailed(
            _("Đây là gói tin văn bản, không phải gói tin trạng thái."),
            details={"envelope": [_("Đây là gói tin văn bản, không phải gói tin trạng thái.")]},
        )
    status = parsed.status
    messages = list(_messages_answered(status, units))
    if not messages:
        raise NotFound(
            _("Không có văn bản liên thông nào có mã %(id)s.") % {"id": status.response_for.document_id},
            details={"envelope": [_("Không tìm thấy văn bản mà gói tin trạng thái trả lời.")]},
        )
    outcomes = []
    for message in messages:
        _clerk(by, message.unit)
        earlier = message.statuses.filter(direction=Direction.IN, code=status.code, at=status.timestamp).first()
        if earlier is not None:
            outcomes.append(StatusOutcome(status=earlier, created=False))
            continue
        saved = ExchangeStatus.objects.create(
            message=message,
            direction=Direction.IN,
            code=status.code,
            description=status.description[:500],
            at=status.timestamp,
            staff=status.staff.staff[:200],
            packet=data.decode("utf-8", errors="replace"),
        )
        message.last_status = status.code
        message.save(update_fields=["last_status", "updated_at"])
        audit_record(
            actor=by,
            action="exchange.status.import",
            target=message,
            unit=message.unit,
            details={"code": status.code, "from": status.sender.organ_id, "signed": parsed.signed},
        )
        outcomes.append(StatusOutcome(status=saved))
    return outcomes


@transaction.atomic
def recall_request(*, by: Actor, message_id: int, reason: str) -> ExchangeStatus:
    """Đề nghị thu hồi (13): ask the recipients of a document we sent to take it back."""
    message = _message_for_update(by=by, message_id=message_id, direction=Direction.OUT)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationFailed(details={"reason": [_("Nêu lý do thu hồi (ít nhất 5 ký tự).")]})
    sent = status_send(message=message, code=StatusCode.RECALL_REQUESTED, by=by, description=reason)
    audit_record(actor=by, action="exchange.recall.request", target=message, unit=message.unit)
    return sent


@transaction.atomic
def recall_answer(*, by: Actor, message_id: int, accept: bool, note: str = "") -> ExchangeStatus:
    """Trả lời đề nghị thu hồi: 15 (đồng ý) or 16 (từ chối) to the issuer of a document we received
    whose recall it asked for. What recalling does to the register entry is the outgoing part's
    (issue 18: the entry removed from the incoming list, its metadata kept)."""
    message = _message_for_update(by=by, message_id=message_id, direction=Direction.IN)
    if not message.statuses.filter(direction=Direction.IN, code=StatusCode.RECALL_REQUESTED).exists():
        raise InvalidTransition(_("Nơi gửi chưa đề nghị thu hồi văn bản này."))
    code = StatusCode.RECALL_ACCEPTED if accept else StatusCode.RECALL_REFUSED
    if message.statuses.filter(
        direction=Direction.OUT, code__in=[StatusCode.RECALL_ACCEPTED, StatusCode.RECALL_REFUSED]
    ).exists():
        raise InvalidTransition(_("Đề nghị thu hồi này đã được trả lời."))
    sent = status_send(message=message, code=code, by=by, description=note)
    if accept and message.incoming_id is not None:
        _withdraw(message, by=by, note=note)
    audit_record(
        actor=by, action="exchange.recall.answer", target=message, unit=message.unit, details={"accept": accept}
    )
    return sent


def _withdraw(message: ExchangeMessage, *, by: Actor, note: str) -> None:
    """A recall accepted: the entry leaves the unit's registers and lists, its metadata and timeline
    kept (as a recall inside the platform does)."""
    incoming_id = message.incoming_id
    if incoming_id is None:
        return
    now = timezone.now()
    withdrawn = IncomingDocument.objects.filter(pk=incoming_id, withdrawn_at__isnull=True).update(
        withdrawn_at=now, updated_at=now
    )
    if withdrawn:
        DocumentEvent.objects.create(
            document_id=incoming_id,
            action="recall",
            note=(
                _("%(sender)s thu hồi qua liên thông") % {"sender": message.from_name} + (f": {note}" if note else "")
            )[:500],
            actor_label=getattr(by, "full_name", "") or _("Hệ thống"),
            officer=by if isinstance(by, Officer) else None,
        )


# --- outgoing documents sent to other agencies' systems -----------------------------------------


def outgoing_reference(document: Any) -> str:
    """What an exchange message keeps of the outgoing document it carries."""
    return f"outgoing:{document.pk}"


def outgoing_document_send(
    *, by: Actor, document: Any, deliveries: list[Any], content: bytes
) -> ExchangeMessage | None:
    """Issuing an outgoing document (documents.outgoing_services) sends it, with its signed PDF, in
    one envelope to the outside recipients named by an agency identifier (not an e-mail address).
    A classified document never leaves through the network."""
    agencies = [(d.address, d.name) for d in deliveries if d.unit_id is None and d.address and "@" not in d.address]
    if not agencies or not content or document.is_classified:
        return None
    signer = document.signer
    message = OutgoingMessage(
        unit=document.unit,
        recipients=agencies,
        number=document.number,
        notation=document.notation,
        issued_on=document.issued_on,
        subject=document.subject,
        type_name=document.document_type.name,
        signer_name=signer.full_name if signer is not None else "",
        signer_position=document.signer_title,
        priority=document.urgency,
        attachments=[(f"{document.number_symbol}.pdf".replace("/", "-"), content)],
        reference=outgoing_reference(document),
        place=document.place,
    )
    return envelope_send(by=by, message=message)


def outgoing_document_recall(*, by: Actor, document: Any, reason: str) -> int:
    """Recalling an outgoing document asks each agency it went to through edXML to take it back
    (status 13); how many envelopes were asked about."""
    messages = ExchangeMessage.objects.filter(direction=Direction.OUT, outgoing_ref=outgoing_reference(document))
    count = 0
    for message in messages.order_by("pk"):
        status_send(message=message, code=StatusCode.RECALL_REQUESTED, by=by, description=reason)
        audit_record(actor=by, action="exchange.recall.request", target=message, unit=message.unit)
        count += 1
    return count


def _message_for_update(*, by: Actor, message_id: int, direction: str) -> ExchangeMessage:
    from congan.exchange import selectors

    message = (
        selectors.messages_visible(viewer=by)
        .select_for_update(of=("self",))
        .filter(pk=message_id, direction=direction)
        .first()
    )
    if message is None:
        raise NotFound()
    _clerk(by, message.unit)
    return message


@transaction.atomic
def packet_receive(
    *, by: Actor, unit: Unit, data: bytes, client_token: str = "", key_owner: str = ""
) -> ImportOutcome | list[StatusOutcome]:
    """Nhận một tệp gói tin, văn bản hay trạng thái: an envelope goes into ``unit``'s register
    (envelope_import), a status packet onto the message it answers among the caller's units."""
    _clerk(by, unit)
    token = (client_token or "").strip()[:64]
    owner = key_owner or _owner(by)
    if token:
        earlier = ExchangeMessage.objects.filter(key_owner=owner, client_token=token).first()
        if earlier is not None:
            return ImportOutcome(message=earlier, document=earlier.incoming, created=False)
    parsed = packets.read(data)
    if parsed.status is not None:
        units = Unit.objects.filter(path__startswith=by.unit.path) if isinstance(by, Officer) and by.unit else None
        return _status_parsed(by=by, data=data, parsed=parsed, units=units)
    return _import_parsed(by=by, unit=unit, data=data, parsed=parsed, token=token, owner=owner)
