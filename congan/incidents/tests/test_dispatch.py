"""Dispatch: nearest suitable unit, sending units, the unit's status steps and their timestamps,
the intervals and percentiles against hand-computed values, positions from devices, the board."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from congan.core import apikeys
from congan.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.models import ApiClient, AuditEvent
from congan.incidents import aggregates, dispatch, histogram, intervals, selectors, services
from congan.incidents.models import Assignment, PatrolUnit, Report
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db
SCENE = (Decimal("16.060000"), Decimal("108.220000"))


@pytest.fixture
def setup(province, commune):
    services.kinds_load(by="system")
    dispatcher = OfficerFactory(unit=commune, roles=[roles.DISPATCHER])
    return dispatcher


def _unit(call_sign, kind, lat, lon, unit, status=PatrolUnit.Status.AVAILABLE):
    return PatrolUnit.objects.create(
        call_sign=call_sign, kind=kind, unit=unit, latitude=Decimal(lat), longitude=Decimal(lon), status=status
    )


def _fire(key="f"):
    return services.report_submit(
        kind_code="CHAY.NHA",
        description="Cháy nhà dân, khói lớn",
        commune_code="20194",
        client_token=key,
        latitude=SCENE[0],
        longitude=SCENE[1],
        anonymous=True,
    ).report


def test_the_nearest_available_unit_of_a_suitable_kind_comes_first(setup, commune):
    far = _unit("PCCC-02", "fire", "16.100000", "108.220000", commune)  # ~4.4 km
    near = _unit("PCCC-01", "fire", "16.065000", "108.220000", commune)  # ~556 m
    _unit("363-01", "patrol", "16.060100", "108.220000", commune)  # closest, but not a fire team
    _unit("PCCC-03", "fire", "16.060100", "108.220000", commune, status="dispatched")  # busy
    ranked = dispatch.nearest_units(report=_fire(), viewer=setup)
    assert [c.unit for c in ranked] == [near, far]
    assert ranked[0].metres == 556
    assert ranked[0].seconds == round(556 * 1.4 / (30 / 3.6))  # road factor 1.4 at 30 km/h


def test_a_dispatch_sends_units_and_refuses_busy_ones(setup, commune):
    report = _fire()
    team = _unit("PCCC-01", "fire", "16.065000", "108.220000", commune)
    [assignment] = dispatch.dispatch(by=setup, report_id=report.pk, unit_ids=[team.pk])
    team.refresh_from_db()
    report.refresh_from_db()
    assert (team.status, report.status, report.dispatched_at) == ("dispatched", "in_progress", assignment.dispatched_at)
    assert assignment.estimated_seconds > 0
    with pytest.raises(Conflict):
        dispatch.dispatch(by=setup, report_id=_fire("g").pk, unit_ids=[team.pk])
    with pytest.raises(PermissionDenied):
        dispatch.dispatch(by=OfficerFactory(unit=commune, roles=[roles.CLERK]), report_id=report.pk, unit_ids=[team.pk])


def test_a_unit_steps_through_its_response_and_each_step_is_stamped(setup, commune):
    report = _fire()
    team = _unit("PCCC-01", "fire", "16.065000", "108.220000", commune)
    member = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    team.members.add(member)
    dispatch.dispatch(by=setup, report_id=report.pk, unit_ids=[team.pk])
    with pytest.raises(InvalidTransition):
        dispatch.unit_step(actor=member, unit_id=team.pk, step="available")
    start = dt.datetime(2026, 11, 22, 20, 0, tzinfo=dt.UTC)
    for minutes, step in ((1, "acknowledge"), (2, "en_route"), (9, "on_scene"), (40, "clear")):
        dispatch.unit_step(actor=member, unit_id=team.pk, step=step, at=start + dt.timedelta(minutes=minutes))
    assignment = Assignment.objects.get()
    assert [
        assignment.acknowledged_at.minute,
        assignment.en_route_at.minute,
        assignment.on_scene_at.minute,
        assignment.cleared_at.minute,
    ] == [1, 2, 9, 40]
    assert PatrolUnit.objects.get(pk=team.pk).status == "available"
    report.refresh_from_db()
    assert report.on_scene_at == start + dt.timedelta(minutes=9)
    outsider = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    with pytest.raises(NotFound):
        dispatch.unit_step(actor=outsider, unit_id=team.pk, step="out_of_service")
    # The team's steps are the team's, never the reporter's, and the audit names the member who stepped.
    steps = report.events.filter(action__in=["unit_acknowledge", "unit_en_route", "on_scene", "unit_clear"])
    assert sorted(steps.values_list("action", "actor_label")) == [
        ("on_scene", commune.name),
        ("unit_acknowledge", f"PCCC-01 · {commune.name}"),
        ("unit_clear", f"PCCC-01 · {commune.name}"),
        ("unit_en_route", f"PCCC-01 · {commune.name}"),
    ]
    audited = AuditEvent.objects.filter(action="incidents.report.on_scene", target_id=str(report.pk)).get()
    assert audited.actor_id == str(member.pk)


def test_intervals_and_percentiles_match_hand_computed_values(setup, commune):
    received = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)
    report = Report(
        received_at=received,
        on_scene_at=received + dt.timedelta(minutes=12),
        closed_at=received + dt.timedelta(hours=1),
    )
    assignment = Assignment(
        dispatched_at=received + dt.timedelta(minutes=2), en_route_at=received + dt.timedelta(minutes=3)
    )
    assert intervals.intervals_of(report, assignment) == {
        "processing": 120.0,
        "turnout": 60.0,
        "travel": 540.0,
        "response": 720.0,
        "total": 3600.0,
    }
    assert intervals.percentiles([60, 120, 180, 240, 300, 360, 420, 480, 540, 600]) == {"p50": 330.0, "p90": 546.0}
    assert intervals.percentiles([]) == {"p50": None, "p90": None}


def test_a_device_key_updates_only_its_own_unit(setup, commune, client):
    team = _unit("363-01", "patrol", "16.065000", "108.220000", commune)
    other = _unit("363-02", "patrol", "16.065000", "108.220000", commune)
    issued = apikeys.api_key_issue(
        by=setup,
        client=ApiClient.objects.create(name="Thiết bị 363-01"),
        name="tablet",
        scopes=["patrol.device"],
        rate_limit_per_minute=600,
    )
    team.device_key = issued.key
    team.save()
    headers = {"X-API-Key": issued.raw}
    moved = client.post(
        f"/api/v1/patrol-units/{team.pk}/position",
        {"latitude": 16.07, "longitude": 108.21},
        content_type="application/json",
        headers=headers,
    )
    assert moved.status_code == 200 and moved.json()["latitude"] == "16.070000"
    dispatch.unit_position(
        actor=issued.key,
        unit_id=team.pk,
        latitude="16.01",
        longitude="108.01",
        at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    )
    team.refresh_from_db()
    assert team.latitude == Decimal("16.070000")  # an older fix does not overwrite a newer one
    refused = client.post(
        f"/api/v1/patrol-units/{other.pk}/position",
        {"latitude": 16.07, "longitude": 108.21},
        content_type="application/json",
        headers=headers,
    )
    assert refused.status_code == 404 and set(refused.json()) == {"code", "message", "details"}
    outside = client.post(
        f"/api/v1/patrol-units/{team.pk}/position",
        {"latitude": 48.8, "longitude": 2.3},
        content_type="application/json",
        headers=headers,
    )
    assert outside.status_code == 422


def test_dispatch_through_the_api_and_the_pages(setup, commune, client):
    report = _fire()
    team = _unit("PCCC-01", "fire", "16.065000", "108.220000", commune)
    client.force_login(setup)
    recommended = client.get(f"/api/v1/incidents/reports/{report.pk}/recommendations").json()
    assert [c["call_sign"] for c in recommended] == ["PCCC-01"]
    page = client.get(f"/tin-bao/xu-ly/{report.pk}/")
    assert "PCCC-01" in page.content.decode()
    sent = client.post(
        f"/api/v1/incidents/reports/{report.pk}/dispatch", {"units": [team.pk]}, content_type="application/json"
    )
    assert sent.status_code == 201
    again = client.post(
        f"/api/v1/incidents/reports/{report.pk}/dispatch", {"units": [team.pk]}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    board = client.get("/tin-bao/dieu-phoi/")
    assert board.status_code == 200 and report.tracking_code in board.content.decode()
    data = client.get("/tin-bao/dieu-phoi/du-lieu.json").json()
    assert [r["code"] for r in data["reports"]] == [report.tracking_code]
    assert data["units"][0]["status"] == "dispatched"


def test_the_field_page_lets_a_member_move_their_team(setup, commune, client):
    report = _fire()
    team = _unit("PCCC-01", "fire", "16.065000", "108.220000", commune)
    member = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    team.members.add(member)
    dispatch.dispatch(by=setup, report_id=report.pk, unit_ids=[team.pk])
    client.force_login(member)
    page = client.get("/tin-bao/to-cong-tac/")
    assert report.tracking_code in page.content.decode()
    client.post(f"/tin-bao/to-cong-tac/{team.pk}/trang-thai/", {"step": "on_scene"})
    assert PatrolUnit.objects.get(pk=team.pk).status == "on_scene"
    moved = client.post(f"/tin-bao/to-cong-tac/{team.pk}/vi-tri/", {"latitude": "16.061", "longitude": "108.221"})
    assert moved.status_code == 200
    tracked = client.get("/tin-bao/theo-doi/", {"code": report.tracking_code}).content.decode()
    assert "Lực lượng đã có mặt tại hiện trường." in tracked and "PCCC-01" not in tracked
    assert "Người báo tin</span></li>" not in tracked.split("Lực lượng đã có mặt")[1]
    client.force_login(setup)
    timeline = client.get(f"/tin-bao/xu-ly/{report.pk}/").content.decode().split('class="timeline"')[1]
    assert "Điều động lực lượng" in timeline and "Có mặt tại hiện trường" in timeline
    assert "dispatch_units" not in timeline and "in_progress" not in timeline and "→ Đang xử lý" in timeline


def near(minutes: float):
    return pytest.approx(minutes, rel=histogram.RELATIVE_RESOLUTION + 1e-9)


def test_response_metrics_give_the_percentiles_of_each_interval_by_group(setup, commune, client):
    received = timezone.now() - dt.timedelta(hours=3)
    team = _unit("PCCC-01", "fire", "16.065000", "108.220000", commune)
    for index, travel in enumerate((4, 8, 12)):  # minutes on the road
        report = _fire(f"m{index}")
        Report.objects.filter(pk=report.pk).update(
            received_at=received,
            dispatched_at=received + dt.timedelta(minutes=2),
            on_scene_at=received + dt.timedelta(minutes=3 + travel),
        )
        Assignment.objects.create(
            report=report,
            patrol_unit=team,
            dispatched_at=received + dt.timedelta(minutes=2),
            en_route_at=received + dt.timedelta(minutes=3),
            on_scene_at=received + dt.timedelta(minutes=3 + travel),
            cleared_at=received + dt.timedelta(minutes=30),
        )
    aggregates.rebuild()  # the timestamps above were written directly, past the services
    figures = selectors.response_metrics(viewer=setup, since=received - dt.timedelta(days=1))
    [row] = figures["tables"]["kind"]
    assert (row["key"], row["count"]) == ("Cháy, nổ, cứu nạn", 3)
    # Read from bucket counts: within the histogram's resolution of the exact percentiles.
    assert row["processing"] == {"p50": near(2.0), "p90": near(2.0)}
    assert row["travel"] == {"p50": near(8.0), "p90": near(11.2)}  # inclusive method: 8 + 0.8 × (12 - 8)
    assert row["response"] == {"p50": near(11.0), "p90": near(14.2)}
    assert row["total"] == {"p50": None, "p90": None}  # none closed yet
    assert (figures["open"], figures["overdue"]) == (3, 3)  # urgent reports open for 3 hours
    client.force_login(setup)
    page = client.get("/tin-bao/thong-ke/")
    assert page.status_code == 200 and "Cháy, nổ, cứu nạn" in page.content.decode()


def test_heat_cells_count_reports_per_grid_cell(setup, commune, other_commune_officer):
    for index, (lat, lon) in enumerate([("16.0601", "108.2201"), ("16.0604", "108.2249"), ("16.0651", "108.2201")]):
        services.report_submit(
            kind_code="CHAY.NHA",
            description="Cháy nhà dân, khói lớn",
            commune_code="20194",
            client_token=f"h{index}",
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            anonymous=True,
        )
    since = timezone.now() - dt.timedelta(days=1)
    # 16.0601 and 16.0604 share the cell [16.060, 16.065) × [108.220, 108.225); 16.0651 is the next row up.
    assert selectors.heat_cells(viewer=setup, since=since) == [[16.0625, 108.2225, 2], [16.0675, 108.2225, 1]]
    assert selectors.heat_cells(viewer=other_commune_officer, since=since) == []


def test_the_search_widens_until_enough_teams_and_falls_back_to_all(setup, commune):
    far = _unit("363-99", "fire", "16.500000", "108.220000", commune)  # ~49 km: outside every box
    assert [c.unit for c in dispatch.nearest_units(report=_fire("w1"), viewer=setup)] == [far]
    near = [_unit(f"PCCC-{i:02d}", "fire", f"{16.061 + i * 0.001:.6f}", "108.220000", commune) for i in range(12)]
    ranked = dispatch.nearest_units(report=_fire("w2"), viewer=setup, limit=3)
    assert [c.unit for c in ranked] == near[:3]


def test_a_report_without_a_map_point_is_dispatched_to_a_team_chosen_by_hand(setup, commune, client):
    report = services.report_submit(
        kind_code="CHAY.NHA",
        description="Cháy nhà dân trong kiệt, chưa rõ số nhà",
        commune_code="20194",
        client_token="no-point",
        anonymous=True,
    ).report
    assert report.latitude is None
    team = _unit("PCCC-01", "fire", "16.065000", "108.220000", commune)
    _unit("363-01", "patrol", "16.060100", "108.220000", commune)  # not suited to a fire

    [candidate] = dispatch.nearest_units(report=report, viewer=setup)
    assert (candidate.unit, candidate.metres, candidate.seconds) == (team, None, None)
    client.force_login(setup)
    page = client.get(f"/tin-bao/xu-ly/{report.pk}/").content.decode()
    assert "Tin báo chưa có tọa độ" in page and f'value="{team.pk}"' in page
    kind = page.split("Loại</dt><dd>")[1].split("</dd>")[0]
    assert kind == "Cháy nhà, công trình"  # the kind by its name, not its code
    client.post(f"/tin-bao/xu-ly/{report.pk}/dieu-dong/", {"units": [team.pk]})
    team.refresh_from_db()
    assert team.status == "dispatched"


def _report_without_a_point(key="no-point-2"):
    return services.report_submit(
        kind_code="CHAY.NHA",
        description="Cháy nhà dân trong kiệt, chưa rõ số nhà",
        commune_code="20194",
        client_token=key,
        anonymous=True,
    ).report


def test_the_dispatcher_sets_the_location_and_the_teams_are_ranked_by_it(setup, commune, client):
    report = _report_without_a_point()
    near = _unit("PCCC-01", "fire", "16.065000", "108.220000", commune)
    far = _unit("PCCC-02", "fire", "16.100000", "108.220000", commune)
    client.force_login(setup)
    response = client.post(
        f"/tin-bao/xu-ly/{report.pk}/vi-tri/",
        {"latitude": "16.060000", "longitude": "108.220000", "address": "Kiệt 12 Trần Phú"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.latitude, report.longitude, report.address) == (*SCENE, "Kiệt 12 Trần Phú")
    assert [c.unit for c in dispatch.nearest_units(report=report, viewer=setup)] == [near, far]
    step = report.events.get(action="locate")
    assert (step.action_display(), step.public) == ("Xác định vị trí", False)
    assert AuditEvent.objects.filter(action="incidents.report.locate", target_id=str(report.pk)).exists()


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [("", "", "Bấm vào bản đồ"), ("abc", "108.2", "Tọa độ không hợp lệ"), ("48.85", "2.35", "ngoài lãnh thổ")],
)
def test_a_location_that_cannot_be_true_is_refused(setup, latitude, longitude, message):
    report = _report_without_a_point()
    with pytest.raises(ValidationFailed) as refused:
        services.report_set_location(by=setup, report_id=report.pk, latitude=latitude, longitude=longitude)
    assert message in str(refused.value.details)
    report.refresh_from_db()
    assert report.latitude is None


def test_a_report_is_transferred_to_another_communes_police_with_its_timeline(setup, commune, other_commune):
    report = _report_without_a_point()
    services.report_transfer(
        by=setup, report_id=report.pk, commune_code="20197", reason="Địa điểm thuộc phường Liên Chiểu"
    )
    report.refresh_from_db()
    assert (report.unit, report.commune_code) == (other_commune, "20197")
    step = report.events.get(action="transfer")
    assert step.public and "Công an phường Liên Chiểu" in step.note
    assert [event.action for event in selectors.public_timeline(report=report)][-1] == "transfer"
    with pytest.raises(NotFound):  # it is the other commune's now
        services.report_transfer(by=setup, report_id=report.pk, commune_code="20194", reason="Chuyển lại cho đúng")


def test_a_transfer_names_its_target_and_reason_and_waits_for_the_teams_out(setup, commune, other_commune):
    report = _fire("t")
    with pytest.raises(ValidationFailed) as refused:
        services.report_transfer(by=setup, report_id=report.pk, commune_code="99999", reason="x")
    assert set(refused.value.details) == {"commune_code", "reason"}
    team = _unit("PCCC-01", "fire", "16.065000", "108.220000", commune)
    dispatch.dispatch(by=setup, report_id=report.pk, unit_ids=[team.pk])
    with pytest.raises(InvalidTransition):
        services.report_transfer(by=setup, report_id=report.pk, commune_code="20197", reason="Thuộc phường bên cạnh")
    report.refresh_from_db()
    assert report.unit == commune


def test_the_team_reads_its_task_finds_the_way_and_reports_the_outcome(setup, commune, client):
    report = _fire("field-2")
    team = _unit("PCCC-01", "fire", "16.065000", "108.220000", commune)
    member = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    team.members.add(member)
    dispatch.dispatch(by=setup, report_id=report.pk, unit_ids=[team.pk])
    client.force_login(member)
    page = client.get("/tin-bao/to-cong-tac/").content.decode()
    assert "Cháy nhà dân, khói lớn" in page  # the description
    assert 'href="geo:16.060000,108.220000?q=16.060000,108.220000"' in page
    client.post(f"/tin-bao/to-cong-tac/{team.pk}/trang-thai/", {"step": "on_scene"})
    client.post(
        f"/tin-bao/to-cong-tac/{team.pk}/trang-thai/",
        {"step": "clear", "outcome": "Đã dập tắt đám cháy,   không có thương vong."},
    )
    assert PatrolUnit.objects.get(pk=team.pk).status == "available"
    cleared = report.events.get(action="unit_clear")
    assert cleared.note == "PCCC-01: Đã dập tắt đám cháy, không có thương vong." and not cleared.public
    assert 'data-testid="clear-form"' not in client.get("/tin-bao/to-cong-tac/").content.decode()  # no task left
