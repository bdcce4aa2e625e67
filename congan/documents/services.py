"""Writes of the documents module: receiving and registering incoming documents (Decree 30/2020,
Articles 22–23 and Appendix IV), handing them over and acknowledging them. Each use case is one
transaction with its audit event; the arrival number is taken when the entry is registered, from
the unit's series for the year (a secret one for classified entries), never earlier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congan.core.actors import System
from congan.core.audit import audit_record
from congan.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.models import ApiKey
from congan.core.text import fold, meaningful, normalize_text
from congan.core.uploads import upload_sha256
from congan.documents import agency_ids, closing, fulltext, selectors, symbols
from congan.documents.models import (
    Classification,
    DocumentEvent,
    DocumentType,
    IncomingDocument,
    NumberSeries,
    Urgency,
)
from congan.documents.numbering import number_take
from congan.exchange.status import status_emit
from congan.org.models import Officer, Unit

# Who hands a document in: a records clerk, an outside system with its partner key, or the platform
# itself (an edXML packet imported by the demo or a drop folder).
Receiver: TypeAlias = Officer | ApiKey | System

PDF_MAGIC = b"%PDF-"


class PossibleDuplicate(Conflict):
    """The register holds a document with the same number, symbol, issuer and year: the clerk
    looks, and registers it anyway only by confirming that it is not the same document."""

    code = "possible_duplicate"
    default_message = gettext_lazy("Có thể trùng với văn bản đã vào sổ.")

    def __init__(self, duplicates: list[IncomingDocument]):
        self.duplicates = duplicates
        described = "; ".join(_describe(document) for document in duplicates)
        super().__init__(
            details={
                "confirm_not_duplicate": [
                    _(
                        "Đã có văn bản cùng số, ký hiệu, cơ quan ban hành và năm: %(found)s. Kiểm tra lại; nếu đúng là "
                        "văn bản khác, đánh dấu xác nhận không trùng rồi đăng ký."
                    )
                    % {"found": described}
                ],
                "duplicates": [document.pk for document in duplicates],
            }
        )


def _describe(document: IncomingDocument) -> str:
    if document.arrival_number is None:
        return _("đang chờ đăng ký, nhận ngày %(day)s") % {"day": document.received_on.strftime("%d/%m/%Y")}
    return _("số đến %(number)s ngày %(day)s") % {
        "number": document.arrival_display,
        "day": document.received_on.strftime("%d/%m/%Y"),
    }


@dataclass
class IncomingInput:
    """What a clerk (or a sending system) says of an incoming document, before it is checked."""

    issuer_name: str
    subject: str
    document_type: DocumentType | str | None
    received_on: dt.date | None = None
    issuer_agency_id: str = ""
    number_symbol: str = ""
    issued_on: dt.date | None = None
    urgency: int = Urgency.NORMAL
    classification: int = Classification.NORMAL
    note: str = ""
    file: UploadedFile | None = None


@dataclass
class Checked:
    issuer_name: str
    issuer_agency_id: str
    number: int | None
    notation: str
    document_type: DocumentType
    received_on: dt.date
    issued_on: dt.date | None
    subject: str
    urgency: int
    classification: int
    note: str
    file: UploadedFile | None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    document: IncomingDocument
    created: bool = True
    warnings: list[str] = field(default_factory=list)


def document_type_find(text: str) -> DocumentType | None:
    """An active type by its code (``quyet-dinh``) or its abbreviation (``QĐ``, then ``qđ``)."""
    text = (text or "").strip()
    if not text:
        return None
    active = DocumentType.objects.filter(active=True)
    return (
        active.filter(code=text).first()
        or active.filter(abbreviation=text).first()
        or active.filter(abbreviation__iexact=text).exclude(abbreviation="").first()
    )


def _document_type(value: DocumentType | str | None) -> DocumentType | None:
    if isinstance(value, DocumentType) or value is None:
        return value
    return document_type_find(value)


def _check_file(upload: UploadedFile | None, classification: int, errors: dict[str, list[str]]) -> None:
    if upload is None:
        return
    if classification > Classification.NORMAL:
        errors.setdefault("file", []).append(
            _(
                "Văn bản mật chỉ được vào sổ thông tin (số, ký hiệu, trích yếu…): hệ thống nối mạng không được lưu "
                "nội dung bí mật nhà nước (Luật Bảo vệ bí mật nhà nước 2018). Bỏ tệp đính kèm và lưu bản giấy theo "
                "chế độ mật."
            )
        )
        return
    limit = settings.DOCUMENTS_FILE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        errors.setdefault("file", []).append(_("Tệp lớn hơn %(max)s.") % {"max": filesizeformat(limit)})
        return
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        errors.setdefault("file", []).append(_("Chỉ nhận tệp PDF."))


def _check(data: IncomingInput, *, by: Receiver, today: dt.date) -> Checked:
    """Every rule of one entry, all errors at once (ValidationFailed with field details)."""
    errors: dict[str, list[str]] = {}
    issuer_name = normalize_text(data.issuer_name)
    if not issuer_name:
        errors["issuer_name"] = [_("Nhập tên cơ quan, tổ chức ban hành văn bản.")]
    elif len(issuer_name) > 200:
        errors["issuer_name"] = [_("Tên cơ quan ban hành dài quá 200 ký tự.")]
    issuer_agency_id = agency_ids.clean(data.issuer_agency_id)
    if len(issuer_agency_id) > agency_ids.MAX_LENGTH:
        errors["issuer_agency_id"] = [_("Mã định danh dài quá 35 ký tự.")]
    subject = normalize_text(data.subject)
    if not meaningful(subject, 5):
        errors["subject"] = [_("Nhập trích yếu nội dung văn bản (ít nhất 5 chữ cái hoặc chữ số).")]
    elif len(subject) > 500:
        errors["subject"] = [_("Trích yếu dài quá 500 ký tự.")]
    document_type = _document_type(data.document_type)
    if document_type is None:
        errors["document_type"] = [_("Chọn loại văn bản (Phụ lục III Nghị định 30/2020/NĐ-CP).")]
    received_on = data.received_on or today
    if received_on > today:
        errors["received_on"] = [_("Ngày đến không được sau hôm nay.")]
    elif received_on.year < today.year - 1:
        errors["received_on"] = [_("Ngày đến phải trong năm nay hoặc năm trước.")]
    issued_on = data.issued_on
    if issued_on is not None and issued_on > received_on:
        errors["issued_on"] = [_("Ngày văn bản không được sau ngày đến.")]
    number, notation = None, ""
    if (data.number_symbol or "").strip():
        try:
            parsed = symbols.parse(
                data.number_symbol, abbreviations=selectors.type_abbreviations(), field="number_symbol"
            )
        except ValidationFailed as exc:
            errors.update(exc.details)
        else:
            number, notation = parsed.number, parsed.notation
            if document_type is not None and parsed.type_abbreviation != document_type.abbreviation:
                errors["number_symbol"] = [_type_mismatch(parsed.type_abbreviation, document_type)]
    if data.urgency not in Urgency.values:
        errors["urgency"] = [_("Độ khẩn không hợp lệ.")]
    if data.classification not in Classification.values:
        errors["classification"] = [_("Độ mật không hợp lệ.")]
    elif data.classification > selectors.clearance_of(by) and isinstance(by, Officer):
        errors["classification"] = [
            _("Mức tiếp cận bí mật của bạn chưa đến độ mật này: văn bản phải do người có thẩm quyền vào sổ.")
        ]
    note = normalize_text(data.note)
    if len(note) > 500:
        errors["note"] = [_("Ghi chú dài quá 500 ký tự.")]
    _check_file(data.file, data.classification, errors)
    if errors or document_type is None:
        raise ValidationFailed(details=errors)
    warning = agency_ids.warning(issuer_agency_id)
    return Checked(
        issuer_name=issuer_name,
        issuer_agency_id=issuer_agency_id,
        number=number,
        notation=notation,
        document_type=document_type,
        received_on=received_on,
        issued_on=issued_on,
        subject=subject,
        urgency=int(data.urgency),
        classification=int(data.classification),
        note=note,
        file=data.file,
        warnings=[warning] if warning else [],
    )


def _type_mismatch(abbreviation: str, document_type: DocumentType) -> str:
    if not abbreviation:
        return _("Ký hiệu không có tên loại (như công văn) nhưng loại văn bản chọn là %(type)s (%(abbr)s).") % {
            "type": document_type.name,
            "abbr": document_type.abbreviation,
        }
    if not document_type.abbreviation:
        return _("Ký hiệu có tên loại %(abbr)s nhưng loại văn bản chọn là công văn (không có tên loại).") % {
            "abbr": abbreviation
        }
    return _("Ký hiệu có tên loại %(abbr)s nhưng loại văn bản chọn là %(type)s (%(type_abbr)s).") % {
        "abbr": abbreviation,
        "type": document_type.name,
        "type_abbr": document_type.abbreviation,
    }


def _fill(document: IncomingDocument, checked: Checked) -> None:
    document.issuer_name = checked.issuer_name
    document.issuer_agency_id = checked.issuer_agency_id
    document.number = checked.number
    document.notation = checked.notation
    document.document_type = checked.document_type
    document.received_on = checked.received_on
    document.issued_on = checked.issued_on
    document.subject = checked.subject
    document.urgency = checked.urgency
    document.classification = checked.classification
    document.secret = checked.classification > Classification.NORMAL
    document.note = checked.note
    document.issuer_folded = fold(checked.issuer_name)[:200]
    document.search_folded = fold(" ".join([checked.subject, checked.issuer_name, document.number_symbol]))
    if checked.classification > Classification.NORMAL and document.file:
        raise ValidationFailed(
            details={"classification": [_("Văn bản đã có tệp đính kèm không thể chuyển thành mật.")]}
        )


def _store_file(document: IncomingDocument, upload: UploadedFile | None) -> None:
    if upload is None:
        return
    document.file_sha256 = upload_sha256(upload)
    document.file_name = (upload.name or "van-ban.pdf")[:255]
    document.file_size = upload.size
    document.file.save(upload.name or "van-ban.pdf", upload, save=False)


def _save_with_file(document: IncomingDocument, upload: UploadedFile | None, then: Any) -> None:
    """Write the file through the storage, then the row and what follows it (``then()``); when any
    of it fails the file is removed again (storage is not transactional)."""
    _store_file(document, upload)
    try:
        document.save()
        then()
    except Exception:
        if upload is not None:
            document.file.delete(save=False)
        raise


def _step(
    document: IncomingDocument, action: str, by: Receiver, note: str = "", at: dt.datetime | None = None
) -> DocumentEvent:
    officer = by if isinstance(by, Officer) else None
    label = officer.full_name if officer else (getattr(getattr(by, "client", None), "name", "") or _("Hệ thống"))
    return DocumentEvent(
        document=document, action=action, note=note[:500], actor_label=label, officer=officer, at=at or timezone.now()
    )


def _event(
    document: IncomingDocument, action: str, by: Receiver, note: str = "", at: dt.datetime | None = None
) -> None:
    _step(document, action, by, note, at).save()
    status_emit(document=document, action=action, by=by, note=note)  # edXML status packet to the sender


def _recipients(
    *, unit: Unit, recipient_unit: Unit | None, recipient_officer: Officer | None
) -> tuple[Unit | None, Officer | None]:
    if recipient_officer is not None:
        if not recipient_officer.is_active or recipient_officer.unit_id is None:
            raise ValidationFailed(details={"recipient_officer": [_("Cán bộ này không còn hoạt động.")]})
        officer_unit = recipient_officer.unit
        if officer_unit is None or not officer_unit.is_within(unit):
            raise ValidationFailed(details={"recipient_officer": [_("Chỉ chuyển cho cán bộ của đơn vị mình.")]})
        if recipient_unit is None:
            recipient_unit = officer_unit
        elif not officer_unit.is_within(recipient_unit):
            raise ValidationFailed(details={"recipient_officer": [_("Cán bộ này không thuộc đơn vị nhận xử lý.")]})
    if recipient_unit is not None and not recipient_unit.is_within(unit):
        raise ValidationFailed(details={"recipient_unit": [_("Chỉ chuyển cho đơn vị mình hoặc đơn vị trực thuộc.")]})
    return recipient_unit, recipient_officer


def _clerk_unit(by: Receiver) -> Unit:
    if not isinstance(by, Officer) or not by.has_perm(selectors.REGISTER):
        raise PermissionDenied(_("Chỉ văn thư của đơn vị được vào sổ văn bản đến."))
    if by.unit is None:
        raise PermissionDenied(_("Tài khoản chưa thuộc đơn vị nào nên không có sổ văn bản đến."))
    return by.unit


@transaction.atomic
def incoming_register(
    *,
    by: Officer,
    data: IncomingInput,
    received_id: int | None = None,
    recipient_unit: Unit | None = None,
    recipient_officer: Officer | None = None,
    confirm_not_duplicate: bool = False,
) -> Outcome:
    """Vào sổ văn bản đến: check the entry, raise the duplicate alarm unless the clerk confirmed it
    is not one, take the arrival number of the unit's register for the arrival year (the secret
    register for a classified entry), store it with its optional PDF (SHA-256), hand it over when a
    recipient is named, and audit, all in one transaction.

    ``received_id`` registers an entry received earlier (through the API) instead of a new one."""
    unit = _clerk_unit(by)
    today = timezone.localdate()
    if received_id is not None:
        document = _received_for_update(by=by, received_id=received_id)
        unit = document.unit
        created = False
    else:
        document = IncomingDocument(unit=unit, channel=IncomingDocument.Channel.PAPER)
        created = True
    checked = _check(data, by=by, today=today)
    if checked.file is not None:
        document.channel = IncomingDocument.Channel.ELECTRONIC if created else document.channel
    recipient_unit, recipient_officer = _recipients(
        unit=unit, recipient_unit=recipient_unit, recipient_officer=recipient_officer
    )
    _fill(document, checked)
    closing.refuse_if_closed(unit_id=unit.pk, secret=document.secret, day=checked.received_on)
    document.year = checked.received_on.year
    # Taking the number locks the register's series row until commit, so two clerks registering
    # in the same register wait for each other and the duplicate check below sees what the other
    # registered; an alarm rolls the number back with everything else.
    document.arrival_number = number_take(
        unit=unit, year=document.year, book=NumberSeries.Book.INCOMING, secret=document.secret
    )
    duplicates = selectors.possible_duplicates(
        unit=unit,
        number=checked.number,
        notation=checked.notation,
        issuer_name=checked.issuer_name,
        issuer_agency_id=checked.issuer_agency_id,
        year=(checked.issued_on or checked.received_on).year,
        exclude_id=document.pk,
    )
    if duplicates and not confirm_not_duplicate:
        raise PossibleDuplicate(duplicates)
    now = timezone.now()
    document.status = IncomingDocument.Status.REGISTERED
    document.registered_at, document.registered_by = now, by
    document.duplicate_confirmed = bool(duplicates)
    if recipient_unit is not None:
        document.recipient_unit, document.recipient_officer, document.handed_at = (
            recipient_unit,
            recipient_officer,
            now,
        )

    def steps() -> None:
        events = [_step(document, "receive", by, at=now)] if created else []
        if duplicates:
            events.append(
                _step(document, "duplicate_confirmed", by, note=", ".join(_describe(d) for d in duplicates), at=now)
            )
        events.append(
            _step(document, "register", by, note=_("Số đến %(number)s") % {"number": document.arrival_display}, at=now)
        )
        if recipient_unit is not None:
            events.append(_step(document, "hand_over", by, note=_recipient_text(document), at=now))
        DocumentEvent.objects.bulk_create(events)  # one statement
        for event in events:  # an entry that came through edXML tells its sender (nothing otherwise)
            status_emit(document=document, action=event.action, by=by, note=event.note)
        audit_record(
            actor=by,
            action="documents.incoming.register",
            target=document,
            details={
                "year": document.year,
                "arrival_number": document.arrival_number,
                "secret": document.secret,
                "created": created,
                "duplicates_confirmed": [d.pk for d in duplicates],
                "sha256": document.file_sha256,
                "recipient_unit": document.recipient_unit_id,
                "recipient_officer": document.recipient_officer_id,
            },
        )
        _receipt(document, "registered")
        fulltext.index_incoming(document.pk)

    _save_with_file(document, checked.file, steps)
    return Outcome(document=document, created=created, warnings=checked.warnings)


def _receipt(document: IncomingDocument, what: str) -> None:
    """Tell the sender inside the platform (an outgoing document's delivery) what became of it."""
    if document.source_outgoing_id is not None:
        from congan.documents.outgoing_services import receipt_note

        receipt_note(document, what)


def _not_withdrawn(document: IncomingDocument) -> None:
    if document.withdrawn_at is not None:
        raise InvalidTransition(_("Nơi gửi đã thu hồi văn bản này."))


def _received_for_update(*, by: Officer, received_id: int) -> IncomingDocument:
    visible = selectors.incoming_visible(viewer=by).values_list("pk", flat=True)
    document = IncomingDocument.objects.select_for_update().filter(pk=received_id, pk__in=visible).first()
    if document is None:
        raise NotFound()
    _not_withdrawn(document)
    if document.status != IncomingDocument.Status.RECEIVED:
        raise InvalidTransition(_("Văn bản này đã vào sổ."))
    return document


def _recipient_text(document: IncomingDocument) -> str:
    parts = [str(document.recipient_unit)] if document.recipient_unit_id else []
    if document.recipient_officer_id:
        parts.append(str(document.recipient_officer))
    return " — ".join(parts)


@transaction.atomic
def incoming_receive(
    *,
    by: Receiver,
    data: IncomingInput,
    unit: Unit,
    client_token: str,
    key_owner: str,
    channel: str = IncomingDocument.Channel.SYSTEM,
) -> Outcome:
    """Tiếp nhận: an entry sent by another system (or uploaded) waits in the unit's list "chờ đăng
    ký" with no number until the clerk registers it. The same idempotency key from the same sender
    answers the entry it made (``created`` False) instead of a second one."""
    token = (client_token or "").strip()[:64]
    if not token:
        raise ValidationFailed(
            details={"client_token": [_("Cần khóa chống gửi trùng (client_token hoặc tiêu đề Idempotency-Key).")]}
        )
    if "\x00" in token:  # a header may carry one; PostgreSQL text cannot
        raise ValidationFailed(details={"client_token": [_("Không được chứa ký tự NUL (\\x00).")]})
    existing = IncomingDocument.objects.filter(key_owner=key_owner, client_token=token).first()
    if existing is not None:
        return Outcome(document=existing, created=False)
    checked = _check(data, by=by, today=timezone.localdate())
    document = IncomingDocument(
        unit=unit,
        channel=channel,
        status=IncomingDocument.Status.RECEIVED,
        client_token=token,
        key_owner=key_owner,
    )
    _fill(document, checked)

    def steps() -> None:
        _event(document, "receive", by)
        audit_record(
            actor=by,
            action="documents.incoming.receive",
            target=document,
            details={"classification": document.classification, "sha256": document.file_sha256, "token": token},
        )
        fulltext.index_incoming(document.pk)

    _save_with_file(document, checked.file, steps)
    return Outcome(document=document, created=True, warnings=checked.warnings)


@transaction.atomic
def incoming_hand_over(
    *, by: Officer, document_id: int, recipient_unit: Unit | None, recipient_officer: Officer | None
) -> IncomingDocument:
    """Chuyển văn bản đã vào sổ cho đơn vị hoặc cán bộ xử lý (the register's columns 7 and 8)."""
    _clerk_unit(by)
    document = _registered_for_update(by=by, document_id=document_id)
    if recipient_unit is None and recipient_officer is None:
        raise ValidationFailed(details={"recipient_unit": [_("Chọn đơn vị hoặc cán bộ nhận xử lý.")]})
    if document.acknowledged_at is not None:
        raise InvalidTransition(_("Văn bản đã được ký nhận, không chuyển lại được."))
    closing.refuse_if_closed(
        unit_id=document.unit_id, secret=document.secret, day=document.received_on, field="recipient_unit"
    )
    document.recipient_unit, document.recipient_officer = _recipients(
        unit=document.unit, recipient_unit=recipient_unit, recipient_officer=recipient_officer
    )
    document.handed_at = timezone.now()
    document.save(update_fields=["recipient_unit", "recipient_officer", "handed_at", "updated_at"])
    _event(document, "hand_over", by, note=_recipient_text(document))
    audit_record(
        actor=by,
        action="documents.incoming.hand_over",
        target=document,
        details={"recipient_unit": document.recipient_unit_id, "recipient_officer": document.recipient_officer_id},
    )
    fulltext.index_incoming(document.pk)  # the officer it is handed to sees it, restricted or not
    return document


def _registered_for_update(*, by: Officer, document_id: int) -> IncomingDocument:
    visible = selectors.incoming_visible(viewer=by).values_list("pk", flat=True)
    document = (
        IncomingDocument.objects.select_for_update(of=("self",))
        .select_related("unit", "recipient_unit", "recipient_officer")
        .filter(pk=document_id, pk__in=visible)
        .first()
    )
    if document is None:
        raise NotFound()
    _not_withdrawn(document)
    if not document.is_registered:
        raise InvalidTransition(_("Văn bản chưa vào sổ."))
    return document


def can_acknowledge(document: IncomingDocument, officer: Any) -> bool:
    """The named officer acknowledges; with no officer named, any officer of the recipient unit."""
    if document.handed_at is None or document.acknowledged_at is not None:
        return False
    if document.recipient_officer_id is not None:
        return bool(document.recipient_officer_id == officer.pk)
    return document.recipient_unit_id is not None and document.recipient_unit_id == getattr(officer, "unit_id", None)


@transaction.atomic
def incoming_acknowledge(*, by: Officer, document_id: int) -> IncomingDocument:
    """Ký nhận: the recipient confirms they have the document (the register's column 9)."""
    document = _registered_for_update(by=by, document_id=document_id)
    if document.acknowledged_at is not None:
        raise InvalidTransition(_("Văn bản đã được ký nhận."))
    if not can_acknowledge(document, by):
        raise PermissionDenied(_("Chỉ người hoặc đơn vị được chuyển văn bản mới ký nhận."))
    document.acknowledged_by, document.acknowledged_at = by, timezone.now()
    document.save(update_fields=["acknowledged_by", "acknowledged_at", "updated_at"])
    _event(document, "acknowledge", by)
    audit_record(actor=by, action="documents.incoming.acknowledge", target=document)
    _receipt(document, "acknowledged")
    return document


_Status = IncomingDocument.Status
# The handling of a registered entry (Decree 30, Art. 24): a leader's directive, handling, done.
# A second directive on a directed entry changes nothing here; done is final.
NEXT_STEPS: dict[str, tuple[str, ...]] = {
    _Status.REGISTERED: (_Status.DIRECTED,),
    _Status.DIRECTED: (_Status.IN_PROGRESS, _Status.DONE),
    _Status.IN_PROGRESS: (_Status.DONE,),
}


@transaction.atomic
def incoming_advance(
    *, by: Officer, document_id: int, to: str, note: str = "", scoped: bool = True
) -> IncomingDocument:
    """Move a registered entry along its handling: registered → directed (a leader's directive) →
    in progress → done (the lead task finished), each step on the timeline and audited. Any other
    move (back, skipping the directive, from an entry not registered, after done) is refused with
    InvalidTransition. The caller (congan.tasks) has checked who may take the step; here the
    viewer's scope is checked too, unless ``scoped`` is off: an officer of a co-operating unit
    elsewhere moves the document through their task without reading it."""
    documents = IncomingDocument.objects.select_for_update(of=("self",)).filter(pk=document_id)
    if scoped:
        documents = documents.filter(pk__in=selectors.incoming_visible(viewer=by).values_list("pk", flat=True))
    document = documents.first()
    if document is None:
        raise NotFound()
    allowed = NEXT_STEPS.get(document.status, ())
    if to not in allowed:
        raise InvalidTransition(
            _("Văn bản đang ở bước “%(now)s”, không chuyển sang “%(to)s” được.")
            % {"now": document.get_status_display(), "to": _status_label(to)}
        )
    before = document.status
    document.status = to
    document.save(update_fields=["status", "updated_at"])
    _event(document, to, by, note=note)
    audit_record(
        actor=by,
        action=f"documents.incoming.{to}",
        target=document,
        details={"from": before, "to": to},
    )
    return document


def _status_label(status: str) -> str:
    return str(dict(IncomingDocument.Status.choices).get(status, status))
