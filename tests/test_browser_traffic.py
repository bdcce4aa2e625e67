"""In a real browser: an officer opens a detected violation, corrects the plate the camera misread
and verifies it; a leader issues the notice; a citizen looks the plate up on the public page
(passing the proof-of-work challenge in the browser) and sees the violation, unpaid, with no owner."""

from __future__ import annotations

import pytest

from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.population.tests.factories import ResidentFactory
from congan.traffic.models import ViolationEvent
from congan.traffic.tests import factories
from tests.browser import chromium_page, sign_in
from tests.test_browser_incidents import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_corrects_a_plate_issues_the_notice_and_the_public_lookup_shows_it(
    live_server, province, commune, settings
):
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    settings.TRAFFIC_CHALLENGE_BITS = 10
    owner = ResidentFactory(full_name="Ngô Thị Lan", phone="0905777888")
    factories.vehicle(owner=owner, plate="43A12345")
    event = factories.event(factories.camera(commune), plate="43A12346", plate_read="43A-123.46")
    reviewer = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    leader = OfficerFactory(unit=commune, roles=[roles.LEADER])
    with chromium_page(live_server.url) as page:
        sign_in(page, reviewer.username, PASSWORD)
        page.goto("/giao-thong/vi-pham/")
        page.locator(f'a[href="/giao-thong/vi-pham/{event.pk}/"]').click()
        page.locator("#id_plate").fill("43A-123.45")
        page.get_by_test_id("verify").click()
        page.get_by_test_id("violation-owner").wait_for()
        assert page.get_by_test_id("violation-plate").inner_text() == "43A12345"
        assert "Ngô Thị Lan" in page.get_by_test_id("violation-owner").inner_text()
        assert page.get_by_test_id("violation-status").inner_text() == "Đã xác minh"
        page.context.clear_cookies()
        sign_in(page, leader.username, PASSWORD)
        page.goto(f"/giao-thong/vi-pham/{event.pk}/")
        page.get_by_test_id("issue-notice").click()
        page.get_by_test_id("notice-link").wait_for()
        assert page.get_by_test_id("violation-status").inner_text() == "Đã gửi thông báo"
        page.context.clear_cookies()
        page.goto("/giao-thong/tra-cuu/")
        page.locator("#id_lookup_plate").fill("43A-123.45")
        page.locator("#id_lookup_kind").select_option("car")
        page.get_by_test_id("lookup-submit").click()
        page.get_by_test_id("lookup-row").wait_for()
        row = page.get_by_test_id("lookup-row").inner_text()
        assert "CHƯA XỬ PHẠT" in row and "16824.6.9.b" in row and "Ngô Thị Lan" not in row
        assert page.console_errors == []
    assert ViolationEvent.objects.get(pk=event.pk).status == "notice_issued"
