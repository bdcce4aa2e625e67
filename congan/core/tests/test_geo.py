"""Vietnam's territory includes the Hoàng Sa and Trường Sa archipelagos (docs: domain-vietnam.md):
the "is this in Vietnam" check holds their special zones and nothing far beyond the country."""

from __future__ import annotations

import pytest

from congan.core.geo import in_vietnam

INSIDE = [
    ("Lũng Cú, the northern tip", 23.36, 105.32),
    ("Mũi Cà Mau, the southern tip", 8.6, 104.72),
    ("Đà Nẵng", 16.07, 108.22),
    ("đặc khu Hoàng Sa", 16.57, 112.14),
    ("đặc khu Trường Sa", 9.71, 114.45),
    ("Trường Sa Lớn", 8.64, 111.92),
]
OUTSIDE = [("Bangkok", 13.75, 100.5), ("Manila", 14.6, 121.0), ("the equator", 0.0, 105.0)]


@pytest.mark.parametrize(("place", "latitude", "longitude"), INSIDE, ids=[row[0] for row in INSIDE])
def test_places_of_vietnam_are_inside(place, latitude, longitude):
    assert in_vietnam(latitude, longitude)


@pytest.mark.parametrize(("place", "latitude", "longitude"), OUTSIDE, ids=[row[0] for row in OUTSIDE])
def test_places_far_beyond_are_outside(place, latitude, longitude):
    assert not in_vietnam(latitude, longitude)
