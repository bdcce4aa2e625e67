"""An officer of another commune changes no alert, through any page or API operation that names one.

Each route is tried twice on an alert of the commune, in the state where the action applies: by an
officer of another commune who composes and approves (refused as not found, nothing changed), then
by the officer of the commune's line who would do it (accepted, something changed), so the refusal
can only come from the unit scope. These tests stand for the routes exempted as writes in
congan/core/tests/scope_exemptions.py.
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from congan.alerts import services
from congan.alerts.models import Alert
from congan.alerts.tests.conftest import alert_data
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.org.tests.otp import verified_login

pytestmark = pytest.mark.django_db


def _json(data: dict) -> dict:
    return {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in data.items()}


# (name, kind, path, body, state the alert is in, who of the commune's line does it)
ROUTES = [
    ("submit page", "page", "/canh-bao/quan-ly/{id}/trinh/", {}, "draft", "composer"),
    ("approve page", "page", "/canh-bao/quan-ly/{id}/phe-duyet/", {}, "pending", "approver"),
    ("send back page", "page", "/canh-bao/quan-ly/{id}/tra-lai/", {"reason": "Thiếu địa bàn"}, "pending", "approver"),
    ("follow-up page", "page", "/canh-bao/quan-ly/{id}/tiep-theo/", {"msg_type": "Update"}, "published", "composer"),
    (
        "update api",
        "put",
        "/api/v1/alert-drafts/{id}",
        _json(alert_data(headline="Cảnh báo đã sửa")),
        "draft",
        "composer",
    ),
    ("submit api", "api", "/api/v1/alert-drafts/{id}/submit", {}, "draft", "composer"),
    ("approve api", "api", "/api/v1/alert-drafts/{id}/approve", {}, "pending", "approver"),
    ("return api", "api", "/api/v1/alert-drafts/{id}/return", {"reason": "Thiếu địa bàn"}, "pending", "approver"),
    (
        "follow-up api",
        "api",
        "/api/v1/alert-drafts/{id}/follow-ups",
        {"msg_type": "Cancel"},
        "published",
        "composer",
    ),
]


def _alert_in(state: str, composer, approver) -> Alert:
    alert = services.alert_save(by=composer, data=alert_data())
    if state in ("pending", "published"):
        services.alert_submit(by=composer, alert_id=alert.pk)
    if state == "published":
        services.alert_approve(by=approver, alert_id=alert.pk)
    return alert


def _state(alert: Alert) -> tuple:
    alert.refresh_from_db()
    return (
        alert.state,
        alert.headline,
        alert.return_reason,
        alert.approved_by_id,
        Alert.objects.filter(references=alert).count(),
    )


def _send(client, kind: str, url: str, body: dict):
    if kind == "put":
        return client.put(url, body, content_type="application/json")
    if kind == "api":
        return client.post(url, body, content_type="application/json")
    return client.post(url, body)


@pytest.mark.parametrize(
    ("kind", "path", "body", "state", "actor"), [route[1:] for route in ROUTES], ids=[route[0] for route in ROUTES]
)
def test_another_communes_officer_changes_no_alert(
    client, composer, approver, other_commune, kind, path, body, state, actor
):
    alert = _alert_in(state, composer, approver)
    url = path.format(id=alert.pk)
    before = _state(alert)
    verified_login(client, OfficerFactory(unit=other_commune, roles=[roles.DISPATCHER, roles.LEADER]))
    refused = _send(client, kind, url, body)
    if kind == "page":
        assert refused.status_code == 302
        assert [str(message) for message in get_messages(refused.wsgi_request)] == ["Không tìm thấy cảnh báo."]
    else:
        assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert _state(alert) == before

    verified_login(client, {"composer": composer, "approver": approver}[actor])
    accepted = _send(client, kind, url, body)
    assert accepted.status_code in (200, 201, 302), accepted.content
    assert _state(alert) != before


def test_another_communes_officer_reads_no_delivery_counts(client, composer, approver, other_commune):
    alert = _alert_in("published", composer, approver)
    url = f"/api/v1/alert-drafts/{alert.pk}/deliveries"
    verified_login(client, OfficerFactory(unit=other_commune, roles=[roles.DISPATCHER, roles.LEADER]))
    refused = client.get(url)
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    verified_login(client, composer)
    assert client.get(url).json()["total"] == 0
