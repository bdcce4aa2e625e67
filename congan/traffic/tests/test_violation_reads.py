"""Reading a violation shows its vehicle's owner (personal data): every view of one violation, on
its page, through the API or as the notice PDF, leaves one audit event, against the owner when the
owner is known, so that the citizen's "who looked me up" lists it. Lists show no owner and are
not audited. The notice PDF is unit-scoped like the page."""

from __future__ import annotations

import json

import pytest

from congan.core.models import AuditEvent
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.org.tests.otp import verified_login
from congan.population.selectors import resident_lookup_history
from congan.population.tests.factories import ResidentFactory
from congan.traffic import review
from congan.traffic.tests import factories

pytestmark = pytest.mark.django_db
OWNER_NAME = "Trương Thị Hồng Nhung"


@pytest.fixture
def camera(commune):
    return factories.camera(commune)


@pytest.fixture
def reviewer(commune):
    return OfficerFactory(unit=commune, roles=[roles.SPECIALIST])


@pytest.fixture
def owner():
    return ResidentFactory(full_name=OWNER_NAME)


@pytest.fixture
def verified(camera, owner, reviewer):
    """A violation whose owner the registry gave at verification."""
    factories.vehicle(owner=owner, plate="43A12345")
    event = factories.event(camera, plate="43A12345")
    return review.violation_verify(by=reviewer, event_id=event.pk)


def _reads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__in=("traffic.violation.view", "traffic.notice.view")).order_by("seq"))


def test_each_view_of_the_page_is_one_audit_event_against_the_owner(client, reviewer, verified, owner):
    client.force_login(reviewer)
    for _ in range(2):
        page = client.get(f"/giao-thong/vi-pham/{verified.pk}/")
        assert page.status_code == 200 and OWNER_NAME in page.content.decode()
    reads = _reads()
    assert [(read.action, read.target_type, read.target_id) for read in reads] == [
        ("traffic.violation.view", "population.resident", str(owner.pk))
    ] * 2
    assert all(read.details["violation"] == verified.pk and read.purpose for read in reads)
    assert {(read.actor_id, read.unit_id) for read in reads} == {(str(reviewer.pk), reviewer.unit_id)}


def test_each_api_read_of_one_violation_is_one_audit_event(client, reviewer, verified, owner):
    client.force_login(reviewer)
    assert client.get(f"/api/v1/violations/{verified.pk}").status_code == 200
    reads = _reads()
    assert [(read.action, read.target_type, read.target_id) for read in reads] == [
        ("traffic.violation.view", "population.resident", str(owner.pk))
    ]
    assert reads[0].details["violation"] == verified.pk


def test_a_violation_whose_owner_is_not_known_yet_is_audited_against_itself(client, reviewer, camera):
    event = factories.event(camera, plate="43A54321")
    client.force_login(reviewer)
    client.get(f"/giao-thong/vi-pham/{event.pk}/")
    client.get(f"/api/v1/violations/{event.pk}")
    assert [(read.target_type, read.target_id) for read in _reads()] == [("traffic.violationevent", str(event.pk))] * 2


def test_the_officers_view_shows_in_who_looked_the_owner_up(client, reviewer, verified, owner):
    client.force_login(reviewer)
    client.get(f"/giao-thong/vi-pham/{verified.pk}/")
    history = resident_lookup_history(resident=owner)
    assert [(lookup.action, lookup.unit_id) for lookup in history] == [("traffic.violation.view", reviewer.unit_id)]


def test_lists_show_no_owner_and_leave_no_read_event(client, reviewer, verified):
    client.force_login(reviewer)
    desk = client.get("/giao-thong/vi-pham/", {"queue": "verified"}).content.decode()
    listed = client.get("/api/v1/violations", {"queue": "verified"}).json()
    assert f"/giao-thong/vi-pham/{verified.pk}/" in desk and [row["id"] for row in listed["items"]] == [verified.pk]
    assert OWNER_NAME not in desk and OWNER_NAME not in json.dumps(listed, ensure_ascii=False)
    assert _reads() == []


def test_a_review_step_through_the_api_is_audited_as_the_step_alone(client, reviewer, camera):
    event = factories.event(camera, plate="43A54321")
    client.force_login(reviewer)
    answer = client.post(
        f"/api/v1/violations/{event.pk}/dismiss", json.dumps({"reason": "Xe ưu tiên"}), content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["status"] == "dismissed"
    traffic_events = AuditEvent.objects.filter(action__startswith="traffic.violation.").order_by("seq")
    assert list(traffic_events.values_list("action", "target_id")) == [("traffic.violation.dismiss", str(event.pk))]


def test_the_notice_pdf_is_unit_scoped_and_audited_against_the_owner(client, commune, other_commune, verified, owner):
    leader = OfficerFactory(unit=commune, roles=[roles.LEADER])
    review.violation_issue_notice(by=leader, event_id=verified.pk)
    stranger = OfficerFactory(unit=other_commune, roles=[roles.LEADER])
    verified_login(client, stranger)
    assert client.get(f"/giao-thong/vi-pham/{verified.pk}/thong-bao.pdf").status_code == 404
    assert _reads() == []
    verified_login(client, leader)
    pdf = client.get(f"/giao-thong/vi-pham/{verified.pk}/thong-bao.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert [(read.action, read.target_type, read.target_id) for read in _reads()] == [
        ("traffic.notice.view", "population.resident", str(owner.pk))
    ]
