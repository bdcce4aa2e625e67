"""The điều hành admin: a task's deadline corrected is audited; directives are read-only; neither
lists classified documents' work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from congan.core.models import AuditEvent
from congan.documents.tests.factories import IncomingDocumentFactory
from congan.org.tests.factories import OfficerFactory
from congan.org.tests.otp import verified_login
from congan.tasks.models import Task
from congan.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(province):
    return OfficerFactory(unit=province, is_staff=True, is_superuser=True)


def test_an_administrator_corrects_a_deadline_and_it_is_audited(client, superuser, commune):
    task = TaskFactory(unit=commune, assigned_by=superuser, title="Việc sửa hạn trong quản trị")
    verified_login(client, superuser)
    later = timezone.localdate() + dt.timedelta(days=30)
    data = {"title": task.title, "description": "", "deadline": later.isoformat()}
    response = client.post(f"/admin/tasks/task/{task.pk}/change/", data)
    assert response.status_code == 302, response.content
    task.refresh_from_db()
    assert task.deadline == later and task.status == "new"
    event = AuditEvent.objects.get(action="tasks.task.admin_change", target_id=str(task.pk))
    assert event.details == {"deadline": later.isoformat()}


def test_the_admin_lists_no_classified_documents_task_and_cannot_change_directives(client, superuser, commune):
    TaskFactory(unit=commune, assigned_by=superuser, title="Việc thường trong quản trị")
    secret = IncomingDocumentFactory(unit=commune, classification=1)
    TaskFactory(unit=commune, assigned_by=superuser, title="Việc văn bản mật trong quản trị", document=secret)
    verified_login(client, superuser)
    page = client.get("/admin/tasks/task/").content.decode()
    assert "Việc thường trong quản trị" in page and "Việc văn bản mật" not in page
    assert client.get("/admin/tasks/directive/add/").status_code == 403
    assert Task.objects.count() == 2
