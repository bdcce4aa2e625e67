"""In a real browser 390 px wide: an officer types words without diacritics into the quick search,
goes on to the full-text search, narrows it with a filter, sees the matched words marked in the
title and the snippet with their diacritics, opens the document; no page scrolls sideways."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from congan.documents.tests.factories import types_loaded
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.org.tests.otp import verified_login
from congan.search.tests.factories import indexed_incoming, indexed_outgoing
from tests.browser import chromium_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _narrow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_an_officer_finds_a_document_by_words_typed_without_diacritics(live_server, commune):
    types_loaded()
    officer = OfficerFactory(unit=commune, roles=[roles.SPECIALIST, roles.CLERK])
    wanted = indexed_incoming(
        unit=commune,
        subject="Về việc tăng cường phòng cháy, chữa cháy tại chợ Hải Vân trong mùa khô hanh",
        note="Giao Đội Cảnh sát phòng cháy chữa cháy và cứu nạn cứu hộ số 2 kiểm tra tất cả các ki-ốt",
        notation="KH-CATP-PC07-ĐỘICSPCCCVÀCNCH",
    )
    indexed_outgoing(unit=commune, subject="Công văn về phòng cháy trong mùa khô")
    client = Client()
    verified_login(client, officer)
    with chromium_page(live_server.url, viewport=PHONE) as page:
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page.goto("/tim-kiem/?q=phong+chay")
        page.get_by_test_id("search-elsewhere").get_by_role("link").click()
        page.wait_for_load_state()
        assert page.get_by_test_id("fulltext-result").count() == 2
        _narrow(page)
        page.get_by_label("Tìm trong").select_option("documents.incoming")
        page.get_by_role("button", name="Tìm", exact=True).click()
        page.wait_for_load_state()
        result = page.get_by_test_id("fulltext-result")
        assert result.count() == 1
        assert "phòng cháy" in " ".join(result.locator("mark").all_inner_texts()).replace("\n", " ") or set(
            result.locator("mark").all_inner_texts()
        ) >= {"phòng", "cháy"}
        _narrow(page)
        result.locator("a.result-title").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/van-ban/den/{wanted.pk}/")
        assert page.console_errors == []
