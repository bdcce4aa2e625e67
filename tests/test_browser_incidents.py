"""In a real browser: a citizen reports a fire with their location, a pin on the map and a photo and
gets a tracking code; the dispatcher sees it on the board (Leaflet, no tiles), sends the recommended team; the team
marks on scene and cleared on its field page; the citizen sees the change."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from PIL import Image

from congan.incidents import services
from congan.incidents.models import PatrolUnit, Report
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from tests.browser import chromium_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-1"  # set by OfficerFactory


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "orange").save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_report_goes_from_citizen_to_dispatcher_to_team_and_back(live_server, province, commune, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    services.kinds_load(by="system")
    dispatcher = OfficerFactory(unit=commune, roles=[roles.DISPATCHER])
    member = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    team = PatrolUnit.objects.create(
        call_sign="PCCC-01", kind="fire", unit=commune, latitude=Decimal("16.065000"), longitude=Decimal("108.220000")
    )
    team.members.add(member)
    where = {"latitude": 16.06, "longitude": 108.22}
    with chromium_page(live_server.url, geolocation=where, permissions=["geolocation"]) as page:
        page.goto("/tin-bao/")
        page.get_by_label("Loại sự việc").select_option("CHAY.NHA")
        page.get_by_label("Mô tả sự việc").fill("Cháy nhà hai tầng, khói đen, có người mắc kẹt")
        page.get_by_label("Xã, phường nơi xảy ra").select_option("20194")
        page.get_by_test_id("use-location").click()  # centres the map on the phone's position
        page.wait_for_function("document.getElementById('id_latitude').value !== ''")
        pin_map = page.get_by_test_id("report-map")
        box = pin_map.bounding_box()
        pin_map.click(position={"x": box["width"] / 2 + 40, "y": box["height"] / 2}, force=True)  # a pin, a bit east
        pinned = float(page.locator("#id_longitude").input_value())
        assert 108.2201 < pinned < 108.23  # the pin moved the place, not the phone
        page.locator("input[name=media]").set_input_files(
            {"name": "hien-truong.jpg", "mimeType": "image/jpeg", "buffer": _photo()}
        )
        page.get_by_label("Báo tin ẩn danh (không để lại thông tin liên hệ)").check()
        page.get_by_test_id("report-submit").click()
        page.wait_for_selector("[data-testid=tracking-code]")
        code = page.get_by_test_id("tracking-code").inner_text()
        report = Report.objects.get(tracking_code=code)
        assert (report.priority, round(float(report.latitude), 3), report.media.count()) == ("urgent", 16.06, 1)
        assert float(report.longitude) == pinned
        citizen_errors = list(page.console_errors)

        sign_in(page, dispatcher.username, PASSWORD)
        page.goto("/tin-bao/dieu-phoi/")
        page.wait_for_selector("#board-map.leaflet-container")
        page.wait_for_selector("#board-map path.leaflet-interactive")  # the report and team markers
        assert code in page.get_by_test_id("board-reports").inner_text()
        page.get_by_role("link", name=code).first.click()
        page.get_by_test_id("dispatch").click()
        assert "PCCC-01" in page.get_by_test_id("assignments").inner_text()
        page.get_by_test_id("logout").click()

        sign_in(page, member.username, PASSWORD)
        page.goto("/tin-bao/to-cong-tac/")
        for step in ("acknowledge", "en_route", "on_scene"):
            page.get_by_test_id(f"step-{step}").click()
            page.wait_for_load_state()
        assert page.get_by_test_id("team-status").inner_text() == "Có mặt tại hiện trường"
        page.get_by_test_id("step-clear").click()
        page.get_by_test_id("logout").click()

        page.goto(f"/tin-bao/theo-doi/?code={code}")
        timeline = page.get_by_test_id("timeline").inner_text()
        assert "Lực lượng đã có mặt tại hiện trường." in timeline and "PCCC-01" not in timeline
        assert page.get_by_test_id("status").inner_text() == "Đang xử lý"
        assert citizen_errors == [] and page.console_errors == []


def test_a_dispatcher_places_a_report_that_came_without_a_point_then_hands_another_over(
    live_server, province, commune, other_commune
):
    services.kinds_load(by="system")
    dispatcher = OfficerFactory(unit=commune, roles=[roles.DISPATCHER])
    PatrolUnit.objects.create(
        call_sign="PCCC-01", kind="fire", unit=commune, latitude=Decimal("16.065000"), longitude=Decimal("108.220000")
    )
    phoned, elsewhere = (
        services.report_submit(
            kind_code="CHAY.NHA",
            description=f"Cháy nhà dân trong kiệt, gọi qua đường dây nóng ({n})",
            commune_code="20194",
            client_token=f"phone-{n}",
            anonymous=True,
        ).report
        for n in (1, 2)
    )
    with chromium_page(live_server.url, viewport={"width": 390, "height": 844}) as page:
        sign_in(page, dispatcher.username, PASSWORD)
        page.goto(f"/tin-bao/xu-ly/{phoned.pk}/")
        assert "Tin báo chưa có tọa độ" in page.get_by_test_id("location-form").inner_text()
        page.wait_for_selector("#report-map.leaflet-container")
        page.locator("#report-map").click(force=True)  # the map's centre: the province
        page.get_by_label("Địa chỉ").fill("Kiệt 74 Trần Phú")
        page.get_by_test_id("set-location").click()
        page.wait_for_load_state()
        phoned.refresh_from_db()
        assert phoned.latitude is not None and phoned.address == "Kiệt 74 Trần Phú"
        assert " m · ~" in page.get_by_test_id("dispatch-form").inner_text()  # teams ranked by distance now

        page.goto(f"/tin-bao/xu-ly/{elsewhere.pk}/")
        page.locator("input.select-search[aria-controls=id_transfer_commune]").fill("lien chieu")
        page.get_by_label("Lý do chuyển").fill("Địa điểm thuộc phường Liên Chiểu")
        page.get_by_test_id("transfer").click()
        page.wait_for_url("**/tin-bao/xu-ly/")
        elsewhere.refresh_from_db()
        assert elsewhere.unit == other_commune
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.console_errors == []
