"""Demo data of điều hành (``congan demo``, after the documents): directives by `lanhdao` on about a
third of the ordinary incoming documents registered in the last four months, their tasks with
progress reports, most finished (some late), some overdue, some with an extension request waiting;
in `nghiepvu`'s commune half the directives name `nghiepvu`, so they have work to do, and the
newest registered documents are left for `lanhdao` to direct. Bulk, reproducible, idempotent."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from congan.core.audit import audit_record
from congan.documents.models import DocumentEvent, IncomingDocument
from congan.org import roles
from congan.org.models import Officer, Unit
from congan.tasks.models import Directive, ExtensionRequest, Task, TaskEvent, TaskReport

DEMO_LEADER = "lanhdao"
DEMO_OFFICER = "nghiepvu"
DAYS = 120
BATCH = 1000
TEXTS = (
    "Giao đơn vị chủ trì xác minh, báo cáo kết quả bằng văn bản.",
    "Đề nghị triển khai ngay, phối hợp chặt chẽ với các đơn vị liên quan.",
    "Nghiên cứu, tham mưu văn bản trả lời trước hạn.",
    "Rà soát địa bàn, lập danh sách và đề xuất biện pháp.",
    "Tổ chức thực hiện theo chức năng, nhiệm vụ; báo cáo Ban Giám đốc.",
)
REPORTS = (
    "Đã phân công cán bộ, đang xác minh.",
    "Đã làm việc với các hộ liên quan, tổng hợp số liệu.",
    "Đã rà soát xong một nửa địa bàn.",
    "Đang chờ kết quả phối hợp của đơn vị bạn.",
)
RESULTS = (
    "Đã xác minh, có báo cáo kết quả gửi lãnh đạo.",
    "Đã hoàn thành, lập biên bản và lưu hồ sơ.",
    "Đã tham mưu văn bản trả lời, trình ký.",
)


def demo_build_tasks(*, province: Unit, seed: str = "congan-demo", today: dt.date | None = None, **_: Any) -> dict:
    with transaction.atomic():
        if Directive.objects.filter(unit__path__startswith=province.path).exists():
            return {"directives": 0, "tasks": 0}
        created = _build(province, seed, today or timezone.localdate())
        if any(created.values()):
            audit_record(actor="system", action="tasks.demo.build", unit=province, details=created)
    return created


def _leader(province: Unit) -> Officer | None:
    return (
        Officer.objects.filter(username=DEMO_LEADER, unit__path__startswith=province.path).first()
        or Officer.objects.filter(unit=province, groups__name=roles.LEADER, is_active=True).order_by("pk").first()
    )


def _build(province: Unit, seed: str, today: dt.date) -> dict[str, int]:
    rng = random.Random(f"{seed}:tasks")  # noqa: S311 - reproducible demo data
    leader = _leader(province)
    if leader is None:
        return {}
    officer = Officer.objects.filter(username=DEMO_OFFICER, unit__path__startswith=province.path).first()
    departments = list(Unit.objects.filter(path__startswith=province.path, kind=Unit.Kind.DEPARTMENT, active=True))
    now = timezone.now()
    documents = list(
        IncomingDocument.objects.filter(
            unit__path__startswith=province.path,
            status=IncomingDocument.Status.REGISTERED,
            classification=0,
            received_on__gte=today - dt.timedelta(days=DAYS),
            received_on__lt=today - dt.timedelta(days=1),  # the newest are lanhdao's to direct
            registered_at__isnull=False,
        )
        .select_related("unit")
        .order_by("received_on", "pk")
    )
    chosen = [document for document in documents if rng.random() < 1 / 3]
    plans = []
    for document in chosen:
        registered_at = document.registered_at or now
        given = min(registered_at + dt.timedelta(hours=rng.randint(1, 30)), now - dt.timedelta(minutes=5))
        deadline = timezone.localdate(given) + dt.timedelta(days=rng.randint(3, 15))
        lead_officer = officer if officer and officer.unit_id == document.unit_id and rng.random() < 0.5 else None
        co_units = [rng.choice(departments)] if departments and rng.random() < 0.25 else []
        co_units = [unit for unit in co_units if unit.pk != document.unit_id]
        directive = Directive(
            document=document,
            unit=document.unit,
            text=rng.choice(TEXTS),
            lead_unit=document.unit,
            lead_officer=lead_officer,
            deadline=deadline,
            given_by=leader,
            created_at=given,
        )
        plans.append((directive, co_units))
    Directive.objects.bulk_create([plan[0] for plan in plans], batch_size=BATCH)
    through = Directive.co_units.through
    through.objects.bulk_create(
        [through(directive_id=d.pk, unit_id=u.pk) for d, units in plans for u in units], batch_size=BATCH
    )
    tasks: list[Task] = []
    for directive, co_units in plans:
        document = directive.document
        what = f"{document.number_symbol}: {document.subject}" if document.number_symbol else document.subject
        assignments = [(Task.Role.LEAD, directive.lead_unit, directive.lead_officer)] + [
            (Task.Role.COOPERATE, unit, None) for unit in co_units
        ]
        for role, unit, assignee in assignments:
            prefix = "Chủ trì xử lý" if role == Task.Role.LEAD else "Phối hợp xử lý"
            tasks.append(
                Task(
                    unit=document.unit,
                    title=f"{prefix} {what}"[:300],
                    description=directive.text,
                    directive=directive,
                    document=document,
                    role=role,
                    assignee_unit=unit,
                    assignee_officer=assignee,
                    assigned_by=leader,
                    deadline=directive.deadline,
                    urgency=document.urgency,
                    created_at=directive.created_at,
                )
            )
    reports: list[TaskReport] = []
    extensions: list[ExtensionRequest] = []
    task_events: list[TaskEvent] = []
    document_events: list[DocumentEvent] = []
    for task in tasks:
        _outcome(task, rng, now, today, reports, extensions)
    Task.objects.bulk_create(tasks, batch_size=BATCH)
    for task in tasks:
        task_events.append(
            TaskEvent(
                task=task,
                at=task.created_at,
                action="assign",
                note=task.description,
                actor_label=leader.full_name,
                officer=leader,
            )
        )
    doers = {t.assignee_officer_id for t in tasks if t.assignee_officer_id is not None}
    names = {o.pk: o.full_name for o in Officer.objects.filter(pk__in=doers)}
    for report in reports:
        report.task_id = report.task.pk
        task_events.append(
            TaskEvent(
                task=report.task,
                at=report.at,
                action="report",
                note=f"{report.percent} % — {report.text}",
                actor_label=names.get(report.by_id, ""),
                officer_id=report.by_id,
            )
        )
    for request in extensions:
        request.task_id = request.task.pk
        task_events.append(
            TaskEvent(
                task=request.task,
                at=request.asked_at,
                action="extension_asked",
                note=f"{request.new_deadline:%d/%m/%Y} — {request.reason}",
                actor_label=names.get(request.asked_by_id, ""),
                officer_id=request.asked_by_id,
            )
        )
    for task in tasks:
        if task.status == Task.Status.DONE and task.completed_at:
            task_events.append(
                TaskEvent(
                    task=task,
                    at=task.completed_at,
                    action="done",
                    note=task.result,
                    actor_label=names.get(task.assignee_officer_id or 0, task.assignee_unit.name),
                    officer_id=task.assignee_officer_id,
                )
            )
    TaskReport.objects.bulk_create(reports, batch_size=BATCH)
    ExtensionRequest.objects.bulk_create(extensions, batch_size=BATCH)
    TaskEvent.objects.bulk_create(task_events, batch_size=BATCH)
    # The documents follow their lead task: directed, in progress, done.
    first_report: dict[int, dt.datetime] = {}
    for report in sorted(reports, key=lambda r: r.at):
        first_report.setdefault(report.task.pk, report.at)
    changed = []
    for task in tasks:
        handled = task.document
        if task.role != Task.Role.LEAD or handled is None:
            continue
        document_events.append(
            DocumentEvent(
                document=handled,
                at=task.created_at,
                action="directed",
                note=task.description,
                actor_label=leader.full_name,
                officer=leader,
            )
        )
        handled.status = IncomingDocument.Status.DIRECTED
        started = first_report.get(task.pk)
        if started is not None:
            handled.status = IncomingDocument.Status.IN_PROGRESS
            document_events.append(
                DocumentEvent(document=handled, at=started, action="in_progress", actor_label=leader.full_name)
            )
        if task.status == Task.Status.DONE and task.completed_at:
            handled.status = IncomingDocument.Status.DONE
            document_events.append(
                DocumentEvent(document=handled, at=task.completed_at, action="done", note=task.result, actor_label="")
            )
        changed.append(handled)
    IncomingDocument.objects.bulk_update(changed, ["status"], batch_size=BATCH)
    DocumentEvent.objects.bulk_create(document_events, batch_size=BATCH)
    return {"directives": len(plans), "tasks": len(tasks), "reports": len(reports), "extensions": len(extensions)}


def _outcome(
    task: Task,
    rng: random.Random,
    now: dt.datetime,
    today: dt.date,
    reports: list[TaskReport],
    extensions: list[ExtensionRequest],
) -> None:
    """Draw how far the task has come: done (on time or late), in progress, new; an extension asked."""
    given = task.created_at
    doer_id = task.assignee_officer_id
    past = task.deadline < today
    draw = rng.random()
    done = draw < (0.8 if past else 0.3)
    started = done or draw < (0.9 if past else 0.75)
    if started and doer_id is not None:
        at = min(given + dt.timedelta(hours=rng.randint(4, 48)), now - dt.timedelta(minutes=3))
        percent = rng.choice((20, 30, 50, 60))
        reports.append(TaskReport(task=task, at=at, by_id=doer_id, text=rng.choice(REPORTS), percent=percent))
        task.status, task.percent = Task.Status.IN_PROGRESS, percent
    elif started:
        task.status, task.percent = Task.Status.IN_PROGRESS, rng.choice((20, 40, 50))
    if done:
        deadline_end = dt.datetime.combine(task.deadline, dt.time(17), tzinfo=timezone.get_current_timezone())
        late = past and rng.random() < 0.25
        finish = deadline_end + dt.timedelta(days=rng.randint(1, 4)) if late else deadline_end
        finish = min(finish, now - dt.timedelta(minutes=1))
        span = max((finish - given).total_seconds(), 3600)
        task.completed_at = given + dt.timedelta(seconds=rng.uniform(span * (0.9 if late else 0.3), span))
        task.status, task.percent, task.result = Task.Status.DONE, 100, rng.choice(RESULTS)
        return
    if doer_id is not None and rng.random() < 0.3:
        asked = min(given + dt.timedelta(days=1), now - dt.timedelta(minutes=2))
        extensions.append(
            ExtensionRequest(
                task=task,
                asked_at=asked,
                asked_by_id=doer_id,
                old_deadline=task.deadline,
                new_deadline=max(task.deadline, today) + dt.timedelta(days=rng.randint(3, 10)),
                reason="Chờ kết quả phối hợp của đơn vị bạn, đề nghị gia hạn.",
            )
        )
