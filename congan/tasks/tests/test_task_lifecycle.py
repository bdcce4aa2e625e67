"""A task's life: given by hand, progress reports, extension requests decided by whoever gave it,
completion (the lead task finishing the document), cancelling; who may do each, every forbidden
step, the audit trail, and who sees which task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from congan.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.models import AuditEvent
from congan.documents.models import IncomingDocument
from congan.documents.tests.factories import IncomingDocumentFactory
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.tasks import selectors, services
from congan.tasks.models import ExtensionRequest, Task
from congan.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _in(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def task(commune_leader, officer):
    return services.task_assign(
        by=commune_leader,
        data=services.TaskInput(title="Rà soát hộ kinh doanh lưu trú", deadline=_in(3), assignee_officer=officer),
    )


def _audited(action: str) -> list[str]:
    return list(AuditEvent.objects.filter(action=action).values_list("target_id", flat=True))


def test_a_leader_gives_a_task_by_hand_to_an_officer_of_their_unit(task, officer, commune):
    assert (task.assignee_officer, task.assignee_unit, task.status, task.role) == (officer, commune, "new", "own")
    assert [event.action for event in task.events.all()] == ["assign"]
    assert _audited("tasks.task.assign") == [str(task.pk)]


def test_only_a_leader_gives_tasks_and_only_inside_their_units(officer, commune_leader, other_commune):
    with pytest.raises(PermissionDenied):
        services.task_assign(by=officer, data=services.TaskInput(title="Việc tự giao", deadline=_in(1)))
    with pytest.raises(ValidationFailed) as caught:
        services.task_assign(
            by=commune_leader,
            data=services.TaskInput(title="Việc đơn vị khác", deadline=_in(1), assignee_unit=other_commune),
        )
    assert "assignee_unit" in caught.value.details
    assert not Task.objects.exists()


def test_reports_start_the_task_and_record_the_progress(task, officer):
    services.task_report(by=officer, task_id=task.pk, text="Đã rà soát 12 cơ sở", percent=40)
    task.refresh_from_db()
    assert (task.status, task.percent) == ("in_progress", 40)
    assert [event.action for event in task.events.all()] == ["assign", "report"]
    assert _audited("tasks.task.report") == [str(task.pk)]


def test_a_report_needs_text_and_a_percent_from_0_to_100(task, officer):
    with pytest.raises(ValidationFailed) as caught:
        services.task_report(by=officer, task_id=task.pk, text="..", percent=101)
    assert set(caught.value.details) == {"text", "percent"}


def test_only_the_assignee_reports_completes_or_asks_for_more_time(task, make_officer, commune):
    colleague = make_officer(unit=commune, roles=[roles.SPECIALIST])
    with pytest.raises(PermissionDenied):
        services.task_report(by=colleague, task_id=task.pk, text="Báo cáo thay", percent=10)
    with pytest.raises(PermissionDenied):
        services.task_complete(by=colleague, task_id=task.pk, result="Xong việc rồi")
    with pytest.raises(PermissionDenied):
        services.extension_ask(by=colleague, task_id=task.pk, new_deadline=_in(9), reason="Cần thêm thời gian")


def test_a_unit_task_is_worked_on_by_any_officer_of_that_unit(commune_leader, officer, commune):
    task = services.task_assign(
        by=commune_leader, data=services.TaskInput(title="Tuần tra khu dân cư", deadline=_in(2), assignee_unit=commune)
    )
    services.task_report(by=officer, task_id=task.pk, text="Đã tuần tra hai tối", percent=50)
    assert services.can_work(task, officer)


def test_an_extension_approved_moves_the_deadline(task, officer, commune_leader):
    request = services.extension_ask(by=officer, task_id=task.pk, new_deadline=_in(10), reason="Chờ kết quả giám định")
    with pytest.raises(InvalidTransition):
        services.extension_ask(by=officer, task_id=task.pk, new_deadline=_in(12), reason="Đề nghị thêm lần nữa")
    services.extension_decide(by=commune_leader, task_id=task.pk, approve=True, note="Đồng ý")
    task.refresh_from_db()
    request.refresh_from_db()
    assert (task.deadline, request.status, request.decided_by) == (_in(10), "approved", commune_leader)
    assert _audited("tasks.extension.approve") == [str(task.pk)]


def test_an_extension_refused_keeps_the_deadline(task, officer, commune_leader):
    services.extension_ask(by=officer, task_id=task.pk, new_deadline=_in(10), reason="Chờ kết quả giám định")
    services.extension_decide(by=commune_leader, task_id=task.pk, approve=False, note="Không đồng ý")
    task.refresh_from_db()
    assert task.deadline == _in(3)
    assert task.extensions.get().status == ExtensionRequest.Status.REFUSED
    assert [event.action for event in task.events.all()] == ["assign", "extension_asked", "extension_refused"]


def test_extension_rules_a_later_day_a_reason_and_whoever_gave_the_task_decides(task, officer, leader):
    with pytest.raises(ValidationFailed) as caught:
        services.extension_ask(by=officer, task_id=task.pk, new_deadline=_in(2), reason="x")
    assert set(caught.value.details) == {"new_deadline", "reason"}
    with pytest.raises(InvalidTransition):
        services.extension_decide(by=task.assigned_by, task_id=task.pk, approve=True)
    services.extension_ask(by=officer, task_id=task.pk, new_deadline=_in(5), reason="Chờ kết quả giám định")
    with pytest.raises(PermissionDenied):  # the province's leader did not give this task
        services.extension_decide(by=leader, task_id=task.pk, approve=True)


def test_completing_records_the_result_and_ends_the_task(task, officer):
    services.task_complete(by=officer, task_id=task.pk, result="Đã lập biên bản 2 cơ sở")
    task.refresh_from_db()
    assert (task.status, task.percent, task.result) == ("done", 100, "Đã lập biên bản 2 cơ sở")
    assert task.completed_at is not None
    assert AuditEvent.objects.get(action="tasks.task.complete").details == {"on_time": True}
    for step in (
        lambda: services.task_report(by=officer, task_id=task.pk, text="Báo cáo sau khi xong", percent=100),
        lambda: services.task_complete(by=officer, task_id=task.pk, result="Hoàn thành lần nữa"),
        lambda: services.extension_ask(by=officer, task_id=task.pk, new_deadline=_in(9), reason="Xin thêm"),
        lambda: services.task_cancel(by=task.assigned_by, task_id=task.pk, reason="Không cần nữa"),
    ):
        with pytest.raises(InvalidTransition):
            step()


def test_whoever_gave_a_task_cancels_it_and_it_cannot_be_worked_on(task, officer):
    with pytest.raises(PermissionDenied):
        services.task_cancel(by=officer, task_id=task.pk, reason="Tự hủy việc")
    services.task_cancel(by=task.assigned_by, task_id=task.pk, reason="Kế hoạch thay đổi")
    task.refresh_from_db()
    assert task.status == "cancelled"
    with pytest.raises(InvalidTransition):
        services.task_report(by=officer, task_id=task.pk, text="Vẫn báo cáo", percent=10)


def test_the_lead_task_moves_the_document_to_in_progress_then_done(leader, officer, commune, other_commune):
    document = IncomingDocumentFactory(unit=commune)
    directive = services.directive_give(
        by=leader,
        document_id=document.pk,
        data=services.DirectiveInput(
            text="Giao đồng chí Nghĩa chủ trì", deadline=_in(4), lead_officer=officer, co_units=[other_commune]
        ),
    )
    lead = directive.tasks.get(role="lead")
    cooperate = directive.tasks.get(role="cooperate")
    helper = OfficerFactory(unit=other_commune, roles=[roles.SPECIALIST])
    services.task_complete(by=helper, task_id=cooperate.pk, result="Đã cung cấp danh sách")
    document.refresh_from_db()
    assert document.status == IncomingDocument.Status.DIRECTED  # a co-operating unit's task is not the lead's
    services.task_report(by=officer, task_id=lead.pk, text="Đang xác minh", percent=30)
    document.refresh_from_db()
    assert document.status == IncomingDocument.Status.IN_PROGRESS
    services.task_complete(by=officer, task_id=lead.pk, result="Đã xác minh, báo cáo lãnh đạo")
    document.refresh_from_db()
    assert document.status == IncomingDocument.Status.DONE
    assert [event.action for event in document.events.all()] == ["directed", "in_progress", "done"]


def test_an_officer_sees_their_units_tasks_and_their_own_not_another_communes(
    officer, commune, other_commune, other_commune_officer, leader, province
):
    own = TaskFactory(unit=commune, assigned_by=leader)
    named = TaskFactory(unit=province, assignee_unit=province, assignee_officer=officer, assigned_by=leader)
    elsewhere = TaskFactory(unit=other_commune, assigned_by=leader)
    assert set(selectors.tasks_visible(viewer=officer)) == {own, named}
    assert set(selectors.tasks_visible(viewer=other_commune_officer)) == {elsewhere}
    assert set(selectors.tasks_visible(viewer=leader)) == {own, named, elsewhere}
    with pytest.raises(NotFound):
        services.task_report(by=other_commune_officer, task_id=own.pk, text="Báo cáo lạc đơn vị", percent=5)


def test_my_tasks_put_overdue_and_urgent_first(officer, commune, leader):
    later = TaskFactory(unit=commune, assignee_officer=officer, assigned_by=leader, deadline=_in(5))
    urgent = TaskFactory(unit=commune, assignee_officer=officer, assigned_by=leader, deadline=_in(6), urgency=3)
    overdue = TaskFactory(unit=commune, assignee_officer=officer, assigned_by=leader, deadline=_in(-2))
    TaskFactory(unit=commune, assignee_officer=officer, assigned_by=leader, status="cancelled")
    assert list(selectors.my_tasks(viewer=officer)) == [overdue, urgent, later]
