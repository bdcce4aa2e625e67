"""In Chromium 390 px wide: an officer uploads a signed PDF on the verification page and reads the
report, without the page scrolling sideways."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from congan.org.tests.otp import verified_login
from congan.signatures.images import signature_png
from congan.signatures.services import SignerBoxPlacement, sign_pdf
from tests.browser import chromium_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_checks_a_signed_pdf_on_a_phone(live_server, officer, officer_key, pdf, trusted, tmp_path):
    signed = sign_pdf(
        pdf=pdf,
        key=officer_key,
        placement=SignerBoxPlacement(page=0, box=(300, 320, 480, 400), signer_image=signature_png("Lãnh Đạo")),
    )
    path = tmp_path / "quyet-dinh-da-ky.pdf"
    path.write_bytes(signed)
    client = Client()
    verified_login(client, officer)
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}

    with chromium_page(live_server.url, viewport={"width": 390, "height": 844}) as page:
        page.context.add_cookies([{**cookie, "url": live_server.url}])
        page.goto("/van-ban/kiem-tra-chu-ky/")
        page.get_by_label("Tệp PDF đã ký").set_input_files(str(path))
        page.get_by_test_id("verify").click()
        page.wait_for_load_state()

        panel = page.get_by_test_id("signature-panel").inner_text()
        assert "Trần Văn Lãnh Đạo" in panel
        assert page.get_by_test_id("signatures-valid").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.console_errors == []
