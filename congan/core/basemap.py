"""The operator's base map file (``CONGAN_BASEMAP_FILE``): a PMTiles archive or an MBTiles
database of the province, served by the platform itself (decision 0023).

A vector PMTiles file is read by the browser's renderer (protomaps-leaflet) with HTTP range
requests on the file itself; every other kind (raster PMTiles, MBTiles raster or vector) is served
tile by tile at ``/ban-do/nen/{z}/{x}/{y}.{ext}``. Nothing here reads the whole file into memory:
its header, directories and tiles are read at their offsets.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags
from pmtiles.reader import Reader
from pmtiles.tile import Compression, TileType, deserialize_header

logger = logging.getLogger(__name__)

PMTILES_MAGIC = b"PMTiles"
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
MAX_ZOOM = 30

# The tile formats a base map may hold, by the name MBTiles' metadata gives them, and how each is
# sent and drawn.
CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "webp": "image/webp",
    "avif": "image/avif",
    "pbf": "application/vnd.mapbox-vector-tile",
}
FORMAT_ALIASES = {"jpeg": "jpg", "mvt": "pbf"}
PMTILES_FORMATS = {
    TileType.MVT: "pbf",
    TileType.PNG: "png",
    TileType.JPEG: "jpg",
    TileType.WEBP: "webp",
    TileType.AVIF: "avif",
}
PMTILES_ENCODINGS = {Compression.GZIP: "gzip", Compression.BROTLI: "br", Compression.ZSTD: "zstd"}


@dataclass(frozen=True)
class BaseMapFile:
    """What the platform knows of the operator's file: read once per process and per version of
    the file (its size and modification time)."""

    path: Path
    kind: str  # "pmtiles" or "mbtiles"
    tile_format: str  # a key of CONTENT_TYPES
    tile_encoding: str  # "" or the Content-Encoding its tiles are stored in (PMTiles' header says)
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float] | None  # west, south, east, north
    attribution: str
    size: int
    mtime_ns: int

    @property
    def vector(self) -> bool:
        return self.tile_format == "pbf"

    @property
    def etag(self) -> str:
        """A strong validator of this version of the file."""
        return f'"{self.mtime_ns:x}-{self.size:x}"'

    @property
    def last_modified(self) -> int:
        return self.mtime_ns // 1_000_000_000


_described: dict[tuple[str, int, int], BaseMapFile | None] = {}
_lock = threading.Lock()


def basemap_file() -> BaseMapFile | None:
    """The configured base map file, or None when none is set or it cannot be used (logged once)."""
    configured = getattr(settings, "BASEMAP_FILE", "")
    if not configured:
        return None
    path = Path(configured).expanduser()
    try:
        stat = path.stat()
    except OSError as error:
        _warn_once(("missing", str(path)), "CONGAN_BASEMAP_FILE %s cannot be read: %s", path, error)
        return None
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _lock:
        if key in _described:
            return _described[key]
    try:
        described = _describe(path, size=stat.st_size, mtime_ns=stat.st_mtime_ns)
    except Exception as error:  # a truncated or foreign file (any parse error): no base map, said once
        logger.warning("CONGAN_BASEMAP_FILE %s is not a usable PMTiles or MBTiles file: %s", path, error)
        described = None
    with _lock:
        _described.clear()  # only the current version of the file is kept
        _described[key] = described
    return described


_warned: set[tuple[str, str]] = set()


def _warn_once(key: tuple[str, str], message: str, *args: Any) -> None:
    if key not in _warned:
        _warned.add(key)
        logger.warning(message, *args)


def _describe(path: Path, *, size: int, mtime_ns: int) -> BaseMapFile:
    with path.open("rb") as handle:
        start = handle.read(127)
    if start.startswith(PMTILES_MAGIC):
        return _describe_pmtiles(path, start, size=size, mtime_ns=mtime_ns)
    if start.startswith(SQLITE_MAGIC):
        return _describe_mbtiles(path, size=size, mtime_ns=mtime_ns)
    raise ValueError("neither a PMTiles archive nor an SQLite database")


def _describe_pmtiles(path: Path, start: bytes, *, size: int, mtime_ns: int) -> BaseMapFile:
    header = deserialize_header(start)
    tile_format = PMTILES_FORMATS.get(header["tile_type"])
    if tile_format is None:
        raise ValueError(f"unsupported tile type {header['tile_type']}")
    bounds = (
        header["min_lon_e7"] / 10_000_000,
        header["min_lat_e7"] / 10_000_000,
        header["max_lon_e7"] / 10_000_000,
        header["max_lat_e7"] / 10_000_000,
    )
    attribution = ""
    try:
        with path.open("rb") as handle:
            metadata = Reader(_reader_source(handle)).metadata()
        attribution = str(metadata.get("attribution", "")) if isinstance(metadata, dict) else ""
    except (OSError, ValueError):
        pass  # metadata is optional; the tiles are what matter
    return BaseMapFile(
        path=path,
        kind="pmtiles",
        tile_format=tile_format,
        tile_encoding=PMTILES_ENCODINGS.get(header["tile_compression"], ""),
        min_zoom=header["min_zoom"],
        max_zoom=header["max_zoom"],
        bounds=_valid_bounds(bounds),
        attribution=_plain(attribution),
        size=size,
        mtime_ns=mtime_ns,
    )


def _describe_mbtiles(path: Path, *, size: int, mtime_ns: int) -> BaseMapFile:
    with closing(_mbtiles(path)) as connection:
        metadata = {str(name): str(value) for name, value in connection.execute("SELECT name, value FROM metadata")}
        tile_format = FORMAT_ALIASES.get(metadata.get("format", "").lower(), metadata.get("format", "").lower())
        if tile_format not in CONTENT_TYPES:
            row = connection.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()
            tile_format = _sniff(bytes(row[0])) if row else ""
        if tile_format not in CONTENT_TYPES:
            raise ValueError(f"unknown tile format {metadata.get('format')!r}")
        zooms = (metadata.get("minzoom", ""), metadata.get("maxzoom", ""))
        if not all(z.strip().isdigit() for z in zooms):
            low, high = connection.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
            zooms = (str(low or 0), str(high or 0))
    bounds = None
    parts = metadata.get("bounds", "").split(",")
    if len(parts) == 4:
        try:
            west, south, east, north = (float(part) for part in parts)
            bounds = _valid_bounds((west, south, east, north))
        except ValueError:
            bounds = None
    return BaseMapFile(
        path=path,
        kind="mbtiles",
        tile_format=tile_format,
        tile_encoding="",
        min_zoom=int(zooms[0]),
        max_zoom=int(zooms[1]),
        bounds=bounds,
        attribution=_plain(metadata.get("attribution", "")),
        size=size,
        mtime_ns=mtime_ns,
    )


def _valid_bounds(bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float] | None:
    west, south, east, north = bounds
    if -180 <= west < east <= 180 and -90 <= south < north <= 90:
        return bounds
    return None


def _plain(text: str) -> str:
    """An attribution as plain text (the file's may hold links; the page shows no HTML from it)."""
    return re.sub(r"\s+", " ", strip_tags(text)).strip()[:300]


def _sniff(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"\xff\xd8"):
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return "pbf"  # vector tiles have no magic number (often gzip-compressed)


def _mbtiles(path: Path) -> sqlite3.Connection:
    """A read-only connection (the operator's file is never written)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _reader_source(handle: Any):
    descriptor = handle.fileno()
    return lambda offset, length: os.pread(descriptor, length, offset)


def tile(basemap: BaseMapFile, z: int, x: int, y: int) -> bytes | None:
    """The bytes of tile z/x/y (XYZ numbering, y from the north), as stored; None when the file
    holds no such tile."""
    if not (0 <= z <= MAX_ZOOM and 0 <= x < (1 << z) and 0 <= y < (1 << z)):
        return None
    try:
        if basemap.kind == "mbtiles":
            with closing(_mbtiles(basemap.path)) as connection:
                row = connection.execute(
                    "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                    (z, x, (1 << z) - 1 - y),  # MBTiles numbers rows from the south (TMS)
                ).fetchone()
            return bytes(row[0]) if row and row[0] is not None else None
        with basemap.path.open("rb") as handle:
            data = Reader(_reader_source(handle)).get(z, x, y)
        return bytes(data) if data else None
    except (OSError, ValueError, EOFError, sqlite3.Error) as error:  # a damaged file: that tile is missing
        _warn_once(
            ("tile", str(basemap.path)), "CONGAN_BASEMAP_FILE %s: a tile cannot be read: %s", basemap.path, error
        )
        return None


def tile_encoding(basemap: BaseMapFile, data: bytes) -> str:
    """The Content-Encoding the tile's bytes are in: what PMTiles' header says; for MBTiles, gzip
    when the bytes start with its magic number (vector tiles usually are)."""
    if basemap.kind == "pmtiles":
        return basemap.tile_encoding
    return "gzip" if data.startswith(GZIP_MAGIC) else ""


def decoded(data: bytes, encoding: str) -> bytes | None:
    """The tile's plain bytes for a client that does not accept its encoding; None when this server
    cannot decode it either."""
    if encoding == "gzip":
        return gzip.decompress(data)
    return None if encoding else data


def page_config() -> dict[str, Any] | None:
    """How the pages' maps draw the base map file (meta[name=congan-map] in base.html), or None."""
    basemap = basemap_file()
    if basemap is None:
        return None
    if basemap.kind == "pmtiles" and basemap.vector:
        kind, url = "pmtiles", reverse("basemap_pmtiles")
    else:
        kind = "vector" if basemap.vector else "raster"
        sample = reverse("basemap_tile", args=[0, 0, 0, basemap.tile_format])
        url = sample.removesuffix(f"0/0/0.{basemap.tile_format}") + "{z}/{x}/{y}." + basemap.tile_format
    west, south, east, north = basemap.bounds or (-180.0, -85.0511, 180.0, 85.0511)
    return {
        "kind": kind,
        "url": url,
        "min_zoom": basemap.min_zoom,
        "max_zoom": basemap.max_zoom,
        "bounds": f"{south},{west},{north},{east}",
        "attribution": basemap.attribution,
    }


# --- HTTP byte ranges (RFC 9110 §14) ----------------------------------------------------------

_RANGE_SPEC = re.compile(r"^(\d{0,19})-(\d{0,19})$")


class Unsatisfiable(Exception):
    """The Range header asks for no byte of the file (answered 416 with the file's length)."""


def requested_range(value: str | None, size: int) -> tuple[int, int] | None:
    """The one byte range (first, last; inclusive) a Range header asks for, clamped to the file.

    None when the header is to be ignored and the whole file sent: absent, another unit than
    bytes, malformed, or several ranges (a server may ignore Range; our clients ask for one).
    Raises Unsatisfiable when the one range starts at or past the end, or is an empty suffix.
    """
    if not value:
        return None
    unit, equals, specs = value.partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return None
    ranges = [spec.strip() for spec in specs.split(",") if spec.strip()]
    if len(ranges) != 1:
        return None
    match = _RANGE_SPEC.match(ranges[0])
    if match is None or match.group(0) == "-":
        return None
    first, last = match.groups()
    if first == "":  # a suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - length), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # an invalid range-spec makes the whole header invalid: ignored
    if start >= size:
        raise Unsatisfiable
    return start, min(end, size - 1)


def if_range_holds(value: str | None, *, etag: str, last_modified: int) -> bool:
    """Whether a Range may be honoured under If-Range (RFC 9110 §13.1.5): absent, the same strong
    entity tag, or exactly the file's modification date; otherwise the whole file is sent."""
    from django.utils.http import parse_http_date_safe

    if value is None:
        return True
    value = value.strip()
    if value.startswith('"'):
        return value == etag
    if value.startswith("W/"):
        return False  # weak tags never match for ranges
    return parse_http_date_safe(value) == last_modified
