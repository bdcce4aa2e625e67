"""Cameras: heartbeats through the API with a camera's own key, online status, uptime against
the expected heartbeats, the board's camera layer; vehicles: registration with parsed plates,
owners and one active vehicle per plate."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from congan.core import apikeys
from congan.core.errors import Conflict, PermissionDenied, ValidationFailed
from congan.core.models import ApiClient
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.org.tests.otp import verified_login
from congan.population.tests.factories import ResidentFactory
from congan.traffic import selectors, services
from congan.traffic.models import Camera, CameraUptimeHour, Vehicle

pytestmark = pytest.mark.django_db


def _camera(unit, code="CAM-001", **extra) -> Camera:
    values = {
        "name": "Nút giao Điện Biên Phủ — Nguyễn Tri Phương",
        "kind": "red_light",
        "latitude": Decimal("16.06"),
        "longitude": Decimal("108.20"),
        "unit": unit,
        **extra,
    }
    return Camera.objects.create(code=code, **values)


def _device_key(admin, camera, scopes=("camera.device",)):
    issued = apikeys.api_key_issue(
        by=admin, client=ApiClient.objects.create(name=f"Camera {camera.code}"), name=camera.code, scopes=list(scopes)
    )
    camera.device_key = issued.key
    camera.save()
    return issued


def test_a_camera_reports_alive_with_its_own_key_and_counts_in_its_hour(client, commune, admin_officer):
    camera = _camera(commune)
    issued = _device_key(admin_officer, camera)
    assert not camera.online
    for _ in range(3):
        answer = client.post(
            "/api/v1/cameras/heartbeat", {}, content_type="application/json", headers={"X-API-Key": issued.raw}
        )
        assert answer.status_code == 200 and answer.json()["online"] is True
    assert CameraUptimeHour.objects.get(camera=camera).beats == 3
    earlier = timezone.now() - dt.timedelta(hours=2)
    services.camera_heartbeat(key=issued.key, at=earlier)
    camera.refresh_from_db()
    assert camera.last_seen_at > earlier  # a late, older heartbeat does not move the clock back
    assert CameraUptimeHour.objects.filter(camera=camera).count() == 2


def test_heartbeat_errors(client, commune, admin_officer):
    camera = _camera(commune)
    wrong_scope = _device_key(admin_officer, camera, scopes=("open311.post",))
    refused = client.post(
        "/api/v1/cameras/heartbeat", {}, content_type="application/json", headers={"X-API-Key": wrong_scope.raw}
    )
    assert refused.status_code == 403 and set(refused.json()) == {"code", "message", "details"}
    unattached = apikeys.api_key_issue(
        by=admin_officer, client=ApiClient.objects.create(name="Khác"), name="x", scopes=["camera.device"]
    )
    missing = client.post(
        "/api/v1/cameras/heartbeat", {}, content_type="application/json", headers={"X-API-Key": unattached.raw}
    )
    assert missing.status_code == 404
    assert client.post("/api/v1/cameras/heartbeat", {}, content_type="application/json").status_code == 401


def test_uptime_is_heartbeats_received_against_those_expected(commune, officer, settings):
    settings.TRAFFIC_HEARTBEAT_SECONDS = 60
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    steady = _camera(commune, "CAM-A")
    _camera(commune, "CAM-B")  # never heard from
    for hours_ago in range(24):
        CameraUptimeHour.objects.create(camera=steady, hour=now - dt.timedelta(hours=hours_ago + 1), beats=60)
    rows = {row.camera.code: row for row in selectors.camera_uptime(viewer=officer, days=2, now=now)}
    assert (rows["CAM-A"].beats, rows["CAM-A"].expected, rows["CAM-A"].percent) == (1440, 2880, 50.0)
    assert rows["CAM-B"].percent == 0.0
    young = _camera(commune, "CAM-C", installed_on=timezone.localdate(now))
    row = next(r for r in selectors.camera_uptime(viewer=officer, days=2, now=now) if r.camera == young)
    midnight = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time()))
    assert row.expected == int((now - midnight).total_seconds() // 60)  # counted from the day it was installed


def test_cameras_page_list_and_board_layer_are_unit_scoped(client, commune, other_commune, officer):
    _camera(commune, "CAM-HV", last_seen_at=timezone.now())
    _camera(other_commune, "CAM-LC")
    client.force_login(officer)
    page = client.get("/giao-thong/camera/").content.decode()
    assert "CAM-HV" in page and "CAM-LC" not in page and "Trực tuyến" in page
    listed = client.get("/api/v1/cameras").json()
    assert [row["code"] for row in listed] == ["CAM-HV"]
    board = client.get("/tin-bao/dieu-phoi/du-lieu.json").json()
    assert [camera["code"] for camera in board["cameras"]] == ["CAM-HV"]


def test_a_vehicle_is_registered_with_its_parsed_plate_and_owner(commune):
    clerk = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    owner = ResidentFactory()
    bike = services.vehicle_register(
        by=clerk, plate="43-B1 123.45", kind="motorbike", owner_personal_id=owner.personal_id, brand="Honda"
    )
    assert (bike.plate, bike.owner, bike.plate_colour) == ("43B112345", owner, "white")
    old_bike = services.vehicle_register(
        by=clerk, plate="43B11234", kind="motorbike", owner_personal_id=owner.personal_id
    )
    assert old_bike.plate == "43B11234"
    taxi = services.vehicle_register(
        by=clerk, plate="43A-999.99", kind="car", plate_colour="yellow", owner_organisation="Công ty Taxi Tiên Sa"
    )
    assert (taxi.owner, taxi.owner_organisation) == (None, "Công ty Taxi Tiên Sa")
    services.vehicle_register(by=clerk, plate="43A-999.99", kind="car", owner_organisation="Người khác")  # white plate
    with pytest.raises(Conflict):
        services.vehicle_register(by=clerk, plate="43A99999", kind="car", plate_colour="yellow", owner_organisation="X")
    with pytest.raises(ValidationFailed) as caught:
        services.vehicle_register(by=clerk, plate="43I-123.45", kind="tank", owner_personal_id="000000000000")
    assert set(caught.value.details) == {"plate", "kind", "owner_personal_id"}
    with pytest.raises(PermissionDenied):
        services.vehicle_register(
            by=OfficerFactory(unit=commune, roles=[roles.CLERK]), plate="43A-111.11", kind="car", owner_organisation="X"
        )
    assert Vehicle.objects.count() == 4


def test_the_demo_adds_cameras_and_vehicles_once():
    call_command("demo", "--residents", "400", "--dossiers", "0", "--reports", "0", stdout=io.StringIO())
    assert Camera.objects.count() == 40 and Camera.objects.filter(last_seen_at__isnull=True).exists()
    assert Vehicle.objects.count() == 20 and all(
        plate[:2] in ("43", "92") for plate in Vehicle.objects.values_list("plate", flat=True)
    )
    call_command("demo", "--residents", "400", "--dossiers", "0", "--reports", "0", stdout=io.StringIO())
    assert (Camera.objects.count(), Vehicle.objects.count()) == (40, 20)


@pytest.mark.parametrize(
    ("role", "linked"), [(roles.DISPATCHER, True), (roles.LEADER, True), (roles.SPECIALIST, False)]
)
def test_the_cameras_page_links_the_dispatch_board_only_for_those_who_may_open_it(client, commune, role, linked):
    viewer = OfficerFactory(unit=commune, roles=[role])
    verified_login(client, viewer)  # leaders pass a second factor
    page = client.get("/giao-thong/camera/").content.decode()
    assert ('data-testid="cameras-board-link"' in page) is linked
    assert (client.get("/tin-bao/dieu-phoi/").status_code == 200) is linked


def test_the_cameras_list_sorts_filters_by_last_signal_and_exports_what_it_shows(
    client, commune, other_commune, officer
):
    import csv

    from openpyxl import load_workbook

    tz = timezone.get_current_timezone()
    _camera(commune, "CAM-B", name="=Ngã tư Hàm Nghi", last_seen_at=dt.datetime(2026, 3, 10, 8, 0, tzinfo=tz))
    _camera(commune, "CAM-A", name="Cầu Rồng", last_seen_at=dt.datetime(2026, 2, 1, 8, 0, tzinfo=tz))
    _camera(commune, "CAM-C", name="Chưa kết nối")
    _camera(other_commune, "CAM-X", name="Camera phường khác", last_seen_at=dt.datetime(2026, 3, 10, 9, tzinfo=tz))
    client.force_login(officer)

    codes = [row.camera.code for row in client.get("/giao-thong/camera/", {"sort": "-code"}).context["rows"]]
    assert codes == ["CAM-C", "CAM-B", "CAM-A"]
    by_name = [row.camera.name for row in client.get("/giao-thong/camera/", {"sort": "name"}).context["rows"]]
    assert by_name == ["Cầu Rồng", "Chưa kết nối", "=Ngã tư Hàm Nghi"]  # Vietnamese order; signs after letters
    march = client.get("/giao-thong/camera/", {"date_from": "01/03/2026", "date_to": "31/03/2026"})
    assert [row.camera.code for row in march.context["rows"]] == ["CAM-B"]

    exported = client.get("/giao-thong/camera/", {"sort": "code", "export": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã", "Vị trí", "Tuyến đường"] and rows[0][-1] == "Hoạt động 7 ngày (%)"
    assert [row[0] for row in rows[1:]] == ["CAM-A", "CAM-B", "CAM-C"]  # not the other commune's CAM-X
    assert rows[2][1] == "'=Ngã tư Hàm Nghi" and rows[2][5] == "Mất tín hiệu" and rows[2][6] == "10/03/2026 08:00"
    sheet = load_workbook(io.BytesIO(client.get("/giao-thong/camera/", {"sort": "code", "export": "xlsx"}).content))
    values = [[cell.value for cell in row] for row in sheet.active.iter_rows()]
    assert values[2][1] == "'=Ngã tư Hàm Nghi" and isinstance(values[2][7], int | float) and values[3][6] in ("", None)
