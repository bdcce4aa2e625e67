"""In a real browser: the response-time page draws its heat map's cells on one canvas (Leaflet's
canvas renderer), not as one SVG element per cell, over the offline base map, without errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from congan.incidents import services
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from tests.browser import chromium_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-1"  # set by OfficerFactory


def test_the_heat_map_draws_its_cells_on_a_canvas(live_server, province, commune, settings):
    settings.INCIDENTS_TILE_URL = ""
    services.kinds_load(by="system")
    dispatcher = OfficerFactory(unit=commune, roles=[roles.DISPATCHER])
    for index, (lat, lon) in enumerate([("16.0601", "108.2201"), ("16.0604", "108.2249"), ("16.0702", "108.2301")]):
        services.report_submit(
            kind_code="CHAY.NHA",
            description="Cháy nhà dân, khói lớn",
            commune_code="20194",
            client_token=f"heat-{index}",
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            anonymous=True,
            by=dispatcher,
        )
    with chromium_page(live_server.url) as page:
        sign_in(page, dispatcher.username, PASSWORD)
        page.goto("/tin-bao/thong-ke/")
        page.wait_for_selector("#heat-map[data-cells='2']")  # two cells: the first two points share one
        assert page.locator("#heat-map .leaflet-overlay-pane canvas").count() == 1
        assert page.locator("#heat-map .leaflet-overlay-pane svg path").count() == 0
        assert page.console_errors == []
