"""In a real browser 390 px wide: the records clerk receives an edXML file from the upload page,
reads the packet's page with its warnings, and finds the document waiting in the register; none
of the exchange pages scrolls sideways."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from congan.documents.tests.factories import PDF, clerk, types_loaded
from congan.exchange import edxml
from congan.org.tests.factories import UnitFactory
from congan.org.tests.otp import verified_login
from tests.browser import chromium_page
from tests.test_browser_narrow import PHONE, WIDEST

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_receives_an_edxml_file_on_a_phone(live_server, tmp_path):
    types_loaded()
    province = UnitFactory(kind="province", code="CA48", name="Công an thành phố Đà Nẵng")
    unit = UnitFactory(parent=province, kind="ward", code="CAPB", name="Công an phường Thanh Khê")
    vanthu = clerk(unit)
    envelope = tmp_path / "cong-van.edxml"
    envelope.write_bytes(
        edxml.envelope_build(
            edxml.Message(
                sender=edxml.Organisation("999.010.01.H22", "Hệ thống thử nghiệm của trục liên thông văn bản quốc gia"),
                recipients=[edxml.Organisation("000.02.48.G01", unit.name)],
                code_number="7816",
                code_notation="VPCP-TTĐT",
                promulgation_date=timezone.localdate() - dt.timedelta(days=2),
                subject="V/v kết nối, liên thông phần mềm quản lý văn bản giữa các cơ quan nhà nước",
                attachments=[edxml.Attachment("cong-van-7816.pdf", PDF)],
            )
        )
    )
    client = Client()
    verified_login(client, vanthu)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    with chromium_page(live_server.url, viewport=PHONE) as page:
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        page.goto("/van-ban/lien-thong/")
        assert page.evaluate(WIDEST) is None
        page.get_by_test_id("exchange-upload").click()
        assert page.evaluate(WIDEST) is None
        page.set_input_files("input[name=packet]", str(envelope))
        page.get_by_test_id("exchange-upload-save").click()
        page.get_by_test_id("message-warnings").wait_for()
        assert "999.010.01.H22" in page.get_by_test_id("message-warnings").inner_text()
        assert "Đã đến" in page.get_by_test_id("message-statuses").inner_text()
        assert page.evaluate(WIDEST) is None
        page.get_by_test_id("incoming-link").click()
        page.wait_for_url("**/van-ban/den/*/")
        assert "V/v kết nối, liên thông" in page.content()
        page.goto("/van-ban/lien-thong/")
        assert "7816/VPCP-TTĐT" in page.get_by_test_id("exchange-log").inner_text()
        assert page.evaluate(WIDEST) is None
