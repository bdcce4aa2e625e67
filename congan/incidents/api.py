"""Reports API: public submission (rate limited, idempotency key kept to its submitter) and
tracking; officer queue, triage and dispatch; patrol teams' status and position. Parsing and
rendering only: the use cases are in services, dispatch and selectors."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BaseModel, ConfigDict

from congan.core.api import Moment, PageNumberPagination, error_responses, officer_auth, require_scope
from congan.core.errors import PermissionDenied
from congan.core.middleware import client_ip
from congan.core.schema_types import Id, Number, ParamId, StrictBool
from congan.incidents import dispatch, selectors, services, submitters
from congan.incidents.models import Report

router = Router(tags=["incidents"])


class ReportIn(BaseModel):
    """A plain pydantic model: ninja's Schema reads its input through a getter made for ORM
    objects and, with ``extra="forbid"``, validates it twice."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(..., max_length=40, description="Mã loại tin báo (GET /report-kinds)")
    description: str = Field(..., max_length=5000)
    commune_code: str = Field("", pattern=r"^([0-9]{5})?$", description="Để trống: xác định theo tọa độ")
    latitude: Number | None = Field(None, ge=8, le=23.5, description="Trong lãnh thổ Việt Nam")
    longitude: Number | None = Field(None, ge=102, le=110)
    address: str = Field("", max_length=300)
    occurred_at: Moment | None = None
    anonymous: StrictBool = False
    reporter_name: str = Field("", max_length=150)
    reporter_phone: str = Field("", max_length=20)
    client_token: str = Field("", max_length=64, description="Khóa chống gửi trùng (hoặc header Idempotency-Key)")


class ReportEventOut(Schema):
    at: dt.datetime
    note: str
    actor_label: str
    status_to: str


class PublicReportOut(Schema):
    tracking_code: str
    kind: str
    kind_name: str
    status: str
    status_label: str
    unit: str
    received_at: dt.datetime
    duplicate_of: str | None = None
    events: list[ReportEventOut]


class KindOut(Schema):
    code: str
    name: str
    parent: str | None = Field(None, alias="parent.code")
    default_priority: str


@router.get("/report-kinds", auth=None, response=list[KindOut])
def report_kinds(request: HttpRequest):
    """Danh mục loại tin báo (mã phân cấp)."""
    return list(selectors.kinds())


def public_report_body(report: Report) -> dict[str, Any]:
    """A report's public view as ``PublicReportOut`` renders it, built directly: the fast lane
    (congan.incidents.fast) sends it as it is, the endpoints below let the schema check it."""
    timeline = getattr(report, "public_timeline", None)  # a report just accepted carries its own
    if timeline is None:
        timeline = selectors.public_timeline(report=report)
    return {
        "tracking_code": report.tracking_code,
        "kind": report.kind.code,
        "kind_name": report.kind.name,
        "status": str(report.status),
        "status_label": str(Report.Status(report.status).label),
        "unit": report.unit.name,
        "received_at": report.received_at,
        "duplicate_of": report.duplicate_of.tracking_code if report.duplicate_of_id else None,
        "events": [
            {"at": event.at, "note": event.note, "actor_label": event.actor_label, "status_to": str(event.status_to)}
            for event in timeline
        ],
    }


def submission(payload: ReportIn, *, idempotency_key: str) -> dict[str, Any]:
    """``services.report_submit``'s arguments from a ``POST /reports`` body: what the endpoint below
    and the fast lane (congan.incidents.fast) both pass, besides the submitter and its address."""
    return {
        "kind_code": payload.kind,
        "description": payload.description,
        "commune_code": payload.commune_code,
        "client_token": payload.client_token or idempotency_key,
        "latitude": payload.latitude,
        "longitude": payload.longitude,
        "address": payload.address,
        "occurred_at": payload.occurred_at,
        "anonymous": payload.anonymous,
        "reporter_name": payload.reporter_name,
        "reporter_phone": payload.reporter_phone,
        "channel": Report.Channel.APP,
    }


@router.post(
    "/reports", auth=None, response={200: PublicReportOut, 201: PublicReportOut, **error_responses(400, 422, 429)}
)
def submit_report(request: HttpRequest, payload: ReportIn, response: HttpResponse):
    """Gửi tin báo (không cần đăng nhập; mặc định 30 tin/10 phút mỗi địa chỉ). Cùng một người gửi lại cùng
    khóa chống gửi trùng nhận lại tin đã có (200); người gửi được nhận biết qua cookie ``congan_reporter``
    (đặt ở câu trả lời đầu tiên, hoặc do ứng dụng tự tạo: 32 byte ngẫu nhiên, base64url), không có
    cookie thì mỗi lần gửi là một tin mới. Lưu mã theo dõi ``tracking_code`` để xem tiến độ."""
    secret, new_secret = submitters.client_secret(request.COOKIES.get(submitters.COOKIE))
    report, created = services.report_submit(
        **submission(payload, idempotency_key=request.headers.get("Idempotency-Key", "")),
        client_secret=secret,
        client_ip=client_ip(request),
    )
    if new_secret:
        submitters.remember(response, secret)
    return Status(201 if created else 200, public_report_body(report))


@router.get("/reports/{tracking_code}", auth=None, response={200: PublicReportOut, **error_responses(404, 429)})
def track_report(request: HttpRequest, tracking_code: str):
    """Tiến độ xử lý tin báo theo mã theo dõi (phần công khai)."""
    return public_report_body(selectors.public_report(tracking_code=tracking_code, client_ip=client_ip(request)))


class ReportQueueFilter(Schema):
    status: str = "open"
    priority: str = Field("", pattern=r"^(|urgent|high|normal)$")
    kind: str = ""


class OfficerReportOut(Schema):
    id: int
    tracking_code: str
    kind: str = Field(..., alias="kind.code")
    priority: str
    status: str
    description: str
    latitude: Decimal | None
    longitude: Decimal | None
    address: str
    commune_code: str
    unit: str = Field(..., alias="unit.name")
    department: str | None = Field(None, alias="department.name")
    received_at: dt.datetime
    anonymous: bool


def _require(request: HttpRequest, permission: str) -> None:
    if not request.auth.has_perm(permission):
        raise PermissionDenied()


@router.get("/incidents/queue", auth=officer_auth, response=list[OfficerReportOut])
@paginate(PageNumberPagination, page_size=50)
def queue(request: HttpRequest, filters: Query[ReportQueueFilter]):
    """Hàng đợi phân loại của đơn vị: khẩn cấp trước, cũ trước."""
    _require(request, "incidents.view_report")
    return selectors.triage_queue(
        viewer=request.auth, status=filters.status, priority=filters.priority, kind=filters.kind
    )


class TriageIn(Schema):
    model_config = ConfigDict(extra="forbid")

    priority: str = Field(..., pattern=r"^(urgent|high|normal)$")
    kind: str = Field("", max_length=40)
    note: str = Field("", max_length=2000)


@router.post(
    "/incidents/reports/{report_id}/triage",
    auth=officer_auth,
    response={200: OfficerReportOut, **error_responses(401, 403, 404, 409, 422)},
)
def triage(request: HttpRequest, report_id: ParamId, payload: TriageIn):
    return services.report_triage(
        by=request.auth, report_id=report_id, priority=payload.priority, kind_code=payload.kind, note=payload.note
    )


# --- dispatch ------------------------------------------------------------------------------------


class CandidateOut(Schema):
    id: int = Field(..., alias="unit.pk")
    call_sign: str = Field(..., alias="unit.call_sign")
    kind: str = Field(..., alias="unit.kind")
    seconds: int | None = Field(..., description="Ước tính thời gian đến; null khi tin báo chưa có tọa độ")
    metres: int | None = Field(..., description="Khoảng cách; null khi tin báo chưa có tọa độ")


@router.get(
    "/incidents/reports/{report_id}/recommendations",
    auth=officer_auth,
    response={200: list[CandidateOut], **error_responses(401, 403, 404)},
)
def recommendations(request: HttpRequest, report_id: ParamId):
    """Tổ phù hợp, sẵn sàng, gần nhất theo thời gian đến ước tính."""
    _require(request, "incidents.dispatch_report")
    report = selectors.report_for_officer(viewer=request.auth, report_id=report_id)
    return dispatch.nearest_units(report=report, viewer=request.auth)


class DispatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    units: list[Id] = Field(..., min_length=1, max_length=20)


class AssignmentOut(Schema):
    id: int
    patrol_unit: str = Field(..., alias="patrol_unit.call_sign")
    dispatched_at: dt.datetime
    estimated_seconds: int | None


@router.post(
    "/incidents/reports/{report_id}/dispatch",
    auth=officer_auth,
    response={201: list[AssignmentOut], **error_responses(401, 403, 404, 409, 422)},
)
def dispatch_units(request: HttpRequest, report_id: ParamId, payload: DispatchIn):
    """Điều động tổ công tác; tổ đang bận: 409."""
    return Status(201, dispatch.dispatch(by=request.auth, report_id=report_id, unit_ids=payload.units))


class StepIn(Schema):
    model_config = ConfigDict(extra="forbid")

    step: str = Field(..., pattern=r"^(acknowledge|en_route|on_scene|clear|out_of_service|available)$")
    at: Moment | None = Field(None, description="Thời điểm trên thiết bị (mặc định: lúc nhận)")


class PositionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    latitude: Number = Field(..., ge=8, le=23.5, description="Trong lãnh thổ Việt Nam")
    longitude: Number = Field(..., ge=102, le=110)


class PatrolUnitOut(Schema):
    id: int
    call_sign: str
    kind: str
    status: str
    latitude: Decimal | None
    longitude: Decimal | None
    position_at: dt.datetime | None


def _unit_actor(request: HttpRequest):
    """An officer (member or dispatcher) or the unit's device key holding ``patrol.device``."""
    require_scope(request, "patrol.device")
    return request.auth


@router.post(
    "/patrol-units/{unit_id}/status", response={200: PatrolUnitOut, **error_responses(401, 403, 404, 409, 422)}
)
def unit_status(request: HttpRequest, unit_id: ParamId, payload: StepIn):
    """Trạng thái tổ: acknowledge → en_route → on_scene → clear; out_of_service / available."""
    return dispatch.unit_step(actor=_unit_actor(request), unit_id=unit_id, step=payload.step, at=payload.at)


@router.post("/patrol-units/{unit_id}/position", response={200: PatrolUnitOut, **error_responses(401, 403, 404, 422)})
def unit_position(request: HttpRequest, unit_id: ParamId, payload: PositionIn):
    """Vị trí tổ (thiết bị gửi định kỳ), ghi với thời điểm máy chủ nhận."""
    return dispatch.unit_position(
        actor=_unit_actor(request), unit_id=unit_id, latitude=payload.latitude, longitude=payload.longitude
    )
