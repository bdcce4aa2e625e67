"""Documents API (/api/v1/documents): receive an incoming document from another system (an officer's
session, or a partner key of scope ``documents.receive``; an idempotency key either way), and the
officers' unit-scoped register: list/search and read with the timeline. Parsing and rendering only."""

# No ``from __future__ import annotations``: ninja resolves ``Query[...]`` under ``@paginate``
# only with real annotations (vitalik/django-ninja#1424).
import base64
import binascii
import datetime as dt
from typing import Any, Literal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BaseModel, ConfigDict

from congan.core.api import PageNumberPagination, error_responses, officer_auth, require_scope
from congan.core.errors import NotFound, PermissionDenied, ValidationFailed
from congan.core.schema_types import Day, Id, JsonInt, ParamId
from congan.documents import (
    closing,
    copy_selectors,
    copy_services,
    outgoing_selectors,
    outgoing_services,
    selectors,
    services,
    signing_port,
)
from congan.documents.models import DocumentCopy, IncomingDocument, RegisterClosure
from congan.org.models import Officer, Unit

router = Router(tags=["documents"])
RECEIVE_SCOPE = "documents.receive"


class FileIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    filename: str = Field(..., max_length=255)
    content_base64: str = Field(..., description="Tệp PDF, mã hóa base64 (văn bản mật không được kèm tệp)")


class IncomingIn(BaseModel):
    """A plain pydantic model (see congan.incidents.api.ReportIn)."""

    model_config = ConfigDict(extra="forbid")

    issuer_name: str = Field(..., max_length=200, description="Tác giả: cơ quan, tổ chức ban hành")
    issuer_agency_id: str = Field(
        "", max_length=35, description="Mã định danh cơ quan (QCVN 102:2016 hoặc QĐ 20/2020); lạ thì chỉ cảnh báo"
    )
    number_symbol: str = Field(
        "", max_length=45, description="Số, ký hiệu, ví dụ 15/QĐ-CAT-PV01; công văn 05/CAT-PV01; kiểm tra theo ngữ pháp"
    )
    document_type: str = Field(
        ..., max_length=40, description="Mã loại (cong-van, quyet-dinh…) hoặc chữ viết tắt (QĐ, TB…) phải có"
    )
    issued_on: Day | None = Field(None, description="Ngày tháng văn bản, không sau ngày đến")
    received_on: Day | None = Field(None, description="Ngày đến (mặc định hôm nay), năm nay hoặc năm trước")
    subject: str = Field(..., max_length=500, description="Trích yếu nội dung, ít nhất 5 chữ cái hoặc chữ số")
    urgency: JsonInt = Field(0, ge=0, le=3, description="0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc")
    classification: JsonInt = Field(0, ge=0, le=3, description="0 thường, 1 mật, 2 tối mật, 3 tuyệt mật")
    note: str = Field("", max_length=500)
    to_unit: str = Field(
        "",
        max_length=32,
        description="Đơn vị nhận (mã đơn vị hoặc mã định danh) phải có: bắt buộc với khóa API; cán bộ: đơn vị mình",
    )
    client_token: str = Field("", max_length=64, description="Khóa chống gửi trùng (hoặc header Idempotency-Key)")
    file: FileIn | None = None


class EventOut(Schema):
    at: dt.datetime
    action: str
    action_label: str = Field(..., alias="action_display")
    note: str
    actor_label: str


class IncomingOut(Schema):
    id: int
    status: str
    status_label: str = Field(..., alias="get_status_display")
    channel: str
    unit: str = Field(..., alias="unit.name")
    unit_code: str = Field(..., alias="unit.code")
    received_on: dt.date
    year: int | None
    arrival_number: int | None
    secret: bool
    issuer_name: str
    issuer_agency_id: str
    number: int | None
    notation: str
    number_symbol: str
    issued_on: dt.date | None
    document_type: str = Field(..., alias="document_type.code")
    document_type_name: str = Field(..., alias="document_type.name")
    subject: str
    urgency: int
    urgency_label: str = Field(..., alias="get_urgency_display")
    classification: int
    classification_label: str = Field(..., alias="get_classification_display")
    recipient_unit: str | None = Field(None, alias="recipient_unit.name")
    recipient_officer: str | None = Field(None, alias="recipient_officer.full_name")
    handed_at: dt.datetime | None
    acknowledged_by: str | None = Field(None, alias="acknowledged_by.full_name")
    acknowledged_at: dt.datetime | None
    note: str
    has_file: bool
    file_sha256: str
    file_size: int | None
    registered_at: dt.datetime | None


class ReceivedOut(IncomingOut):
    warnings: list[str]


class IncomingAttachmentOut(Schema):
    order: int
    title: str
    file_sha256: str
    file_size: int


class IncomingDetailOut(IncomingOut):
    events: list[EventOut] = Field(..., alias="timeline")
    attachments: list[IncomingAttachmentOut] = Field(..., alias="attachment_list")


def _out(document: IncomingDocument, **extra: Any) -> IncomingDocument:
    document.has_file = bool(document.file)  # type: ignore[attr-defined]
    for name, value in extra.items():
        setattr(document, name, value)
    return document


def _file(item: FileIn | None) -> SimpleUploadedFile | None:
    if item is None:
        return None
    try:
        content = base64.b64decode(item.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(details={"file": ["base64 không hợp lệ."]}) from None
    return SimpleUploadedFile(item.filename or "van-ban.pdf", content, content_type="application/pdf")


def _caller(request: HttpRequest) -> Any:
    """The authenticated officer or partner key (ninja sets ``request.auth``)."""
    return getattr(request, "auth", None)


def _receiving_unit(request: HttpRequest, to_unit: str) -> tuple[Unit, str]:
    """(the receiving unit, whose idempotency key it is)."""
    caller = _caller(request)
    if isinstance(caller, Officer):
        if not caller.has_perm(selectors.REGISTER) or caller.unit is None:
            raise PermissionDenied()
        return caller.unit, f"officer:{caller.pk}"
    require_scope(request, RECEIVE_SCOPE)
    code = to_unit.strip()
    unit = (
        Unit.objects.filter(active=True).filter(Q(code=code) | Q(agency_code=code)).order_by("pk").first()
        if code
        else None
    )
    if unit is None:
        raise ValidationFailed(details={"to_unit": ["Không có đơn vị nhận với mã này."]})
    return unit, f"client:{caller.client_id}"


@router.post(
    "/documents/incoming",
    response={200: ReceivedOut, 201: ReceivedOut, **error_responses(401, 403, 404, 409, 422, 429)},
)
def receive_incoming_document(request: HttpRequest, payload: IncomingIn):
    """Tiếp nhận văn bản đến từ hệ thống khác: văn bản chờ văn thư vào sổ (chưa có số đến). Gửi lại cùng
    khóa chống gửi trùng trả về văn bản đã nhận (200) thay vì tạo văn bản thứ hai (201). Văn bản mật chỉ
    gửi thông tin, không kèm tệp."""
    unit, key_owner = _receiving_unit(request, payload.to_unit)
    outcome = services.incoming_receive(
        by=_caller(request),
        data=services.IncomingInput(
            issuer_name=payload.issuer_name,
            issuer_agency_id=payload.issuer_agency_id,
            subject=payload.subject,
            document_type=payload.document_type,
            number_symbol=payload.number_symbol,
            received_on=payload.received_on,
            issued_on=payload.issued_on,
            urgency=payload.urgency,
            classification=payload.classification,
            note=payload.note,
            file=_file(payload.file),
        ),
        unit=unit,
        client_token=payload.client_token or request.headers.get("Idempotency-Key", ""),
        key_owner=key_owner,
    )
    return Status(201 if outcome.created else 200, _out(outcome.document, warnings=outcome.warnings))


def _viewer(request: HttpRequest) -> Officer:
    officer = _caller(request)
    if not isinstance(officer, Officer) or not officer.has_perm(selectors.VIEW):
        raise PermissionDenied()
    return officer


class IncomingFilter(Schema):
    book: Literal["ordinary", "secret", "received"] = "ordinary"
    year: int | None = Field(None, ge=2000, le=2100, description="Năm của sổ (bỏ trống: mọi năm)")
    q: str = Field("", max_length=100, description="Tìm trong trích yếu, cơ quan, số ký hiệu (không dấu cũng được)")
    issuer: str = Field("", max_length=100)
    document_type: str = Field("", max_length=40, description="Mã loại hoặc chữ viết tắt")
    urgency: int | None = Field(None, ge=0, le=3)
    date_from: Day | None = Field(None, description="Ngày đến từ")
    date_to: Day | None = Field(None, description="Ngày đến đến")


@router.get(
    "/documents/incoming",
    auth=officer_auth,
    response={200: list[IncomingOut], **error_responses(401, 403, 422)},
)
@paginate(PageNumberPagination, page_size=50)
def list_incoming_documents(request: HttpRequest, filters: Query[IncomingFilter]):
    """Sổ văn bản đến của đơn vị (và đơn vị trực thuộc): văn bản khẩn chưa ký nhận trước, rồi mới nhất.
    ``book=secret`` là sổ văn bản mật (theo mức tiếp cận bí mật); ``book=received`` là văn bản chờ vào sổ."""
    viewer = _viewer(request)
    type_id = None
    if filters.document_type:
        found = services.document_type_find(filters.document_type)
        type_id = found.pk if found else -1
    documents = selectors.incoming_register(
        viewer=viewer,
        filters=selectors.RegisterFilters(
            book=filters.book,
            year=filters.year,
            q=filters.q,
            issuer=filters.issuer,
            document_type=type_id,
            urgency=filters.urgency,
            date_from=filters.date_from,
            date_to=filters.date_to,
        ),
    )
    return _Audited(documents, viewer)


class _Audited:
    """The page of documents ninja's paginator slices, with the classified ones among it audited."""

    def __init__(self, documents: Any, viewer: Officer):
        self.documents, self.viewer = documents, viewer

    def __len__(self) -> int:
        return self.documents.count()

    def count(self) -> int:
        return self.documents.count()

    def __getitem__(self, index: Any) -> list[IncomingDocument]:
        page = [_out(document) for document in self.documents[index]]
        selectors.audit_classified_shown(viewer=self.viewer, documents=page, how="api")
        return page


@router.get(
    "/documents/incoming/{document_id}",
    auth=officer_auth,
    response={200: IncomingDetailOut, **error_responses(401, 403, 404)},
)
def read_incoming_document(request: HttpRequest, document_id: ParamId):
    """Một văn bản đến với quá trình xử lý. Xem văn bản mật được ghi nhật ký."""
    document = selectors.incoming_open(viewer=_viewer(request), document_id=document_id, purpose="api")
    return _out(
        document,
        timeline=list(selectors.timeline(document)),
        attachment_list=list(document.attachments.order_by("order", "pk")),
    )


# --- outgoing documents (văn bản đi) --------------------------------------------------------------


class OutgoingDeliveryOut(Schema):
    name: str
    address: str
    inside: bool
    unit_code: str | None = Field(None, alias="unit.code")
    delivered_at: dt.datetime | None
    registered_at: dt.datetime | None
    arrival_number: int | None
    acknowledged_at: dt.datetime | None


class OutgoingEventOut(Schema):
    at: dt.datetime
    action: str
    action_label: str = Field(..., alias="action_display")
    note: str
    actor_label: str


class OutgoingOut(Schema):
    id: int
    status: str
    status_label: str = Field(..., alias="get_status_display")
    unit: str = Field(..., alias="unit.name")
    unit_code: str = Field(..., alias="unit.code")
    document_type: str = Field(..., alias="document_type.code")
    document_type_name: str = Field(..., alias="document_type.name")
    subject: str
    urgency: int
    urgency_label: str = Field(..., alias="get_urgency_display")
    classification: int
    classification_label: str = Field(..., alias="get_classification_display")
    year: int | None
    number: int | None
    notation: str
    number_symbol: str
    issued_on: dt.date | None
    issued_at: dt.datetime | None
    signer: str | None = Field(None, alias="signer.full_name")
    signer_title: str
    drafted_by: str = Field(..., alias="drafted_by.full_name")
    has_pdf: bool
    pdf_sha256: str
    signed: bool = Field(False, description="Bản phát hành có chữ ký số (trường /Sig)")
    signature_box: dict[str, float] | None = Field(
        None, description="Ô chữ ký: trang (0 là trang đầu) và x1, y1, x2, y2 theo điểm PDF"
    )
    recalled_at: dt.datetime | None
    recall_reason: str


class OutgoingAttachmentOut(Schema):
    order: int
    title: str
    file_sha256: str = Field(..., description="Tệp dự thảo")
    issued_sha256: str = Field(..., description="Tệp phát hành (có chữ ký số của đơn vị khi đơn vị có khóa)")


class OutgoingDetailOut(OutgoingOut):
    deliveries: list[OutgoingDeliveryOut] = Field(..., alias="delivery_list")
    events: list[OutgoingEventOut] = Field(..., alias="timeline")
    attachments: list[OutgoingAttachmentOut] = Field(..., alias="attachment_list")


def _outgoing_out(document: Any, *, signed: bool = False, **extra: Any) -> Any:
    document.has_pdf = bool(document.pdf)
    document.signed = signed
    for name, value in extra.items():
        setattr(document, name, value)
    return document


def _outgoing_detail(document: Any) -> Any:
    content = b""
    if document.pdf:
        with document.pdf.open("rb") as handle:
            content = handle.read()
    deliveries = list(outgoing_selectors.deliveries(document))
    return _outgoing_out(
        document,
        signed=signing_port.pdf_has_signature(content),
        delivery_list=deliveries,
        timeline=list(outgoing_selectors.timeline(document)),
        attachment_list=list(document.attachments.order_by("order", "pk")),
    )


def _outgoing_viewer(request: HttpRequest) -> Officer:
    officer = _caller(request)
    if not isinstance(officer, Officer) or not officer.has_perm(outgoing_selectors.VIEW):
        raise PermissionDenied()
    return officer


class OutgoingFilter(Schema):
    book: Literal["ordinary", "secret"] = "ordinary"
    status: Literal["", "draft", "in_review", "approved", "signed", "issued", "recalled"] = ""
    q: str = Field("", max_length=100, description="Tìm trong trích yếu, số ký hiệu (không dấu cũng được)")
    document_type: str = Field("", max_length=40, description="Mã loại hoặc chữ viết tắt")
    urgency: int | None = Field(None, ge=0, le=3)
    date_from: Day | None = Field(None, description="Ngày văn bản từ")
    date_to: Day | None = Field(None, description="Ngày văn bản đến")


class _AuditedOutgoing(_Audited):
    def __getitem__(self, index: Any) -> list[Any]:
        page = [_outgoing_out(document) for document in self.documents[index]]
        outgoing_selectors.audit_classified_shown(viewer=self.viewer, documents=page, how="api")
        return page


@router.get(
    "/documents/outgoing",
    auth=officer_auth,
    response={200: list[OutgoingOut], **error_responses(401, 403, 422)},
)
@paginate(PageNumberPagination, page_size=50)
def list_outgoing_documents(request: HttpRequest, filters: Query[OutgoingFilter]):
    """Sổ văn bản đi của đơn vị (và đơn vị trực thuộc): dự thảo chưa phát hành trước, rồi văn bản mới
    phát hành. ``book=secret`` là sổ văn bản mật đi (theo mức tiếp cận bí mật)."""
    viewer = _outgoing_viewer(request)
    type_id = None
    if filters.document_type:
        found = services.document_type_find(filters.document_type)
        type_id = found.pk if found else -1
    documents = outgoing_selectors.outgoing_register(
        viewer=viewer,
        filters=outgoing_selectors.OutgoingFilters(
            status=filters.status,
            q=filters.q,
            document_type=type_id,
            urgency=filters.urgency,
            date_from=filters.date_from,
            date_to=filters.date_to,
            secret=filters.book == "secret" and selectors.clearance_of(viewer) >= 1,
        ),
    )
    return _AuditedOutgoing(documents, viewer)


@router.get(
    "/documents/outgoing/{document_id}",
    auth=officer_auth,
    response={200: OutgoingDetailOut, **error_responses(401, 403, 404)},
)
def read_outgoing_document(request: HttpRequest, document_id: ParamId):
    """Một văn bản đi với nơi nhận (đã gửi, đã vào sổ với số đến, đã ký nhận) và quá trình xử lý."""
    document = outgoing_selectors.outgoing_open(
        viewer=_outgoing_viewer(request), document_id=document_id, purpose="api"
    )
    return _outgoing_detail(document)


@router.post(
    "/documents/outgoing/{document_id}/issue",
    auth=officer_auth,
    response={200: OutgoingDetailOut, **error_responses(401, 403, 404, 409, 422)},
)
def issue_outgoing_document(request: HttpRequest, document_id: ParamId):
    """Cấp số, phát hành văn bản đã ký duyệt (văn thư của đơn vị ban hành): số lấy khi phát hành, văn bản
    gửi đến các đơn vị nhận trong hệ thống (thành văn bản đến chờ vào sổ) và nơi nhận bên ngoài (hộp thư đi)."""
    document = outgoing_services.outgoing_issue(by=_outgoing_viewer(request), document_id=document_id)
    return _outgoing_detail(document)


class RecallIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(..., max_length=500, description="Lý do thu hồi, ít nhất 5 chữ cái hoặc chữ số")


@router.post(
    "/documents/outgoing/{document_id}/recall",
    auth=officer_auth,
    response={200: OutgoingDetailOut, **error_responses(401, 403, 404, 409, 422)},
)
def recall_outgoing_document(request: HttpRequest, document_id: ParamId, payload: RecallIn):
    """Thu hồi văn bản đã phát hành (lãnh đạo đơn vị ban hành): văn bản bị khóa, văn bản đến tương ứng ở các
    đơn vị nhận bị rút khỏi sổ và danh sách (giữ thông tin và quá trình xử lý)."""
    document = outgoing_services.outgoing_recall(
        by=_outgoing_viewer(request), document_id=document_id, reason=payload.reason
    )
    return _outgoing_detail(document)


# --- electronic copies (bản sao điện tử) -----------------------------------------------------------


class CopyEntryOut(Schema):
    unit: str = Field(..., alias="unit.name")
    unit_code: str = Field(..., alias="unit.code")
    sent_at: dt.datetime = Field(..., alias="created_at")
    arrival_number: int | None
    registered_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    withdrawn_at: dt.datetime | None


class SignatureSummaryOut(Schema):
    signer_name: str
    valid: bool
    trust: str
    integrity: str
    signing_time: dt.datetime | None


class CopyOut(Schema):
    id: int
    unit: str = Field(..., alias="unit.name")
    unit_code: str = Field(..., alias="unit.code")
    form: str
    form_label: str = Field(..., alias="get_form_display")
    origin: str
    origin_label: str = Field(..., alias="get_origin_display")
    source_outgoing_id: int | None
    source_incoming_id: int | None
    year: int
    number: int
    notation: str
    number_symbol: str
    copied_on: dt.date
    copied_at: dt.datetime
    copied_by: str = Field(..., alias="copied_by.full_name")
    original_number_symbol: str
    original_issuer: str
    original_issued_on: dt.date | None
    document_type: str = Field(..., alias="document_type.code")
    document_type_name: str = Field(..., alias="document_type.name")
    subject: str
    page_from: int | None
    page_to: int | None
    pages: int
    file_sha256: str
    file_size: int
    source_sha256: str
    note: str


class CopyDetailOut(CopyOut):
    signed: bool = Field(..., description="Tệp có chữ ký số (trường /Sig)")
    signatures_valid: bool = Field(..., description="Mọi chữ ký số của tệp hợp lệ (như mục Chữ ký số của trang)")
    signatures: list[SignatureSummaryOut] = Field(..., alias="signature_list")
    sent_to: list[CopyEntryOut] = Field(..., alias="entry_list")


class CopyFileOut(Schema):
    filename: str
    sha256: str
    content_base64: str


class PaperOriginalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: FileIn = Field(..., description="Bản quét văn bản giấy: PDF 1.4 trở lên, ảnh màu, từ 200 dpi")
    issuer_name: str = Field(..., max_length=200, description="Cơ quan ban hành văn bản gốc")
    subject: str = Field(..., max_length=500)
    document_type: str = Field(..., max_length=40, description="Mã loại hoặc chữ viết tắt của văn bản gốc")
    number_symbol: str = Field("", max_length=45, description="Số, ký hiệu văn bản gốc (theo ngữ pháp)")
    issued_on: Day | None = None
    classification: JsonInt = Field(0, ge=0, le=3, description="Độ mật của bản gốc: văn bản mật không được sao")


class CopyIn(BaseModel):
    """Exactly one original: ``outgoing_id``, ``incoming_id`` or ``paper`` (sao y only); an extract's
    pages within the original."""

    model_config = ConfigDict(extra="forbid")

    form: Literal["sao_y", "sao_luc", "trich_sao"]
    outgoing_id: Id | None = Field(None, description="Văn bản đi đã phát hành của đơn vị")
    incoming_id: Id | None = Field(None, description="Văn bản đến đã vào sổ của đơn vị")
    paper: PaperOriginalIn | None = None
    page_from: JsonInt = Field(0, ge=0, le=100_000, description="Trích sao: từ trang (0: không có, sao y, sao lục)")
    page_to: JsonInt = Field(0, ge=0, le=100_000, description="Trích sao: đến trang (0: không có)")
    note: str = Field("", max_length=500)


class CopySendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    units: list[str] = Field(..., min_length=1, max_length=200, description="Mã đơn vị nhận (hoặc mã định danh)")


class CopyFilter(Schema):
    form: Literal["", "sao_y", "sao_luc", "trich_sao"] = ""
    origin: Literal["", "outgoing", "incoming", "paper"] = ""
    q: str = Field("", max_length=100, description="Tìm trong số ký hiệu, trích yếu, cơ quan (không dấu cũng được)")
    date_from: Day | None = Field(None, description="Ngày sao từ")
    date_to: Day | None = Field(None, description="Ngày sao đến")


def _copy_viewer(request: HttpRequest) -> Officer:
    officer = _caller(request)
    if not isinstance(officer, Officer) or not officer.has_perm(copy_selectors.VIEW):
        raise PermissionDenied()
    return officer


def _copy_detail(copy: DocumentCopy) -> DocumentCopy:
    from congan.signatures.selectors import verify_pdf

    with copy.file.open("rb") as handle:
        content = handle.read()
    try:
        report = verify_pdf(content)
        signatures = report.signatures
        valid = report.all_valid
    except ValidationFailed:
        signatures, valid = [], False
    copy.signed = signing_port.pdf_has_signature(content)  # type: ignore[attr-defined]
    copy.signatures_valid = valid  # type: ignore[attr-defined]
    copy.signature_list = signatures  # type: ignore[attr-defined]
    copy.entry_list = list(copy_selectors.received_entries(copy))  # type: ignore[attr-defined]
    return copy


@router.get(
    "/documents/copies",
    auth=officer_auth,
    response={200: list[CopyOut], **error_responses(401, 403, 422)},
)
@paginate(PageNumberPagination, page_size=50)
def list_document_copies(request: HttpRequest, filters: Query[CopyFilter]):
    """Bản sao điện tử của đơn vị (và đơn vị trực thuộc), mới nhất trước."""
    return copy_selectors.copy_list(
        viewer=_copy_viewer(request),
        filters=copy_selectors.CopyFilters(
            form=filters.form, origin=filters.origin, q=filters.q, date_from=filters.date_from, date_to=filters.date_to
        ),
    )


@router.get(
    "/documents/copies/{copy_id}",
    auth=officer_auth,
    response={200: CopyDetailOut, **error_responses(401, 403, 404)},
)
def read_document_copy(request: HttpRequest, copy_id: ParamId):
    """Một bản sao: số, ký hiệu; bản gốc; chữ ký số của tệp (hợp lệ hay không); các đơn vị đã được gửi."""
    return _copy_detail(copy_selectors.copy_open(viewer=_copy_viewer(request), copy_id=copy_id))


@router.get(
    "/documents/copies/{copy_id}/file",
    auth=officer_auth,
    response={200: CopyFileOut, **error_responses(401, 403, 404)},
)
def download_document_copy(request: HttpRequest, copy_id: ParamId):
    """Tệp PDF của bản sao (base64). Mỗi lần tải được ghi nhật ký."""
    copy = copy_selectors.copy_download(viewer=_copy_viewer(request), copy_id=copy_id, how="api")
    with copy.file.open("rb") as handle:
        content = handle.read()
    return {
        "filename": f"{copy.number_symbol.replace('/', '-')}.pdf",
        "sha256": copy.file_sha256,
        "content_base64": base64.b64encode(content).decode("ascii"),
    }


@router.post(
    "/documents/copies",
    auth=officer_auth,
    response={201: CopyDetailOut, **error_responses(401, 403, 404, 409, 422)},
)
def make_document_copy(request: HttpRequest, payload: CopyIn):
    """Sao văn bản (văn thư): sao y, sao lục hoặc trích sao (``page_from``–``page_to``) văn bản đi đã phát hành
    hoặc văn bản đến đã vào sổ của đơn vị; sao y từ bản giấy (``paper``: bản quét). Bản sao được cấp số theo
    dãy số bản sao của đơn vị trong năm và ký số của đơn vị. Văn bản mật bị từ chối (``classified_not_copied``)."""
    by = _copy_viewer(request)
    paper = None
    if payload.paper is not None:
        item = payload.paper
        found = services.document_type_find(item.document_type)
        paper = copy_services.PaperOriginal(
            file=_file(item.file),
            issuer_name=item.issuer_name,
            subject=item.subject,
            document_type=found,
            number_symbol=item.number_symbol,
            issued_on=item.issued_on,
            classification=item.classification,
        )
    copy = copy_services.copy_make(
        by=by,
        request=copy_services.CopyRequest(
            form=payload.form,
            outgoing_id=payload.outgoing_id,
            incoming_id=payload.incoming_id,
            paper=paper,
            page_from=payload.page_from or None,
            page_to=payload.page_to or None,
            note=payload.note,
        ),
    )
    return Status(201, _copy_detail(copy))


@router.post(
    "/documents/copies/{copy_id}/send",
    auth=officer_auth,
    response={200: CopyDetailOut, **error_responses(401, 403, 404, 409, 422)},
)
def send_document_copy(request: HttpRequest, copy_id: ParamId, payload: CopySendIn):
    """Gửi bản sao đến đơn vị trong hệ thống (văn thư của đơn vị sao): mỗi đơn vị nhận một văn bản đến chờ vào
    sổ, nguyên tệp đã ký số. Đơn vị đã được gửi không nhận lần hai."""
    by = _copy_viewer(request)
    codes = [code.strip() for code in payload.units if code.strip()]
    units = list(Unit.objects.filter(active=True).filter(Q(code__in=codes) | Q(agency_code__in=codes)))
    known = {unit.code for unit in units} | {unit.agency_code for unit in units}
    unknown = [code for code in codes if code not in known]
    if unknown or not codes:
        raise ValidationFailed(details={"units": [f"Không có đơn vị với mã: {', '.join(unknown) or '—'}"]})
    copy_services.copy_send(by=by, copy_id=copy_id, units=units)
    return _copy_detail(copy_selectors.copy_open(viewer=by, copy_id=copy_id))


# --- closed register periods (khóa sổ) -----------------------------------------------------------


class ClosureOut(Schema):
    id: int
    unit: str = Field(..., alias="unit.name")
    unit_code: str = Field(..., alias="unit.code")
    book: str
    year: int
    period_from: dt.date
    period_to: dt.date
    entries: int
    first_number: int | None
    last_number: int | None
    closed_by: str = Field(..., alias="closed_by.full_name")
    closed_at: dt.datetime
    file_sha256: str = Field(..., description="Mã băm của tệp đang lưu (bản đã ký khi đã ký)")
    unsigned_sha256: str = Field(..., description="Mã băm bản chưa ký (khi đã ký)")
    signed: bool = Field(..., alias="is_signed")
    signed_by: str | None = Field(None, alias="signed_by.full_name")
    signed_at: dt.datetime | None


class ClosureDetailOut(ClosureOut):
    signatures_valid: bool
    signatures: list[SignatureSummaryOut] = Field(..., alias="signature_list")


def _closure_detail(closure: RegisterClosure) -> RegisterClosure:
    from congan.signatures.selectors import verify_pdf

    with closure.file.open("rb") as handle:
        content = handle.read()
    try:
        report = verify_pdf(content)
        signatures, valid = report.signatures, report.all_valid
    except ValidationFailed:
        signatures, valid = [], False
    closure.signature_list = signatures  # type: ignore[attr-defined]
    closure.signatures_valid = valid  # type: ignore[attr-defined]
    return closure


@router.get(
    "/documents/closures",
    auth=officer_auth,
    response={200: list[ClosureOut], **error_responses(401, 403, 422)},
)
@paginate(PageNumberPagination, page_size=50)
def list_register_closures(request: HttpRequest):
    """Các kỳ khóa sổ văn bản đến của đơn vị (và đơn vị trực thuộc), đã ký hay chưa."""
    return closing.closures(viewer=_viewer(request)).select_related("signed_by").order_by("-period_to", "-pk")


@router.get(
    "/documents/closures/{closure_id}",
    auth=officer_auth,
    response={200: ClosureDetailOut, **error_responses(401, 403, 404)},
)
def read_register_closure(request: HttpRequest, closure_id: ParamId):
    """Một kỳ khóa sổ với chữ ký số của tệp sổ đang lưu."""
    closure = closing.closures(viewer=_viewer(request)).select_related("signed_by").filter(pk=closure_id).first()
    if closure is None:
        raise NotFound()
    return _closure_detail(closure)


@router.post(
    "/documents/closures/{closure_id}/sign",
    auth=officer_auth,
    response={200: ClosureDetailOut, **error_responses(401, 403, 404, 409, 422)},
)
def sign_register_closure(request: HttpRequest, closure_id: ParamId):
    """Ký sổ đã khóa (thủ trưởng, lãnh đạo đơn vị): khóa ký số của người ký ở ô “Thủ trưởng đơn vị”, kèm chữ ký
    số của đơn vị; bản đã ký thay bản lưu, mã băm bản chưa ký được giữ."""
    closure = closing.register_sign(by=_viewer(request), closure_id=closure_id)
    closure = RegisterClosure.objects.select_related("unit", "closed_by", "signed_by").get(pk=closure.pk)
    return _closure_detail(closure)
