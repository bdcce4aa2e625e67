"""Violations API: the officers' review desk (unit-scoped) and the public plate lookup (a solved
challenge or a partner key of scope ``violations.lookup``; nothing about the owner)."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import APIKeyHeader
from pydantic import ConfigDict
from pydantic.json_schema import JsonDict

from congan.core.api import PageNumberPagination, error_responses, officer_auth, partner_auth, require_scope
from congan.core.errors import PermissionDenied
from congan.core.limits import rate_limit_client
from congan.core.middleware import client_ip
from congan.core.schema_types import Id, JsonInt, ParamId
from congan.traffic import challenge, review, selectors, services
from congan.traffic.models import ViolationEvent
from congan.traffic.plates import MAX_PLATE_TEXT

router = Router(tags=["traffic"])
_OFFICER: dict[str, Any] = {"auth": officer_auth}
_STEP_ERRORS = error_responses(401, 403, 404, 409, 422)


def _viewer(request: HttpRequest):
    if not request.auth.has_perm("traffic.view_violationevent"):
        raise PermissionDenied()
    return request.auth


class ViolationOut(Schema):
    id: int
    status: str
    camera: str = Field(..., alias="camera.code")
    occurred_at: dt.datetime
    plate_read: str
    plate: str
    read_confidence: float | None
    vehicle_kind: str
    violation_type: str = Field(..., alias="violation_type.code")
    violation_title: str = Field(..., alias="violation_type.title")
    measured_speed_kmh: int | None
    speed_limit_kmh: int | None
    evidence_urls: list[str]
    duplicate_of: int | None = Field(None, alias="duplicate_of_id")
    vehicle: int | None = Field(None, alias="vehicle_id")
    owner_identified_at: dt.datetime | None
    identify_due: dt.datetime
    dismissal_reason: str
    notice_number: str | None
    notice_issued_at: dt.datetime | None
    resolving_unit: str | None = Field(None, alias="resolving_unit.code")
    paid_at: dt.datetime | None
    fine_amount: int | None
    outcome: str
    closed_at: dt.datetime | None
    registration_warning_at: dt.datetime | None


class ViolationQueueFilter(Schema):
    queue: Literal["review", "verified", "notice", "paid", "done", "duplicate"] = "review"
    plate: str = Field("", max_length=12)
    camera: str = Field("", max_length=32)
    overdue: bool = False


@router.get("/violations", response={200: list[ViolationOut], **error_responses(401, 403, 422)}, **_OFFICER)
@paginate(PageNumberPagination, page_size=50)
def violations(request: HttpRequest, filters: Query[ViolationQueueFilter]):
    """Hàng đợi xét duyệt vi phạm của đơn vị: review (mới phát hiện), verified, notice (đã gửi thông
    báo, khiếu nại, đã chuyển), paid, done, duplicate; ``overdue`` lọc vi phạm quá 10 ngày chưa xác
    định chủ xe."""
    return selectors.violation_queue(
        viewer=_viewer(request),
        queue=filters.queue,
        plate=filters.plate.upper(),
        camera=filters.camera,
        overdue=filters.overdue,
    )


class CountsOut(Schema):
    review: int
    verified: int
    notice: int
    paid: int
    done: int
    duplicate: int
    overdue: int


@router.get("/violations/counts", response={200: CountsOut, **error_responses(401, 403)}, **_OFFICER)
def counts(request: HttpRequest):
    return selectors.violation_counts(viewer=_viewer(request))


# --- the public lookup (declared before /violations/{id}) ---------------------------------------


class ChallengeOut(Schema):
    challenge: str
    bits: int
    algorithm: str
    expires: int


@router.get(
    "/violations/challenge",
    auth=None,
    response={200: ChallengeOut, **error_responses(429)},
    url_name="lookup_challenge",
)
def lookup_challenge(request: HttpRequest):
    """Thử thách cho tra cứu công khai: tìm ``nonce`` sao cho SHA-256 của ``challenge:nonce`` bắt đầu
    bằng ``bits`` bit 0, rồi gửi ``challenge:nonce`` trong tiêu đề X-Challenge-Proof."""
    rate_limit_client(name="traffic-challenge", client_ip=client_ip(request), limit=60, window_seconds=60)
    return challenge.challenge_issue()


class ChallengeProof(APIKeyHeader):
    """``X-Challenge-Proof: <challenge>:<nonce>`` — a solved, unused challenge."""

    param_name = "X-Challenge-Proof"

    def authenticate(self, request: HttpRequest, key: str | None) -> str | None:
        return "challenge" if challenge.lookup_admit(key or "", client_ip=client_ip(request)) else None


# The plate, the vehicle kind and a reason are checked by the services (plates.parse_plate,
# services.public_lookup, review), for the pages and the API alike: the schemas below state the same
# bounds in the OpenAPI document without checking them a second time with other messages.
PLATE_TEXT: JsonDict = {"minLength": 4, "maxLength": MAX_PLATE_TEXT}
REASON_TEXT: JsonDict = {"maxLength": review.MAX_REASON}


class LookupFilter(Schema):
    model_config = ConfigDict(extra="forbid")

    plate: str = Field(..., json_schema_extra=PLATE_TEXT)
    vehicle_kind: str = Field(..., json_schema_extra={"enum": list(services.LOOKUP_KINDS)})


class PublicViolationOut(Schema):
    plate: str
    plate_colour: str
    vehicle_kind: str
    occurred_at: dt.datetime
    place: str
    violation_code: str
    violation: str
    status: str
    detecting_unit: str
    resolving_unit: str
    resolving_address: str
    resolving_phone: str
    evidence_thumbnail: str | None


class PlateLookupOut(Schema):
    plate: str
    unpaid: int
    violations: list[PublicViolationOut]


@router.get(
    "/violations/lookup",
    auth=[partner_auth, ChallengeProof()],
    response={200: PlateLookupOut, **error_responses(401, 403, 422, 429)},
)
def lookup(request: HttpRequest, filters: Query[LookupFilter]):
    """Tra cứu phương tiện vi phạm qua hình ảnh theo biển số và loại xe (như csgt.vn): trạng thái ĐÃ
    XỬ PHẠT / CHƯA XỬ PHẠT, nơi giải quyết; không có thông tin chủ xe. Cần lời giải thử thách
    (X-Challenge-Proof) hoặc khóa API phạm vi violations.lookup."""
    if getattr(request, "api_key", None) is not None:
        require_scope(request, "violations.lookup")
    return services.public_lookup(plate=filters.plate, vehicle_kind=filters.vehicle_kind)


# --- one violation and its review steps ----------------------------------------------------------


class StepOut(Schema):
    action: str
    status_from: str
    status_to: str
    reason: str
    details: dict
    at: dt.datetime


class ViolationDetailOut(ViolationOut):
    steps: list[StepOut] = Field(..., alias="steps.all")


@router.get("/violations/{event_id}", response={200: ViolationDetailOut, **_STEP_ERRORS}, **_OFFICER)
def violation(request: HttpRequest, event_id: ParamId):
    """Một vi phạm với các bước xét duyệt; mỗi lần xem được ghi nhật ký (dữ liệu chủ xe)."""
    return selectors.violation_read(viewer=_viewer(request), event_id=event_id)


class ViolationVerifyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    plate: str = Field(
        "",
        description="Biển số đúng khi camera đọc sai; để trống nếu đúng.",
        json_schema_extra={"maxLength": MAX_PLATE_TEXT},
    )


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(..., json_schema_extra=REASON_TEXT)


class PaymentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    amount: JsonInt = Field(..., ge=0, le=2_000_000_000)


class ForwardIn(Schema):
    model_config = ConfigDict(extra="forbid")

    unit: Id | None = None


class CloseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: str = Field(..., json_schema_extra={"enum": list(ViolationEvent.Outcome.values)})
    reason: str = Field("", json_schema_extra=REASON_TEXT)


def _after(request: HttpRequest, event: ViolationEvent) -> ViolationEvent:
    """The violation after a step: the step itself is audited, so this is no further read event."""
    return selectors.violation_detail(viewer=request.auth, event_id=event.pk)


@router.post("/violations/{event_id}/verify", response={200: ViolationDetailOut, **_STEP_ERRORS}, **_OFFICER)
def verify(request: HttpRequest, event_id: ParamId, payload: ViolationVerifyIn):
    """Xác minh: sửa biển số nếu camera đọc sai; chủ xe lấy từ đăng ký phương tiện."""
    return _after(request, review.violation_verify(by=_viewer(request), event_id=event_id, plate=payload.plate))


@router.post("/violations/{event_id}/dismiss", response={200: ViolationDetailOut, **_STEP_ERRORS}, **_OFFICER)
def dismiss(request: HttpRequest, event_id: ParamId, payload: ReasonIn):
    return _after(request, review.violation_dismiss(by=_viewer(request), event_id=event_id, reason=payload.reason))


@router.post("/violations/{event_id}/notice", response={200: ViolationDetailOut, **_STEP_ERRORS}, **_OFFICER)
def issue_notice(request: HttpRequest, event_id: ParamId):
    """Gửi thông báo vi phạm (mẫu 03) cho chủ xe qua tin nhắn, thư điện tử và tài khoản công dân."""
    return _after(request, review.violation_issue_notice(by=_viewer(request), event_id=event_id))


@router.post("/violations/{event_id}/payment", response={200: ViolationDetailOut, **_STEP_ERRORS}, **_OFFICER)
def record_payment(request: HttpRequest, event_id: ParamId, payload: PaymentIn):
    return _after(
        request, review.violation_record_payment(by=_viewer(request), event_id=event_id, amount=payload.amount)
    )


@router.post("/violations/{event_id}/contest", response={200: ViolationDetailOut, **_STEP_ERRORS}, **_OFFICER)
def contest(request: HttpRequest, event_id: ParamId, payload: ReasonIn):
    return _after(request, review.violation_contest(by=_viewer(request), event_id=event_id, reason=payload.reason))


@router.post("/violations/{event_id}/forward", response={200: ViolationDetailOut, **_STEP_ERRORS}, **_OFFICER)
def forward(request: HttpRequest, event_id: ParamId, payload: ForwardIn):
    """Chuyển công an xã, phường nơi chủ xe cư trú (tự xác định khi không chỉ định đơn vị)."""
    return _after(request, review.violation_forward(by=_viewer(request), event_id=event_id, unit_id=payload.unit))


@router.post("/violations/{event_id}/close", response={200: ViolationDetailOut, **_STEP_ERRORS}, **_OFFICER)
def close(request: HttpRequest, event_id: ParamId, payload: CloseIn):
    return _after(
        request,
        review.violation_close(by=_viewer(request), event_id=event_id, outcome=payload.outcome, reason=payload.reason),
    )
