"""The pages of điều hành: the "Bút phê" section on the incoming document's page (leaders only),
my tasks (overdue first), the task page with its forms, giving a task by hand, and the dashboards
whose figures match a hand count."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest
from django.urls import reverse
from django.utils import timezone

from congan.documents.models import IncomingDocument
from congan.documents.tests.factories import IncomingDocumentFactory
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.org.tests.otp import verified_login
from congan.tasks import selectors
from congan.tasks.models import Task
from congan.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _in(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def _at(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def test_only_a_leader_sees_the_directive_form_on_the_document_page(client, officer, commune_leader, commune):
    document = IncomingDocumentFactory(unit=commune)
    url = reverse("documents:incoming", args=[document.pk])
    client.force_login(officer)
    assert 'data-testid="directive-form"' not in client.get(url).content.decode()
    verified_login(client, commune_leader)
    page = client.get(url).content.decode()
    assert 'data-testid="directive-form"' in page and "Bút phê" in page


def test_a_leader_directs_from_the_document_page_and_the_task_reaches_the_officer(
    client, officer, commune_leader, commune
):
    document = IncomingDocumentFactory(unit=commune, subject="Về việc kiểm tra cơ sở lưu trú dịp Tết")
    verified_login(client, commune_leader)
    response = client.post(
        reverse("tasks:directive", args=[document.pk]),
        {"text": "Giao đồng chí chủ trì kiểm tra", "lead_officer": officer.pk, "deadline": _in(3).strftime("%d/%m/%Y")},
        follow=True,
    )
    page = response.content.decode()
    assert "Đã cho ý kiến chỉ đạo và giao việc." in page and "Giao đồng chí chủ trì kiểm tra" in page
    document.refresh_from_db()
    assert document.status == IncomingDocument.Status.DIRECTED
    client.force_login(officer)
    listed = client.get(reverse("tasks:list")).content.decode()
    assert "kiểm tra cơ sở lưu trú dịp Tết" in listed


def test_a_directive_with_errors_says_what_to_fix(client, commune_leader, commune):
    document = IncomingDocumentFactory(unit=commune)
    verified_login(client, commune_leader)
    response = client.post(
        reverse("tasks:directive", args=[document.pk]),
        {"text": "Giao xử lý", "deadline": _in(3).strftime("%d/%m/%Y")},
        follow=True,
    )
    assert "Chọn đơn vị hoặc cán bộ thực hiện." in response.content.decode()
    assert not Task.objects.exists()


def test_my_tasks_show_overdue_first_and_highlighted(client, officer, commune, commune_leader):
    TaskFactory(unit=commune, assignee_officer=officer, assigned_by=commune_leader, title="Việc còn hạn xa")
    TaskFactory(
        unit=commune, assignee_officer=officer, assigned_by=commune_leader, title="Việc đã quá hạn", deadline=_in(-1)
    )
    client.force_login(officer)
    page = client.get(reverse("tasks:list")).content.decode()
    assert page.index("Việc đã quá hạn") < page.index("Việc còn hạn xa")
    assert 'class="overdue' in page and "1 việc quá hạn" in page


def test_the_officer_reports_asks_for_time_and_completes_on_the_task_page(client, officer, commune, commune_leader):
    task = TaskFactory(unit=commune, assignee_officer=officer, assigned_by=commune_leader)
    url = reverse("tasks:detail", args=[task.pk])
    client.force_login(officer)
    assert client.post(reverse("tasks:report", args=[task.pk]), {"text": "", "percent": 120}).status_code == 400
    client.post(reverse("tasks:report", args=[task.pk]), {"text": "Đã làm một nửa", "percent": 50})
    client.post(
        reverse("tasks:extension", args=[task.pk]),
        {"new_deadline": _in(20).strftime("%d/%m/%Y"), "reason": "Chờ phối hợp đơn vị bạn"},
    )
    page = client.get(url).content.decode()
    assert "Đã làm một nửa" in page and 'data-testid="pending-extension"' in page
    assert 'data-testid="decide-form"' not in page  # the officer does not decide their own request
    verified_login(client, commune_leader)
    assert 'data-testid="decide-form"' in client.get(url).content.decode()
    client.post(reverse("tasks:decide", args=[task.pk]), {"decision": "approve"})
    client.force_login(officer)
    client.post(reverse("tasks:complete", args=[task.pk]), {"result": "Đã hoàn thành, có biên bản"})
    task.refresh_from_db()
    assert (task.status, task.deadline) == ("done", _in(20))


def test_a_leader_gives_a_task_by_hand(client, officer, commune_leader):
    verified_login(client, commune_leader)
    response = client.post(
        reverse("tasks:new"),
        {
            "title": "Tổng hợp số liệu tạm trú quý IV",
            "assignee_officer": officer.pk,
            "deadline": _in(4).strftime("%d/%m/%Y"),
            "urgency": 1,
        },
    )
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tasks:detail", args=[task.pk])
    assert (task.assignee_officer, task.urgency) == (officer, 1)
    assert client.post(reverse("tasks:new"), {"title": "", "deadline": ""}).status_code == 400


def _figures_fixture(commune, other_commune, giver):
    """A hand-counted month: commune got 5 tasks (2 on time, 1 late, 1 open overdue, 1 open), the
    other commune 2 (1 on time, 1 cancelled: not counted); one task of last month is outside."""
    made: list[Task] = []

    def task(unit, *, given: int, deadline: int, done: int | None = None, status: str = "new"):
        fields: dict[str, object] = {"status": status}
        if done is not None:
            fields.update(status="done", completed_at=_at(done))
        row = cast(Task, TaskFactory(unit=unit, assigned_by=giver, deadline=_in(deadline), **fields))
        Task.objects.filter(pk=row.pk).update(created_at=_at(given))
        made.append(row)

    task(commune, given=-4, deadline=-1, done=-2)  # on time, 2 days
    task(commune, given=-4, deadline=-1, done=-1)  # on time (the deadline day), 3 days
    task(commune, given=-4, deadline=-3, done=-2)  # late, 2 days
    task(commune, given=-3, deadline=-1)  # open, overdue
    task(commune, given=-1, deadline=5)  # open
    task(other_commune, given=-2, deadline=2, done=-1)  # on time, 1 day
    task(other_commune, given=-2, deadline=2, status="cancelled")
    task(commune, given=-60, deadline=-50, done=-55)  # outside the period
    return made


def test_the_dashboard_figures_match_a_hand_count(commune, other_commune, leader):
    _figures_fixture(commune, other_commune, leader)
    rows, total = selectors.dashboard(viewer=leader, date_from=_in(-10), date_to=_in(0))
    by_unit = {row.unit_id: row for row in rows}
    own = by_unit[commune.pk]
    assert (own.received, own.done_on_time, own.done_late, own.open, own.overdue) == (5, 2, 1, 2, 1)
    assert own.average_days == pytest.approx((2 + 3 + 2) / 3, abs=0.05)
    other = by_unit[other_commune.pk]
    assert (other.received, other.done_on_time, other.overdue, other.average_days) == (1, 1, 0, 1.0)
    assert (total.received, total.done_on_time, total.done_late, total.overdue) == (6, 3, 1, 1)
    assert total.average_days == pytest.approx((2 + 3 + 2 + 1) / 4, abs=0.05)
    assert rows[0].unit_id == commune.pk  # the unit with overdue tasks first


def test_the_dashboards_show_the_figures_and_leave_out_another_commune(client, commune, other_commune, leader, officer):
    _figures_fixture(commune, other_commune, leader)
    client.force_login(officer)
    start = _in(-10).strftime("%d/%m/%Y")
    page = client.get(reverse("tasks:unit_dashboard"), {"date_from": start}).content.decode()
    assert 'data-testid="total-received">5<' in page and 'data-testid="total-overdue">1<' in page
    verified_login(client, leader)
    page = client.get(reverse("tasks:leader_dashboard"), {"date_from": start}).content.decode()
    assert 'data-testid="total-received">6<' in page
    assert commune.name in page and other_commune.name in page
    client.force_login(OfficerFactory(unit=commune, roles=[roles.SPECIALIST]))
    assert client.get(reverse("tasks:leader_dashboard")).status_code == 403


def test_the_leader_dashboard_lists_documents_awaiting_a_directive_urgent_first(
    client, commune, other_commune, commune_leader, leader
):
    IncomingDocumentFactory(unit=other_commune, subject="Văn bản của xã khác chờ bút phê")
    IncomingDocumentFactory(unit=commune, subject="Văn bản thường chờ bút phê")
    IncomingDocumentFactory(unit=commune, subject="Công điện hỏa tốc chờ bút phê", urgency=3)
    IncomingDocumentFactory(unit=commune, subject="Văn bản đã có bút phê", status="directed")
    old = timezone.localdate() - dt.timedelta(days=45)
    IncomingDocumentFactory(unit=commune, subject="Văn bản cũ để biết", received_on=old)
    verified_login(client, commune_leader)
    page = client.get(reverse("tasks:leader_dashboard")).content.decode()
    assert page.index("Công điện hỏa tốc chờ bút phê") < page.index("Văn bản thường chờ bút phê")
    assert "Văn bản đã có bút phê" not in page and "Văn bản cũ để biết" not in page
    assert "Văn bản của xã khác chờ bút phê" not in page
    client.logout()
    verified_login(client, leader)  # the province's leader: the commune's own leaders direct its documents
    assert "Văn bản thường chờ bút phê" not in client.get(reverse("tasks:leader_dashboard")).content.decode()
