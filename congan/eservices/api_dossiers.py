"""Dossier API: citizens submit and follow (bearer token from /citizen/token), anyone tracks with
code + last four ID digits, officers work their inbox, statistics for the public and officers."""

# No ``from __future__ import annotations``: ninja resolves ``Query[...]`` under ``@paginate``
# only with real annotations (vitalik/django-ninja#1424).
import base64
import binascii
import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from congan.core.api import PageNumberPagination, error_responses, officer_auth
from congan.core.errors import PermissionDenied, ValidationFailed
from congan.core.middleware import client_ip
from congan.core.openapi import NON_BLANK, documented
from congan.core.schema_types import JsonInt, ParamId
from congan.eservices import selectors, services, workflow
from congan.eservices.dashboard import dashboard
from congan.eservices.models import Dossier
from congan.population.api_citizen import citizen_token

router = Router(tags=["eservices-dossiers"])


class DossierEventOut(Schema):
    at: dt.datetime
    action: str
    action_label: str
    status_to: str
    actor_label: str


class DossierOut(Schema):
    code: str
    procedure: str = Field(..., alias="procedure.code")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    unit: str = Field(..., alias="unit.name")
    submitted_at: dt.datetime
    received_on: dt.date | None
    due_on: dt.date | None
    paused_since: dt.date | None
    extension_days: int
    decided_at: dt.datetime | None
    decision_note: str
    result_number: str
    form_version: int = Field(..., alias="form.version")
    data: dict[str, Any]
    prefilled: list[str]


class DossierDetailOut(DossierOut):
    events: list[DossierEventOut] = Field(..., alias="timeline")


def _detail(dossier: Dossier, *, public: bool = False) -> Dossier:
    events = dossier.events.order_by("at", "pk")
    if public:  # the public view never shows the form's content nor the citizen's own words
        events = selectors.public_events(dossier=dossier)
        dossier.data, dossier.prefilled = {}, []
    dossier.timeline = list(events)
    return dossier


class AttachmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(..., max_length=300)
    filename: str = Field(..., max_length=255)
    content_base64: str = Field(..., description="The file, base64-encoded (PDF, JPEG or PNG)")


class SubmitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    procedure: str = Field(..., max_length=40, description="Mã thủ tục, ví dụ CA.CT.02")
    data: dict[str, Any] = Field(
        default_factory=dict, description="Các trường của tờ khai (xem /procedures/{code}/form)"
    )
    client_token: str = Field("", max_length=64, description="Khóa chống nộp trùng (hoặc header Idempotency-Key)")
    applicant_personal_id: str = Field("", max_length=12, description="Nộp thay cho con, người phụ thuộc cùng hộ")
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=20)


def _files(items: list[AttachmentIn]) -> list[tuple[str, SimpleUploadedFile]]:
    files = []
    for position, item in enumerate(items):
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationFailed(details={f"attachments.{position}": ["base64 không hợp lệ."]}) from None
        files.append((item.label, SimpleUploadedFile(item.filename, content)))
    return files


@router.post(
    "/dossiers",
    auth=citizen_token,
    response={200: DossierOut, 201: DossierOut, **error_responses(401, 403, 404, 409, 422)},
)
def submit_dossier(request: HttpRequest, payload: SubmitIn):
    """Nộp hồ sơ. Trường có nguồn ``x-prefill`` lấy từ CSDL dân cư; gửi lại cùng khóa chống nộp trùng
    trả về hồ sơ đã có (200) thay vì tạo hồ sơ thứ hai (201)."""
    token = payload.client_token or request.headers.get("Idempotency-Key", "")
    if not token.strip():
        raise ValidationFailed(
            details={"client_token": ["Cần khóa chống nộp trùng (client_token hoặc Idempotency-Key)."]}
        )
    submission = services.dossier_submit_or_replay(
        account=request.auth,
        applicant_personal_id=payload.applicant_personal_id,
        procedure_code=payload.procedure,
        data=payload.data,
        client_token=token,
        attachments=_files(payload.attachments),
    )
    return Status(201 if submission.created else 200, submission.dossier)


@router.get("/dossiers", auth=citizen_token, response=list[DossierOut])
@paginate(PageNumberPagination, page_size=20)
def my_dossiers(request: HttpRequest):
    """Hồ sơ của tôi (và hồ sơ tôi nộp thay), mới nhất trước."""
    return selectors.citizen_dossiers(applicant=request.auth.resident).select_related("form")


@router.get("/dossiers/{code}", auth=citizen_token, response={200: DossierDetailOut, **error_responses(401, 404)})
def my_dossier(request: HttpRequest, code: str):
    return _detail(selectors.citizen_dossier(resident=request.auth.resident, code=code))


class RatingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    score: JsonInt = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=2000)


class RatingOut(Schema):
    score: int
    comment: str
    created_at: dt.datetime


@router.post(
    "/dossiers/{code}/rating", auth=citizen_token, response={201: RatingOut, **error_responses(401, 404, 409, 422)}
)
def rate_dossier(request: HttpRequest, code: str, payload: RatingIn):
    """Đánh giá mức độ hài lòng (một lần, sau khi có kết quả)."""
    resident = request.auth.resident
    dossier = selectors.citizen_dossier(resident=resident, code=code)
    return Status(
        201, services.dossier_rate(resident=resident, dossier=dossier, score=payload.score, comment=payload.comment)
    )


class TrackIn(Schema):
    code: str = Field(..., max_length=40)
    id_last4: str = Field(..., pattern=r"^[0-9]{4}$")


@router.get("/dossier-status", auth=None, response={200: DossierDetailOut, **error_responses(404, 422, 429)})
def track(request: HttpRequest, query: Query[TrackIn]):
    """Tra cứu công khai bằng mã hồ sơ và 4 số cuối số định danh; giới hạn 20 lần/10 phút mỗi địa chỉ."""
    dossier = selectors.public_status(code=query.code, id_last4=query.id_last4, client_ip=client_ip(request))
    return _detail(dossier, public=True)


class ResultVerifyOut(Schema):
    result_number: str
    result_type: str = Field(..., alias="procedure.result_type")
    procedure: str = Field(..., alias="procedure.name")
    issued_to: str = Field(..., alias="applicant.full_name")
    issued_by: str = Field(..., alias="unit.name")
    decided_at: dt.datetime
    status: str


@router.get("/results/{token}", auth=None, response={200: ResultVerifyOut, **error_responses(404)})
def verify_result(request: HttpRequest, token: str):
    """Xác minh văn bản kết quả qua mã QR in trên văn bản."""
    return selectors.verified_result(token=token)


# --- officers -----------------------------------------------------------------------------------


class InboxFilter(Schema):
    procedure: str = ""
    status: str = "open"
    due: str = Field("", pattern=r"^(|overdue|soon)$")
    mine: bool = False
    q: str = ""


class OfficerDossierOut(DossierOut):
    id: int
    applicant_name: str = Field(..., alias="applicant.full_name")
    applicant_personal_id: str = Field(..., alias="applicant.personal_id")
    assigned_to: int | None = Field(None, alias="assigned_to_id")
    is_overdue: bool


def _require(request: HttpRequest, permission: str) -> None:
    if not request.auth.has_perm(permission):
        raise PermissionDenied()


class InboxPagination(PageNumberPagination):
    """The inbox's pages, each audited as one read of the dossiers it shows."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = list(page["items"])
        selectors.dossiers_shown(viewer=request.auth, dossiers=page["items"])
        return page


@router.get("/eservices/inbox", auth=officer_auth, response=list[OfficerDossierOut])
@paginate(InboxPagination, page_size=50)
def inbox(request: HttpRequest, filters: Query[InboxFilter]):
    """Hồ sơ của đơn vị (và đơn vị cấp dưới), lọc theo thủ tục, trạng thái, hạn."""
    _require(request, "eservices.view_dossier")
    return selectors.inbox(
        viewer=request.auth,
        procedure=filters.procedure,
        status=filters.status,
        due=filters.due,
        mine=filters.mine,
        q=filters.q,
    ).select_related("form")


@router.get(
    "/eservices/dossiers/{dossier_id}",
    auth=officer_auth,
    response={200: DossierDetailOut, **error_responses(401, 403, 404)},
)
def officer_dossier(request: HttpRequest, dossier_id: ParamId):
    _require(request, "eservices.view_dossier")
    return _detail(selectors.officer_dossier_read(viewer=request.auth, dossier_id=dossier_id))


def _transition_rules(schema: dict[str, Any]) -> None:
    """What ``workflow.transition`` enforces: a known action (404 otherwise), and a reason that is not
    blank for the actions that need one (422)."""
    schema["properties"]["action"]["enum"] = list(workflow.TRANSITIONS)
    reasonless = [action for action, step in workflow.TRANSITIONS.items() if not step.needs_reason]
    schema["anyOf"] = [
        {"properties": {"action": {"enum": reasonless}}},
        {"properties": {"reason": {"pattern": NON_BLANK}}, "required": ["reason"]},
    ]


class TransitionIn(Schema):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_transition_rules)

    action: str = Field(..., description=f"Một trong: {', '.join(workflow.TRANSITIONS)}")
    reason: str = Field("", max_length=2000)


@router.post(
    "/eservices/dossiers/{dossier_id}/transitions",
    auth=officer_auth,
    response={200: DossierOut, **error_responses(401, 403, 404, 409, 422)},
)
def transition(request: HttpRequest, dossier_id: ParamId, payload: TransitionIn):
    """Chuyển trạng thái: receive, reject_intake, start, request_supplement, resume, approve, refuse,
    return_result. Sai trạng thái: 409 ``invalid_transition``; thiếu lý do: 422."""
    return workflow.transition(by=request.auth, dossier_id=dossier_id, action=payload.action, reason=payload.reason)


class ExtendIn(Schema):
    model_config = ConfigDict(extra="forbid")

    days: JsonInt = Field(..., ge=1, le=workflow.MAX_EXTENSION_DAYS)
    reason: str = Field(..., min_length=1, max_length=2000, json_schema_extra=documented(pattern=NON_BLANK))


@router.post(
    "/eservices/dossiers/{dossier_id}/extension",
    auth=officer_auth,
    response={200: DossierOut, **error_responses(401, 403, 404, 409, 422)},
)
def extend(request: HttpRequest, dossier_id: ParamId, payload: ExtendIn):
    return workflow.extend(by=request.auth, dossier_id=dossier_id, days=payload.days, reason=payload.reason)


class ApologyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    new_due_on: dt.date
    reason: str = Field(..., min_length=1, max_length=2000, json_schema_extra=documented(pattern=NON_BLANK))


class ApologyOut(Schema):
    id: int
    old_due_on: dt.date
    new_due_on: dt.date
    reason: str
    issued_at: dt.datetime


@router.post(
    "/eservices/dossiers/{dossier_id}/apology",
    auth=officer_auth,
    response={201: ApologyOut, **error_responses(401, 403, 404, 409, 422)},
)
def apologise(request: HttpRequest, dossier_id: ParamId, payload: ApologyIn):
    """Thư xin lỗi và hẹn lại ngày trả kết quả."""
    letter = workflow.apologise(
        by=request.auth, dossier_id=dossier_id, new_due_on=payload.new_due_on, reason=payload.reason
    )
    return Status(201, letter)


# --- statistics ---------------------------------------------------------------------------------


class FiguresOut(Schema):
    label: str
    received: int
    online: int
    rejected_at_intake: int
    resolved: int
    resolved_on_time: int
    processing_days: int
    suspended: int
    rating_count: int
    rating_sum: int
    satisfied: int
    with_attachments: int
    on_time_pct: float | None
    online_pct: float | None
    average_days: float | None
    satisfaction: float | None
    satisfied_pct: float | None


class IndicatorOut(Schema):
    group: str
    value: float | None
    measure: str


class StatisticsOut(Schema):
    start: dt.date
    end: dt.date
    total: FiguresOut
    months: list[FiguresOut]
    units: list[FiguresOut]
    procedures: list[FiguresOut]
    indicators_766: list[IndicatorOut]


def _statistics(viewer: Any, months: int, procedure: str) -> dict[str, Any]:
    dash = dashboard(viewer=viewer, months=months, procedure=procedure)
    return {
        "start": dash.start,
        "end": dash.end,
        "total": dash.total.as_dict(),
        "months": [m.as_dict() for m in dash.months],
        "units": [u.as_dict() for u in dash.units],
        "procedures": [p.as_dict() for p in dash.procedures],
        "indicators_766": dash.indicators,
    }


class StatisticsFilter(Schema):
    months: int = Field(12, ge=1, le=36)
    procedure: str = Field("", max_length=40)


@router.get("/eservices/statistics", auth=None, response={200: StatisticsOut, **error_responses(422)})
def public_statistics(request: HttpRequest, filters: Query[StatisticsFilter]):
    """Số liệu công khai của toàn tỉnh theo tháng, đơn vị, thủ tục; chỉ số theo QĐ 766/QĐ-TTg."""
    return _statistics(None, filters.months, filters.procedure)


@router.get(
    "/eservices/statistics/mine", auth=officer_auth, response={200: StatisticsOut, **error_responses(401, 403, 422)}
)
def unit_statistics(request: HttpRequest, filters: Query[StatisticsFilter]):
    """Số liệu của đơn vị cán bộ (và đơn vị cấp dưới)."""
    _require(request, "eservices.view_dossier")
    return _statistics(request.auth, filters.months, filters.procedure)
