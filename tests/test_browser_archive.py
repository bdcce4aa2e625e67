"""In a real browser 390 px wide: an officer uploads a scan of Vietnamese text, watches its reading
progress on the item page (the worker runs meanwhile), reads the recognised page and corrects a
word, the earlier text kept as a version; none of the archive's pages scrolls sideways."""

from __future__ import annotations

import threading

import pytest
from django.test import Client

from congan.archive.models import ArchiveItem, ItemStatus
from congan.archive.services import item_process
from congan.archive.tests.factories import scan_png
from congan.org import roles
from congan.org.tests.factories import OfficerFactory, UnitFactory
from congan.org.tests.otp import verified_login
from tests.browser import chromium_page
from tests.test_browser_narrow import PHONE, WIDEST

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_an_officer_uploads_a_scan_watches_it_read_and_corrects_a_word(live_server, settings, tmp_path):
    # Tasks wait in a queue the test empties itself, as the worker beside the server would.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    province = UnitFactory(kind="province", code="CA48", name="Công an thành phố Đà Nẵng")
    unit = UnitFactory(parent=province, kind="ward", code="CAPB", name="Công an phường Thanh Khê")
    officer = OfficerFactory(unit=unit, roles=[roles.CLERK])
    scan = tmp_path / "bien-ban.png"
    scan.write_bytes(scan_png(["Biên bản làm việc với Ủy ban nhân dân phường về an ninh trật tự."]))
    client = Client()
    verified_login(client, officer)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    with chromium_page(live_server.url, viewport=PHONE) as page:
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        page.goto("/van-ban/luu-tru/")
        assert page.evaluate(WIDEST) is None
        page.set_input_files("input[name=scans]", str(scan))
        page.get_by_test_id("archive-upload-save").click()
        page.get_by_test_id("item-progress").wait_for()
        assert "Đang chờ xử lý" in page.get_by_test_id("item-progress").inner_text()
        assert page.evaluate(WIDEST) is None

        item = ArchiveItem.objects.get()
        worker = threading.Thread(target=item_process, kwargs={"item_id": item.pk})
        worker.start()
        worker.join()
        assert ArchiveItem.objects.get().status == ItemStatus.DONE
        # The page polls its progress and reloads itself once the item is read.
        page.get_by_test_id("page-1").wait_for(timeout=20_000)
        assert "Hoàn thành" in page.get_by_test_id("item-progress").inner_text()
        recognised = page.get_by_test_id("page-1").inner_text()
        assert "Ủy ban nhân dân" in recognised
        assert page.evaluate(WIDEST) is None

        page.get_by_test_id("page-1").get_by_role("link", name="Sửa nội dung").click()
        text = page.locator("textarea[name=text]").input_value()
        page.locator("textarea[name=text]").fill(text.replace("an ninh", "AN NINH"))
        page.get_by_test_id("page-save").click()
        page.get_by_test_id("page-1").wait_for()
        assert "AN NINH" in page.get_by_test_id("page-1").inner_text()
        assert page.evaluate(WIDEST) is None
    page_row = item.pages.get()
    assert "AN NINH" in page_row.text and "an ninh" in page_row.versions.get().text
