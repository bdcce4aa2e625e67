"""The README's journeys, walked by the demo accounts in Chromium at desktop width and at 390 px.

Each journey uses the demo province (built small) and the demo accounts as a newcomer would, the
leader and the administrator signing in with their authenticator code. Every page a step lands on
is checked as people meet it: no server error, no error in the browser's console, no sideways
scroll, and no ISO date, raw stored value or bare commune code in the text
(tests/test_readable_pages.py says what a person may read instead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from congan.eservices.demo import DEMO_CITIZEN_PASSWORD
from congan.eservices.models import Dossier
from congan.incidents.models import Report
from congan.org import demo
from congan.org.models import Officer, Unit
from congan.population.models import CitizenAccount
from congan.traffic.models import ViolationEvent
from tests.browser import chromium_page, sign_in
from tests.test_browser_narrow import WIDEST
from tests.test_readable_pages import _problems, _VisibleText, build_small_demo, raw_choice_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
DEMO_COMMUNE_NAME = "Phường Hải Châu"


@dataclass
class Walk:
    """A browser page and what went wrong on the pages its steps landed on."""

    page: Any  # playwright.sync_api.Page
    raw_values: set[str]
    commune_codes: set[str]
    problems: list[str] = field(default_factory=list)
    checked: int = 0

    def go(self, path: str, step: str) -> None:
        response = self.page.goto(path)
        if response is None or response.status >= 400:
            self.problems.append(f"{step} {path}: HTTP {response.status if response else '?'}")
        self.look(step)

    def look(self, step: str) -> None:
        """Check the page the browser shows now."""
        self.page.wait_for_load_state()
        where = f"{step} {re.sub(r'^https?://[^/]+', '', self.page.url)}"
        parser = _VisibleText()
        parser.feed(self.page.content())
        text = " ".join(" ".join(parser.parts).split())
        for found in _problems(text, self.raw_values, self.commune_codes):
            at = text.find(found.rsplit(" ", 1)[-1])
            self.problems.append(f"{where}: {found} in …{text[max(0, at - 60) : at + 30]}…")
        overflow = self.page.evaluate(WIDEST)
        if overflow:
            self.problems.append(f"{where}: scrolls sideways {overflow}")
        errors = self.page.console_errors
        if errors:
            self.problems.append(f"{where}: console {errors}")
            errors.clear()
        self.checked += 1

    def sign_in(self, username: str) -> None:
        self.page.context.clear_cookies()
        self.go("/to-chuc/dang-nhap/", f"{username} signs in")
        key = demo.demo_totp_key(username) if username in ("quantri", "lanhdao") else ""
        sign_in(
            self.page,
            username,
            demo.DEMO_PASSWORD,
            totp_key=key,
            before_code=lambda page: self.look(f"{username} is asked for the code"),
        )
        self.look(f"{username}'s dashboard")

    def done(self) -> None:
        assert self.checked >= 5
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture(params=list(VIEWPORTS))
def walk(request, live_server, settings):
    settings.TRAFFIC_CHALLENGE_BITS = 8
    build_small_demo()
    commune_codes = set(Unit.objects.exclude(area_code="").values_list("area_code", flat=True))
    with chromium_page(live_server.url, viewport=VIEWPORTS[request.param]) as page:
        yield Walk(page, raw_choice_values(), commune_codes)


def test_a_citizen_applies_reception_receives_and_processing_approves(walk):
    page = walk.page
    citizen = CitizenAccount.objects.select_related("resident").get()
    walk.go("/cong-dan/dang-nhap/", "citizen signs in")
    page.get_by_label("Số định danh cá nhân").fill(citizen.resident.personal_id)
    page.get_by_label("Mật khẩu").fill(DEMO_CITIZEN_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dich-vu-cong/cua-toi/")
    walk.look("citizen's own page")
    walk.go("/dich-vu-cong/", "citizen opens the catalogue")
    walk.go("/dich-vu-cong/thu-tuc/CA.CT.02/", "citizen reads the procedure")
    page.get_by_test_id("submit-online").click()
    walk.look("citizen's prefilled form")
    page.get_by_label("Xã, phường nơi đăng ký").select_option(label=DEMO_COMMUNE_NAME)
    page.get_by_label("Số nhà, đường, thôn, tổ").fill("Số 12 Lê Lợi")
    page.locator("input[name=file_0]").set_input_files(
        {"name": "xac-nhan-cho-o.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    page.get_by_test_id("submit-dossier").click()
    page.wait_for_url(re.compile(r".*/dich-vu-cong/ho-so/.+/$"))
    walk.look("citizen's submitted dossier")
    code = page.get_by_test_id("dossier-code").inner_text()

    walk.sign_in("tiepnhan")
    walk.go("/dich-vu-cong/xu-ly/", "reception's inbox")
    page.get_by_role("link", name=code).click()
    walk.look("reception opens the dossier")
    page.get_by_test_id("act-receive").click()
    walk.look("reception received it")

    walk.sign_in("xuly")
    walk.go("/dich-vu-cong/xu-ly/", "processing's inbox")
    page.get_by_role("link", name=code).click()
    for action in ("start", "approve"):
        page.get_by_test_id(f"act-{action}").click()
        walk.look(f"processing: {action}")
    assert page.get_by_test_id("officer-status").inner_text() == "Đã duyệt"

    page.context.clear_cookies()
    walk.go(f"/dich-vu-cong/tra-cuu/?code={code}", "citizen tracks the dossier")
    assert Dossier.objects.get(code=code).status == "approved"
    walk.done()


def test_a_public_report_is_dispatched_worked_by_the_team_and_watched_by_the_leader(walk):
    page = walk.page
    walk.go("/tin-bao/", "anyone opens the report form")
    page.get_by_label("Loại sự việc").select_option("ANTT.GAYROI")
    page.get_by_label("Mô tả sự việc").fill("Nhóm thanh niên gây rối, đánh nhau trước quán karaoke")
    page.get_by_label("Xã, phường nơi xảy ra").select_option(label=DEMO_COMMUNE_NAME)
    page.get_by_label("Báo tin ẩn danh (không để lại thông tin liên hệ)").check()
    page.get_by_test_id("report-submit").click()
    page.wait_for_selector("[data-testid=tracking-code]")
    walk.look("the reporter gets a tracking code")
    code = page.get_by_test_id("tracking-code").inner_text()
    report = Report.objects.get(tracking_code=code)

    walk.sign_in("dieuphoi")
    walk.go("/tin-bao/xu-ly/", "dispatcher's queue")
    walk.go(f"/tin-bao/xu-ly/{report.pk}/", "dispatcher opens the report")
    team = Officer.objects.get(username="nghiepvu").patrol_units.get()
    page.get_by_test_id("dispatch-form").locator(f"input[name=units][value='{team.pk}']").check()
    page.get_by_test_id("dispatch").click()
    walk.look("dispatcher sent the team")
    assert team.call_sign in page.get_by_test_id("assignments").inner_text()
    walk.go("/tin-bao/dieu-phoi/", "dispatcher's board")

    walk.sign_in("nghiepvu")
    walk.go("/tin-bao/to-cong-tac/", "the team's field page")
    for step in ("acknowledge", "en_route", "on_scene"):
        page.get_by_test_id(f"step-{step}").click()
        walk.look(f"team: {step}")
    assert page.get_by_test_id("team-status").inner_text() == "Có mặt tại hiện trường"

    walk.sign_in("lanhdao")
    walk.go("/tin-bao/dieu-phoi/", "leader watches the board")
    assert code in page.get_by_test_id("board-reports").inner_text()
    walk.go("/tin-bao/thong-ke/", "leader reads response times")

    page.context.clear_cookies()
    walk.go(f"/tin-bao/theo-doi/?code={code}", "the reporter follows it")
    assert "Lực lượng đã có mặt tại hiện trường." in page.get_by_test_id("timeline").inner_text()
    walk.done()


def test_a_warning_is_composed_approved_by_the_leader_and_read_by_the_public(walk):
    page = walk.page
    walk.sign_in("dieuphoi")
    walk.go("/canh-bao/quan-ly/moi/", "dispatcher composes a warning")
    page.locator("#id_category").select_option("Security")
    page.locator("#id_event").fill("Tụ tập đua xe trái phép")
    page.locator("#id_headline").fill("Cảnh báo đua xe trái phép đêm nay")
    page.locator("#id_description").fill("Có thông tin hẹn đua xe trên đường ven biển, người dân hạn chế ra đường.")
    page.locator("#id_area_desc").fill("Đường ven biển phường Hải Châu")
    page.locator("#id_commune_codes").select_option(label=DEMO_COMMUNE_NAME)
    page.get_by_test_id("alert-save").click()
    walk.look("dispatcher saved the draft")
    page.get_by_test_id("alert-submit").click()
    page.wait_for_selector("text=Đã trình phê duyệt.")
    walk.look("dispatcher submitted it")
    alert_path = re.sub(r"^https?://[^/]+", "", page.url)

    walk.sign_in("lanhdao")
    walk.go("/viec-can-lam/", "leader's to-do list")
    walk.go(alert_path, "leader opens the warning")
    page.get_by_test_id("alert-approve").click()
    page.wait_for_selector("text=Đã phê duyệt và phát hành cảnh báo.")
    walk.look("leader approved it")

    page.context.clear_cookies()
    walk.go("/canh-bao/", "the public warnings page")
    page.get_by_role("link", name="Cảnh báo đua xe trái phép đêm nay").click()
    walk.look("the public reads the warning")
    assert page.get_by_test_id("alert-headline").inner_text() == "Cảnh báo đua xe trái phép đêm nay"
    walk.done()


def test_a_violation_is_verified_noticed_by_the_leader_and_looked_up_by_the_public(walk):
    page = walk.page
    walk.sign_in("nghiepvu")
    walk.go("/giao-thong/vi-pham/", "specialist's review queue")
    page.get_by_test_id("violation-list").locator("a[href^='/giao-thong/vi-pham/']").first.click()
    walk.look("specialist opens a waiting violation")
    event = ViolationEvent.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    page.get_by_test_id("verify").click()
    page.get_by_test_id("violation-status").wait_for()
    walk.look("specialist verified it")
    assert page.get_by_test_id("violation-status").inner_text() == "Đã xác minh"

    walk.sign_in("lanhdao")
    walk.go(f"/giao-thong/vi-pham/{event.pk}/", "leader opens the verified violation")
    page.get_by_test_id("issue-notice").click()
    page.get_by_test_id("notice-link").wait_for()
    walk.look("leader sent the notice")
    walk.go("/giao-thong/thong-ke/", "leader reads the statistics")

    page.context.clear_cookies()
    event.refresh_from_db()
    walk.go("/giao-thong/tra-cuu/", "anyone looks a plate up")
    page.locator("#id_lookup_plate").fill(event.plate)
    page.locator("#id_lookup_kind").select_option(event.vehicle_kind)
    page.get_by_test_id("lookup-submit").click()
    page.get_by_test_id("lookup-row").first.wait_for()
    walk.look("the public sees the violation")
    assert "CHƯA XỬ PHẠT" in page.get_by_test_id("lookup-row").first.inner_text()
    walk.done()


def test_the_administrator_and_the_clerk_open_every_page_of_their_menu(walk):
    page = walk.page
    for username in ("quantri", "vanthu"):
        walk.sign_in(username)
        menu = page.locator("details[data-nav-group] a[href^='/']")
        paths = sorted({menu.nth(index).get_attribute("href") for index in range(menu.count())})
        assert len(paths) >= 3, f"{username}'s menu: {paths}"
        for path in paths:
            walk.go(path, f"{username}'s menu")
    walk.done()


def test_the_clerk_registers_an_incoming_document_and_the_handler_acknowledges_it(walk):
    page = walk.page
    handler = Officer.objects.get(username="nghiepvu")
    walk.sign_in("vanthu")
    walk.go("/van-ban/den/", "clerk's incoming register")
    walk.go("/van-ban/den/vao-so/", "clerk opens the registration form")
    page.get_by_label("Ngày đến").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_label("Tác giả (cơ quan, tổ chức ban hành)").fill("Ủy ban nhân dân phường Hải Châu")
    page.get_by_label("Số, ký hiệu").fill("Số: 7/KH-UBND")  # typed loosely: read as 07/KH-UBND
    page.get_by_label("Tên loại văn bản").select_option(label="Kế hoạch (KH)")
    page.get_by_label("Trích yếu nội dung").fill("Kế hoạch bảo đảm an ninh trật tự dịp Tết Nguyên đán")
    page.get_by_label("Độ khẩn").select_option(label="Khẩn")
    page.get_by_label("Người nhận xử lý").select_option(str(handler.pk))
    page.get_by_test_id("incoming-save").click()
    page.get_by_test_id("incoming-columns").wait_for()
    walk.look("clerk registered it")
    assert "07/KH-UBND" in page.get_by_test_id("incoming-columns").inner_text()
    document_path = re.sub(r"^https?://[^/]+", "", page.url)

    walk.sign_in("nghiepvu")
    walk.go(document_path, "the handler opens the document")
    page.get_by_test_id("acknowledge").click()
    walk.look("the handler acknowledged it")
    assert "Đặng Hữu Nghĩa" in page.get_by_test_id("incoming-timeline").inner_text()
    walk.done()
