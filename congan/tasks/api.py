"""Điều hành API: a leader's directive on an incoming document
(``POST /api/v1/documents/incoming/{id}/directive``), the officer's tasks (``GET /api/v1/tasks``:
mine, or my units'), one task with its timeline, and a progress report
(``POST /api/v1/tasks/{id}/reports``). Officers' sessions only; parsing and rendering only."""

# No ``from __future__ import annotations``: ninja resolves ``Query[...]`` under ``@paginate``
# only with real annotations (vitalik/django-ninja#1424).
import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BaseModel, ConfigDict

from congan.core.api import PageNumberPagination, error_responses, officer_auth
from congan.core.errors import PermissionDenied, ValidationFailed
from congan.core.schema_types import Day, Id, JsonInt, ParamId
from congan.org.models import Officer, Unit
from congan.tasks import selectors, services
from congan.tasks.forms import assignable

router = Router(tags=["tasks"])


class DirectiveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(..., max_length=2000, description="Ý kiến chỉ đạo, ít nhất 5 chữ cái hoặc chữ số")
    lead_unit: Id | None = Field(None, description="Mã (id) đơn vị chủ trì; bỏ trống khi giao đích danh cán bộ")
    lead_officer: Id | None = Field(None, description="Mã (id) cán bộ chủ trì")
    co_units: list[Id] = Field(default_factory=list, max_length=50, description="Mã (id) các đơn vị phối hợp")
    deadline: Day = Field(..., description="Hạn xử lý, không trước hôm nay")


class TaskOut(Schema):
    id: int
    title: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    role: str
    deadline: dt.date
    overdue: bool = Field(..., alias="is_overdue")
    urgency: int
    percent: int
    assignee_unit: str = Field(..., alias="assignee_unit.name")
    assignee_officer: str | None = Field(None, alias="assignee_officer.full_name")
    assigned_by: str = Field(..., alias="assigned_by.full_name")
    document_id: int | None
    created_at: dt.datetime
    completed_at: dt.datetime | None
    result: str


class TaskEventOut(Schema):
    at: dt.datetime
    action: str
    action_label: str = Field(..., alias="action_display")
    note: str
    actor_label: str


class TaskDetailOut(TaskOut):
    events: list[TaskEventOut]

    @staticmethod
    def resolve_events(task):
        return list(task.events.order_by("at", "pk"))


class DirectiveOut(Schema):
    id: int
    document_id: int
    text: str
    deadline: dt.date
    lead_unit: str = Field(..., alias="lead_unit.name")
    lead_officer: str | None = Field(None, alias="lead_officer.full_name")
    tasks: list[TaskOut]

    @staticmethod
    def resolve_tasks(directive):
        return list(directive.tasks.select_related("assignee_unit", "assignee_officer", "assigned_by").order_by("pk"))


class ProgressReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(..., max_length=2000, description="Nội dung báo cáo, ít nhất 5 chữ cái hoặc chữ số")
    percent: JsonInt = Field(..., ge=0, le=100, description="Tiến độ, 0–100 %")


class ProgressReportOut(Schema):
    id: int
    at: dt.datetime
    text: str
    percent: int
    task: TaskOut


def _officer(request: HttpRequest) -> Officer:
    officer = getattr(request, "auth", None)
    if not isinstance(officer, Officer) or not officer.has_perm(selectors.VIEW):
        raise PermissionDenied()
    return officer


def _unit(viewer: Officer, unit_id: int | None, field: str) -> Unit | None:
    """A unit the leader may give work to (their own units), or a field error."""
    if unit_id is None:
        return None
    unit = assignable(viewer)[0].filter(pk=unit_id).first()
    if unit is None:
        raise ValidationFailed(details={field: ["Không có đơn vị này trong các đơn vị của bạn."]})
    return unit


@router.post(
    "/documents/incoming/{document_id}/directive",
    auth=officer_auth,
    response={201: DirectiveOut, **error_responses(401, 403, 404, 409, 422)},
)
def give_directive(request: HttpRequest, document_id: ParamId, payload: DirectiveIn):
    """Bút phê: lãnh đạo cho ý kiến chỉ đạo văn bản đến đã vào sổ, giao đơn vị (hoặc cán bộ) chủ trì và
    các đơn vị phối hợp, có hạn xử lý; mỗi đơn vị nhận một việc; văn bản chuyển sang "đã có ý kiến chỉ đạo"."""
    viewer = _officer(request)
    if not viewer.has_perm(selectors.GIVE):
        raise PermissionDenied()
    officer = None
    if payload.lead_officer is not None:
        officer = assignable(viewer)[1].filter(pk=payload.lead_officer).first()
        if officer is None:
            raise ValidationFailed(details={"lead_officer": ["Không có cán bộ này trong các đơn vị của bạn."]})
    co_units = [unit for unit_id in payload.co_units if (unit := _unit(viewer, unit_id, "co_units")) is not None]
    directive = services.directive_give(
        by=viewer,
        document_id=document_id,
        data=services.DirectiveInput(
            text=payload.text,
            deadline=payload.deadline,
            lead_unit=_unit(viewer, payload.lead_unit, "lead_unit"),
            lead_officer=officer,
            co_units=co_units,
        ),
    )
    return Status(201, directive)


class TaskFilter(Schema):
    scope: Literal["mine", "unit"] = Field("mine", description="mine: việc giao cho tôi; unit: việc của các đơn vị tôi")
    finished: bool = Field(False, description="Kèm việc đã hoàn thành, đã hủy (chỉ với scope=mine)")


@router.get("/tasks", auth=officer_auth, response={200: list[TaskOut], **error_responses(401, 403, 422)})
@paginate(PageNumberPagination, page_size=50)
def list_tasks(request: HttpRequest, filters: Query[TaskFilter]):
    """Việc của tôi (hoặc của các đơn vị tôi): quá hạn trước, rồi khẩn trước, rồi hạn gần nhất."""
    viewer = _officer(request)
    if filters.scope == "unit":
        return selectors.unit_tasks(viewer=viewer)
    return selectors.my_tasks(viewer=viewer, include_finished=filters.finished)


@router.get("/tasks/{task_id}", auth=officer_auth, response={200: TaskDetailOut, **error_responses(401, 403, 404)})
def read_task(request: HttpRequest, task_id: ParamId):
    """Một việc với quá trình thực hiện (giao, báo cáo, gia hạn, hoàn thành)."""
    return selectors.task_open(viewer=_officer(request), task_id=task_id)


@router.post(
    "/tasks/{task_id}/reports",
    auth=officer_auth,
    response={201: ProgressReportOut, **error_responses(401, 403, 404, 409, 422)},
)
def report_progress(request: HttpRequest, task_id: ParamId, payload: ProgressReportIn):
    """Báo cáo tiến độ một việc được giao cho mình (hoặc đơn vị mình khi không giao đích danh)."""
    report = services.task_report(by=_officer(request), task_id=task_id, text=payload.text, percent=payload.percent)
    return Status(201, report)
