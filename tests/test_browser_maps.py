"""In a real browser, with no tile server configured: every map draws the offline base from this
server (land and sea, the archipelagos by name, the communes by name) instead of a grey canvas."""

from __future__ import annotations

from decimal import Decimal

import pytest

from congan.org.models import Unit
from tests.browser import chromium_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_report_map_shows_land_sea_and_commune_names_offline(live_server, province, commune, settings):
    settings.INCIDENTS_TILE_URL = ""
    Unit.objects.filter(pk=commune.pk).update(latitude=Decimal("16.0600"), longitude=Decimal("108.2200"))
    with chromium_page(live_server.url) as page:
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto("/tin-bao/")
        page.wait_for_selector(".leaflet-base-pane path")  # the land
        page.wait_for_selector(".commune-label >> text=Phường Hải Vân")
        assert page.locator(".sea-label").all_inner_texts() == [
            "Quần đảo Hoàng Sa (Việt Nam)",
            "Quần đảo Trường Sa (Việt Nam)",
        ]
        assert "offline-base" in page.locator("#report-map").get_attribute("class")
        assert all(url.startswith(live_server.url) for url in requests)  # nothing from the internet
        assert page.console_errors == []
