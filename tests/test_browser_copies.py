"""In a real browser 390 px wide: the clerk `vanthu` makes a SAO Y of a document their commune
issued, from the document's page; the copy's page shows its number in the commune's copy series and
its signature panel valid (the original's signer and seal, then the commune's own signature); the
clerk sends it to another commune, whose clerk finds it waiting to be registered; no page scrolls
sideways (decision 0031)."""

from __future__ import annotations

import pytest

from congan.documents import outgoing_services
from congan.documents.models import DocumentCopy, IncomingDocument
from congan.documents.tests.factories import clerk, drafter_of, leader_of, outgoing_signed, types_loaded
from congan.signatures.demo import demo_build_signatures
from tests.browser import chromium_page
from tests.test_browser_outgoing import PHONE, _narrow, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_clerk_makes_a_sao_y_of_an_issued_document_and_its_signatures_show_valid(
    live_server, commune, other_commune
):
    types_loaded()
    commune.symbol = "CAP"
    commune.save()
    vanthu, receiver = clerk(commune, username="vanthu"), clerk(other_commune)
    signer = leader_of(commune, username="lanhdao")
    demo_build_signatures(province=commune.parent)  # lanhdao's key and the units' seals (demo CA)
    signed = outgoing_signed(drafter_of(commune), signer, recipient_units=[other_commune])
    issued = outgoing_services.outgoing_issue(by=vanthu, document_id=signed.pk)

    with chromium_page(live_server.url, viewport=PHONE) as page:
        _sign_in(page, live_server.url, vanthu)
        page.goto(f"/van-ban/di/{issued.pk}/")
        _narrow(page)
        page.get_by_test_id("make-copy").click()
        _narrow(page)
        page.get_by_label("Hình thức sao").select_option("sao_y")
        page.get_by_test_id("copy-make").click()
        copy = DocumentCopy.objects.get()
        assert "01/SY-CAP" in page.locator("h1").inner_text()
        assert page.get_by_test_id("signature-state").inner_text() == "Đã ký số"
        assert page.get_by_test_id("signatures-valid").is_visible()
        assert page.get_by_test_id("signature").count() == 3  # signer, seal, then the commune's copy signature
        assert commune.name in page.get_by_test_id("signature").nth(2).inner_text()
        _narrow(page)

        page.get_by_label("Gửi đến đơn vị").select_option([str(other_commune.pk)])
        page.get_by_test_id("copy-send").click()
        assert other_commune.name in page.get_by_test_id("copy-entries").inner_text()
        _narrow(page)
        page.goto("/van-ban/ban-sao/")
        assert "01/SY-CAP" in page.get_by_test_id("copies").inner_text()
        _narrow(page)
        page.goto(f"/van-ban/di/{issued.pk}/")
        assert "01/SY-CAP" in page.get_by_test_id("source-copies").inner_text()

        _sign_in(page, live_server.url, receiver)
        page.goto("/van-ban/den/?book=received")
        entry = IncomingDocument.objects.get(source_copy=copy)
        page.get_by_test_id(f"arrival-{entry.pk}").click()
        assert page.get_by_test_id("signatures-valid").is_visible()  # the same bytes, signatures intact
        _narrow(page)
        assert not page.console_errors
