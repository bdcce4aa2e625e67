"""Writes of outgoing documents (văn bản đi, Decree 30/2020, Articles 10–16 and 18): a draft with
versions and review comments, approval and the signer's sign-off, issue (the number taken then, the
PDF rendered in the Appendix I layout and handed to the signature port, the document sent to the
recipient units as incoming entries and to outside addresses through the outbox, all in one
transaction), read receipts from the receivers, recall, and the access lists of ordinary
documents. Each use case is one transaction with its audit event."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.audit import audit_record
from congan.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.notifications import notification_enqueue
from congan.core.text import fold, meaningful, normalize_text
from congan.core.uploads import upload_sha256
from congan.documents import agency_ids, fulltext, outgoing_pdf, outgoing_selectors, selectors, signing_port, symbols
from congan.documents.models import (
    Classification,
    DocumentEvent,
    DocumentType,
    IncomingDocument,
    NumberSeries,
    OutgoingComment,
    OutgoingDelivery,
    OutgoingDocument,
    OutgoingEvent,
    OutgoingVersion,
    Urgency,
)
from congan.documents.numbering import number_take
from congan.org.models import Officer, Unit

Status = OutgoingDocument.Status
PDF_MAGIC = b"%PDF-"
DOCX_MAGIC = b"PK\x03\x04"
DOWNLOAD_SALT = "documents.outgoing.download"
DOWNLOAD_DAYS = 60


def _secret_refused() -> str:
    return _(
        "Văn bản mật chỉ được lưu thông tin (số, ký hiệu, trích yếu…): hệ thống nối mạng không được lưu nội dung "
        "bí mật nhà nước (Luật Bảo vệ bí mật nhà nước 2018). Soạn và lưu bản giấy theo chế độ mật."
    )


@dataclass
class OutsideAddress:
    name: str
    address: str  # an e-mail address or an agency identifier


@dataclass
class OutgoingInput:
    """What the drafter says of a document before it is checked."""

    document_type: DocumentType | None
    subject: str
    urgency: int = Urgency.NORMAL
    classification: int = Classification.NORMAL
    signer: Officer | None = None
    signer_title: str = ""
    place: str = ""
    body: str = ""
    file: UploadedFile | None = None
    recipient_units: list[Unit] = field(default_factory=list)
    outside: list[OutsideAddress] = field(default_factory=list)
    restricted: bool = False
    allowed_officers: list[Officer] = field(default_factory=list)
    allowed_units: list[Unit] = field(default_factory=list)


def _actor_label(by: Officer | None) -> str:
    return by.full_name if by is not None else _("Hệ thống")


def _event(document: OutgoingDocument, action: str, by: Officer | None, note: str = "") -> None:
    OutgoingEvent.objects.create(
        document=document, action=action, note=note[:500], actor_label=_actor_label(by), officer=by
    )


def _drafter_unit(by: Officer) -> Unit:
    if not by.has_perm(outgoing_selectors.DRAFT) or by.unit is None:
        raise PermissionDenied(_("Tài khoản không được soạn văn bản đi."))
    return by.unit


def _check_file(upload: UploadedFile | None, classification: int, errors: dict[str, list[str]]) -> None:
    if upload is None:
        return
    if classification > Classification.NORMAL:
        errors.setdefault("file", []).append(_secret_refused())
        return
    limit = settings.DOCUMENTS_FILE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        errors.setdefault("file", []).append(_("Tệp lớn hơn %(max)s.") % {"max": filesizeformat(limit)})
        return
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    name = (upload.name or "").lower()
    if not (head == PDF_MAGIC or (head.startswith(DOCX_MAGIC) and name.endswith(".docx"))):
        errors.setdefault("file", []).append(_("Chỉ nhận tệp PDF hoặc DOCX."))


def _check_signer(signer: Officer | None, unit: Unit, errors: dict[str, list[str]]) -> None:
    if signer is None:
        return
    signer_unit = signer.unit
    if (
        not signer.is_active
        or signer_unit is None
        or not signer.has_perm(outgoing_selectors.SIGN)
        or not unit.is_within(signer_unit)
    ):
        errors["signer"] = [_("Người ký phải là lãnh đạo của đơn vị ban hành hoặc đơn vị cấp trên.")]


def _check_outside(items: Iterable[OutsideAddress], classification: int, errors: dict[str, list[str]]) -> list:
    cleaned: list[OutsideAddress] = []
    for item in items:
        name, address = normalize_text(item.name), (item.address or "").strip()
        if not name and not address:
            continue
        if not name or len(name) > 200:
            errors.setdefault("outside", []).append(_("Nhập tên nơi nhận bên ngoài (đến 200 ký tự)."))
            continue
        if "@" in address:
            try:
                validate_email(address)
            except Exception:
                errors.setdefault("outside", []).append(_("Địa chỉ thư điện tử không hợp lệ: %(a)s.") % {"a": address})
                continue
        elif not address or len(address) > agency_ids.MAX_LENGTH:
            errors.setdefault("outside", []).append(
                _("Nơi nhận %(name)s cần địa chỉ thư điện tử hoặc mã định danh cơ quan.") % {"name": name}
            )
            continue
        cleaned.append(OutsideAddress(name=name, address=address))
    if cleaned and classification > Classification.NORMAL:
        errors.setdefault("outside", []).append(
            _("Văn bản mật không gửi ra ngoài qua mạng; gửi bản giấy theo chế độ mật.")
        )
    return cleaned


def _check(data: OutgoingInput, *, by: Officer, unit: Unit) -> tuple[DocumentType, str, str, list[OutsideAddress]]:
    errors: dict[str, list[str]] = {}
    subject = normalize_text(data.subject)
    if not meaningful(subject, 5):
        errors["subject"] = [_("Nhập trích yếu nội dung văn bản (ít nhất 5 chữ cái hoặc chữ số).")]
    elif len(subject) > 500:
        errors["subject"] = [_("Trích yếu dài quá 500 ký tự.")]
    if data.document_type is None or not data.document_type.active or data.document_type.kind == DocumentType.Kind.COPY:
        errors["document_type"] = [_("Chọn loại văn bản (Phụ lục III Nghị định 30/2020/NĐ-CP).")]
    if data.urgency not in Urgency.values:
        errors["urgency"] = [_("Độ khẩn không hợp lệ.")]
    if data.classification not in Classification.values:
        errors["classification"] = [_("Độ mật không hợp lệ.")]
    elif data.classification > selectors.clearance_of(by):
        errors["classification"] = [_("Mức tiếp cận bí mật của bạn chưa đến độ mật này.")]
    elif data.classification > Classification.NORMAL and normalize_text(data.body):
        errors["body"] = [_secret_refused()]
    if data.classification > Classification.NORMAL and data.restricted:
        errors["restricted"] = [
            _("Văn bản mật đã giới hạn theo mức tiếp cận bí mật; danh sách người xem chỉ cho văn bản thường.")
        ]
    _check_file(data.file, data.classification, errors)
    _check_signer(data.signer, unit, errors)
    signer_title = normalize_text(data.signer_title.replace("\n", " / ")) if data.signer_title else ""
    if len(signer_title) > 200:
        errors["signer_title"] = [_("Chức vụ người ký dài quá 200 ký tự.")]
    place = normalize_text(data.place)
    if len(place) > 100:
        errors["place"] = [_("Địa danh dài quá 100 ký tự.")]
    for recipient in data.recipient_units:
        if not recipient.active:
            errors.setdefault("recipient_units", []).append(
                _("Đơn vị %(name)s không còn hoạt động.") % {"name": recipient}
            )
    outside = _check_outside(data.outside, data.classification, errors)
    if errors or data.document_type is None:
        raise ValidationFailed(details=errors)
    return data.document_type, subject, signer_title, outside


def _search_text(document: OutgoingDocument) -> str:
    return fold(" ".join([document.subject, document.number_symbol, document.unit.name]))


def _set_recipients(document: OutgoingDocument, units: list[Unit], outside: list[OutsideAddress]) -> None:
    document.deliveries.all().delete()
    seen: set[int] = set()
    for unit in units:
        if unit.pk in seen or unit.pk == document.unit_id:
            continue
        seen.add(unit.pk)
        OutgoingDelivery.objects.create(document=document, unit=unit, name=unit.name)
    for item in outside:
        OutgoingDelivery.objects.create(document=document, name=item.name, address=item.address)


def _set_access(document: Any, *, restricted: bool, officers: list[Officer], units: list[Unit]) -> None:
    document.restricted = bool(restricted and (officers or units))
    document.allowed_officers.set(officers if document.restricted else [])
    document.allowed_units.set(units if document.restricted else [])


@contextmanager
def _files_kept_only_on_success() -> Iterator[list]:
    """Storage is not transactional: the files written inside are removed again when the use case
    fails (its transaction then rolls back)."""
    written: list = []
    try:
        yield written
    except BaseException:
        for stored in written:
            stored.storage.delete(stored.name)
        raise


def _store_version(
    document: OutgoingDocument, *, by: Officer, body: str, upload: UploadedFile | None, written: list, note: str = ""
) -> OutgoingVersion:
    last = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = OutgoingVersion(document=document, number=last + 1, body=body, note=note[:500], created_by=by)
    if upload is not None:
        version.file_sha256 = upload_sha256(upload)
        version.file_name = (upload.name or "du-thao.pdf")[:255]
        version.file.save(upload.name or "du-thao.pdf", upload, save=False)
        written.append(version.file)
    version.save()
    return version


@transaction.atomic
def outgoing_draft(*, by: Officer, data: OutgoingInput) -> OutgoingDocument:
    """Soạn thảo: a new draft of the drafter's unit with its first version, recipients and access list."""
    unit = _drafter_unit(by)
    document_type, subject, signer_title, outside = _check(data, by=by, unit=unit)
    signer = data.signer
    document = OutgoingDocument(
        unit=unit,
        document_type=document_type,
        subject=subject,
        urgency=int(data.urgency),
        classification=int(data.classification),
        secret=data.classification > Classification.NORMAL,
        drafted_by=by,
        signer=signer,
        signer_title=signer_title or (signer.position if signer else ""),
        place=normalize_text(data.place),
    )
    document.search_folded = _search_text(document)
    with _files_kept_only_on_success() as written:
        document.save()
        _set_recipients(document, data.recipient_units, outside)
        _set_access(document, restricted=data.restricted, officers=data.allowed_officers, units=data.allowed_units)
        document.save(update_fields=["restricted"])
        version = _store_version(document, by=by, body=normalize_body(data.body), upload=data.file, written=written)
        _event(document, "draft", by, note=_("Phiên bản %(n)d") % {"n": version.number})
        audit_record(
            actor=by,
            action="documents.outgoing.draft",
            target=document,
            details={
                "classification": document.classification,
                "version": version.number,
                "sha256": version.file_sha256,
            },
        )
        fulltext.index_outgoing(document.pk)
    return document


def normalize_body(text: str) -> str:
    """The body's paragraphs, one per line, spaces tidied."""
    lines = [normalize_text(line) for line in (text or "").replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line)[:50_000]


def _for_update(*, by: Officer, document_id: int) -> OutgoingDocument:
    visible = outgoing_selectors.outgoing_visible(viewer=by).values_list("pk", flat=True)
    document = (
        OutgoingDocument.objects.select_for_update(of=("self",))
        .select_related("unit", "document_type", "signer")
        .filter(pk=document_id, pk__in=visible)
        .first()
    )
    if document is None:
        raise NotFound()
    return document


def _frozen(document: OutgoingDocument) -> None:
    if document.status == Status.RECALLED:
        raise InvalidTransition(_("Văn bản đã bị thu hồi, không thay đổi được."))
    if document.is_frozen:
        raise InvalidTransition(_("Văn bản đã phát hành, không sửa được."))


def _editing(document: OutgoingDocument, by: Officer) -> None:
    _frozen(document)
    if document.status not in (Status.DRAFT, Status.IN_REVIEW):
        raise InvalidTransition(_("Văn bản đã được duyệt: trả lại dự thảo trước khi sửa."))
    if not by.has_perm(outgoing_selectors.DRAFT):
        raise PermissionDenied(_("Tài khoản không được soạn văn bản đi."))


@transaction.atomic
def outgoing_update(*, by: Officer, document_id: int, data: OutgoingInput) -> OutgoingDocument:
    """Sửa thông tin dự thảo (loại, trích yếu, người ký, nơi nhận, người xem); the text goes in a new version."""
    document = _for_update(by=by, document_id=document_id)
    _editing(document, by)
    if data.classification != document.classification and document.versions.exclude(body="", file="").exists():
        raise ValidationFailed(
            details={"classification": [_("Dự thảo đã có nội dung hoặc tệp: không đổi độ mật được, tạo văn bản mới.")]}
        )
    document_type, subject, signer_title, outside = _check(data, by=by, unit=document.unit)
    document.document_type = document_type
    document.subject = subject
    document.urgency = int(data.urgency)
    document.classification = int(data.classification)
    document.secret = document.classification > Classification.NORMAL
    document.signer = data.signer
    document.signer_title = signer_title or (data.signer.position if data.signer else "")
    document.place = normalize_text(data.place)
    document.search_folded = _search_text(document)
    document.save()
    _set_recipients(document, data.recipient_units, outside)
    _set_access(document, restricted=data.restricted, officers=data.allowed_officers, units=data.allowed_units)
    document.save(update_fields=["restricted"])
    audit_record(actor=by, action="documents.outgoing.update", target=document, details={"subject": subject})
    fulltext.index_outgoing(document.pk)
    return document


@transaction.atomic
def outgoing_add_version(
    *, by: Officer, document_id: int, body: str, file: UploadedFile | None = None, note: str = ""
) -> OutgoingVersion:
    """Một phiên bản dự thảo mới (nội dung và/hoặc tệp PDF, DOCX)."""
    document = _for_update(by=by, document_id=document_id)
    _editing(document, by)
    errors: dict[str, list[str]] = {}
    body = normalize_body(body)
    if document.is_classified and body:
        errors["body"] = [_secret_refused()]
    _check_file(file, document.classification, errors)
    if not document.is_classified and not body and file is None:
        errors["body"] = [_("Nhập nội dung hoặc chọn tệp dự thảo.")]
    if errors:
        raise ValidationFailed(details=errors)
    with _files_kept_only_on_success() as written:
        version = _store_version(document, by=by, body=body, upload=file, written=written, note=normalize_text(note))
        _event(document, "version", by, note=_("Phiên bản %(n)d") % {"n": version.number})
        audit_record(
            actor=by,
            action="documents.outgoing.version",
            target=document,
            details={"version": version.number, "sha256": version.file_sha256},
        )
        document.save(update_fields=["updated_at"])
        fulltext.index_outgoing(document.pk)
    return version


@transaction.atomic
def outgoing_comment(*, by: Officer, document_id: int, text: str, version_id: int | None = None) -> OutgoingComment:
    """Góp ý on a version (the latest when none is named) while the draft is open."""
    document = _for_update(by=by, document_id=document_id)
    _frozen(document)
    if document.status not in (Status.DRAFT, Status.IN_REVIEW):
        raise InvalidTransition(_("Chỉ góp ý khi văn bản còn là dự thảo."))
    text = normalize_text(text)
    if not meaningful(text, 2):
        raise ValidationFailed(details={"text": [_("Nhập nội dung góp ý.")]})
    if len(text) > 4000:
        raise ValidationFailed(details={"text": [_("Góp ý dài quá 4000 ký tự.")]})
    versions = document.versions.order_by("-number")
    version = versions.filter(pk=version_id).first() if version_id else versions.first()
    if version is None:
        raise ValidationFailed(details={"version": [_("Không có phiên bản này.")]})
    comment = OutgoingComment.objects.create(version=version, author=by, text=text)
    _event(document, "comment", by, note=_("Phiên bản %(n)d") % {"n": version.number})
    audit_record(actor=by, action="documents.outgoing.comment", target=document, details={"version": version.number})
    return comment


@transaction.atomic
def outgoing_submit(*, by: Officer, document_id: int) -> OutgoingDocument:
    """Trình duyệt: the draft goes to its signer."""
    document = _for_update(by=by, document_id=document_id)
    _editing(document, by)
    if document.status != Status.DRAFT:
        raise InvalidTransition(_("Văn bản đang chờ duyệt."))
    if document.signer is None:
        raise ValidationFailed(details={"signer": [_("Chọn người ký trước khi trình.")]})
    return _move(document, by, Status.IN_REVIEW, "submit", "documents.outgoing.submit")


def _move(document: OutgoingDocument, by: Officer, status: str, step: str, action: str, note: str = "", **fields: Any):
    before = document.status
    document.status = status
    for name, value in fields.items():
        setattr(document, name, value)
    document.save(update_fields=["status", "updated_at", *fields])
    _event(document, step, by, note=note)
    audit_record(actor=by, action=action, target=document, details={"from": before, "to": status, "note": note[:200]})
    fulltext.index_outgoing(document.pk)  # a signed one is seen by the clerks who issue it
    return document


def _leader_of(document: OutgoingDocument, by: Officer, permission: str) -> bool:
    return bool(by.has_perm(permission) and by.unit is not None and document.unit.is_within(by.unit))


@transaction.atomic
def outgoing_return(*, by: Officer, document_id: int, reason: str) -> OutgoingDocument:
    """Trả lại để sửa: the signer (or a leader above the unit) sends the draft back with a reason."""
    document = _for_update(by=by, document_id=document_id)
    _frozen(document)
    if document.status not in (Status.IN_REVIEW, Status.APPROVED):
        raise InvalidTransition(_("Chỉ trả lại văn bản đang chờ duyệt hoặc chờ ký."))
    if not (document.signer_id == by.pk or _leader_of(document, by, outgoing_selectors.SIGN)):
        raise PermissionDenied(_("Chỉ người ký hoặc lãnh đạo đơn vị được trả lại dự thảo."))
    reason = normalize_text(reason)
    if not meaningful(reason, 2):
        raise ValidationFailed(details={"reason": [_("Nêu lý do trả lại.")]})
    return _move(document, by, Status.DRAFT, "return", "documents.outgoing.return", note=reason)


@transaction.atomic
def outgoing_approve(*, by: Officer, document_id: int) -> OutgoingDocument:
    """Duyệt nội dung: the signer, or a leader of the issuing unit or above."""
    document = _for_update(by=by, document_id=document_id)
    _frozen(document)
    if document.status != Status.IN_REVIEW:
        raise InvalidTransition(_("Chỉ duyệt văn bản đang trình duyệt."))
    if not (
        (document.signer_id == by.pk and by.has_perm(outgoing_selectors.SIGN))
        or _leader_of(document, by, outgoing_selectors.SIGN)
    ):
        raise PermissionDenied(_("Chỉ người ký hoặc lãnh đạo đơn vị được duyệt văn bản."))
    return _move(
        document,
        by,
        Status.APPROVED,
        "approve",
        "documents.outgoing.approve",
        approved_by=by,
        approved_at=timezone.now(),
    )


@transaction.atomic
def outgoing_sign(*, by: Officer, document_id: int) -> OutgoingDocument:
    """Ký duyệt: the named signer signs off the approved text; the clerk then numbers and issues it
    (the digital signature itself is applied to the issued PDF, signing_port)."""
    document = _for_update(by=by, document_id=document_id)
    _frozen(document)
    if document.status != Status.APPROVED:
        raise InvalidTransition(_("Chỉ ký văn bản đã được duyệt."))
    if document.signer_id != by.pk or not by.has_perm(outgoing_selectors.SIGN):
        raise PermissionDenied(_("Chỉ người ký được chỉ định mới ký văn bản này."))
    return _move(document, by, Status.SIGNED, "sign", "documents.outgoing.sign", signed_at=timezone.now())


def issuer_groups(unit: Unit) -> tuple[str, ...]:
    """The issuer's groups of the symbol: the unit's abbreviation, after its parent's for a
    department or team (``CAT-PV01``); a unit without one uses its code."""

    def own(item: Unit) -> str:
        return item.symbol or "".join(char for char in item.code.upper() if char.isalnum() and char.isascii())

    parent = unit.parent
    if unit.kind in (Unit.Kind.DEPARTMENT, Unit.Kind.TEAM) and parent is not None and parent.symbol:
        return (parent.symbol, own(unit))
    return (own(unit),)


def _latest_body(document: OutgoingDocument) -> list[str]:
    version = document.versions.exclude(body="").order_by("-number").first()
    return version.body.split("\n") if version else []


def _render(document: OutgoingDocument, recipients: list[OutgoingDelivery]) -> tuple[bytes, outgoing_pdf.SignatureBox]:
    unit = document.unit
    signer = document.signer
    title_lines = [line.strip() for line in document.signer_title.split("/") if line.strip()]
    return outgoing_pdf.render(
        outgoing_pdf.IssuedLayout(
            authority=unit.parent.name if unit.parent_id and unit.parent else "",
            unit=unit.name,
            number_symbol=document.number_symbol,
            place=document.place or _place_of(unit),
            issued_on=document.issued_on or timezone.localdate(),
            type_name=document.document_type.name.split(" (")[0] if document.document_type.abbreviation else "",
            subject=document.subject,
            body=_latest_body(document),
            recipients=[item.name for item in recipients],
            signer_title=title_lines,
            signer_name=signer.full_name if signer else "",
            urgency=document.get_urgency_display() if document.is_urgent else "",
            title=f"{document.number_symbol} {document.subject}",
        )
    )


def _place_of(unit: Unit) -> str:
    """The place name of the date line: the province's name without "Công an"."""
    top = unit
    while top.parent_id and top.kind != Unit.Kind.PROVINCE and top.parent is not None:
        top = top.parent
    name = top.name
    for prefix in ("Công an thành phố ", "Công an tỉnh ", "Công an "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def download_url(delivery: OutgoingDelivery) -> str:
    """The link an outside recipient opens to read the issued PDF (no sign-in), signed."""
    token = signing.dumps({"d": delivery.pk}, salt=DOWNLOAD_SALT, compress=True)
    return settings.PUBLIC_BASE_URL + reverse("documents:outgoing_download", args=[token])


def delivery_by_token(token: str) -> OutgoingDelivery:
    """The delivery a download link names (NotFound when forged, expired, or the document recalled)."""
    try:
        data = signing.loads(token, salt=DOWNLOAD_SALT, max_age=DOWNLOAD_DAYS * 86400)
    except signing.BadSignature as exc:
        raise NotFound() from exc
    delivery = (
        OutgoingDelivery.objects.select_related("document")
        .filter(pk=data.get("d"), document__status=Status.ISSUED, unit__isnull=True)
        .exclude(document__pdf="")
        .first()
    )
    if delivery is None:
        raise NotFound()
    return delivery


@transaction.atomic
def outgoing_issue(*, by: Officer, document_id: int) -> OutgoingDocument:
    """Cấp số, phát hành: the clerk of the issuing unit takes the number of the unit's series of the
    type for the year (a secret series for a classified document), renders the PDF with it, has it
    signed through the port (and each separate-file attachment signed by the unit: attachments.py),
    and sends it: an incoming entry at each recipient unit (channel "from a unit of the platform",
    the same PDF bytes, the signed attachments) and one outbox message per outside address, all in
    this transaction."""
    document = _for_update(by=by, document_id=document_id)
    _frozen(document)
    if not by.has_perm(outgoing_selectors.ISSUE) or by.unit is None or not document.unit.is_within(by.unit):
        raise PermissionDenied(_("Chỉ văn thư của đơn vị ban hành được cấp số, phát hành."))
    if document.status != Status.SIGNED:
        raise InvalidTransition(_("Chỉ phát hành văn bản đã được người có thẩm quyền ký."))
    recipients = list(document.deliveries.select_related("unit").order_by("pk"))
    if not recipients:
        raise ValidationFailed(details={"recipient_units": [_("Văn bản chưa có nơi nhận.")]})
    today = timezone.localdate()
    number = number_take(
        unit=document.unit,
        year=today.year,
        book=NumberSeries.Book.OUTGOING,
        series=document.document_type.code,
        secret=document.is_classified,
    )
    document.number, document.year, document.issued_on = number, today.year, today
    document.notation = symbols.Symbol(
        number=number, type_abbreviation=document.document_type.abbreviation, issuer_groups=issuer_groups(document.unit)
    ).notation
    document.issued_at, document.issued_by, document.status = timezone.now(), by, Status.ISSUED
    document.search_folded = _search_text(document)
    content = b""
    attached: list = []
    with _files_kept_only_on_success() as written:
        if not document.is_classified:
            if document.signer is None:
                raise InvalidTransition(_("Văn bản chưa có người ký."))
            rendered, box = _render(document, recipients)
            content = signing_port.sign_issued_pdf(
                pdf=rendered, signer=document.signer, box=box, number_symbol=document.number_symbol, by=by
            )
            document.pdf_sha256 = hashlib.sha256(content).hexdigest()
            document.signature_box = box.as_dict()
            document.pdf.save(f"{document.number_symbol}.pdf", ContentFile(content), save=False)
            written.append(document.pdf)
            from congan.documents.attachments import attachments_issue

            attached = attachments_issue(document, by=by, written=written)
        document.save()
        fulltext.index_outgoing(document.pk)
        _event(document, "issue", by, note=document.number_symbol)
        for delivery in recipients:
            _deliver(document, delivery, by=by, content=content, written=written, attached=attached)
        _send_through_exchange(document, recipients, by=by, content=content)
        audit_record(
            actor=by,
            action="documents.outgoing.issue",
            target=document,
            details={
                "number_symbol": document.number_symbol,
                "classification": document.classification,
                "sha256": document.pdf_sha256,
                "recipients": [delivery.pk for delivery in recipients],
                "attachments": [attachment.issued_sha256 for attachment, _content in attached],
            },
        )
    return document


def _send_through_exchange(
    document: OutgoingDocument, recipients: list[OutgoingDelivery], *, by: Officer, content: bytes
) -> None:
    """Outside recipients named by an agency identifier get the document as an edXML envelope."""
    from congan.exchange.services import outgoing_document_send

    outgoing_document_send(by=by, document=document, deliveries=recipients, content=content)


def _deliver(
    document: OutgoingDocument,
    delivery: OutgoingDelivery,
    *,
    by: Officer,
    content: bytes,
    written: list,
    attached: list | None = None,
) -> None:
    now = timezone.now()
    if delivery.unit is not None:
        unit = document.unit
        incoming = IncomingDocument(
            unit=delivery.unit,
            status=IncomingDocument.Status.RECEIVED,
            channel=IncomingDocument.Channel.PLATFORM,
            received_on=timezone.localdate(),
            issuer_name=unit.name,
            issuer_agency_id=unit.agency_code,
            number=document.number,
            notation=document.notation,
            issued_on=document.issued_on,
            document_type=document.document_type,
            subject=document.subject,
            urgency=document.urgency,
            classification=document.classification,
            secret=document.is_classified,
            source_outgoing=document,
            issuer_folded=fold(unit.name)[:200],
        )
        incoming.search_folded = fold(" ".join([incoming.subject, incoming.issuer_name, incoming.number_symbol]))
        if content:
            incoming.file_sha256 = document.pdf_sha256
            incoming.file_name = f"{document.number_symbol}.pdf"[:255]
            incoming.file_size = len(content)
            incoming.file.save("van-ban.pdf", ContentFile(content), save=False)
            written.append(incoming.file)
        incoming.save()
        if attached:
            from congan.documents.attachments import attachments_deliver

            attachments_deliver(incoming, attached, written=written)
        fulltext.index_incoming(incoming.pk)
        DocumentEvent.objects.create(
            document=incoming,
            action="receive",
            note=_("Từ %(unit)s, văn bản đi %(symbol)s") % {"unit": unit.name, "symbol": document.number_symbol},
            actor_label=_actor_label(by),
            officer=None,
        )
        delivery.incoming = incoming
        delivery.delivered_at = now
        delivery.save(update_fields=["incoming", "delivered_at"])
        _event(document, "deliver", by, note=delivery.name)
        return
    link = download_url(delivery) if content else ""
    body = _("%(unit)s gửi văn bản %(symbol)s ngày %(day)s: %(subject)s.\nTải văn bản (PDF): %(link)s") % {
        "unit": document.unit.name,
        "symbol": document.number_symbol,
        "day": document.issued_on.strftime("%d/%m/%Y") if document.issued_on else "",
        "subject": document.subject,
        "link": link,
    }
    if "@" in delivery.address:
        notification_enqueue(
            key=f"documents.outgoing.{document.pk}.delivery.{delivery.pk}",
            channel="email",
            recipient=delivery.address,
            subject=f"{document.number_symbol} — {document.subject}"[:200],
            body=body,
            target=document,
        )
    delivery.delivered_at = now
    delivery.save(update_fields=["delivered_at"])
    _event(document, "deliver", by, note=f"{delivery.name} <{delivery.address}>")


def receipt_note(incoming: IncomingDocument, what: str) -> None:
    """Báo nhận: the receiving unit registered (``registered``) or acknowledged (``acknowledged``) an
    entry sent inside the platform; its sender's delivery row and timeline say so. Runs in the
    receiver's transaction."""
    if incoming.source_outgoing_id is None:
        return
    delivery = OutgoingDelivery.objects.filter(incoming=incoming).select_related("document").first()
    if delivery is None:
        return
    now = timezone.now()
    if what == "registered":
        delivery.registered_at, delivery.arrival_number = now, incoming.arrival_number
        delivery.save(update_fields=["registered_at", "arrival_number"])
        note = _("%(unit)s, số đến %(number)s") % {"unit": delivery.name, "number": incoming.arrival_display}
    else:
        delivery.acknowledged_at = now
        delivery.save(update_fields=["acknowledged_at"])
        note = delivery.name
    OutgoingEvent.objects.create(document=delivery.document, action=what, note=note[:500], actor_label=delivery.name)


@transaction.atomic
def outgoing_recall(*, by: Officer, document_id: int, reason: str) -> OutgoingDocument:
    """Thu hồi: the issuing unit's leader recalls an issued document with a reason. It is frozen;
    each recipient unit's entry is withdrawn (gone from its registers and lists, metadata and
    timeline kept); outside addresses are told and their links stop working."""
    document = _for_update(by=by, document_id=document_id)
    if document.status == Status.RECALLED:
        raise InvalidTransition(_("Văn bản đã bị thu hồi."))
    if document.status != Status.ISSUED:
        raise InvalidTransition(_("Chỉ thu hồi văn bản đã phát hành."))
    if not _leader_of(document, by, outgoing_selectors.RECALL):
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị ban hành được thu hồi văn bản."))
    reason = normalize_text(reason)
    if not meaningful(reason, 5):
        raise ValidationFailed(details={"reason": [_("Nêu lý do thu hồi (ít nhất 5 chữ cái hoặc chữ số).")]})
    if len(reason) > 500:
        raise ValidationFailed(details={"reason": [_("Lý do dài quá 500 ký tự.")]})
    now = timezone.now()
    _move(
        document,
        by,
        Status.RECALLED,
        "recall",
        "documents.outgoing.recall",
        note=reason,
        recalled_at=now,
        recalled_by=by,
        recall_reason=reason,
    )
    withdrawn = []
    for delivery in document.deliveries.select_related("incoming").order_by("pk"):
        incoming = delivery.incoming
        if incoming is not None and incoming.withdrawn_at is None:
            IncomingDocument.objects.filter(pk=incoming.pk).update(withdrawn_at=now, updated_at=now)
            DocumentEvent.objects.create(
                document=incoming,
                action="recall",
                note=_("%(unit)s thu hồi: %(reason)s") % {"unit": document.unit.name, "reason": reason},
                actor_label=_actor_label(by),
                officer=None,
            )
            withdrawn.append(incoming.pk)
        elif delivery.unit_id is None and "@" in delivery.address:
            notification_enqueue(
                key=f"documents.outgoing.{document.pk}.recall.{delivery.pk}",
                channel="email",
                recipient=delivery.address,
                subject=_("Thu hồi văn bản %(symbol)s") % {"symbol": document.number_symbol},
                body=_("%(unit)s thu hồi văn bản %(symbol)s: %(reason)s")
                % {"unit": document.unit.name, "symbol": document.number_symbol, "reason": reason},
                target=document,
            )
    fulltext.index_incoming(*withdrawn)  # a withdrawn entry leaves the search with the registers
    from congan.exchange.services import outgoing_document_recall

    outgoing_document_recall(by=by, document=document, reason=reason)
    audit_record(
        actor=by,
        action="documents.outgoing.recall_withdrawn",
        target=document,
        details={"incoming": withdrawn, "reason": reason},
    )
    return document


def _access_targets(officers: list[Officer], units: list[Unit], scope_unit: Unit) -> None:
    errors: dict[str, list[str]] = {}
    for officer in officers:
        if officer.unit is None or not officer.unit.is_within(scope_unit):
            errors.setdefault("allowed_officers", []).append(_("Chỉ chọn cán bộ thuộc đơn vị mình."))
            break
    for unit in units:
        if not unit.is_within(scope_unit):
            errors.setdefault("allowed_units", []).append(_("Chỉ chọn đơn vị mình hoặc đơn vị trực thuộc."))
            break
    if errors:
        raise ValidationFailed(details=errors)


@transaction.atomic
def outgoing_access_set(
    *, by: Officer, document_id: int, restricted: bool, officers: list[Officer], units: list[Unit]
) -> OutgoingDocument:
    """Danh sách người xem of an ordinary outgoing document (its drafter and signer always see it)."""
    document = _for_update(by=by, document_id=document_id)
    if document.status == Status.RECALLED:
        raise InvalidTransition(_("Văn bản đã bị thu hồi, không thay đổi được."))
    if not (
        document.drafted_by_id == by.pk
        or document.signer_id == by.pk
        or _leader_of(document, by, outgoing_selectors.SIGN)
    ):
        raise PermissionDenied(_("Chỉ người soạn, người ký hoặc lãnh đạo đơn vị đặt danh sách người xem."))
    if document.is_classified:
        raise ValidationFailed(details={"restricted": [_("Danh sách người xem chỉ cho văn bản thường.")]})
    _access_targets(officers, units, document.unit)
    _set_access(document, restricted=restricted, officers=officers, units=units)
    document.save(update_fields=["restricted", "updated_at"])
    fulltext.index_outgoing(document.pk)
    _event(document, "access", by)
    audit_record(
        actor=by,
        action="documents.outgoing.access",
        target=document,
        details={
            "restricted": document.restricted,
            "officers": [o.pk for o in officers],
            "units": [u.pk for u in units],
        },
    )
    return document


@transaction.atomic
def incoming_access_set(
    *, by: Officer, document_id: int, restricted: bool, officers: list[Officer], units: list[Unit]
) -> IncomingDocument:
    """Danh sách người xem of an ordinary incoming entry, set by the unit's clerk (who, the officer
    it is handed to, and the listed ones see it)."""
    if not by.has_perm(selectors.REGISTER) or by.unit is None:
        raise PermissionDenied(_("Chỉ văn thư của đơn vị đặt danh sách người xem."))
    visible = selectors.incoming_visible(viewer=by).values_list("pk", flat=True)
    document = (
        IncomingDocument.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(pk=document_id, pk__in=visible)
        .first()
    )
    if document is None:
        raise NotFound()
    if document.is_classified:
        raise ValidationFailed(details={"restricted": [_("Danh sách người xem chỉ cho văn bản thường.")]})
    _access_targets(officers, units, document.unit)
    if restricted and (officers or units) and document.registered_by_id != by.pk and by not in officers:
        officers = [*officers, by]  # whoever restricts an entry keeps seeing it
    _set_access(document, restricted=restricted, officers=officers, units=units)
    document.save(update_fields=["restricted", "updated_at"])
    fulltext.index_incoming(document.pk)
    DocumentEvent.objects.create(document=document, action="access", actor_label=by.full_name, officer=by)
    audit_record(
        actor=by,
        action="documents.incoming.access",
        target=document,
        details={
            "restricted": document.restricted,
            "officers": [o.pk for o in officers],
            "units": [u.pk for u in units],
        },
    )
    return document
