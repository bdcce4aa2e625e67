"""In a real browser: the records clerk registers an incoming document, the leader directs it to
an officer of the commune (bút phê), the officer reports progress and completes the task, and the
document shows done with every step on its timeline."""

from __future__ import annotations

import pytest

from congan.documents.models import IncomingDocument
from congan.documents.tests.factories import clerk, document_type, types_loaded
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from tests.browser import chromium_page, sign_in
from tests.test_browser_incidents import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_clerk_registers_the_leader_directs_the_officer_completes_and_the_document_is_done(
    live_server, province, commune, settings
):
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    types_loaded()
    vanthu = clerk(commune)
    lanhdao = OfficerFactory(unit=province, roles=[roles.LEADER], full_name="Nguyễn Văn Thắng")
    nghiepvu = OfficerFactory(unit=commune, roles=[roles.SPECIALIST], full_name="Đặng Hữu Nghĩa")
    with chromium_page(live_server.url) as page:
        sign_in(page, vanthu.username, PASSWORD)
        page.goto("/van-ban/den/vao-so/")
        page.locator("#id_issuer_name").fill("Công an thành phố Đà Nẵng")
        page.locator("#id_number_symbol").fill("15/QĐ-CATP-PV01")
        page.locator("#id_document_type").select_option(str(document_type("QĐ").pk))
        page.locator("#id_subject").fill("Quyết định kiểm tra cơ sở kinh doanh lưu trú dịp Tết")
        page.locator("#id_urgency").select_option("1")
        page.locator("form button[type=submit]").last.click()
        page.get_by_test_id("incoming-columns").wait_for()
        document = IncomingDocument.objects.get()
        assert document.status == "registered"
        page.context.clear_cookies()

        sign_in(page, lanhdao.username, PASSWORD)
        page.goto(f"/van-ban/den/{document.pk}/")
        form = page.get_by_test_id("directive-form")
        form.locator("#id_text").fill("Giao đồng chí Nghĩa chủ trì kiểm tra, báo cáo kết quả")
        form.locator("#id_lead_officer").select_option(str(nghiepvu.pk))
        page.get_by_test_id("directive-submit").click()
        page.get_by_text("Đã cho ý kiến chỉ đạo và giao việc.").wait_for()
        assert "Đã có ý kiến chỉ đạo" in page.get_by_test_id("incoming-columns").inner_text()
        page.context.clear_cookies()

        sign_in(page, nghiepvu.username, PASSWORD)
        page.goto("/dieu-hanh/viec/")
        page.get_by_test_id("task-list").get_by_role("link").first.click()
        page.locator("#id_text").fill("Đã kiểm tra 5 cơ sở, còn 3 cơ sở")
        page.locator("#id_percent").fill("60")
        page.get_by_test_id("report").click()
        page.get_by_text("Đã gửi báo cáo tiến độ.").wait_for()
        assert "60 %" in page.get_by_test_id("task-status").inner_text()
        page.locator("#id_result").fill("Đã kiểm tra đủ 8 cơ sở, lập biên bản 2 cơ sở vi phạm")
        page.get_by_test_id("complete").click()
        page.get_by_text("Đã báo cáo hoàn thành công việc.").wait_for()
        assert "Đã hoàn thành" in page.get_by_test_id("task-status").inner_text()
        page.get_by_test_id("task-document").click()
        page.get_by_test_id("incoming-timeline").wait_for()
        assert "Đã xử lý xong" in page.get_by_test_id("incoming-columns").inner_text()
        timeline = page.get_by_test_id("incoming-timeline").inner_text()
        for step in ("Vào sổ văn bản đến", "Lãnh đạo cho ý kiến chỉ đạo (bút phê)", "Bắt đầu xử lý", "Xử lý xong"):
            assert step in timeline
        assert page.console_errors == []
    document.refresh_from_db()
    assert document.status == "done"


# The element sticking out furthest to the right (tests/test_browser_narrow.py), None when none.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  let worst = null;
  for (const element of document.body.querySelectorAll("*")) {
    const right = element.getBoundingClientRect().right;
    if (right > width + 1 && (!worst || right > worst.right)) {
      worst = { right, tag: element.tagName.toLowerCase(), id: element.id, cls: element.className.toString() };
    }
  }
  return { scrollWidth: document.documentElement.scrollWidth, worst };
}"""


def test_the_directive_and_task_pages_fit_a_phone(live_server, province, commune, settings):
    import datetime as dt

    from django.utils import timezone

    from congan.documents.tests.factories import IncomingDocumentFactory
    from congan.tasks import services

    settings.TWO_FACTOR_REQUIRED_ROLES = []
    types_loaded()
    leader = OfficerFactory(unit=commune, roles=[roles.LEADER], full_name="Trần Văn Trưởng")
    officer = OfficerFactory(unit=commune, roles=[roles.SPECIALIST], full_name="Đặng Hữu Nghĩa")
    document = IncomingDocumentFactory(
        unit=commune, urgency=3, subject="Công điện hỏa tốc về việc bảo đảm an ninh trật tự trên địa bàn phường"
    )
    directive = services.directive_give(
        by=leader,
        document_id=document.pk,
        data=services.DirectiveInput(
            text="Giao đồng chí Nghĩa chủ trì triển khai ngay, báo cáo kết quả trước hạn",
            deadline=timezone.localdate() + dt.timedelta(days=2),
            lead_officer=officer,
        ),
    )
    task = directive.tasks.get()
    services.task_report(by=officer, task_id=task.pk, text="Đã triển khai lực lượng tuần tra", percent=40)
    pages = {
        leader: [
            f"/van-ban/den/{document.pk}/",
            "/dieu-hanh/viec/?tab=unit",
            "/dieu-hanh/viec/giao/",
            "/dieu-hanh/thong-ke/lanh-dao/",
            f"/dieu-hanh/viec/{task.pk}/",
        ],
        officer: ["/dieu-hanh/viec/", f"/dieu-hanh/viec/{task.pk}/", "/dieu-hanh/thong-ke/"],
    }
    with chromium_page(live_server.url, viewport={"width": 390, "height": 844}) as page:
        for person, urls in pages.items():
            page.context.clear_cookies()
            sign_in(page, person.username, PASSWORD)
            for url in urls:
                page.goto(url)
                assert page.evaluate(OVERFLOW) is None, url
        assert page.console_errors == []
