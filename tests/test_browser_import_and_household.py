"""In a real browser: upload an enrichment file and watch its batch finish; state a purpose and record a
household change."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.population.models import Relationship, Resident
from congan.population.tests.factories import HouseholdFactory, ResidentFactory
from tests.browser import chromium_page, open_menu, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-1"


def test_an_uploaded_file_is_imported_in_the_background_and_its_rejects_listed(
    live_server, commune, settings, tmp_path
):
    settings.IMPORT_ROOT = tmp_path / "imports"
    clerk = OfficerFactory(unit=commune, roles=[roles.PROCESSING])
    clerk.user_permissions.add(Permission.objects.get(codename="import_enrichment"))
    resident = ResidentFactory(unit=commune, phone="0905000001")
    content = f"personal_id,phone\n{resident.personal_id},0912 345 678\n12345,0912000000\n".encode()
    with chromium_page(live_server.url) as page:
        sign_in(page, clerk.username, PASSWORD)
        open_menu(page, "Dân cư", "Nhập dữ liệu")
        page.get_by_label("Cơ quan cung cấp").fill("Viettel")
        page.set_input_files(
            "input[name=file]", files=[{"name": "so-dien-thoai.csv", "mimeType": "text/csv", "buffer": content}]
        )
        page.get_by_role("button", name="Tải lên và nhập").click()
        page.wait_for_selector("[data-testid=import-progress]")
        page.wait_for_function("document.querySelector('[data-testid=updated]').innerText.trim() === '1'")
        assert page.locator("[data-testid=rejected]").inner_text().strip() == "1"
        assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in page.content()
        assert page.console_errors == []
    assert Resident.objects.get(pk=resident.pk).phone == "0912345678"


def test_an_officer_adds_a_newborn_to_a_household(live_server, commune):
    clerk = OfficerFactory(unit=commune, roles=[roles.PROCESSING])
    head = ResidentFactory(unit=commune, full_name="Đặng Văn Hùng", sex="male", birth_year=1960)
    household = HouseholdFactory(unit=commune, head=head)
    Resident.objects.filter(pk=head.pk).update(household=household, relationship=Relationship.HEAD)
    baby = ResidentFactory(unit=commune, full_name="Đặng Bảo Ngọc", sex="female", birth_year=2024)
    with chromium_page(live_server.url) as page:
        sign_in(page, clerk.username, PASSWORD)
        page.goto(f"/dan-cu/ho/{household.pk}/")
        assert head.personal_id not in page.content()  # the purpose first
        page.get_by_label("Lý do tra cứu").select_option("Quản lý cư trú")
        page.get_by_label("Nội dung cụ thể").fill("Hồ sơ CT01 số 7")
        page.get_by_test_id("purpose-submit").click()
        form = page.get_by_test_id("household-them")
        form.get_by_label("Số định danh của người nhập hộ").fill(baby.personal_id)
        form.get_by_label("Quan hệ với chủ hộ").select_option("grandchild")
        form.get_by_role("button", name="Ghi nhận").click()
        page.wait_for_selector("text=Đã thêm thành viên vào hộ.")
        assert "Đặng Bảo Ngọc" in page.get_by_test_id("household-members").inner_text()
        assert page.console_errors == []


def test_a_head_change_asks_only_the_members_it_concerns_and_refuses_a_child_head(live_server, commune):
    clerk = OfficerFactory(unit=commune, roles=[roles.PROCESSING])
    head = ResidentFactory(unit=commune, full_name="Đặng Văn Hùng", sex="male", birth_year=1960)
    household = HouseholdFactory(unit=commune, head=head)
    wife = ResidentFactory(unit=commune, full_name="Mai Thị Lan", sex="female", birth_year=1962)
    grandson = ResidentFactory(unit=commune, full_name="Đặng Minh An", birth_year=2017, birth_month=3, birth_day=9)
    for person, relationship in ((head, "head"), (wife, "spouse"), (grandson, "grandchild")):
        Resident.objects.filter(pk=person.pk).update(household=household, relationship=relationship)
    with chromium_page(live_server.url, viewport={"width": 390, "height": 844}) as page:
        sign_in(page, clerk.username, PASSWORD)
        page.goto(f"/dan-cu/ho/{household.pk}/")
        page.get_by_label("Lý do tra cứu").select_option("Quản lý cư trú")
        page.get_by_label("Nội dung cụ thể").fill("Hồ sơ CT01 số 8")
        page.get_by_test_id("purpose-submit").click()
        form = page.get_by_test_id("household-chu-ho")
        form.get_by_label("Chủ hộ mới", exact=False).first.select_option(str(grandson.pk))
        assert not form.locator(f"select[name=chu-ho-relationship_{grandson.pk}]").is_visible()  # the head himself
        form.locator(f"select[name=chu-ho-relationship_{head.pk}]").select_option("grandparent")
        form.locator(f"select[name=chu-ho-relationship_{wife.pk}]").select_option("grandparent")
        form.get_by_role("button", name="Ghi nhận").click()
        page.wait_for_load_state()
        errors = page.get_by_test_id("household-chu-ho").inner_text()
        assert "đủ 18 tuổi vào ngày hiệu lực" in errors
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # the refused form is answered 400, which Chromium logs; nothing else may be
        assert [error for error in page.console_errors if "status of 400" not in error] == []
    household.refresh_from_db()
    assert household.head_id == head.pk
