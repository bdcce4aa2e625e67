"""The điều hành API: a directive on an incoming document, my tasks and my units', one task with
its timeline, a progress report; every error as {"code", "message", "details"}."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from congan.core.models import AuditEvent
from congan.documents.models import IncomingDocument
from congan.documents.tests.factories import IncomingDocumentFactory
from congan.org.tests.otp import verified_login
from congan.tasks.models import Task
from congan.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _in(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    return body


def _directive(client, document, **body):
    payload = {"text": "Giao Công an phường chủ trì xác minh", "deadline": _in(5), **body}
    return client.post(f"/api/v1/documents/incoming/{document.pk}/directive", payload, content_type="application/json")


def test_a_leader_directs_a_document_through_the_api(client, commune_leader, commune, officer):
    document = IncomingDocumentFactory(unit=commune)
    verified_login(client, commune_leader)
    response = _directive(client, document, lead_officer=officer.pk)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["document_id"] == document.pk and body["lead_officer"] == officer.full_name
    assert [task["role"] for task in body["tasks"]] == ["lead"]
    document.refresh_from_db()
    assert document.status == IncomingDocument.Status.DIRECTED
    assert AuditEvent.objects.filter(action="tasks.directive.give").count() == 1


def test_directive_errors_are_json_with_field_details(client, commune_leader, commune, officer, other_commune):
    document = IncomingDocumentFactory(unit=commune)
    verified_login(client, commune_leader)
    assert "lead_unit" in _error(_directive(client, document, lead_unit=other_commune.pk), 422)["details"]
    assert "text" in _error(_directive(client, document, text="x", lead_unit=commune.pk), 422)["details"]
    assert _error(_directive(client, document, deadline=0, lead_unit=commune.pk), 422)["code"] == "validation_failed"
    elsewhere = IncomingDocumentFactory(unit=other_commune)
    assert _error(_directive(client, elsewhere, lead_unit=commune.pk), 404)["code"] == "not_found"
    client.force_login(officer)
    assert _error(_directive(client, document, lead_unit=commune.pk), 403)["code"] == "permission_denied"
    assert not Task.objects.exists()


def test_my_tasks_and_my_units_tasks(client, officer, commune, commune_leader, other_commune):
    mine = TaskFactory(
        unit=commune, assignee_officer=officer, assigned_by=commune_leader, deadline=timezone.localdate()
    )
    units = TaskFactory(unit=commune, assignee_officer=commune_leader, assigned_by=commune_leader)
    TaskFactory(unit=other_commune, assigned_by=commune_leader)
    client.force_login(officer)
    body = client.get("/api/v1/tasks").json()
    assert [item["id"] for item in body["items"]] == [mine.pk]
    body = client.get("/api/v1/tasks", {"scope": "unit"}).json()
    assert {item["id"] for item in body["items"]} == {mine.pk, units.pk}
    assert _error(client.get("/api/v1/tasks", {"scope": "all"}), 422)["code"] == "validation_failed"
    detail = client.get(f"/api/v1/tasks/{mine.pk}").json()
    assert detail["assignee_officer"] == officer.full_name and detail["events"] == []


def test_an_officer_reports_progress_through_the_api(client, officer, commune, commune_leader, other_commune_officer):
    task = TaskFactory(unit=commune, assignee_officer=officer, assigned_by=commune_leader)
    url = f"/api/v1/tasks/{task.pk}/reports"
    client.force_login(other_commune_officer)
    assert _error(client.post(url, {"text": "Báo cáo lạc", "percent": 5}, content_type="application/json"), 404)
    client.force_login(officer)
    bad = client.post(url, {"text": "Đã làm", "percent": 150}, content_type="application/json")
    assert _error(bad, 422)["code"] == "validation_failed"
    response = client.post(url, {"text": "Đã rà soát 20 hộ", "percent": 60}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["task"]["percent"] == 60 and response.json()["task"]["status"] == "in_progress"
    task.refresh_from_db()
    assert task.percent == 60
    assert _error(client.post(url, {"text": "ok", "percent": 1, "x": 1}, content_type="application/json"), 422)
