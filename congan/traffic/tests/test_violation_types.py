"""The fine tables from Decree 168/2024 as data, looked up by the day of the violation."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from congan.traffic import selectors, services
from congan.traffic.models import ViolationType

pytestmark = pytest.mark.django_db


def test_the_decree_168_rows_load_once_with_their_legal_citation():
    assert services.violation_types_load(by="system") == 22
    assert services.violation_types_load(by="system") == 0
    red_light = ViolationType.objects.get(code="16824.6.9.b")
    assert (red_light.article, red_light.clause, red_light.point) == (6, 9, "b")
    assert (red_light.vehicle_class, red_light.fine_min, red_light.fine_max, red_light.licence_points) == (
        "car",
        18_000_000,
        20_000_000,
        4,
    )
    assert ViolationType.objects.get(code="16824.7.4.đ").point == "đ"


def test_the_fine_is_the_one_in_force_on_the_day_of_the_violation(tmp_path):
    services.violation_types_load(by="system")
    amended = json.loads(services.VIOLATION_TYPES_FILE.read_text(encoding="utf-8"))
    old = next(row for row in amended["types"] if row["code"] == "16824.7.7.c")
    old["valid_to"] = "2026-06-30"
    amended["types"].append(
        {**old, "fine_min": 5_000_000, "fine_max": 7_000_000, "valid_from": "2026-07-01", "valid_to": None}
    )
    path = tmp_path / "amended.json"
    path.write_text(json.dumps(amended, ensure_ascii=False), encoding="utf-8")
    assert services.violation_types_load(by="system", path=path) == 1
    assert selectors.violation_type_on("16824.7.7.c", dt.date(2026, 6, 30)).fine_max == 6_000_000
    assert selectors.violation_type_on("16824.7.7.c", dt.date(2026, 7, 1)).fine_max == 7_000_000
    assert selectors.violation_type_on("16824.7.7.c", dt.date(2024, 12, 31)) is None  # before the decree
    assert selectors.violation_type_on("16824.9.9.z", dt.date(2026, 1, 1)) is None
