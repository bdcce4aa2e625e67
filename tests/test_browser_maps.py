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


# --- the operator's base map file and the commune boundaries (decision 0023) ---------------------

DA_NANG = (107.9, 15.85, 108.45, 16.25)  # west, south, east, north


def _tile_pixels(page, selector: str) -> dict:
    """How much of the first loaded tile canvas is painted, and in how many colours."""
    return page.evaluate(
        """(selector) => {
            const canvas = document.querySelector(selector);
            const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            const colours = new Set();
            for (let i = 0; i < data.length; i += 4) {
              if (data[i + 3] > 0) painted++;
              colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
            }
            return { share: painted / (data.length / 4), colours: colours.size };
        }""",
        selector,
    )


def test_a_pmtiles_base_map_is_read_in_ranges_and_drawn_with_the_commune_outlines(
    live_server, province, commune, other_commune, settings, tmp_path
):
    from shapely.geometry import shape

    from congan.org import boundaries
    from congan.org.boundaries import Feature
    from tests.map_files import coast_layers, voronoi_boundaries, write_vector_pmtiles

    path = tmp_path / "da-nang.pmtiles"
    write_vector_pmtiles(
        path, DA_NANG, range(0, 13), layers=coast_layers((107.0, 15.0, 109.5, 17.0))
    )  # whole tiles from zoom 8
    settings.BASEMAP_FILE = str(path)
    settings.INCIDENTS_TILE_URL = ""
    seats = {"20194": ("Phường Hải Vân", 16.06, 108.18), "20197": ("Phường Liên Chiểu", 16.05, 108.22)}
    for unit, (_name, lat, lon) in zip((commune, other_commune), seats.values(), strict=True):
        Unit.objects.filter(pk=unit.pk).update(latitude=Decimal(str(lat)), longitude=Decimal(str(lon)))
    cells = voronoi_boundaries(seats, DA_NANG)["features"]
    boundaries.boundaries_import(
        by="system",
        features=[Feature(f["properties"]["ma_xa"], "", shape(f["geometry"])) for f in cells],
        source="thu.geojson",
    )
    with chromium_page(live_server.url) as page:
        ranges: list[tuple[str, int]] = []
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.on(
            "response",
            lambda response: (
                ranges.append((response.request.headers.get("range", ""), response.status))
                if response.url.endswith("/ban-do/nen.pmtiles")
                else None
            ),
        )
        page.goto("/tin-bao/")
        page.wait_for_selector("#report-map canvas.leaflet-tile-loaded")
        assert page.locator("#report-map").get_attribute("data-basemap") == "pmtiles"
        pixels = _tile_pixels(page, "#report-map canvas.leaflet-tile-loaded")
        assert pixels["share"] > 0.99 and pixels["colours"] >= 2  # land and sea painted
        assert ranges and all(header.startswith("bytes=") and status == 206 for header, status in ranges)
        page.wait_for_function("document.querySelectorAll('.leaflet-outlines-pane path').length === 2")
        page.wait_for_selector(".commune-label >> text=Phường Liên Chiểu")
        page.wait_for_selector(".leaflet-base-pane path")  # the land, for what lies outside the file
        assert page.locator(".sea-label").count() == 2
        assert all(url.startswith(live_server.url) for url in requests)
        assert page.console_errors == []


def test_a_raster_mbtiles_base_map_is_drawn_by_leaflet_tile_by_tile(live_server, province, settings, tmp_path):
    from tests.map_files import png, tiles_covering, write_mbtiles

    path = tmp_path / "da-nang.mbtiles"
    red = png((220, 40, 40))
    write_mbtiles(
        path,
        {tile: red for tile in tiles_covering(DA_NANG, range(10, 13))},
        "png",
        bounds="107.9,15.85,108.45,16.25",
        minzoom="10",
        maxzoom="12",
    )
    settings.BASEMAP_FILE = str(path)
    settings.INCIDENTS_TILE_URL = ""
    with chromium_page(live_server.url) as page:
        page.goto("/tin-bao/")
        page.wait_for_selector("#report-map img.leaflet-tile-loaded[src*='/ban-do/nen/12/']")
        assert page.locator("#report-map").get_attribute("data-basemap") == "raster"
        assert page.evaluate("typeof window.protomapsL") == "undefined"  # no renderer for raster tiles
        assert page.console_errors == []


def test_a_vector_mbtiles_base_map_is_drawn_by_the_renderer_from_gzipped_tiles(
    live_server, province, settings, tmp_path
):
    import gzip

    from tests.map_files import coast_layers, tiles_covering, vector_tile, write_mbtiles

    layers = coast_layers((107.0, 15.0, 109.5, 17.0))
    tiles = {tile: gzip.compress(vector_tile(layers, *tile)) for tile in tiles_covering(DA_NANG, range(9, 13))}
    path = tmp_path / "da-nang.mbtiles"
    write_mbtiles(path, tiles, "pbf", bounds="107.9,15.85,108.45,16.25", minzoom="9", maxzoom="12")
    settings.BASEMAP_FILE = str(path)
    settings.INCIDENTS_TILE_URL = ""
    with chromium_page(live_server.url) as page:
        tile_requests: list[str] = []
        page.on("request", lambda request: tile_requests.append(request.url) if ".pbf" in request.url else None)
        page.goto("/tin-bao/")
        page.wait_for_selector("#report-map canvas.leaflet-tile-loaded")
        assert page.locator("#report-map").get_attribute("data-basemap") == "vector"
        pixels = _tile_pixels(page, "#report-map canvas.leaflet-tile-loaded")
        assert pixels["share"] > 0.99 and pixels["colours"] >= 2
        assert tile_requests and all("/ban-do/nen/11/" in url for url in tile_requests)  # zoom 12 reads zoom 11 data
        assert page.console_errors == []
