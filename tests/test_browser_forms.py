"""In a real browser: long lists (communes, countries) are searched by typing, with or without
diacritics, đ as d (core.forms.searchable and static/congan/js/app.js)."""

from __future__ import annotations

import pytest

from congan.org.tests.factories import UnitFactory
from tests.browser import chromium_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commune_is_found_by_typing_its_name_without_diacritics(live_server, province, commune, other_commune):
    UnitFactory(parent=province, kind="ward", code="CAP20305", name="Công an phường Điện Bàn Đông", area_code="20305")
    with chromium_page(live_server.url, viewport={"width": 390, "height": 844}) as page:
        page.goto("/tin-bao/")
        select = page.get_by_label("Xã, phường nơi xảy ra")
        search = page.locator("input.select-search[aria-controls=id_commune_code]")
        search.fill("lien chieu")
        assert select.input_value() == "20197"  # one match left: chosen
        search.fill("dien ban")  # đ typed as d
        assert select.input_value() == "20305"
        search.fill("phuong")
        options = select.locator("option").all_text_contents()
        assert len(options) == 4  # the empty choice and the three wards
        assert select.input_value() == "20305"  # the choice stays while the list is filtered
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert not page.console_errors
