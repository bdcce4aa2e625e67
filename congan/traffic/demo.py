"""`congan demo` builder for traffic: about 40 cameras near the communes' seats on named roads,
registered vehicles owned by demo residents, and six months of violations (bulk, idempotent)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from congan.core.audit import audit_record
from congan.org.models import Unit
from congan.org.selectors import COMMUNE_KINDS
from congan.population.models import Resident
from congan.traffic import services
from congan.traffic.demo_violations import demo_build_violations
from congan.traffic.models import Camera, Vehicle
from congan.traffic.plates import PlateColour, plate_codes_of

CAMERAS = 40
ROADS = [
    "Nguyễn Văn Linh",
    "Điện Biên Phủ",
    "Nguyễn Tất Thành",
    "Võ Nguyên Giáp",
    "Ngô Quyền",
    "Lê Duẩn",
    "Hùng Vương",
    "Trần Phú",
    "Hoàng Văn Thái",
    "Quốc lộ 1A",
    "Quốc lộ 14B",
    "Cách Mạng Tháng Tám",
]
KINDS = [
    (Camera.Kind.RED_LIGHT, None),
    (Camera.Kind.SPEED, 60),
    (Camera.Kind.ANPR, None),
    (Camera.Kind.SURVEILLANCE, None),
]
SERIES_LETTERS = "ABCDEFGHKLMNPSTUVXYZ"
BRANDS = {
    Vehicle.Kind.CAR: ["Toyota", "Hyundai", "Kia", "Mazda", "VinFast", "Ford"],
    Vehicle.Kind.MOTORBIKE: ["Honda", "Yamaha", "Suzuki", "SYM", "Piaggio"],
    Vehicle.Kind.TRUCK: ["Hyundai", "Isuzu", "Thaco"],
    Vehicle.Kind.BUS: ["Thaco", "Samco"],
}


def _cameras(province: Unit, rng: random.Random) -> int:
    communes = list(
        Unit.objects.filter(path__startswith=province.path, kind__in=COMMUNE_KINDS, latitude__isnull=False)
        .exclude(area_code="")
        .order_by("area_code")
    )
    if not communes or Camera.objects.filter(unit__path__startswith=province.path).exists():
        return 0
    now = timezone.now()
    rows = []
    for index in range(CAMERAS):
        commune = communes[index * len(communes) // CAMERAS]
        kind, limit = KINDS[index % len(KINDS)]
        road = ROADS[index % len(ROADS)]
        rows.append(
            Camera(
                code=f"CAM-{province.area_code}-{index + 1:03d}",
                name=f"{road} — {commune.short_name or commune.name}",
                kind=kind,
                road=road,
                commune_code=commune.area_code,
                unit=commune,
                speed_limit_kmh=limit,
                latitude=Decimal(f"{float(commune.latitude) + rng.uniform(-0.004, 0.004):.6f}"),
                longitude=Decimal(f"{float(commune.longitude) + rng.uniform(-0.004, 0.004):.6f}"),
                direction_degrees=rng.choice([0, 90, 180, 270]),
                installed_on=dt.date(2024, 1, 1) + dt.timedelta(days=index * 9),
                last_seen_at=None if index % 13 == 7 else now - dt.timedelta(seconds=rng.randint(5, 90)),
            )
        )
    Camera.objects.bulk_create(rows)
    return len(rows)


def _plate(rng: random.Random, code: str, kind: str) -> str:
    letter = rng.choice(SERIES_LETTERS)
    if kind == Vehicle.Kind.MOTORBIKE:
        return f"{code}{letter}{rng.randint(1, 9)}{rng.randint(0, 99999):05d}"
    return f"{code}{letter}{rng.randint(0, 99999):05d}"


def _vehicles(province: Unit, count: int, rng: random.Random) -> int:
    if count <= 0 or Vehicle.objects.filter(owner__unit__path__startswith=province.path).exists():
        return 0
    owners = list(
        Resident.objects.filter(unit__path__startswith=province.path, status="alive", birth_year__lte=2006)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    codes = plate_codes_of(province.area_code) or ["43"]
    seen, rows = set(Vehicle.objects.values_list("plate", flat=True)), []
    for owner_id in owners:
        kind = rng.choices(
            [Vehicle.Kind.MOTORBIKE, Vehicle.Kind.CAR, Vehicle.Kind.TRUCK, Vehicle.Kind.BUS], weights=[70, 24, 5, 1]
        )[0]
        plate = _plate(rng, rng.choice(codes), kind)
        if plate in seen:
            continue
        seen.add(plate)
        commercial = kind in (Vehicle.Kind.TRUCK, Vehicle.Kind.BUS)
        rows.append(
            Vehicle(
                plate=plate,
                plate_colour=PlateColour.YELLOW if commercial else PlateColour.WHITE,
                kind=kind,
                brand=rng.choice(BRANDS[kind]),
                body_colour=rng.choice(["Trắng", "Đen", "Đỏ", "Xanh", "Bạc", "Xám"]),
                registered_on=dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3900)),
                owner_id=owner_id,
            )
        )
    Vehicle.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def demo_build_traffic(
    *, province: Unit, residents: int = 0, violations: int = 0, seed: str = "congan-demo", **_options: Any
) -> dict:
    rng = random.Random(f"{seed}:traffic")  # noqa: S311 - reproducible demo data
    with transaction.atomic():
        violation_types = services.violation_types_load(by="system")
        vehicles = _vehicles(province, min(10_000, residents // 20), rng)
        created = {"violation_types": violation_types, "cameras": _cameras(province, rng), "vehicles": vehicles}
        created.update(demo_build_violations(province=province, violations=violations, rng=rng))
        if any(created.values()):
            audit_record(actor="system", action="traffic.demo.build", unit=province, details=created)
    return created
