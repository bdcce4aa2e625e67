"""In a real browser 390 px wide: an officer drafts an outgoing document, the commune's leader
approves and signs it off, the clerk issues it, and the receiving commune's clerk finds it waiting
to be registered with the same PDF, its signatures (the leader's and the commune's seal, from the
demo PKI) shown valid on both sides; no page scrolls sideways."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from congan.documents.models import IncomingDocument, OutgoingDocument
from congan.documents.tests.factories import clerk, drafter_of, leader_of, types_loaded
from congan.org.tests.otp import verified_login
from congan.signatures.demo import demo_build_signatures
from tests.browser import chromium_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _sign_in(page, base_url: str, officer) -> None:
    client = Client()
    verified_login(client, officer)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )


def _narrow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_a_document_goes_from_draft_to_the_receiving_communes_register(live_server, commune, other_commune):
    types_loaded()
    commune.symbol = "CAP"
    commune.save()
    drafter, vanthu, receiver = drafter_of(commune), clerk(commune), clerk(other_commune)
    signer = leader_of(commune, username="lanhdao")
    demo_build_signatures(province=commune.parent)  # lanhdao's key and the units' seals (demo CA)
    with chromium_page(live_server.url, viewport=PHONE) as page:
        _sign_in(page, live_server.url, drafter)
        page.goto("/van-ban/di/moi/")
        _narrow(page)
        page.get_by_label("Tên loại văn bản").select_option(label="Kế hoạch (KH)")
        page.get_by_label("Trích yếu nội dung").fill("Kế hoạch bảo đảm an ninh lễ hội mùa xuân")
        page.get_by_label("Người ký", exact=True).select_option(str(signer.pk))
        page.get_by_label("Nội dung", exact=True).fill("Mục đích, yêu cầu.\nNội dung thực hiện.")
        page.get_by_label("Nơi nhận trong hệ thống").select_option([str(other_commune.pk)])
        page.get_by_test_id("outgoing-save").click()
        page.get_by_test_id("submit").click()
        _narrow(page)
        document = OutgoingDocument.objects.get()
        assert document.status == OutgoingDocument.Status.IN_REVIEW

        _sign_in(page, live_server.url, signer)
        page.goto(f"/van-ban/di/{document.pk}/")
        page.get_by_test_id("approve").click()
        page.get_by_test_id("sign").click()
        _narrow(page)

        _sign_in(page, live_server.url, vanthu)
        page.goto(f"/van-ban/di/{document.pk}/")
        page.get_by_test_id("issue").click()
        assert "01/KH-CAP" in page.get_by_test_id("outgoing-pdf").inner_text()
        assert page.get_by_test_id("signature-state").inner_text() == "Đã ký số"
        assert page.get_by_test_id("signatures-valid").is_visible()
        assert page.get_by_test_id("signature").count() == 2
        assert other_commune.name in page.get_by_test_id("outgoing-deliveries").inner_text()
        _narrow(page)
        page.goto("/van-ban/di/")
        assert "01/KH-CAP" in page.get_by_test_id("outgoing-register").inner_text()
        _narrow(page)

        _sign_in(page, live_server.url, receiver)
        page.goto("/van-ban/den/?book=received")
        copy = IncomingDocument.objects.get(source_outgoing=document)
        page.get_by_test_id(f"arrival-{copy.pk}").click()
        assert "Từ đơn vị trong hệ thống" in page.get_by_test_id("incoming-columns").inner_text()
        assert page.get_by_test_id("incoming-file").is_visible()
        assert page.get_by_test_id("signatures-valid").is_visible()  # the same bytes, signatures intact
        _narrow(page)
        assert not page.console_errors
