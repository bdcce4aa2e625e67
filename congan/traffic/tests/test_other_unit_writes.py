"""An officer of another commune changes no violation, through any page or API operation that names one.

Each step is tried twice on a violation seen by a camera of the commune, in the state where the step
applies: by an officer of another commune with the same roles (refused as not found, nothing
changed), then by the commune's own officer with the same request (accepted, the violation moved
on), so the refusal can only come from the unit scope. These tests stand for the routes exempted as
writes in congan/core/tests/scope_exemptions.py, with the queue counts beside them.
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.org.tests.otp import verified_login
from congan.population.tests.factories import ResidentFactory
from congan.traffic import review
from congan.traffic.models import ViolationEvent
from congan.traffic.tests import factories

pytestmark = pytest.mark.django_db

PLATE = "43A12345"
FINE = 18_000_000  # within the car's red-light fine (16824.6.9.b)

# (name, kind, path, body, state the violation is in); for each step a page posts its form to
# /giao-thong/vi-pham/<id>/<step>/ and the API posts JSON to /api/v1/violations/<id>/<operation>.
ROUTES = [
    ("verify page", "page", "verify/", {}, "detected"),
    ("dismiss page", "page", "dismiss/", {"reason": "Xe ưu tiên"}, "detected"),
    ("issue notice page", "page", "issue_notice/", {}, "verified"),
    ("record payment page", "page", "record_payment/", {"amount": "18.000.000"}, "notice"),
    ("contest page", "page", "contest/", {"reason": "Chủ xe khiếu nại"}, "notice"),
    ("forward page", "page", "forward/", {"unit": "{commune}"}, "notice"),
    ("close page", "page", "close/", {"outcome": "penalised"}, "forwarded"),
    ("verify api", "api", "verify", {"plate": ""}, "detected"),
    ("dismiss api", "api", "dismiss", {"reason": "Xe ưu tiên"}, "detected"),
    ("notice api", "api", "notice", {}, "verified"),
    ("payment api", "api", "payment", {"amount": FINE}, "notice"),
    ("contest api", "api", "contest", {"reason": "Chủ xe khiếu nại"}, "notice"),
    ("forward api", "api", "forward", {"unit": "{commune}"}, "notice"),
    ("close api", "api", "close", {"outcome": "penalised"}, "forwarded"),
]


def _violation_in(state: str, unit, actor) -> ViolationEvent:
    factories.vehicle(owner=ResidentFactory(full_name="Trần Văn Bình"), plate=PLATE)
    event = factories.event(factories.camera(unit), plate=PLATE)
    steps = {"verified": 1, "notice": 2, "forwarded": 3}.get(state, 0)
    if steps >= 1:
        review.violation_verify(by=actor, event_id=event.pk)
    if steps >= 2:
        review.violation_issue_notice(by=actor, event_id=event.pk)
    if steps >= 3:
        review.violation_forward(by=actor, event_id=event.pk, unit_id=unit.pk)
    return event


def _state(event: ViolationEvent) -> tuple:
    event.refresh_from_db()
    return (event.status, event.resolving_unit_id, event.outcome, event.notice_number, event.steps.count())


def _send(client, kind: str, event: ViolationEvent, path: str, body: dict):
    if kind == "api":
        return client.post(f"/api/v1/violations/{event.pk}/{path}", body, content_type="application/json")
    return client.post(f"/giao-thong/vi-pham/{event.pk}/{path}", body)


@pytest.mark.parametrize(
    ("kind", "path", "body", "state"), [route[1:] for route in ROUTES], ids=[route[0] for route in ROUTES]
)
def test_another_communes_officer_changes_no_violation(client, commune, other_commune, kind, path, body, state):
    officer = OfficerFactory(unit=commune, roles=[roles.SPECIALIST, roles.LEADER])
    event = _violation_in(state, commune, officer)
    body = {key: (commune.pk if value == "{commune}" else value) for key, value in body.items()}
    before = _state(event)
    verified_login(client, OfficerFactory(unit=other_commune, roles=[roles.SPECIALIST, roles.LEADER]))
    refused = _send(client, kind, event, path, body)
    if kind == "api":
        assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    else:
        assert refused.status_code == 302
        assert [str(message) for message in get_messages(refused.wsgi_request)] == ["Không tìm thấy."]
    assert _state(event) == before

    verified_login(client, officer)
    accepted = _send(client, kind, event, path, body)
    assert accepted.status_code in (200, 302), accepted.content
    assert _state(event) != before


def test_the_queue_counts_leave_out_another_commune(client, commune, other_commune):
    for n in range(2):
        factories.event(factories.camera(commune), plate=f"43A1000{n}")
    factories.event(factories.camera(other_commune, code="CAM-LC"), plate="43A20000")
    for unit, waiting in ((commune, 2), (other_commune, 1)):
        client.force_login(OfficerFactory(unit=unit, roles=[roles.SPECIALIST]))
        assert client.get("/api/v1/violations/counts").json()["review"] == waiting
