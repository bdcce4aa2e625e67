"""The imported commune boundaries as every map draws them: a public, cached GeoJSON of thin
outlines, simplified for display, each commune with its name and a point inside it for the label;
nothing when none are imported."""

from __future__ import annotations

import math

import pytest
from django.core.cache import cache
from shapely.geometry import Point, shape

from congan.org import boundaries
from congan.org.boundaries import Feature

pytestmark = pytest.mark.django_db

URL = "/to-chuc/ranh-gioi-xa-phuong.json"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.delete_many([boundaries.CACHE_KEY, boundaries.OUTLINES_CACHE_KEY])
    yield
    cache.delete_many([boundaries.CACHE_KEY, boundaries.OUTLINES_CACHE_KEY])


def _circle(lon: float, lat: float, radius: float, points: int = 2000):
    ring = [
        (lon + radius * math.cos(2 * math.pi * i / points), lat + radius * math.sin(2 * math.pi * i / points))
        for i in range(points)
    ]
    return shape({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})


def test_without_boundaries_nothing_is_drawn(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"type": "FeatureCollection", "features": []}
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]


def test_each_commune_is_drawn_simplified_with_its_name_inside_it(client, commune, other_commune):
    hai_van = _circle(108.15, 16.10, 0.03)
    boundaries.boundaries_import(
        by="system",
        features=[
            Feature(code="20194", name="P. Hai Van (tệp)", geometry=hai_van),
            Feature(code="20197", name="Liên Chiểu", geometry=_circle(108.22, 16.07, 0.02)),
        ],
        source="thu.geojson",
    )
    response = client.get(URL)
    assert response.status_code == 200
    features = {f["properties"]["code"]: f for f in response.json()["features"]}
    assert set(features) == {"20194", "20197"}
    drawn = features["20194"]
    assert drawn["properties"]["name"] == "Phường Hải Vân"  # the platform's name, not the file's
    lat, lon = drawn["properties"]["label"]
    assert hai_van.contains(Point(lon, lat))
    ring = drawn["geometry"]["coordinates"][0]
    assert 20 < len(ring) < 2000  # simplified, still round
    assert shape(drawn["geometry"]).symmetric_difference(hai_van).area < 0.01 * hai_van.area


def test_a_later_import_is_drawn_at_once_and_an_unchanged_one_is_not_sent_again(client, commune):
    boundaries.boundaries_import(by="system", features=[Feature("20194", "", _circle(108.15, 16.1, 0.03))], source="a")
    first = client.get(URL)
    assert client.get(URL, headers={"If-None-Match": first["ETag"]}).status_code == 304
    boundaries.boundaries_import(by="system", features=[Feature("20194", "", _circle(108.3, 16.0, 0.01))], source="b")
    second = client.get(URL)
    assert second.status_code == 200 and second.content != first.content
    lat, lon = second.json()["features"][0]["properties"]["label"]
    assert abs(lon - 108.3) < 0.01 and abs(lat - 16.0) < 0.01


def test_the_outlines_are_sent_compressed_to_browsers(client, commune):
    boundaries.boundaries_import(by="system", features=[Feature("20194", "", _circle(108.15, 16.1, 0.03))], source="a")
    response = client.get(URL, headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
