"""In a real browser: a citizen registers, submits a prefilled dossier with an attachment, an
officer receives and approves it, the citizen downloads the result and rates it."""

from __future__ import annotations

import re

import pytest

from congan.eservices.catalogue import catalogue_load
from congan.eservices.models import Dossier
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.population.tests.factories import ResidentFactory
from tests.browser import chromium_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CITIZEN_PASSWORD = "mat-khau-cong-dan-2026"
OFFICER_PASSWORD = "mat-khau-thu-nghiem-1"  # set by OfficerFactory
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def desk(commune, province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    catalogue_load(by="system")
    commune.agency_code = "000.00.20.H48"
    commune.save()
    resident = ResidentFactory(
        unit=commune,
        full_name="Đoàn Thị Mai",
        sex="female",
        birth_year=1988,
        birth_month=9,
        birth_day=2,
        phone="0905222333",
        current_street="Số 5 Bạch Đằng",
    )
    officer = OfficerFactory(unit=commune, roles=[roles.RECEPTION, roles.PROCESSING])
    return resident, officer


def _citizen_signs_in(page, resident) -> None:
    page.goto("/cong-dan/dang-nhap/")
    page.get_by_label("Số định danh cá nhân").fill(resident.personal_id)
    page.get_by_label("Mật khẩu").fill(CITIZEN_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dich-vu-cong/cua-toi/")


def test_a_citizen_applies_online_and_an_officer_approves(live_server, desk):
    resident, officer = desk
    with chromium_page(live_server.url) as page:
        page.goto("/cong-dan/dang-ky/")
        page.get_by_label("Số định danh cá nhân").fill(resident.personal_id)
        page.get_by_label("Họ, chữ đệm và tên").fill("doan thi mai")  # typed without diacritics
        page.get_by_label("Ngày sinh").fill("02/09/1988")
        page.get_by_label("Số điện thoại").fill("0905222333")
        page.locator("input[name=password]").fill(CITIZEN_PASSWORD)
        page.locator("input[name=password_again]").fill(CITIZEN_PASSWORD)
        page.get_by_role("button", name="Đăng ký").click()
        page.wait_for_url("**/dich-vu-cong/cua-toi/")
        assert resident.personal_id in page.locator("[data-testid=my-profile]").inner_text()

        page.goto("/dich-vu-cong/thu-tuc/CA.CT.02/")
        page.get_by_test_id("submit-online").click()
        assert "6" in page.get_by_test_id("prefilled-count").inner_text()
        assert page.get_by_label("Họ, chữ đệm và tên").is_disabled()
        page.get_by_label("Xã, phường nơi đăng ký").select_option(label="Phường Hải Vân")
        page.get_by_label("Số nhà, đường, thôn, tổ").fill("Số 12 Lê Lợi")
        page.locator("input[name=file_0]").set_input_files(
            {"name": "xac-nhan-cho-o.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        page.get_by_test_id("submit-dossier").click()
        page.wait_for_url(re.compile(r".*/dich-vu-cong/ho-so/.+/$"))
        code = page.get_by_test_id("dossier-code").inner_text()
        dossier = Dossier.objects.get(code=code)
        assert dossier.attachments.count() == 1 and dossier.data["full_name"] == "Đoàn Thị Mai"
        receipt = page.request.get(page.get_by_test_id("receipt-pdf").get_attribute("href"))
        assert receipt.ok and receipt.body().startswith(b"%PDF-")
        page.get_by_test_id("citizen-logout").click()

        sign_in(page, officer.username, OFFICER_PASSWORD)
        page.goto("/dich-vu-cong/xu-ly/")
        page.get_by_role("link", name=code).click()
        for action in ("receive", "start", "approve"):
            page.get_by_test_id(f"act-{action}").click()
            page.wait_for_load_state()
        assert page.get_by_test_id("officer-status").inner_text() == "Đã duyệt"
        page.get_by_test_id("logout").click()

        _citizen_signs_in(page, resident)
        page.get_by_role("link", name=code).click()
        assert page.get_by_test_id("dossier-status").inner_text() == "Đã duyệt"
        result = page.request.get(page.get_by_test_id("result-pdf").get_attribute("href"))
        assert result.ok and result.body().startswith(b"%PDF-")
        page.get_by_label("5 — Rất hài lòng").check()
        page.get_by_role("button", name="Gửi đánh giá").click()
        page.wait_for_selector("[data-testid=rating-done]")
        assert dossier.__class__.objects.get(pk=dossier.pk).rating.score == 5

        page.goto(f"/dich-vu-cong/xac-minh/{Dossier.objects.get(pk=dossier.pk).verify_token}/")
        assert page.get_by_test_id("verified").is_visible()
        assert page.console_errors == []
