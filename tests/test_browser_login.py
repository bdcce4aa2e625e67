"""The key flow in a real browser: sign in, dashboard, language switch, sign out."""

from __future__ import annotations

import pytest

from congan.org import demo
from congan.org.models import Officer
from tests.browser import chromium_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_officer_signs_in_sees_dashboard_switches_language_and_signs_out(live_server, tmp_path):
    demo.demo_build(officers=20)
    officer = Officer.objects.get(username="nghiepvu")
    with chromium_page(live_server.url) as page:
        page.goto("/")
        page.get_by_role("link", name="Cán bộ đăng nhập").first.click()
        page.get_by_label("Tên đăng nhập").fill(officer.username)
        page.get_by_label("Mật khẩu").fill(demo.DEMO_PASSWORD)
        page.get_by_test_id("login-submit").click()

        page.wait_for_url("**/tong-quan/")
        assert page.locator("h1").first.inner_text().startswith("Tổng quan")
        assert officer.full_name in page.content()
        assert "Tổ chức, cán bộ" in page.content()  # the unit's figures panel
        page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)

        page.select_option("#lang-select", "en")
        page.wait_for_selector("html[lang=en]", state="attached")
        assert page.locator("h1").first.inner_text().startswith("Dashboard")

        page.get_by_test_id("logout").click()
        page.wait_for_url("**/dang-nhap/")
        page.goto("/tong-quan/")
        assert "/dang-nhap/" in page.url
        assert page.console_errors == []
