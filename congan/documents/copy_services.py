"""Writes of electronic copies (bản sao điện tử, Decree 30/2020 Articles 25–27, Appendix I Part II.I;
decision 0031): the records clerk makes a SAO Y, SAO LỤC or TRÍCH SAO of an outgoing document the
unit issued, of an incoming document in the unit's register, or (sao y) of a paper original from its
scan; and sends a copy to units of the platform, where it arrives as an incoming entry.

Making a copy is one transaction: the number of the unit's copy series for the year is taken
(``numbering.number_take``: no gap, no duplicate), the PDF (the original's bytes, or the pages of
an extract) is signed by the unit alone at the top right of its first page, stored with its
SHA-256, noted on the original's timeline and audited. Any refusal (a classified original, no file,
a recalled one, no seal key, a key that cannot sign) leaves no number taken and no file stored."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.audit import audit_record
from congan.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.text import fold, meaningful, normalize_text
from congan.documents import (
    copy_pdf,
    copy_selectors,
    fulltext,
    outgoing_selectors,
    selectors,
    signing_port,
    symbols,
)
from congan.documents.models import (
    COPY_TYPE_CODES,
    Classification,
    DocumentCopy,
    DocumentEvent,
    DocumentType,
    IncomingDocument,
    NumberSeries,
    OutgoingDocument,
    OutgoingEvent,
)
from congan.documents.numbering import number_take
from congan.documents.outgoing_services import _files_kept_only_on_success, issuer_groups
from congan.org.models import Officer, Unit

Form = DocumentCopy.Form
Origin = DocumentCopy.Origin

# The copy form as the stamp writes it: the document's own words, Vietnamese whatever the reader's
# language (Appendix I Part II: SAO Y / SAO LỤC / TRÍCH SAO).
STAMP_FORMS = {Form.SAO_Y: "SAO Y", Form.SAO_LUC: "SAO LỤC", Form.TRICH_SAO: "TRÍCH SAO"}


def classified_refused() -> str:
    return _(
        "Văn bản mật không được sao điện tử: hệ thống chỉ lưu thông tin của văn bản mật, không có tệp để sao "
        "(Luật Bảo vệ bí mật nhà nước 2018). Sao bản giấy theo chế độ mật."
    )


@dataclass
class PaperOriginal:
    """A paper original the clerk digitised (sao y from paper): its scan and what it says."""

    file: UploadedFile | None
    issuer_name: str
    subject: str
    document_type: DocumentType | None
    number_symbol: str = ""
    issued_on: dt.date | None = None
    classification: int = Classification.NORMAL


@dataclass
class CopyRequest:
    """What the clerk asks for: the form, one original (outgoing, incoming or paper), the pages of
    an extract."""

    form: str
    outgoing_id: int | None = None
    incoming_id: int | None = None
    paper: PaperOriginal | None = None
    page_from: int | None = None
    page_to: int | None = None
    note: str = ""


@dataclass
class _Original:
    origin: str
    content: bytes
    document_type: DocumentType
    number_symbol: str
    issuer: str
    issued_on: dt.date | None
    subject: str
    outgoing: OutgoingDocument | None = None
    incoming: IncomingDocument | None = None


def _copying_unit(by: Officer) -> Unit:
    if not by.has_perm(copy_selectors.MAKE) or by.unit is None:
        raise PermissionDenied(_("Chỉ văn thư của đơn vị được sao văn bản."))
    return by.unit


def _stored(field_file, expected_sha256: str) -> bytes:
    with field_file.open("rb") as handle:
        content = handle.read()
    if expected_sha256 and hashlib.sha256(content).hexdigest() != expected_sha256:
        raise ValidationFailed(
            _("Tệp văn bản gốc không khớp mã băm SHA-256 đã lưu: không sao. Báo quản trị hệ thống."),
            code="source_tampered",
        )
    return content


def _from_outgoing(by: Officer, unit: Unit, document_id: int) -> _Original:
    document = (
        outgoing_selectors.outgoing_visible(viewer=by)
        .select_related("unit", "document_type")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise NotFound()
    if document.is_classified:
        raise ValidationFailed(classified_refused(), code="classified_not_copied")
    if document.unit_id != unit.pk:
        raise PermissionDenied(_("Chỉ sao văn bản do đơn vị mình phát hành hoặc nhận."))
    if document.status == OutgoingDocument.Status.RECALLED:
        raise InvalidTransition(_("Văn bản đã bị thu hồi: không sao được."))
    if document.status != OutgoingDocument.Status.ISSUED:
        raise InvalidTransition(_("Chỉ sao văn bản đã phát hành."))
    if not document.pdf:
        raise ValidationFailed(_("Văn bản không có tệp điện tử để sao."), code="no_file")
    return _Original(
        origin=Origin.OUTGOING,
        content=_stored(document.pdf, document.pdf_sha256),
        document_type=document.document_type,
        number_symbol=document.number_symbol,
        issuer=document.unit.name,
        issued_on=document.issued_on,
        subject=document.subject,
        outgoing=document,
    )


def _from_incoming(by: Officer, unit: Unit, document_id: int) -> _Original:
    document = (
        selectors.incoming_visible(viewer=by).select_related("unit", "document_type").filter(pk=document_id).first()
    )
    if document is None:
        raise NotFound()
    if document.is_classified:
        raise ValidationFailed(classified_refused(), code="classified_not_copied")
    if document.unit_id != unit.pk:
        raise PermissionDenied(_("Chỉ sao văn bản do đơn vị mình phát hành hoặc nhận."))
    if document.withdrawn_at is not None:
        raise InvalidTransition(_("Văn bản đã bị nơi gửi thu hồi: không sao được."))
    if not document.is_registered:
        raise InvalidTransition(_("Vào sổ văn bản đến trước khi sao."))
    if not document.file:
        raise ValidationFailed(
            _("Văn bản đến không có tệp điện tử: dùng “Sao y từ bản giấy” với bản quét của văn bản."), code="no_file"
        )
    return _Original(
        origin=Origin.INCOMING,
        content=_stored(document.file, document.file_sha256),
        document_type=document.document_type,
        number_symbol=document.number_symbol,
        issuer=document.issuer_name,
        issued_on=document.issued_on,
        subject=document.subject,
        incoming=document,
    )


def _from_paper(paper: PaperOriginal, form: str) -> _Original:
    errors: dict[str, list[str]] = {}
    if paper.classification > Classification.NORMAL:
        raise ValidationFailed(
            classified_refused(), details={"classification": [classified_refused()]}, code="classified_not_copied"
        )
    if form != Form.SAO_Y:
        errors["form"] = [_("Bản giấy số hóa thành bản điện tử là bản sao y (Nghị định 30/2020, Điều 25).")]
    issuer = normalize_text(paper.issuer_name)
    if not meaningful(issuer, 2) or len(issuer) > 200:
        errors["issuer_name"] = [_("Nhập cơ quan ban hành văn bản gốc (đến 200 ký tự).")]
    subject = normalize_text(paper.subject)
    if not meaningful(subject, 5):
        errors["subject"] = [_("Nhập trích yếu nội dung (ít nhất 5 chữ cái hoặc chữ số).")]
    elif len(subject) > 500:
        errors["subject"] = [_("Trích yếu dài quá 500 ký tự.")]
    document_type = paper.document_type
    if document_type is None or not document_type.active or document_type.kind == DocumentType.Kind.COPY:
        errors["document_type"] = [_("Chọn loại văn bản gốc (Phụ lục III Nghị định 30/2020/NĐ-CP).")]
    number_symbol = ""
    if normalize_text(paper.number_symbol):
        try:
            number_symbol = str(symbols.parse(paper.number_symbol, abbreviations=selectors.type_abbreviations()))
        except ValidationFailed as exc:
            errors.update(exc.details)
    if paper.issued_on and paper.issued_on > timezone.localdate():
        errors["issued_on"] = [_("Ngày văn bản không thể sau hôm nay.")]
    content = b""
    upload = paper.file
    if upload is None:
        errors["file"] = [_("Chọn tệp PDF bản quét văn bản giấy.")]
    elif upload.size is not None and upload.size > settings.DOCUMENTS_FILE_MAX_BYTES:
        errors["file"] = [_("Tệp lớn hơn %(max)s.") % {"max": filesizeformat(settings.DOCUMENTS_FILE_MAX_BYTES)}]
    else:
        upload.seek(0)
        content = upload.read()
        try:
            problems = copy_pdf.scan_problems(content)
        except ValidationFailed as exc:
            problems = [str(message) for messages in exc.details.values() for message in messages]
        if problems:
            errors["file"] = problems
    if errors or document_type is None:
        raise ValidationFailed(details=errors)
    return _Original(
        origin=Origin.PAPER,
        content=content,
        document_type=document_type,
        number_symbol=number_symbol,
        issuer=issuer,
        issued_on=paper.issued_on,
        subject=subject,
    )


def _original(by: Officer, unit: Unit, request: CopyRequest) -> _Original:
    given = [item for item in (request.outgoing_id, request.incoming_id, request.paper) if item is not None]
    if len(given) != 1:
        raise ValidationFailed(details={"source": [_("Chọn đúng một văn bản để sao.")]})
    if request.outgoing_id is not None:
        return _from_outgoing(by, unit, request.outgoing_id)
    if request.incoming_id is not None:
        return _from_incoming(by, unit, request.incoming_id)
    if request.paper is None:  # pragma: no cover - one of the three is given (checked above)
        raise ValidationFailed(details={"source": [_("Chọn đúng một văn bản để sao.")]})
    return _from_paper(request.paper, request.form)


def _pages(request: CopyRequest, content: bytes) -> tuple[bytes, int, int | None, int | None]:
    """The copy's content, its page count and, for an extract, its range."""
    total = copy_pdf.page_count(content)
    if request.form != Form.TRICH_SAO:
        return content, total, None, None
    errors: dict[str, list[str]] = {}
    first, last = request.page_from, request.page_to
    if first is None or first < 1:
        errors["page_from"] = [_("Nhập trang đầu của phần trích sao (từ 1).")]
    if last is None or last < 1:
        errors["page_to"] = [_("Nhập trang cuối của phần trích sao.")]
    elif first is not None and last < first:
        errors["page_to"] = [_("Trang cuối phải từ trang đầu trở đi.")]
    elif last > total:
        errors["page_to"] = [_("Văn bản chỉ có %(n)d trang.") % {"n": total}]
    if errors or first is None or last is None:
        raise ValidationFailed(details=errors)
    return copy_pdf.extract_pages(content, first, last), last - first + 1, first, last


def _copy_type(form: str) -> DocumentType:
    found = DocumentType.objects.filter(code=COPY_TYPE_CODES[Form(form)]).first()
    if found is None:  # the data migration loads them; a missing one is a broken installation
        raise ValidationFailed(_("Thiếu loại văn bản bản sao trong danh mục (Phụ lục III)."), code="copy_type_missing")
    return found


@transaction.atomic
def copy_make(*, by: Officer, request: CopyRequest) -> DocumentCopy:
    """Sao văn bản: the clerk's unit makes a numbered, signed electronic copy (see the module)."""
    unit = _copying_unit(by)
    if request.form not in Form.values:
        raise ValidationFailed(details={"form": [_("Chọn hình thức sao: sao y, sao lục hoặc trích sao.")]})
    original = _original(by, unit, request)
    content, pages, first, last = _pages(request, original.content)
    if not signing_port.unit_has_seal_key(unit):
        raise ValidationFailed(
            _(
                "Đơn vị chưa có khóa ký số của cơ quan: không tạo được bản sao điện tử (bản sao điện tử chỉ có giá "
                "trị khi có chữ ký số của cơ quan). Đề nghị quản trị hệ thống thêm khóa cho đơn vị."
            ),
            code="no_seal_key",
        )
    note = normalize_text(request.note)
    if len(note) > 500:
        raise ValidationFailed(details={"note": [_("Ghi chú dài quá 500 ký tự.")]})
    copy_type = _copy_type(request.form)
    now = timezone.now()
    today = timezone.localdate(now)
    number = number_take(unit=unit, year=today.year, book=NumberSeries.Book.COPY)
    notation = symbols.Symbol(
        number=number, type_abbreviation=copy_type.abbreviation, issuer_groups=issuer_groups(unit)
    ).notation
    copy = DocumentCopy(
        unit=unit,
        form=request.form,
        origin=original.origin,
        source_outgoing=original.outgoing,
        source_incoming=original.incoming,
        original_number_symbol=original.number_symbol[:45],
        original_issuer=original.issuer[:200],
        original_issued_on=original.issued_on,
        document_type=original.document_type,
        subject=original.subject[:500],
        page_from=first,
        page_to=last,
        pages=pages,
        year=today.year,
        number=number,
        notation=notation,
        copied_on=today,
        copied_at=now,
        copied_by=by,
        note=note,
        source_sha256=hashlib.sha256(original.content).hexdigest(),
    )
    of = original.number_symbol or original.subject[:80]
    source = original.outgoing or original.incoming
    signed = signing_port.sign_as_unit(
        pdf=content,
        unit=unit,
        lines=[STAMP_FORMS[Form(request.form)], unit.name],
        reason=f"{STAMP_FORMS[Form(request.form)].capitalize()} {of} — bản sao số {copy.number_symbol}",
        by=by,
    )
    copy.file_sha256 = hashlib.sha256(signed).hexdigest()
    copy.file_size = len(signed)
    copy.search_folded = fold(
        " ".join([copy.number_symbol, copy.original_number_symbol, copy.original_issuer, copy.subject])
    )
    with _files_kept_only_on_success() as written:
        copy.file.save(f"{copy.number_symbol}.pdf", ContentFile(signed), save=False)
        written.append(copy.file)
        copy.save()
        step = _("%(form)s, bản sao số %(number)s") % {"form": copy.get_form_display(), "number": copy.number_symbol}
        if original.outgoing is not None:
            OutgoingEvent.objects.create(
                document=original.outgoing, action="copy", note=step, actor_label=by.full_name, officer=by
            )
        if original.incoming is not None:
            DocumentEvent.objects.create(
                document=original.incoming, action="copy", note=step, actor_label=by.full_name, officer=by
            )
        audit_record(
            actor=by,
            action="documents.copy.make",
            target=copy,
            unit=unit,
            details={
                "form": copy.form,
                "origin": copy.origin,
                "number_symbol": copy.number_symbol,
                "source": source.pk if source is not None else None,
                "pages": [first, last] if first is not None else pages,
                "source_sha256": copy.source_sha256,
                "sha256": copy.file_sha256,
            },
        )
    return copy


@transaction.atomic
def copy_send(*, by: Officer, copy_id: int, units: list[Unit]) -> list[IncomingDocument]:
    """Gửi bản sao: the copying unit's clerk sends the copy to units of the platform; each receives it
    as an incoming entry waiting to be registered (channel "from a unit of the platform", the same
    signed bytes). A unit it was already sent to is not sent it twice."""
    visible = copy_selectors.copies_visible(viewer=by).values_list("pk", flat=True)
    copy = (
        DocumentCopy.objects.select_for_update(of=("self",))
        .select_related("unit", "source_outgoing", "source_incoming")
        .filter(pk=copy_id, pk__in=visible)
        .first()
    )
    if copy is None:
        raise NotFound()
    if not by.has_perm(copy_selectors.MAKE) or by.unit_id != copy.unit_id:
        raise PermissionDenied(_("Chỉ văn thư của đơn vị sao được gửi bản sao."))
    source = copy.source
    if (isinstance(source, OutgoingDocument) and source.status == OutgoingDocument.Status.RECALLED) or (
        isinstance(source, IncomingDocument) and source.withdrawn_at is not None
    ):
        raise InvalidTransition(_("Văn bản gốc đã bị thu hồi: không gửi bản sao."))
    errors: dict[str, list[str]] = {}
    for unit in units:
        if not unit.active:
            errors.setdefault("units", []).append(_("Đơn vị %(name)s không còn hoạt động.") % {"name": unit})
    sent = set(copy.received_entries.filter(withdrawn_at__isnull=True).values_list("unit_id", flat=True))
    targets: list[Unit] = []
    for unit in units:
        if unit.pk != copy.unit_id and unit.pk not in sent and unit not in targets:
            targets.append(unit)
    if not errors and not targets:
        errors["units"] = [_("Chọn đơn vị nhận (khác đơn vị mình, chưa được gửi bản sao này).")]
    if errors:
        raise ValidationFailed(details=errors)
    with copy.file.open("rb") as handle:
        content = handle.read()
    copy_type = _copy_type(copy.form)
    created: list[IncomingDocument] = []
    with _files_kept_only_on_success() as written:
        for unit in targets:
            incoming = IncomingDocument(
                unit=unit,
                status=IncomingDocument.Status.RECEIVED,
                channel=IncomingDocument.Channel.PLATFORM,
                received_on=timezone.localdate(),
                issuer_name=copy.unit.name,
                issuer_agency_id=copy.unit.agency_code,
                number=copy.number,
                notation=copy.notation,
                issued_on=copy.copied_on,
                document_type=copy_type,
                subject=copy.subject,
                note=(
                    _("Bản %(form)s văn bản %(original)s của %(issuer)s")
                    % {
                        "form": copy.get_form_display().lower(),
                        "original": copy.original_number_symbol or "",
                        "issuer": copy.original_issuer,
                    }
                )[:500],
                source_copy=copy,
                issuer_folded=fold(copy.unit.name)[:200],
                file_sha256=copy.file_sha256,
                file_name=f"{copy.number_symbol}.pdf"[:255],
                file_size=len(content),
            )
            incoming.search_folded = fold(" ".join([incoming.subject, incoming.issuer_name, incoming.number_symbol]))
            incoming.file.save("ban-sao.pdf", ContentFile(content), save=False)
            written.append(incoming.file)
            incoming.save()
            fulltext.index_incoming(incoming.pk)
            DocumentEvent.objects.create(
                document=incoming,
                action="receive",
                note=_("Từ %(unit)s, bản sao %(symbol)s") % {"unit": copy.unit.name, "symbol": copy.number_symbol},
                actor_label=by.full_name,
                officer=None,
            )
            created.append(incoming)
        copy.save(update_fields=["updated_at"])
        audit_record(
            actor=by,
            action="documents.copy.send",
            target=copy,
            unit=copy.unit,
            details={"units": [unit.pk for unit in targets], "incoming": [entry.pk for entry in created]},
        )
    return created
