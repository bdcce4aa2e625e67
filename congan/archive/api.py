"""Archive API: hand in a scanned file (``POST /api/v1/archive/items``, multipart, with an
Idempotency-Key), follow its reading (``GET /api/v1/archive/items/{id}``), read its pages and
correct one (``PUT …/pages/{number}``), list and read dossiers. Officers' sessions only (the
scanning stations use the import folder); parsing and rendering only."""

# No ``from __future__ import annotations``: ninja resolves ``Query[...]`` under ``@paginate``
# only with real annotations.
import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import BaseModel, ConfigDict

from congan.archive import selectors, services
from congan.archive.models import ArchiveItem, ItemSource
from congan.core.api import PageNumberPagination, error_responses, officer_auth
from congan.core.audit import audit_record
from congan.core.errors import PermissionDenied, ValidationFailed
from congan.core.schema_types import ParamId
from congan.org.models import Officer

router = Router(tags=["archive"])


class ArchiveItemOut(Schema):
    id: int
    title: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    error: str
    page_count: int
    pages_done: int
    progress_percent: int
    original_name: str
    original_sha256: str
    original_size: int
    mean_confidence: float | None
    dossier_id: int | None
    position: int | None
    number_symbol: str
    document_date: dt.date | None
    issuer: str
    unit: str = Field(..., alias="unit.name")
    created_at: dt.datetime
    processed_at: dt.datetime | None


class ArchivePageOut(Schema):
    number: int
    text: str
    confidence: float
    word_count: int
    language: str
    needs_review: bool
    corrected: bool


class ArchivePageTextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(..., max_length=100_000, description="Nội dung đúng của trang")
    note: str = Field("", max_length=300, description="Ghi chú sửa")


class ArchiveDossierOut(Schema):
    id: int
    file_code: str
    year: int
    notation: str
    title: str
    period_start: dt.date | None
    period_end: dt.date | None
    retention: str = Field(..., alias="retention.record_type")
    retention_years: int | None = Field(None, alias="retention.years")
    physical_location: str
    unit: str = Field(..., alias="unit.name")


class ArchiveDossierItemOut(Schema):
    id: int
    position: int | None
    title: str
    status: str
    page_count: int
    number_symbol: str


class ArchiveDossierDetailOut(ArchiveDossierOut):
    items: list[ArchiveDossierItemOut]

    @staticmethod
    def resolve_items(dossier):
        return list(dossier.items.all())


class ArchiveDossierFilter(Schema):
    q: str = Field("", max_length=100, description="Tìm theo tiêu đề (không cần dấu) hoặc mã hồ sơ")
    year: int | None = Field(None, ge=1900, le=2100)


def _officer(request: HttpRequest, permission: str = selectors.VIEW) -> Officer:
    officer = getattr(request, "auth", None)
    if not isinstance(officer, Officer) or not officer.has_perm(permission):
        raise PermissionDenied()
    return officer


@router.post(
    "/archive/items",
    auth=officer_auth,
    response={200: ArchiveItemOut, 201: ArchiveItemOut, **error_responses(400, 401, 403, 409, 422, 429)},
)
def create_archive_item(request: HttpRequest, file: File[UploadedFile], title: Form[str] = ""):
    """Gửi một tệp scan (PDF, JPEG, PNG, TIFF): tệp gốc giữ nguyên kèm SHA-256, việc nhận dạng chữ
    chạy nền (theo dõi bằng ``GET /archive/items/{id}``). Gửi lại cùng Idempotency-Key trả về tài
    liệu lần đầu (200). Tệp quá lớn hoặc không phải PDF/ảnh bị từ chối ngay (422); tệp hỏng, có mật
    khẩu, ảnh quá lớn thành lỗi của tài liệu (``status`` = failed, ``error``)."""
    officer = _officer(request, selectors.UPLOAD)
    if officer.unit is None:
        raise PermissionDenied()
    token = request.headers.get("Idempotency-Key", "")
    if "\x00" in token or "\x00" in title:
        raise ValidationFailed(details={"title": [_("Không được chứa ký tự NUL (\\x00).")]})
    intake = services.item_create(
        by=officer,
        unit=officer.unit,
        name=file.name or "scan",
        content=file,
        source=ItemSource.API,
        title=title[:300],
        client_token=token[:64],
    )
    return Status(201 if intake.created else 200, intake.item)


@router.get(
    "/archive/items/{item_id}", auth=officer_auth, response={200: ArchiveItemOut, **error_responses(401, 403, 404)}
)
def read_archive_item(request: HttpRequest, item_id: ParamId):
    """Một tài liệu số hóa: trạng thái, tiến độ (số trang đã nhận dạng), lỗi nếu có."""
    officer = _officer(request)
    item = selectors.item_status(viewer=officer, item_id=item_id)
    audit_record(actor=officer, action="archive.item.status", target=item, unit=item.unit, details={"via": "api"})
    return ArchiveItem.objects.select_related("unit").get(pk=item.pk)


@router.get(
    "/archive/items/{item_id}/pages",
    auth=officer_auth,
    response={200: list[ArchivePageOut], **error_responses(401, 403, 404)},
)
def list_archive_pages(request: HttpRequest, item_id: ParamId):
    """Nội dung từng trang: chữ nhận dạng (hoặc đã sửa), độ tin cậy trung bình, ngôn ngữ, cần soát lại."""
    officer = _officer(request)
    item = selectors.item_status(viewer=officer, item_id=item_id)
    audit_record(actor=officer, action="archive.item.view", target=item, unit=item.unit, details={"via": "api"})
    return list(item.pages.order_by("number"))


@router.put(
    "/archive/items/{item_id}/pages/{number}",
    auth=officer_auth,
    response={200: ArchivePageOut, **error_responses(400, 401, 403, 404, 409, 422)},
)
def correct_archive_page(request: HttpRequest, item_id: ParamId, number: ParamId, payload: ArchivePageTextIn):
    """Sửa nội dung một trang; nội dung cũ được giữ thành phiên bản (người sửa, thời điểm)."""
    officer = _officer(request, selectors.CORRECT)
    page = selectors.page_open(viewer=officer, item_id=item_id, number=number)
    if "\x00" in payload.text or "\x00" in payload.note:
        raise ValidationFailed(details={"text": [_("Không được chứa ký tự NUL (\\x00).")]})
    return services.page_correct(by=officer, page=page, text=payload.text, note=payload.note)


@router.get(
    "/archive/dossiers", auth=officer_auth, response={200: list[ArchiveDossierOut], **error_responses(401, 403, 422)}
)
@paginate(PageNumberPagination, page_size=50)
def list_archive_dossiers(request: HttpRequest, filters: Query[ArchiveDossierFilter]):
    """Hồ sơ lưu trữ trong phạm vi đơn vị của cán bộ, năm mới trước."""
    officer = _officer(request, selectors.VIEW_DOSSIERS)
    if "\x00" in filters.q:
        raise ValidationFailed(details={"q": [_("Không được chứa ký tự NUL (\\x00).")]})
    audit_record(
        actor=officer,
        action="archive.dossier.list",
        target_type="archive.dossier",
        details={"q": filters.q, "year": filters.year, "via": "api"},
    )
    return selectors.dossier_list(viewer=officer, q=filters.q, year=filters.year)


@router.get(
    "/archive/dossiers/{dossier_id}",
    auth=officer_auth,
    response={200: ArchiveDossierDetailOut, **error_responses(401, 403, 404)},
)
def read_archive_dossier(request: HttpRequest, dossier_id: ParamId):
    """Một hồ sơ: mã hồ sơ, thời hạn bảo quản, nơi lưu bản giấy, các tài liệu theo thứ tự."""
    officer = _officer(request, selectors.VIEW_DOSSIERS)
    dossier = selectors.dossier_open(viewer=officer, dossier_id=dossier_id)
    audit_record(
        actor=officer, action="archive.dossier.view", target=dossier, unit=dossier.unit, details={"via": "api"}
    )
    return dossier
