"""Tiles of the operator's base map file one by one at /ban-do/nen/{z}/{x}/{y}.{ext}: an MBTiles
database (rows numbered from the south, TMS) or a PMTiles archive; vector tiles sent gzipped to
clients that take gzip; and the pages told how to draw the file."""

from __future__ import annotations

import gzip

import pytest
from django.core.cache import cache

from congan.core import basemap
from tests.map_files import coast_layers, png, vector_tile, write_mbtiles, write_raster_pmtiles, write_vector_pmtiles

pytestmark = pytest.mark.django_db

RED, BLUE = png((200, 0, 0), 8), png((0, 0, 200), 8)


@pytest.fixture
def raster_mbtiles(tmp_path, settings):
    path = tmp_path / "tinh.mbtiles"
    # Zoom 1: the north-western tile (y = 0) red, the south-western one (y = 1) blue.
    write_mbtiles(
        path, {(1, 0, 0): RED, (1, 0, 1): BLUE}, "png", bounds="108.1,16.0,108.3,16.1", attribution="<b>Sở</b> TN&MT"
    )
    settings.BASEMAP_FILE = str(path)
    settings.INCIDENTS_TILE_URL = ""
    return path


def test_an_mbtiles_tile_is_found_with_its_row_counted_from_the_south(client, raster_mbtiles):
    north = client.get("/ban-do/nen/1/0/0.png")
    assert north.status_code == 200 and north["Content-Type"] == "image/png"
    assert north.content == RED
    assert client.get("/ban-do/nen/1/0/1.png").content == BLUE
    assert "public" in north["Cache-Control"] and north["ETag"]


def test_a_tile_the_file_does_not_hold_is_an_empty_404(client, raster_mbtiles):
    missing = client.get("/ban-do/nen/1/1/0.png")
    assert missing.status_code == 404 and missing.content == b""
    assert client.get("/ban-do/nen/1/2/0.png").status_code == 404  # no such tile at zoom 1
    assert client.get("/ban-do/nen/31/0/0.png").status_code == 404
    assert client.get("/ban-do/nen/1/0/0.jpg").status_code == 404  # not the file's format


def test_an_unchanged_tile_is_not_sent_again(client, raster_mbtiles):
    first = client.get("/ban-do/nen/1/0/0.png")
    assert client.get("/ban-do/nen/1/0/0.png", headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_gzipped_vector_tiles_go_gzipped_to_browsers_and_plain_to_others(client, tmp_path, settings):
    tile = vector_tile(coast_layers((108.0, 15.9, 108.4, 16.2)), 8, 204, 114)
    path = tmp_path / "tinh.mbtiles"
    write_mbtiles(path, {(8, 204, 114): gzip.compress(tile)}, "pbf")
    settings.BASEMAP_FILE = str(path)
    browser = client.get("/ban-do/nen/8/204/114.pbf", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert browser["Content-Encoding"] == "gzip" and gzip.decompress(browser.content) == tile
    assert browser["Content-Type"] == "application/vnd.mapbox-vector-tile"
    assert "Accept-Encoding" in browser["Vary"]
    other = client.get("/ban-do/nen/8/204/114.pbf")
    assert "Content-Encoding" not in other and other.content == tile


def test_a_raster_pmtiles_archive_is_served_tile_by_tile(client, tmp_path, settings):
    path = tmp_path / "tinh.pmtiles"
    write_raster_pmtiles(path, (108.1, 16.0, 108.3, 16.1), range(0, 3), lambda z, x, y: RED if z == 2 else BLUE)
    settings.BASEMAP_FILE = str(path)
    assert client.get("/ban-do/nen/2/3/1.png").content == RED  # Đà Nẵng's tile at zoom 2
    assert client.get("/ban-do/nen/2/0/0.png").status_code == 404
    assert client.get("/ban-do/nen.pmtiles").status_code == 200  # the archive itself, too


@pytest.mark.parametrize(
    ("maker", "kind", "url"),
    [
        (
            lambda path: write_vector_pmtiles(path, (108.1, 16.0, 108.3, 16.1), range(0, 6)),
            "pmtiles",
            "/ban-do/nen.pmtiles",
        ),
        (lambda path: write_mbtiles(path, {(1, 0, 0): RED}, "png"), "raster", "/ban-do/nen/{z}/{x}/{y}.png"),
        (lambda path: write_mbtiles(path, {(1, 0, 0): b"\x1a\x00"}, "pbf"), "vector", "/ban-do/nen/{z}/{x}/{y}.pbf"),
    ],
)
def test_the_pages_are_told_how_to_draw_the_file(client, tmp_path, settings, maker, kind, url):
    path = tmp_path / "tinh.bin"
    maker(path)
    settings.BASEMAP_FILE = str(path)
    settings.INCIDENTS_TILE_URL = ""
    cache.clear()
    page = client.get("/tin-bao/").content.decode()
    assert f'data-basemap="{kind}"' in page and f'data-basemap-url="{url}"' in page
    assert ("protomaps-leaflet" in page) == (kind != "raster")  # the renderer only where needed


def test_the_files_attribution_is_shown_as_text(raster_mbtiles):
    config = basemap.page_config()
    assert config is not None
    assert config["attribution"] == "Sở TN&MT"
    assert config["bounds"] == "16.0,108.1,16.1,108.3"  # south, west, north, east
    assert (config["min_zoom"], config["max_zoom"]) == (1, 1)


def test_a_tile_server_comes_before_the_file(client, raster_mbtiles, settings):
    settings.INCIDENTS_TILE_URL = "/tiles/{z}/{x}/{y}.png"
    page = client.get("/tin-bao/").content.decode()
    assert "data-basemap=" not in page and 'data-tiles="/tiles/{z}/{x}/{y}.png"' in page


def test_a_damaged_file_loses_its_tiles_not_the_page(client, tmp_path, settings):
    path = tmp_path / "tinh.pmtiles"
    write_raster_pmtiles(path, (108.1, 16.0, 108.3, 16.1), range(0, 3), lambda z, x, y: RED)
    damaged = bytearray(path.read_bytes())
    damaged[127:160] = b"\x00" * 33  # the root directory
    path.write_bytes(bytes(damaged))
    settings.BASEMAP_FILE = str(path)
    assert client.get("/ban-do/nen/2/3/1.png").status_code == 404
    assert client.get("/tin-bao/").status_code == 200
