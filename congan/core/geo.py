"""Plain geometry on latitude/longitude pairs: enough for a province, no GIS stack needed."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine); accepts Decimals too."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def point_in_polygon(lat: float, lon: float, polygon: Sequence[Sequence[float]]) -> bool:
    """Ray casting over [[lat, lon], …]; a province is small enough to treat degrees as planar."""
    inside = False
    count = len(polygon)
    for index in range(count):
        (lat_a, lon_a), (lat_b, lon_b) = polygon[index], polygon[(index + 1) % count]
        if (lat_a > lat) != (lat_b > lat):
            crossing = lon_a + (lat - lat_a) * (lon_b - lon_a) / (lat_b - lat_a)
            if lon < crossing:
                inside = not inside
    return inside


def box_lookup(latitude: Decimal, longitude: Decimal, metres: float) -> dict[str, tuple[Decimal, Decimal]]:
    """ORM lookups for the latitude/longitude box around a point (a cheap indexed pre-filter before
    the exact distance)."""
    dlat = Decimal(str(metres / 111_320))
    dlon = Decimal(str(metres / (111_320 * max(math.cos(math.radians(float(latitude))), 0.01))))
    return {
        "latitude__range": (latitude - dlat, latitude + dlat),
        "longitude__range": (longitude - dlon, longitude + dlon),
    }


# Latitude and longitude ranges that hold all of Vietnam, islands included: the mainland (8.4–23.4 N,
# 102.1–109.5 E) and the archipelagos at sea, Hoàng Sa (about 15.7–17.1 N, 111–113 E) and Trường Sa
# (about 6.5–12 N, 111.5–117.3 E), where warnings to fishermen are routine.
VIETNAM_BOUNDS = ((6.0, 23.5), (102.0, 117.5))


def in_vietnam(latitude: float, longitude: float) -> bool:
    (lat_min, lat_max), (lon_min, lon_max) = VIETNAM_BOUNDS
    return lat_min <= float(latitude) <= lat_max and lon_min <= float(longitude) <= lon_max
