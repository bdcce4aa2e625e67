"""Small base map files and commune boundaries made on the spot, for tests and screenshots only
(no real map data ships with the platform): a vector PMTiles archive in the Protomaps basemap
schema (layers ``earth`` and ``water``), an MBTiles database of raster or vector tiles, and
Voronoi cells around commune police seats clipped to the land as stand-in boundaries."""

from __future__ import annotations

import gzip
import io
import json
import math
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import closing
from pathlib import Path

import mapbox_vector_tile  # type: ignore[import-untyped]
import numpy as np
import shapely
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import write
from shapely.geometry import MultiPoint, Point, box, mapping, shape
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS = 6_378_137.0
HALF_WORLD = math.pi * EARTH_RADIUS
LAND = Path(__file__).resolve().parent.parent / "congan" / "static" / "congan" / "geo" / "land.geojson"


def mercator(lon: float, lat: float) -> tuple[float, float]:
    lat = max(min(lat, 85.0511), -85.0511)
    return (
        math.radians(lon) * EARTH_RADIUS,
        math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * EARTH_RADIUS,
    )


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    x, y = mercator(lon, lat)
    scale = (1 << z) / (2 * HALF_WORLD)
    return int((x + HALF_WORLD) * scale), int((HALF_WORLD - y) * scale)


def tile_box(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """The tile's box in Web Mercator metres: west, south, east, north."""
    size = 2 * HALF_WORLD / (1 << z)
    return -HALF_WORLD + x * size, HALF_WORLD - (y + 1) * size, -HALF_WORLD + (x + 1) * size, HALF_WORLD - y * size


def tiles_covering(bounds: tuple[float, float, float, float], zooms: Iterable[int]) -> Iterable[tuple[int, int, int]]:
    west, south, east, north = bounds
    for z in zooms:
        x0, y0 = tile_of(west, north, z)
        x1, y1 = tile_of(east, south, z)
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                yield z, x, y


def land(bounds: tuple[float, float, float, float]) -> BaseGeometry:
    """The platform's offline land (decision 0021) inside ``bounds``."""
    geometry = shape(json.loads(LAND.read_text(encoding="utf-8"))["geometry"])
    return shapely.clip_by_rect(geometry, *bounds)


def vector_tile(layers: dict[str, list[tuple[BaseGeometry, dict]]], z: int, x: int, y: int) -> bytes:
    """One Mapbox vector tile of ``layers`` (longitude/latitude shapes with their properties)."""
    west, south, east, north = tile_box(z, x, y)
    margin = (east - west) / 64
    clip = box(west - margin, south - margin, east + margin, north + margin)
    encoded = []
    for name, features in layers.items():
        kept = []
        for geometry, properties in features:
            near = shapely.clip_by_rect(
                geometry, *_lon_lat(west - margin, south - margin, east + margin, north + margin)
            )
            projected = shapely.transform(near, _project).intersection(clip)
            if not projected.is_empty:
                kept.append({"geometry": projected, "properties": properties})
        if kept:
            encoded.append({"name": name, "features": kept})
    options = {"quantize_bounds": (west, south, east, north), "extents": 4096, "y_coord_down": False}
    return mapbox_vector_tile.encode(encoded, default_options=options)


def _lon_lat(west: float, south: float, east: float, north: float) -> tuple[float, float, float, float]:
    """A Web Mercator box in longitude and latitude."""

    def latitude(y: float) -> float:
        return math.degrees(2 * math.atan(math.exp(y / EARTH_RADIUS)) - math.pi / 2)

    return (
        math.degrees(west / EARTH_RADIUS),
        latitude(south),
        math.degrees(east / EARTH_RADIUS),
        latitude(north),
    )


def _project(coordinates: np.ndarray) -> np.ndarray:
    lon, lat = np.radians(coordinates[:, 0]), np.radians(coordinates[:, 1])
    return np.column_stack([lon * EARTH_RADIUS, np.log(np.tan(math.pi / 4 + lat / 2)) * EARTH_RADIUS])


def coast_layers(bounds: tuple[float, float, float, float]) -> dict[str, list[tuple[BaseGeometry, dict]]]:
    """Land as ``earth`` and the rest of ``bounds`` as ``water`` (Protomaps basemap schema)."""
    earth = land(bounds)
    sea = box(*bounds).difference(earth)
    return {"earth": [(earth, {"kind": "earth"})], "water": [(sea, {"kind": "ocean"})]}


def write_vector_pmtiles(
    path: Path,
    bounds: tuple[float, float, float, float],
    zooms: range,
    layers: dict[str, list[tuple[BaseGeometry, dict]]] | None = None,
    attribution: str = "Bản đồ thử nghiệm",
) -> int:
    """A vector PMTiles archive of ``layers`` (default: the coast) over ``bounds``; returns the
    number of tiles."""
    layers = layers or coast_layers(bounds)
    tiles = sorted(tiles_covering(bounds, zooms), key=lambda t: zxy_to_tileid(*t))
    return _write_pmtiles(
        path,
        bounds,
        zooms,
        [(t, gzip.compress(vector_tile(layers, *t), mtime=0)) for t in tiles],
        TileType.MVT,
        Compression.GZIP,
        {"attribution": attribution, "vector_layers": [{"id": name} for name in layers]},
    )


def write_raster_pmtiles(path: Path, bounds, zooms: range, paint: Callable[[int, int, int], bytes]) -> int:
    tiles = sorted(tiles_covering(bounds, zooms), key=lambda t: zxy_to_tileid(*t))
    return _write_pmtiles(path, bounds, zooms, [(t, paint(*t)) for t in tiles], TileType.PNG, Compression.NONE, {})


def _write_pmtiles(path, bounds, zooms, tiles, tile_type, compression, metadata) -> int:
    west, south, east, north = bounds
    with write(str(path)) as writer:
        for (z, x, y), data in tiles:
            writer.write_tile(zxy_to_tileid(z, x, y), data)
        writer.finalize(
            {
                "tile_type": tile_type,
                "tile_compression": compression,
                "min_zoom": zooms.start,
                "max_zoom": zooms.stop - 1,
                "min_lon_e7": int(west * 1e7),
                "min_lat_e7": int(south * 1e7),
                "max_lon_e7": int(east * 1e7),
                "max_lat_e7": int(north * 1e7),
                "center_zoom": zooms.start,
                "center_lon_e7": int((west + east) / 2 * 1e7),
                "center_lat_e7": int((south + north) / 2 * 1e7),
            },
            metadata,
        )
    return len(tiles)


def png(colour: tuple[int, int, int], size: int = 256) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(out, format="PNG")
    return out.getvalue()


def write_mbtiles(path: Path, tiles: dict[tuple[int, int, int], bytes], tile_format: str, **metadata: str) -> None:
    """An MBTiles database holding ``tiles`` (keyed z, x, y in XYZ numbering; stored TMS rows)."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        connection.execute(
            "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)"
        )
        connection.executemany(
            "INSERT INTO metadata VALUES (?, ?)", [("format", tile_format), ("name", "test"), *metadata.items()]
        )
        connection.executemany(
            "INSERT INTO tiles VALUES (?, ?, ?, ?)",
            [(z, x, (1 << z) - 1 - y, data) for (z, x, y), data in tiles.items()],
        )
        connection.commit()


def voronoi_boundaries(seats: dict[str, tuple[str, float, float]], bounds) -> dict:
    """Stand-in commune boundaries (a GeoJSON FeatureCollection with ``ma_xa`` and ``ten_xa``):
    the Voronoi cells of the seats (code → name, latitude, longitude), clipped to the land."""
    points = {code: Point(lon, lat) for code, (_name, lat, lon) in seats.items()}
    cells = shapely.voronoi_polygons(MultiPoint(list(points.values())), extend_to=box(*bounds))
    earth = land(bounds)
    features = []
    for cell in cells.geoms:
        code = next(code for code, point in points.items() if cell.contains(point))
        area = cell.intersection(earth)
        if area.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"ma_xa": code, "ten_xa": seats[code][0]},
                "geometry": mapping(area),
            }
        )
    return {"type": "FeatureCollection", "features": features}
