"""Writes of điều hành: a leader's directive (bút phê) on an incoming document and the tasks it
creates, tasks given by hand, progress reports, extension requests and their decision, completion
and cancelling. Each use case is one transaction with its timeline step and its audit event; the
incoming document moves along with its tasks (directed → in progress → done, documents.services)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.audit import audit_record
from congan.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.text import meaningful, normalize_text
from congan.documents import selectors as document_selectors
from congan.documents import services as document_services
from congan.documents.models import IncomingDocument
from congan.org.models import Officer, Unit
from congan.tasks import selectors
from congan.tasks.models import Directive, ExtensionRequest, Task, TaskEvent, TaskReport

Status = Task.Status
MAX_DEADLINE_DAYS = 366


@dataclass
class DirectiveInput:
    """What a leader writes on a document: the instruction, the lead, the co-operating units, by when."""

    text: str
    deadline: dt.date | None
    lead_unit: Unit | None = None
    lead_officer: Officer | None = None
    co_units: list[Unit] = field(default_factory=list)


@dataclass
class TaskInput:
    title: str
    deadline: dt.date | None
    assignee_unit: Unit | None = None
    assignee_officer: Officer | None = None
    description: str = ""
    urgency: int = 0


def _event(task: Task, action: str, by: Officer, note: str = "") -> None:
    TaskEvent.objects.create(task=task, action=action, note=note, actor_label=by.full_name, officer=by)


def _leader_unit(by: Officer, permission: str) -> Unit:
    if not by.has_perm(permission):
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị được cho ý kiến chỉ đạo và giao việc."))
    if by.unit is None:
        raise PermissionDenied(_("Tài khoản chưa thuộc đơn vị nào."))
    return by.unit


def _check_deadline(deadline: dt.date | None, errors: dict[str, list[str]], name: str = "deadline") -> None:
    today = timezone.localdate()
    if deadline is None:
        errors[name] = [_("Nhập hạn xử lý.")]
    elif deadline < today:
        errors[name] = [_("Hạn xử lý không được trước hôm nay.")]
    elif deadline > today + dt.timedelta(days=MAX_DEADLINE_DAYS):
        errors[name] = [_("Hạn xử lý quá một năm.")]


def _check_assignee(
    *, within: Unit, unit: Unit | None, officer: Officer | None, errors: dict[str, list[str]], prefix: str
) -> Unit | None:
    """The unit (from the officer when none is named) and officer of an assignment, both inside
    the leader's units."""
    if officer is not None:
        if not officer.is_active or officer.unit is None:
            errors[f"{prefix}_officer"] = [_("Cán bộ này không còn hoạt động.")]
            return unit
        if unit is None:
            unit = officer.unit
        elif not officer.unit.is_within(unit):
            errors[f"{prefix}_officer"] = [_("Cán bộ này không thuộc đơn vị được giao.")]
    if unit is None:
        errors[f"{prefix}_unit"] = [_("Chọn đơn vị hoặc cán bộ thực hiện.")]
    elif not unit.is_within(within):
        errors[f"{prefix}_unit"] = [_("Chỉ giao cho đơn vị mình hoặc đơn vị trực thuộc.")]
    return unit


def _title_of(document: IncomingDocument, role: str) -> str:
    """A task's title from its document; a classified entry's subject stays off tasks that officers
    without the clearance may see."""
    what = (
        _("văn bản mật số đến %(number)s") % {"number": document.arrival_display}
        if document.is_classified
        else f"{document.number_symbol or _('văn bản đến số %(number)s') % {'number': document.arrival_display}}: "
        f"{document.subject}"
    )
    prefix = _("Chủ trì xử lý") if role == Task.Role.LEAD else _("Phối hợp xử lý")
    return f"{prefix} {what}"[:300]


@transaction.atomic
def directive_give(*, by: Officer, document_id: int, data: DirectiveInput) -> Directive:
    """Bút phê: a leader of the document's units directs a registered entry; a task goes to the lead
    (unit or officer) and one to each co-operating unit; the entry moves to "directed" (a further
    directive on it only adds tasks)."""
    leader_unit = _leader_unit(by, selectors.GIVE)
    visible = document_selectors.incoming_visible(viewer=by).values_list("pk", flat=True)
    document = IncomingDocument.objects.select_for_update(of=("self",)).filter(pk=document_id, pk__in=visible).first()
    if document is None:
        raise NotFound()
    if not document.is_registered:
        raise InvalidTransition(_("Văn bản chưa vào sổ: vào sổ rồi mới cho ý kiến chỉ đạo."))
    if document.status == IncomingDocument.Status.DONE:
        raise InvalidTransition(_("Văn bản đã xử lý xong."))
    errors: dict[str, list[str]] = {}
    text = normalize_text(data.text)
    if not meaningful(text, 5):
        errors["text"] = [_("Nhập ý kiến chỉ đạo (ít nhất 5 chữ cái hoặc chữ số).")]
    elif len(text) > 2000:
        errors["text"] = [_("Ý kiến chỉ đạo dài quá 2000 ký tự.")]
    _check_deadline(data.deadline, errors)
    lead_unit = _check_assignee(
        within=leader_unit, unit=data.lead_unit, officer=data.lead_officer, errors=errors, prefix="lead"
    )
    co_units = list(dict.fromkeys(data.co_units))
    for unit in co_units:
        if not unit.is_within(leader_unit):
            errors["co_units"] = [_("Chỉ giao cho đơn vị mình hoặc đơn vị trực thuộc.")]
        elif lead_unit is not None and unit.pk == lead_unit.pk:
            errors["co_units"] = [_("Đơn vị chủ trì không đồng thời là đơn vị phối hợp.")]
    if errors or lead_unit is None or data.deadline is None:
        raise ValidationFailed(details=errors)
    directive = Directive.objects.create(
        document=document,
        unit=document.unit,
        text=text,
        lead_unit=lead_unit,
        lead_officer=data.lead_officer,
        deadline=data.deadline,
        given_by=by,
    )
    directive.co_units.set(co_units)
    assignments = [(Task.Role.LEAD, lead_unit, data.lead_officer)] + [
        (Task.Role.COOPERATE, unit, None) for unit in co_units
    ]
    tasks = []
    for role, unit, officer in assignments:
        task = Task.objects.create(
            unit=document.unit,
            title=_title_of(document, role),
            description=text,
            directive=directive,
            document=document,
            role=role,
            assignee_unit=unit,
            assignee_officer=officer,
            assigned_by=by,
            deadline=data.deadline,
            urgency=document.urgency,
        )
        _event(task, "assign", by, note=text)
        tasks.append(task)
    who = ", ".join([lead_unit.name, *(unit.name for unit in co_units)])
    if data.lead_officer is not None:
        who = f"{data.lead_officer.full_name} ({who})"
    note = _("%(text)s — Chủ trì: %(who)s; hạn %(deadline)s") % {
        "text": text,
        "who": who,
        "deadline": data.deadline.strftime("%d/%m/%Y"),
    }
    if document.status == IncomingDocument.Status.REGISTERED:
        document_services.incoming_advance(
            by=by, document_id=document.pk, to=IncomingDocument.Status.DIRECTED, note=note[:500]
        )
    audit_record(
        actor=by,
        action="tasks.directive.give",
        target=directive,
        unit=document.unit,
        details={
            "document": document.pk,
            "lead_unit": lead_unit.pk,
            "lead_officer": data.lead_officer.pk if data.lead_officer else None,
            "co_units": [unit.pk for unit in co_units],
            "deadline": data.deadline.isoformat(),
            "tasks": [task.pk for task in tasks],
        },
    )
    return directive


@transaction.atomic
def task_assign(*, by: Officer, data: TaskInput) -> Task:
    """Giao việc trực tiếp (no document): to a unit of the leader's, or one of its officers."""
    leader_unit = _leader_unit(by, selectors.ASSIGN)
    errors: dict[str, list[str]] = {}
    title = normalize_text(data.title)
    if not meaningful(title, 5):
        errors["title"] = [_("Nhập nội dung công việc (ít nhất 5 chữ cái hoặc chữ số).")]
    elif len(title) > 300:
        errors["title"] = [_("Nội dung công việc dài quá 300 ký tự.")]
    description = normalize_text(data.description)
    if len(description) > 2000:
        errors["description"] = [_("Yêu cầu dài quá 2000 ký tự.")]
    if data.urgency not in (0, 1, 2, 3):
        errors["urgency"] = [_("Độ khẩn không hợp lệ.")]
    _check_deadline(data.deadline, errors)
    unit = _check_assignee(
        within=leader_unit, unit=data.assignee_unit, officer=data.assignee_officer, errors=errors, prefix="assignee"
    )
    if errors or unit is None or data.deadline is None:
        raise ValidationFailed(details=errors)
    task = Task.objects.create(
        unit=leader_unit,
        title=title,
        description=description,
        role=Task.Role.OWN,
        assignee_unit=unit,
        assignee_officer=data.assignee_officer,
        assigned_by=by,
        deadline=data.deadline,
        urgency=data.urgency,
    )
    _event(task, "assign", by, note=description)
    audit_record(
        actor=by,
        action="tasks.task.assign",
        target=task,
        unit=leader_unit,
        details={
            "assignee_unit": unit.pk,
            "assignee_officer": task.assignee_officer_id,
            "deadline": str(task.deadline),
        },
    )
    return task


def can_work(task: Task, officer: Any) -> bool:
    """The officer named does the task; with none named, any officer of the unit it was given to."""
    if not task.is_open:
        return False
    if task.assignee_officer_id is not None:
        return bool(task.assignee_officer_id == officer.pk)
    return task.assignee_unit_id == getattr(officer, "unit_id", None)


def can_decide(task: Task, officer: Any) -> bool:
    """Whoever gave the task decides its extensions and may cancel it."""
    return bool(task.assigned_by_id == officer.pk)


def _task_for_update(*, by: Officer, task_id: int) -> Task:
    visible = selectors.tasks_visible(viewer=by).values_list("pk", flat=True)
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("document", "assignee_unit")
        .filter(pk=task_id, pk__in=visible)
        .first()
    )
    if task is None:
        raise NotFound()
    return task


def _workable(by: Officer, task_id: int) -> Task:
    task = _task_for_update(by=by, task_id=task_id)
    if not task.is_open:
        raise InvalidTransition(_("Công việc đã kết thúc."))
    if not can_work(task, by):
        raise PermissionDenied(_("Chỉ cán bộ hoặc đơn vị được giao việc mới báo cáo, xin gia hạn, hoàn thành."))
    return task


def _document_moves(task: Task, by: Officer, to: str, note: str) -> None:
    document = task.document
    if document is None:
        return
    document.refresh_from_db(fields=["status"])
    if to == IncomingDocument.Status.IN_PROGRESS and document.status != IncomingDocument.Status.DIRECTED:
        return
    if to == IncomingDocument.Status.DONE and document.status not in (
        IncomingDocument.Status.DIRECTED,
        IncomingDocument.Status.IN_PROGRESS,
    ):
        return
    document_services.incoming_advance(by=by, document_id=document.pk, to=to, note=note[:500], scoped=False)


@transaction.atomic
def task_report(*, by: Officer, task_id: int, text: str, percent: int) -> TaskReport:
    """Báo cáo tiến độ: what was done and how far along; the first one starts the task (and the
    handling of its document)."""
    task = _workable(by, task_id)
    errors: dict[str, list[str]] = {}
    text = normalize_text(text)
    if not meaningful(text, 5):
        errors["text"] = [_("Nhập nội dung báo cáo (ít nhất 5 chữ cái hoặc chữ số).")]
    elif len(text) > 2000:
        errors["text"] = [_("Báo cáo dài quá 2000 ký tự.")]
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        errors["percent"] = [_("Tiến độ từ 0 đến 100 %.")]
    if errors:
        raise ValidationFailed(details=errors)
    report = TaskReport.objects.create(task=task, by=by, text=text, percent=percent)
    task.percent = percent
    task.status = Status.IN_PROGRESS
    task.save(update_fields=["percent", "status", "updated_at"])
    _event(task, "report", by, note=f"{percent} % — {text}")
    _document_moves(task, by, IncomingDocument.Status.IN_PROGRESS, text)
    audit_record(actor=by, action="tasks.task.report", target=task, details={"percent": percent, "report": report.pk})
    return report


@transaction.atomic
def task_complete(*, by: Officer, task_id: int, result: str) -> Task:
    """Hoàn thành: with what came of it; the lead task done means the document is done."""
    task = _workable(by, task_id)
    result = normalize_text(result)
    if not meaningful(result, 5):
        raise ValidationFailed(details={"result": [_("Nhập kết quả xử lý (ít nhất 5 chữ cái hoặc chữ số).")]})
    if len(result) > 2000:
        raise ValidationFailed(details={"result": [_("Kết quả dài quá 2000 ký tự.")]})
    task.status, task.percent, task.result, task.completed_at = Status.DONE, 100, result, timezone.now()
    task.save(update_fields=["status", "percent", "result", "completed_at", "updated_at"])
    ExtensionRequest.objects.filter(task=task, status=ExtensionRequest.Status.PENDING).update(
        status=ExtensionRequest.Status.REFUSED, decided_at=task.completed_at, decision_note=_("Việc đã hoàn thành.")
    )
    _event(task, "done", by, note=result)
    if task.role == Task.Role.LEAD:
        _document_moves(task, by, IncomingDocument.Status.DONE, result)
    audit_record(
        actor=by,
        action="tasks.task.complete",
        target=task,
        details={"on_time": task.completed_at.date() <= task.deadline if task.completed_at else None},
    )
    return task


@transaction.atomic
def extension_ask(*, by: Officer, task_id: int, new_deadline: dt.date | None, reason: str) -> ExtensionRequest:
    """Xin gia hạn: a later deadline and why; one request waits at a time."""
    task = _workable(by, task_id)
    errors: dict[str, list[str]] = {}
    reason = normalize_text(reason)
    if not meaningful(reason, 5):
        errors["reason"] = [_("Nhập lý do xin gia hạn (ít nhất 5 chữ cái hoặc chữ số).")]
    elif len(reason) > 2000:
        errors["reason"] = [_("Lý do dài quá 2000 ký tự.")]
    if new_deadline is None:
        errors["new_deadline"] = [_("Nhập hạn mới đề nghị.")]
    elif new_deadline <= task.deadline:
        errors["new_deadline"] = [_("Hạn mới phải sau hạn hiện tại (%(day)s).") % {"day": f"{task.deadline:%d/%m/%Y}"}]
    elif new_deadline > timezone.localdate() + dt.timedelta(days=MAX_DEADLINE_DAYS):
        errors["new_deadline"] = [_("Hạn xử lý quá một năm.")]
    if errors or new_deadline is None:
        raise ValidationFailed(details=errors)
    if task.extensions.filter(status=ExtensionRequest.Status.PENDING).exists():
        raise InvalidTransition(_("Đã có đề nghị gia hạn đang chờ duyệt."))
    request = ExtensionRequest.objects.create(
        task=task, asked_by=by, old_deadline=task.deadline, new_deadline=new_deadline, reason=reason
    )
    _event(task, "extension_asked", by, note=f"{new_deadline:%d/%m/%Y} — {reason}")
    audit_record(
        actor=by,
        action="tasks.extension.ask",
        target=task,
        details={"request": request.pk, "new_deadline": new_deadline.isoformat()},
    )
    return request


@transaction.atomic
def extension_decide(*, by: Officer, task_id: int, approve: bool, note: str = "") -> ExtensionRequest:
    """Whoever gave the task approves (the deadline moves) or refuses the pending request."""
    task = _task_for_update(by=by, task_id=task_id)
    if not can_decide(task, by):
        raise PermissionDenied(_("Chỉ người giao việc mới duyệt đề nghị gia hạn."))
    request = task.extensions.select_for_update().filter(status=ExtensionRequest.Status.PENDING).first()
    if request is None or not task.is_open:
        raise InvalidTransition(_("Không có đề nghị gia hạn nào đang chờ duyệt."))
    note = normalize_text(note)[:500]
    request.status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REFUSED
    request.decided_by, request.decided_at, request.decision_note = by, timezone.now(), note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        task.deadline = request.new_deadline
        task.save(update_fields=["deadline", "updated_at"])
    label = f"{request.new_deadline:%d/%m/%Y}" + (f" — {note}" if note else "")
    _event(task, "extension_approved" if approve else "extension_refused", by, note=label)
    audit_record(
        actor=by,
        action="tasks.extension.approve" if approve else "tasks.extension.refuse",
        target=task,
        details={"request": request.pk, "deadline": task.deadline.isoformat()},
    )
    return request


@transaction.atomic
def task_cancel(*, by: Officer, task_id: int, reason: str) -> Task:
    """Hủy việc: whoever gave it, while it is open, with a reason."""
    task = _task_for_update(by=by, task_id=task_id)
    if not can_decide(task, by):
        raise PermissionDenied(_("Chỉ người giao việc mới hủy việc."))
    if not task.is_open:
        raise InvalidTransition(_("Công việc đã kết thúc."))
    reason = normalize_text(reason)
    if not meaningful(reason, 5):
        raise ValidationFailed(details={"reason": [_("Nhập lý do hủy việc (ít nhất 5 chữ cái hoặc chữ số).")]})
    task.status = Status.CANCELLED
    task.save(update_fields=["status", "updated_at"])
    _event(task, "cancelled", by, note=reason[:2000])
    audit_record(actor=by, action="tasks.task.cancel", target=task, details={"reason": reason[:500]})
    return task
