"""Attachments and appendices of an outgoing document in separate files (phụ lục, tài liệu kèm theo ở
tệp riêng; Decree 30/2020 Appendix I, II.8.b and III.1.d; decision 0031).

The drafter adds PDFs to a draft (and takes them off) while it is still a draft. At issue, in the
issue transaction, the records clerk's step signs each file with the unit's signature alone (its
seal key, or the nearest unit above that has one): top right of the first page, no image, the
document's number and symbol and the signing time; the main document keeps its signer's and seal
signatures. A unit with no seal key issues them unsigned, as it issues a document whose signer has
no key. Each recipient unit receives the signed files with its incoming entry, byte for byte.
Classified documents have no attachments (metadata only)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from congan.core.audit import audit_record
from congan.core.errors import NotFound, ValidationFailed
from congan.core.text import meaningful, normalize_text
from congan.core.uploads import upload_sha256
from congan.documents import copy_pdf, outgoing_services, signing_port
from congan.documents.models import IncomingAttachment, IncomingDocument, OutgoingAttachment, OutgoingDocument
from congan.org.models import Officer

MAX_ATTACHMENTS = 20

Attached = list[tuple[OutgoingAttachment, bytes]]


def _check_upload(upload: UploadedFile | None, errors: dict[str, list[str]]) -> None:
    if upload is None:
        errors["attachment_file"] = [_("Chọn tệp PDF của phụ lục, tài liệu kèm theo.")]
        return
    limit = settings.DOCUMENTS_FILE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        errors["attachment_file"] = [_("Tệp lớn hơn %(max)s.") % {"max": filesizeformat(limit)}]
        return
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    try:
        copy_pdf.page_count(content, field="attachment_file")
    except ValidationFailed:
        errors["attachment_file"] = [_("Phụ lục ở tệp riêng phải là tệp PDF đọc được.")]


@transaction.atomic
def attachment_add(*, by: Officer, document_id: int, title: str, file: UploadedFile | None) -> OutgoingAttachment:
    """Thêm phụ lục: a PDF in a separate file, on a draft that is still being written."""
    document = outgoing_services._for_update(by=by, document_id=document_id)
    outgoing_services._editing(document, by)
    if document.is_classified:
        raise ValidationFailed(details={"attachment_file": [outgoing_services._secret_refused()]})
    errors: dict[str, list[str]] = {}
    title = normalize_text(title)
    if not meaningful(title, 2):
        errors["attachment_title"] = [_("Nhập tên phụ lục, tài liệu kèm theo.")]
    elif len(title) > 300:
        errors["attachment_title"] = [_("Tên phụ lục dài quá 300 ký tự.")]
    _check_upload(file, errors)
    if document.attachments.count() >= MAX_ATTACHMENTS:
        errors["attachment_file"] = [_("Một văn bản có tối đa %(n)d phụ lục ở tệp riêng.") % {"n": MAX_ATTACHMENTS}]
    if errors or file is None:
        raise ValidationFailed(details=errors)
    order = (document.attachments.aggregate(last=Max("order"))["last"] or 0) + 1
    attachment = OutgoingAttachment(
        document=document,
        order=order,
        title=title,
        file_name=(file.name or "phu-luc.pdf")[:255],
        file_sha256=upload_sha256(file),
        created_by=by,
    )
    with outgoing_services._files_kept_only_on_success() as written:
        attachment.file.save(file.name or "phu-luc.pdf", file, save=False)
        written.append(attachment.file)
        attachment.save()
        outgoing_services._event(document, "attach", by, note=title)
        document.save(update_fields=["updated_at"])
        audit_record(
            actor=by,
            action="documents.outgoing.attach",
            target=document,
            details={"attachment": attachment.pk, "title": title, "sha256": attachment.file_sha256},
        )
    return attachment


@transaction.atomic
def attachment_remove(*, by: Officer, document_id: int, attachment_id: int) -> None:
    """Bỏ phụ lục: off a draft that is still being written (its file removed once committed)."""
    document = outgoing_services._for_update(by=by, document_id=document_id)
    outgoing_services._editing(document, by)
    attachment = document.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    storage, name = attachment.file.storage, attachment.file.name or ""
    title, sha256 = attachment.title, attachment.file_sha256
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    outgoing_services._event(document, "detach", by, note=title)
    document.save(update_fields=["updated_at"])
    audit_record(
        actor=by,
        action="documents.outgoing.detach",
        target=document,
        details={"attachment": attachment_id, "title": title, "sha256": sha256},
    )


def _read(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def attachments_issue(document: OutgoingDocument, *, by: Officer, written: list) -> Attached:
    """At issue (inside its transaction, after the number is taken): each attachment signed by the
    unit at the top right of its first page with the number and symbol and the signing time, and
    stored as the issued file. The issued bytes, for the recipients."""
    attachments = list(document.attachments.order_by("order", "pk"))
    if not attachments or document.is_classified:
        return []
    sealed = signing_port.unit_has_seal_key(document.unit)
    issued: Attached = []
    for attachment in attachments:
        content = _read(attachment.file)
        if hashlib.sha256(content).hexdigest() != attachment.file_sha256:
            raise ValidationFailed(
                _("Tệp phụ lục “%(title)s” không khớp mã băm đã lưu: không phát hành.") % {"title": attachment.title},
                code="attachment_tampered",
            )
        if sealed:
            content = signing_port.sign_as_unit(
                pdf=content,
                unit=document.unit,
                lines=[document.number_symbol],
                reason=f"Phụ lục, tài liệu kèm theo văn bản {document.number_symbol}: {attachment.title}"[:250],
                by=by,
            )
        attachment.issued_sha256 = hashlib.sha256(content).hexdigest()
        attachment.issued.save(
            f"{document.number_symbol}-phu-luc-{attachment.order}.pdf", ContentFile(content), save=False
        )
        written.append(attachment.issued)
        attachment.save(update_fields=["issued", "issued_sha256"])
        issued.append((attachment, content))
    return issued


def attachments_deliver(incoming: IncomingDocument, attached: Attached, *, written: list) -> None:
    """The recipient unit's entry gets each issued attachment, the same bytes."""
    for attachment, content in attached:
        received = IncomingAttachment(
            document=incoming,
            order=attachment.order,
            title=attachment.title,
            file_sha256=attachment.issued_sha256,
            file_size=len(content),
            source=attachment,
        )
        received.file.save(f"phu-luc-{attachment.order}.pdf", ContentFile(content), save=False)
        written.append(received.file)
        received.save()
