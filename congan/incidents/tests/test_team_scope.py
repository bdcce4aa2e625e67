"""Patrol teams follow the unit scope: a dispatcher sees, moves, stands down and sends the teams of
their own units only (a team's members and its device key act for it wherever they are), and every
position and status change of a team is audited."""

from __future__ import annotations

from decimal import Decimal

import pytest

from congan.core.audit import buffer
from congan.core.models import AuditEvent
from congan.incidents import services
from congan.incidents.models import Assignment, PatrolUnit
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(province, commune, other_commune):
    services.kinds_load(by="system")
    here = PatrolUnit.objects.create(
        call_sign="363-HV", kind="patrol", unit=commune, latitude=Decimal("16.06"), longitude=Decimal("108.22")
    )
    there = PatrolUnit.objects.create(
        call_sign="363-LC", kind="patrol", unit=other_commune, latitude=Decimal("16.061"), longitude=Decimal("108.22")
    )
    return here, there


@pytest.fixture
def dispatcher(commune):
    return OfficerFactory(unit=commune, roles=[roles.DISPATCHER])


def _report(token: str = "r-1"):  # noqa: S107
    return services.report_submit(
        kind_code="ANTT.GAYROI",
        description="Hai nhóm thanh niên tụ tập gây rối",
        commune_code="20194",
        client_token=token,
        latitude=Decimal("16.0605"),
        longitude=Decimal("108.22"),
        anonymous=True,
    ).report


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    return body


def test_a_dispatcher_cannot_move_another_units_team(teams, dispatcher, client):
    _here, there = teams
    client.force_login(dispatcher)
    moved = client.post(
        f"/api/v1/patrol-units/{there.pk}/position",
        {"latitude": 16.2, "longitude": 108.1},
        content_type="application/json",
    )
    _error(moved, 404)
    there.refresh_from_db()
    assert there.latitude == Decimal("16.061000")


def test_a_dispatcher_cannot_stand_down_another_units_team(teams, dispatcher, client):
    _here, there = teams
    client.force_login(dispatcher)
    stood_down = client.post(
        f"/api/v1/patrol-units/{there.pk}/status", {"step": "out_of_service"}, content_type="application/json"
    )
    _error(stood_down, 404)
    assert PatrolUnit.objects.get(pk=there.pk).status == "available"
    page = client.post(f"/tin-bao/to-cong-tac/{there.pk}/trang-thai/", {"step": "out_of_service"})
    assert page.status_code == 302 and PatrolUnit.objects.get(pk=there.pk).status == "available"
    position = client.post(f"/tin-bao/to-cong-tac/{there.pk}/vi-tri/", {"latitude": "16.2", "longitude": "108.1"})
    _error(position, 404)


def test_a_dispatcher_cannot_send_another_units_team(teams, dispatcher, client):
    here, there = teams
    report = _report()
    client.force_login(dispatcher)
    sent = client.post(
        f"/api/v1/incidents/reports/{report.pk}/dispatch", {"units": [there.pk]}, content_type="application/json"
    )
    _error(sent, 404)
    both = client.post(
        f"/api/v1/incidents/reports/{report.pk}/dispatch",
        {"units": [here.pk, there.pk]},
        content_type="application/json",
    )
    _error(both, 404)
    assert not Assignment.objects.exists()
    assert PatrolUnit.objects.get(pk=there.pk).status == "available"
    page = client.post(f"/tin-bao/xu-ly/{report.pk}/dieu-dong/", {"units": [there.pk]})
    assert page.status_code == 302 and not Assignment.objects.exists()


def test_recommendations_and_the_report_page_list_only_the_viewers_teams(teams, dispatcher, client):
    here, there = teams
    report = _report()
    client.force_login(dispatcher)
    recommended = client.get(f"/api/v1/incidents/reports/{report.pk}/recommendations")
    assert recommended.status_code == 200
    assert [team["call_sign"] for team in recommended.json()] == [here.call_sign]
    page = client.get(f"/tin-bao/xu-ly/{report.pk}/").content.decode()
    assert here.call_sign in page and there.call_sign not in page


def test_the_province_dispatcher_sends_teams_of_every_commune_below(teams, province, client):
    here, there = teams
    report = _report()
    leader_dispatcher = OfficerFactory(unit=province, roles=[roles.DISPATCHER])
    client.force_login(leader_dispatcher)
    recommended = client.get(f"/api/v1/incidents/reports/{report.pk}/recommendations").json()
    assert {team["call_sign"] for team in recommended} == {here.call_sign, there.call_sign}
    sent = client.post(
        f"/api/v1/incidents/reports/{report.pk}/dispatch", {"units": [there.pk]}, content_type="application/json"
    )
    assert sent.status_code == 201, sent.content


def test_a_member_acts_for_their_team_whatever_their_unit(teams, other_commune, client):
    here, _there = teams
    reinforcement = OfficerFactory(unit=other_commune, roles=[roles.SPECIALIST])
    here.members.add(reinforcement)
    client.force_login(reinforcement)
    moved = client.post(
        f"/api/v1/patrol-units/{here.pk}/position",
        {"latitude": 16.07, "longitude": 108.21},
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.content


def test_every_position_and_status_change_is_audited(teams, dispatcher, client, commune):
    here, _there = teams
    client.force_login(dispatcher)
    moved = client.post(
        f"/api/v1/patrol-units/{here.pk}/position",
        {"latitude": 16.07, "longitude": 108.21},
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.content
    buffer.flush()  # positions go through the buffered writer: a device sends one every few seconds
    position = AuditEvent.objects.get(action="incidents.unit.position")
    assert (position.actor_type, position.actor_id, position.target_type, position.target_id, position.unit_id) == (
        "officer",
        str(dispatcher.pk),
        "incidents.patrolunit",
        str(here.pk),
        commune.pk,
    )
    assert position.details == {"latitude": "16.070000", "longitude": "108.210000"}
    stood_down = client.post(
        f"/api/v1/patrol-units/{here.pk}/status", {"step": "out_of_service"}, content_type="application/json"
    )
    assert stood_down.status_code == 200, stood_down.content
    status = AuditEvent.objects.get(action="incidents.unit.out_of_service")
    assert (status.actor_id, status.target_id, status.unit_id) == (str(dispatcher.pk), str(here.pk), commune.pk)
    assert status.details == {"from": "available", "to": "out_of_service"}
    report = _report("r-audit")
    client.post(f"/api/v1/patrol-units/{here.pk}/status", {"step": "available"}, content_type="application/json")
    sent = client.post(
        f"/api/v1/incidents/reports/{report.pk}/dispatch", {"units": [here.pk]}, content_type="application/json"
    )
    assert sent.status_code == 201, sent.content
    dispatched = AuditEvent.objects.get(action="incidents.unit.dispatch")
    assert (dispatched.target_id, dispatched.unit_id) == (str(here.pk), commune.pk)
    assert dispatched.details == {"from": "available", "to": "dispatched", "report": report.pk}
