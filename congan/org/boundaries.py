"""Commune boundaries: read from the province's GeoJSON or shapefile, kept as ``CommuneBoundary``
rows, and used to say which commune a point lies in (reports) or an area touches (warnings).

Where no boundary is loaded the platform falls back to the nearest commune police seat, and says
the answer is approximate (decision 0021)."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import make_valid

from congan.core.audit import audit_record
from congan.core.errors import ValidationFailed
from congan.core.geo import in_vietnam
from congan.org.actors import OfficerOrSystem
from congan.org.models import CommuneBoundary, Unit

# The property that holds the commune code in files seen in the wild (NSO codes, five digits).
CODE_FIELDS = ("ma_xa", "maxa", "ma_phuong_xa", "ward_code", "wardcode", "commune_code", "code", "ma")
NAME_FIELDS = ("ten_xa", "tenxa", "ward", "ward_name", "name", "ten")
CACHE_KEY = "org:commune_boundaries"
OUTLINES_CACHE_KEY = "org:commune_outlines"  # what the maps draw (selectors.commune_outlines)


@dataclass(frozen=True)
class Feature:
    code: str
    name: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped: list[str]  # one line per feature left out, with the reason


def read_features(path: Path) -> Iterator[dict[str, Any]]:
    """GeoJSON features (properties and geometry) of a .geojson/.json file, a .shp, or a .zip
    holding one shapefile."""
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        yield from data.get("features", []) if data.get("type") == "FeatureCollection" else [data]
        return
    if suffix in (".shp", ".zip"):
        yield from _shapefile_features(path)
        return
    raise ValidationFailed(details={"file": [_("Tệp phải là GeoJSON (.geojson, .json) hoặc shapefile (.shp, .zip).")]})


def _shapefile_features(path: Path) -> Iterator[dict[str, Any]]:
    import shapefile  # pyshp

    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = {Path(name).suffix.lower(): name for name in archive.namelist()}
            if not {".shp", ".dbf"} <= set(names):
                raise ValidationFailed(details={"file": [_("Tệp .zip phải chứa một shapefile (.shp, .dbf).")]})
            streams = {kind: archive.open(names[f".{kind}"]) for kind in ("shp", "dbf")}
            reader = shapefile.Reader(shp=streams["shp"], dbf=streams["dbf"], encoding="utf-8")
            yield from (record.__geo_interface__ for record in reader.iterShapeRecords())
        return
    with shapefile.Reader(str(path), encoding="utf-8") as reader:
        yield from (record.__geo_interface__ for record in reader.iterShapeRecords())


def _property(properties: dict[str, Any], wanted: str, candidates: Iterable[str]) -> str:
    lowered = {str(key).lower(): value for key, value in (properties or {}).items()}
    for key in (wanted.lower(),) if wanted else candidates:
        if lowered.get(key) not in (None, ""):
            return str(lowered[key]).strip()
    return ""


def clean_features(
    raw: Iterable[dict[str, Any]], *, known_codes: set[str], code_field: str = "", name_field: str = ""
) -> tuple[list[Feature], list[str]]:
    """The features that can be used, and why each of the others cannot."""
    kept: list[Feature] = []
    skipped: list[str] = []
    for number, item in enumerate(raw, start=1):
        properties = item.get("properties") or {}
        code = _property(properties, code_field, CODE_FIELDS)
        code = code.zfill(5) if code.isdigit() and len(code) < 5 else code
        name = _property(properties, name_field, NAME_FIELDS)
        where = _("Đối tượng %(n)d (%(code)s %(name)s)") % {"n": number, "code": code or "?", "name": name}
        if code not in known_codes:
            skipped.append(f"{where}: " + _("mã xã không thuộc tỉnh (không có Công an xã, phường mang mã này)."))
            continue
        try:
            geometry = make_valid(shape(item.get("geometry") or {}))
        except (ValueError, TypeError, AttributeError, shapely.errors.ShapelyError):
            skipped.append(f"{where}: " + _("hình học không đọc được."))
            continue
        polygons = _polygons(geometry)
        if polygons.is_empty:
            skipped.append(f"{where}: " + _("không phải vùng (Polygon, MultiPolygon)."))
            continue
        west, south, east, north = polygons.bounds
        if not (in_vietnam(south, west) and in_vietnam(north, east)):
            skipped.append(f"{where}: " + _("nằm ngoài lãnh thổ Việt Nam (tọa độ phải là kinh độ, vĩ độ WGS 84)."))
            continue
        kept.append(Feature(code=code, name=name, geometry=polygons))
    return kept, skipped


def _polygons(geometry: BaseGeometry) -> BaseGeometry:
    parts = [part for part in getattr(geometry, "geoms", [geometry]) if part.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.MultiPolygon()


@transaction.atomic
def boundaries_import(*, by: OfficerOrSystem, features: list[Feature], source: str) -> int:
    """Replace the boundary of each commune in ``features`` (a later file wins); one audit event."""
    for feature in features:
        west, south, east, north = feature.geometry.bounds
        CommuneBoundary.objects.update_or_create(
            area_code=feature.code,
            defaults={
                "name": feature.name[:200],
                "geometry": mapping(feature.geometry),
                "min_latitude": south,
                "max_latitude": north,
                "min_longitude": west,
                "max_longitude": east,
                "source": source[:200],
                "imported_at": timezone.now(),
            },
        )
    audit_record(
        actor=by,
        action="org.boundaries.import",
        target_type="org.communeboundary",
        details={"source": source[:200], "communes": sorted(feature.code for feature in features)},
    )
    cache.delete_many([CACHE_KEY, OUTLINES_CACHE_KEY])  # now, for this transaction's own reads; and
    transaction.on_commit(lambda: cache.delete_many([CACHE_KEY, OUTLINES_CACHE_KEY]))  # once others see it
    return len(features)


def import_file(*, by: OfficerOrSystem, path: Path, code_field: str = "", name_field: str = "") -> ImportResult:
    known = set(Unit.objects.exclude(area_code="").values_list("area_code", flat=True))
    features, skipped = clean_features(
        read_features(path),
        known_codes=known,
        code_field=code_field,
        name_field=name_field,
    )
    imported = boundaries_import(by=by, features=features, source=path.name) if features else 0
    return ImportResult(imported=imported, skipped=skipped)


# --- Reads --------------------------------------------------------------------------------------


def _loaded() -> list[tuple[str, tuple[float, float, float, float], BaseGeometry]]:
    """(code, box, shape) of every boundary; the rows are cached (an import clears them) and each
    shape is parsed once per process and per import."""
    rows = cache.get(CACHE_KEY)
    if rows is None:
        rows = [
            (b.area_code, (b.min_longitude, b.min_latitude, b.max_longitude, b.max_latitude), b.geometry, b.imported_at)
            for b in CommuneBoundary.objects.all()
        ]
        cache.set(CACHE_KEY, rows, 300)
    return [(code, box, _shape(code, stamp, geometry)) for code, box, geometry, stamp in rows]


_SHAPES: dict[str, tuple[Any, BaseGeometry]] = {}  # code → (import stamp, prepared shape): one per commune


def _shape(code: str, stamp: Any, geometry: dict[str, Any]) -> BaseGeometry:
    kept = _SHAPES.get(code)
    if kept is None or kept[0] != stamp:
        parsed = shape(geometry)
        shapely.prepare(parsed)
        kept = _SHAPES[code] = (stamp, parsed)
    return kept[1]


def has_boundaries() -> bool:
    return bool(_loaded())


def commune_code_at(latitude: float, longitude: float) -> str | None:
    """The code of the commune whose boundary holds the point, if one is loaded that does."""
    point = Point(float(longitude), float(latitude))
    for code, (west, south, east, north), geometry in _loaded():
        if west <= point.x <= east and south <= point.y <= north and geometry.covers(point):
            return code
    return None


def commune_codes_touching(area: BaseGeometry) -> set[str]:
    """The codes of the communes whose boundary meets ``area`` (longitude first)."""
    return {code for code, _box, geometry in _loaded() if geometry.intersects(area)}
