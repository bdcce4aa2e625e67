"""In a real browser: search a name without diacritics, open the profile with a purpose, see the lookup."""

from __future__ import annotations

import pytest

from congan.population.tests.factories import ResidentFactory
from tests.browser import chromium_page, open_menu, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_finds_a_resident_and_sees_their_own_lookup(live_server, officer, commune):
    resident = ResidentFactory(unit=commune, full_name="Nguyễn Thị Hoà")
    with chromium_page(live_server.url) as page:
        sign_in(page, officer.username, "mat-khau-thu-nghiem-1")

        open_menu(page, "Dân cư", "Tra cứu dân cư")
        page.get_by_label("Họ tên hoặc số định danh").fill("nguyen thi hoa")
        page.get_by_test_id("search-submit").click()
        page.get_by_role("link", name="Nguyễn Thị Hoà").click()

        page.get_by_label("Lý do tra cứu").select_option("Quản lý cư trú")
        page.get_by_label("Nội dung cụ thể").fill("Hồ sơ CT01 số 7")
        page.get_by_test_id("purpose-submit").click()
        page.wait_for_selector("[data-testid=who-viewed]")
        assert resident.personal_id in page.content()
        assert "Quản lý cư trú" in page.locator("[data-testid=who-viewed]").inner_text()
        who_viewed = page.locator("[data-testid=who-viewed]").inner_text()
        assert officer.full_name in who_viewed and officer.username not in who_viewed
        assert page.console_errors == []
