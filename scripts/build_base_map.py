"""Writes congan/static/congan/geo/land.geojson: the land of Vietnam and its neighbours, with the
Hoàng Sa and Trường Sa archipelagos, that every map draws when no tile server is configured.

Source: the npm package @geo-maps/earth-lands-100m (MIT; from OpenStreetMap land polygons, 100 m
resolution), clipped to the box of Vietnam's land and seas (decision 0021). Run again to rebuild:
`.venv/bin/python scripts/build_base_map.py` (fetches the package from the npm registry)."""

from __future__ import annotations

import io
import json
import tarfile
import urllib.request
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from shapely.ops import unary_union
from shapely.validation import make_valid

PACKAGE = "https://registry.npmjs.org/@geo-maps/earth-lands-100m/-/earth-lands-100m-0.6.0.tgz"
# West, south, east, north: the mainland, the Gulf of Tonkin, the East Sea with both archipelagos.
BOX = (101.0, 4.0, 119.0, 24.5)
TARGET = Path(__file__).resolve().parent.parent / "congan" / "static" / "congan" / "geo" / "land.geojson"


def _world() -> dict:
    with urllib.request.urlopen(PACKAGE, timeout=120) as response:
        packed = io.BytesIO(response.read())
    with tarfile.open(fileobj=packed, mode="r:gz") as archive:
        member = archive.extractfile("package/map.geo.json")
        if member is None:
            raise RuntimeError("the package holds no map.geo.json")
        return json.load(member)


def main() -> None:
    pieces = []
    for geometry in _world()["geometries"]:
        clipped = shapely.clip_by_rect(shape(geometry), *BOX)  # before make_valid: fast on a continent
        if not clipped.is_empty:
            pieces.append(make_valid(clipped))
    merged = unary_union(pieces)
    polygons = [part for part in getattr(merged, "geoms", [merged]) if part.geom_type in ("Polygon", "MultiPolygon")]
    land = unary_union(polygons)
    feature = {
        "type": "Feature",
        "properties": {"source": "@geo-maps/earth-lands-100m 0.6.0 (MIT), clipped to " + ",".join(map(str, BOX))},
        "geometry": mapping(shapely.set_precision(land, 0.001)),
    }
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(json.dumps(feature, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{TARGET}: {TARGET.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
