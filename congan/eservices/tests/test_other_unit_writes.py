"""An officer of another unit changes no dossier, through any page or API operation that names one.

Each route is tried twice on a received dossier of the commune: by an officer of another commune
with the same roles (refused as not found, nothing changed), then by the commune's own clerk with
the same request (accepted, something changed), so the refusal can only come from the unit scope.
These tests stand for the routes exempted as writes in congan/core/tests/scope_exemptions.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from congan.core.dashboard import panels_for
from congan.eservices import services, workflow
from congan.eservices.models import Procedure
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def _new_due_on(dossier) -> str:
    return str(max(dossier.due_on, timezone.localdate()) + dt.timedelta(days=5))


# (name, method, URL of the dossier and the acting officer, body of the dossier): pages post forms,
# API operations post JSON.
ROUTES = [
    ("act page", "page", lambda d, by: f"/dich-vu-cong/xu-ly/{d.pk}/thao-tac/start/", lambda d: {}),
    ("assign page", "page", lambda d, by: f"/dich-vu-cong/xu-ly/{d.pk}/giao/", lambda d: {}),
    (
        "extend page",
        "page",
        lambda d, by: f"/dich-vu-cong/xu-ly/{d.pk}/gia-han/",
        lambda d: {"days": 3, "reason": "Cần xác minh"},
    ),
    (
        "apologise page",
        "page",
        lambda d, by: f"/dich-vu-cong/xu-ly/{d.pk}/xin-loi/",
        lambda d: {"new_due_on": _new_due_on(d), "reason": "Cần xác minh"},
    ),
    (
        "transitions api",
        "api",
        lambda d, by: f"/api/v1/eservices/dossiers/{d.pk}/transitions",
        lambda d: {"action": "start"},
    ),
    (
        "extension api",
        "api",
        lambda d, by: f"/api/v1/eservices/dossiers/{d.pk}/extension",
        lambda d: {"days": 3, "reason": "Cần xác minh"},
    ),
    (
        "apology api",
        "api",
        lambda d, by: f"/api/v1/eservices/dossiers/{d.pk}/apology",
        lambda d: {"new_due_on": _new_due_on(d), "reason": "Cần xác minh"},
    ),
]


def _state(dossier) -> tuple:
    dossier.refresh_from_db()
    return (
        dossier.status,
        dossier.due_on,
        dossier.extension_days,
        dossier.assigned_to_id,
        dossier.apologies.count(),
        dossier.events.count(),
    )


def _post(client, kind: str, url: str, body: dict):
    if kind == "api":
        return client.post(url, body, content_type="application/json")
    return client.post(url, body)


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(("kind", "url", "body"), [route[1:] for route in ROUTES], ids=[route[0] for route in ROUTES])
def test_another_units_officer_changes_no_dossier(client, submit, clerk, other_commune, kind, url, body):
    dossier = workflow.transition(by=clerk, dossier_id=submit().pk, action="receive")
    Procedure.objects.filter(pk=dossier.procedure_id).update(can_extend=True)  # every action applies
    before = _state(dossier)
    outsider = OfficerFactory(unit=other_commune, roles=[roles.RECEPTION, roles.PROCESSING])
    client.force_login(outsider)
    refused = _post(client, kind, url(dossier, outsider), body(dossier))
    if kind == "api":
        assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    else:
        assert refused.status_code == 302 and _messages(refused) == ["Không tìm thấy."]
    assert _state(dossier) == before

    client.force_login(clerk)
    accepted = _post(client, kind, url(dossier, clerk), body(dossier))
    assert accepted.status_code in (200, 201, 302), accepted.content
    assert _state(dossier) != before


def test_another_units_officer_answers_no_complaint(client, submit, clerk, applicant, other_commune):
    dossier = submit()
    complaint = services.complaint_submit(resident=applicant, dossier=dossier, text="Chưa thấy tiếp nhận")
    url = reverse("eservices:answer_complaint", args=[dossier.pk, complaint.pk])
    client.force_login(OfficerFactory(unit=other_commune, roles=[roles.RECEPTION, roles.PROCESSING]))
    assert client.post(url, {"answer": "Đã xử lý"}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.status != "answered"

    client.force_login(clerk)
    assert client.post(url, {"answer": "Đã tiếp nhận sáng nay"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "answered"


def test_the_dashboard_panel_counts_the_viewers_units_only(submit, clerk, other_commune):
    submit()
    outsider = OfficerFactory(unit=other_commune, roles=[roles.RECEPTION, roles.PROCESSING])

    def received(viewer) -> int:
        panel = next(panel for panel in panels_for(viewer) if str(panel.title) == "Dịch vụ công")
        return dict((str(label), value) for label, value in panel.figures)["Hồ sơ tiếp nhận tháng này"]

    assert (received(clerk), received(outsider)) == (1, 0)


def test_another_units_officer_assigns_no_dossier_in_bulk(client, submit, clerk, other_commune):
    dossier = submit()
    outsider = OfficerFactory(unit=other_commune, roles=[roles.RECEPTION, roles.PROCESSING])
    client.force_login(outsider)
    refused = client.post("/dich-vu-cong/xu-ly/giao-hang-loat/", {"dossiers": [dossier.pk], "officer": outsider.pk})
    assert _messages(refused) == [f"Hồ sơ #{dossier.pk} chưa giao: Không tìm thấy."]
    dossier.refresh_from_db()
    assert dossier.assigned_to_id is None
