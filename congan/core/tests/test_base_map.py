"""The offline base map's land (static/congan/geo/land.geojson, scripts/build_base_map.py) holds
the mainland, both archipelagos, and leaves the sea open."""

from __future__ import annotations

import json
from pathlib import Path

import shapely
from shapely.geometry import Point, shape

LAND = Path(__file__).resolve().parents[2] / "static" / "congan" / "geo" / "land.geojson"


def test_the_land_holds_the_mainland_and_the_archipelagos_and_not_the_sea():
    land = shape(json.loads(LAND.read_text(encoding="utf-8"))["geometry"])
    assert land.contains(Point(108.2, 16.05))  # Đà Nẵng
    assert land.contains(Point(105.85, 21.03))  # Hà Nội
    assert land.distance(Point(112.33, 16.83)) < 0.02  # Hoàng Sa: the Crescent group
    assert _islands(land, (111.0, 15.5, 113.0, 17.2)) >= 5  # Hoàng Sa
    assert _islands(land, (111.0, 7.0, 117.0, 12.0)) >= 50  # Trường Sa: its islands and reefs
    assert not land.contains(Point(108.4, 16.1))  # the sea off Đà Nẵng
    assert not land.contains(Point(112.0, 14.0))  # the open East Sea


def _islands(land, area: tuple[float, float, float, float]) -> int:
    part = shapely.clip_by_rect(land, *area)
    return len(getattr(part, "geoms", [part]))
