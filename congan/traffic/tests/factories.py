"""Traffic test data: a camera, a registered vehicle and a detected violation event (counted in the
statistics' aggregates, as ingestion counts the events it stores)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from congan.core.tallies import tally_apply
from congan.traffic import aggregates, services
from congan.traffic.models import Camera, Vehicle, ViolationEvent, ViolationType

_keys = itertools.count(1)


def camera(unit, code: str = "CAM-001", **extra) -> Camera:
    values = {
        "name": "Nút giao Điện Biên Phủ — Nguyễn Tri Phương",
        "kind": "red_light",
        "latitude": Decimal("16.06"),
        "longitude": Decimal("108.20"),
        "road": "Điện Biên Phủ",
        "unit": unit,
        **extra,
    }
    return Camera.objects.get_or_create(code=code, defaults=values)[0]


def vehicle(owner=None, plate: str = "43A12345", kind: str = "car", **extra) -> Vehicle:
    organisation = "" if owner else "Công ty Taxi Tiên Sa"
    return Vehicle.objects.create(
        plate=plate,
        kind=kind,
        owner=owner,
        owner_organisation=organisation,
        brand="Toyota",
        body_colour="Trắng",
        **extra,
    )


def event(
    camera: Camera, plate: str = "43A12345", *, code: str = "16824.6.9.b", ago: dt.timedelta | None = None, **extra
) -> ViolationEvent:
    if not ViolationType.objects.exists():
        services.violation_types_load(by="system")
    values = {
        "plate_read": plate,
        "plate": plate,
        "vehicle_kind": "car",
        "read_confidence": 0.93,
        "occurred_at": timezone.now() - (ago or dt.timedelta(hours=3)),
        "violation_type": ViolationType.objects.filter(code=code).order_by("-valid_from").first(),
        "idempotency_key": f"k-{next(_keys)}",
        **extra,
    }
    created = ViolationEvent.objects.create(camera=camera, **values)
    tally_apply(aggregates.violation_tally(created))  # counted in the statistics, as ingestion counts it
    return created
