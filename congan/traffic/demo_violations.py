"""Demo violations: six months of camera-detected events in every review state, written in bulk.

Recent events wait in the queues (detected, verified, a few past the 10-day clock); older ones went
through notice, payment, contest, forwarding or closing, and some unanswered notices are past the
20-day clock with their vehicle flagged. Most plates belong to demo vehicles; the rest are plates
the registry does not hold. The newest waiting event of each camera carries a rendered evidence image.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from congan.org.models import Unit
from congan.traffic import aggregates
from congan.traffic.models import NOTICE_STATUSES, Camera, Evidence, Vehicle, ViolationEvent, ViolationType

DAYS = 182
BATCH = 2000
# Red-light cameras see red lights, speed cameras speeding, ANPR cameras the rest.
CODES_BY_CAMERA = {
    Camera.Kind.RED_LIGHT: {"car": ["16824.6.9.b"], "motorbike": ["16824.7.7.c"]},
    Camera.Kind.SPEED: {
        "car": ["16824.6.3.a", "16824.6.5.đ", "16824.6.6.a", "16824.6.7.a"],
        "motorbike": ["16824.7.2.b", "16824.7.4.a", "16824.7.8.a"],
    },
    Camera.Kind.ANPR: {
        "car": [
            "16824.6.9.d",
            "16824.6.5.b",
            "16824.6.1.a",
            "16824.6.2.đ",
            "16824.6.3.e",
            "16824.6.5.h",
            "16824.6.3.k",
        ],
        "motorbike": ["16824.7.7.a", "16824.7.3.d", "16824.7.1.a", "16824.7.2.h", "16824.7.2.i", "16824.7.4.đ"],
    },
}
SPEED_OVER = {
    "16824.6.3.a": (5, 9),
    "16824.6.5.đ": (10, 20),
    "16824.6.6.a": (21, 35),
    "16824.6.7.a": (36, 50),
    "16824.7.2.b": (5, 9),
    "16824.7.4.a": (10, 20),
    "16824.7.8.a": (21, 40),
}
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 5, 9, 10, 6, 5, 5, 6, 5, 5, 6, 8, 10, 9, 6, 4, 3, 2, 1]
DISMISS_REASONS = [
    "Ảnh mờ, không đọc được biển số",
    "Xe ưu tiên đang làm nhiệm vụ",
    "Camera ghi nhận nhầm khi đèn tín hiệu hỏng",
    "Biển số giả, chuyển bộ phận điều tra",
]
UNKNOWN_OWNER = "Không xác định được chủ phương tiện trong cơ sở dữ liệu đăng ký xe"
# (status, outcome, weight) for events older than the 10-day clock; recent ones are still in review.
OLD_STATES = [
    ("paid", "", 33),
    ("closed", "penalised", 30),
    ("notice_issued", "", 12),
    ("forwarded", "", 7),
    ("contested", "", 3),
    ("closed", "withdrawn", 2),
    ("dismissed", "", 6),
    ("duplicate", "", 4),
    ("detected", "", 2),
    ("verified", "", 1),
]
RECENT_STATES = [
    ("detected", "", 50),
    ("verified", "", 15),
    ("notice_issued", "", 25),
    ("dismissed", "", 5),
    ("duplicate", "", 5),
]


@dataclass
class _World:
    cameras: list[Camera]
    types: dict[str, ViolationType]
    vehicles: list[tuple[int, str, str, int | None, str, str]]  # id, plate, kind, owner, organisation, commune
    units_by_commune: dict[str, Unit]
    rng: random.Random
    now: dt.datetime


def _world(province: Unit, rng: random.Random) -> _World | None:
    cameras = list(
        Camera.objects.filter(unit__path__startswith=province.path, kind__in=list(CODES_BY_CAMERA))
        .select_related("unit")
        .order_by("code")
    )
    types = {row.code: row for row in ViolationType.objects.filter(valid_to__isnull=True)}
    if not cameras or not types:
        return None
    vehicles = list(
        Vehicle.objects.filter(status="active", kind__in=["car", "motorbike"])
        .values_list("pk", "plate", "kind", "owner_id", "owner_organisation", "owner__current_commune")
        .order_by("pk")
    )
    units = {unit.area_code: unit for unit in Unit.objects.filter(path__startswith=province.path).exclude(area_code="")}
    return _World(cameras, types, vehicles, units, rng, timezone.now())


def _moment(world: _World) -> dt.datetime:
    day = world.now - dt.timedelta(days=world.rng.uniform(0, DAYS))
    local = timezone.localtime(day).replace(
        hour=world.rng.choices(range(24), weights=HOUR_WEIGHTS)[0],
        minute=world.rng.randrange(60),
        second=world.rng.randrange(60),
    )
    return min(local, world.now - dt.timedelta(minutes=5)).astimezone(dt.UTC)


def _unregistered_plate(rng: random.Random, kind: str) -> str:
    code = rng.choice(["29", "30", "51", "74", "75", "76", "92"])
    letter = rng.choice("ABCDEFGHKLMNPSTUVXYZ")
    if kind == "motorbike":
        return f"{code}{letter}{rng.randint(1, 9)}{rng.randint(0, 99999):05d}"
    return f"{code}{letter}{rng.randint(0, 99999):05d}"


def _state(world: _World, occurred: dt.datetime, registered: bool) -> tuple[str, str]:
    recent = world.now - occurred < dt.timedelta(days=settings.TRAFFIC_IDENTIFY_OWNER_DAYS)
    states = RECENT_STATES if recent else OLD_STATES
    status, outcome = world.rng.choices([(s, o) for s, o, _w in states], weights=[w for _s, _o, w in states])[0]
    if not registered and status in NOTICE_STATUSES:  # nobody to send a notice to
        return ("verified", "") if recent else ("dismissed", "")
    return status, outcome


def _event(world: _World, pk: int, previous: dict[str, ViolationEvent]) -> ViolationEvent:
    rng = world.rng
    camera = rng.choice(world.cameras)
    occurred = _moment(world)
    registered = rng.random() < 0.92 and bool(world.vehicles)
    if registered:
        vehicle_id, plate, kind, owner_id, organisation, commune = rng.choice(world.vehicles)
    else:
        kind = rng.choice(["car", "motorbike"])
        vehicle_id, plate, owner_id, organisation, commune = None, _unregistered_plate(rng, kind), None, "", ""
    code = rng.choice(CODES_BY_CAMERA[camera.kind][kind])
    status, outcome = _state(world, occurred, registered)
    event = ViolationEvent(
        pk=pk,
        camera=camera,
        occurred_at=occurred,
        plate_read=plate,
        plate=plate,
        read_confidence=round(rng.uniform(0.78, 0.99), 2),
        vehicle_kind=kind,
        violation_type=world.types[code],
        idempotency_key=f"demo-{pk}",
        status=status,
        outcome=outcome,
        created_at=occurred,
        updated_at=occurred,
        evidence_urls=[f"s3://camera-evidence/{camera.code}/{occurred:%Y/%m/%d}/{pk}.jpg"],
    )
    if code in SPEED_OVER:
        limit = camera.speed_limit_kmh or 60
        event.speed_limit_kmh, event.measured_speed_kmh = limit, limit + rng.randint(*SPEED_OVER[code])
    if status == "duplicate":
        twin = previous.get(camera.code)
        if twin is None:
            event.status = "detected"
        else:
            event.duplicate_of_id, event.plate, event.plate_read = twin.pk, twin.plate, twin.plate
            event.occurred_at = twin.occurred_at + dt.timedelta(seconds=rng.randint(1, 20))
            event.violation_type, event.vehicle_kind = twin.violation_type, twin.vehicle_kind
            return event
    previous[camera.code] = event
    _review(world, event, status, vehicle_id, owner_id, organisation, commune)
    return event


def _review(
    world: _World,
    event: ViolationEvent,
    status: str,
    vehicle_id: int | None,
    owner_id: int | None,
    organisation: str,
    commune: str,
) -> None:
    rng, occurred = world.rng, event.occurred_at
    if status == "dismissed":
        event.reviewed_at = occurred + dt.timedelta(days=rng.uniform(0.2, 5))
        event.dismissal_reason = UNKNOWN_OWNER if vehicle_id is None else rng.choice(DISMISS_REASONS)
        return
    if status == "detected":
        return
    event.reviewed_at = occurred + dt.timedelta(days=rng.uniform(0.2, 6))
    event.vehicle_id, event.owner_id, event.owner_organisation = vehicle_id, owner_id, organisation
    if vehicle_id:
        event.owner_identified_at = event.reviewed_at
    if status == "verified":
        return
    issued = min(event.reviewed_at + dt.timedelta(days=rng.uniform(0, 3)), world.now)
    event.notice_issued_at, event.notice_number = issued, f"{event.pk:07d}/TB-{timezone.localtime(issued):%Y}"
    event.notice_token = secrets.token_urlsafe(18)
    event.resolving_unit_id = event.camera.unit_id
    if status == "forwarded" and commune in world.units_by_commune:
        event.resolving_unit_id = world.units_by_commune[commune].pk
    late = world.now - issued > dt.timedelta(days=settings.TRAFFIC_REGISTRATION_WARNING_DAYS)
    if status in ("notice_issued", "forwarded") and late:
        event.registration_warning_at = issued + dt.timedelta(days=settings.TRAFFIC_REGISTRATION_WARNING_DAYS, hours=2)
    if status in ("paid", "closed") and event.outcome != "withdrawn":
        event.paid_at = min(issued + dt.timedelta(days=rng.uniform(1, 25)), world.now)
        event.fine_amount = event.violation_type.fine_min
    if status == "closed":
        event.closed_at = min((event.paid_at or issued) + dt.timedelta(days=rng.uniform(0, 5)), world.now)


def _evidence_png(plate: str, text: str) -> bytes:
    """A stand-in camera frame: a road, a car and the plate in large print (demo only)."""
    image = Image.new("RGB", (640, 360), (96, 100, 104))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 250, 640, 360), fill=(70, 72, 75))
    draw.rectangle((170, 110, 470, 300), fill=(200, 200, 205), outline=(40, 40, 40), width=3)
    draw.rectangle((250, 235, 390, 275), fill=(250, 250, 250), outline=(0, 0, 0), width=3)
    font_path = settings.BASE_DIR / "congan" / "core" / "fonts" / "DejaVuSerif-Bold.ttf"
    draw.text((320, 255), plate, fill=(0, 0, 0), anchor="mm", font=ImageFont.truetype(str(font_path), 22))
    draw.text((10, 10), text, fill=(255, 255, 0), font=ImageFont.truetype(str(font_path), 16))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _attach_images(events: list[ViolationEvent]) -> int:
    """An image for the newest waiting event of each camera, so every unit's queue shows one."""
    newest: dict[int, ViolationEvent] = {}
    for event in events:
        if event.status == "detected" and (
            event.camera_id not in newest or event.occurred_at > newest[event.camera_id].occurred_at
        ):
            newest[event.camera_id] = event
    count = 0
    for event in newest.values():
        stamp = f"{event.camera.code} {timezone.localtime(event.occurred_at):%d/%m/%Y %H:%M:%S}"
        content = _evidence_png(event.plate, stamp)
        Evidence(
            event=event,
            token=secrets.token_urlsafe(18),
            content_type="image/png",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        ).file.save(f"demo-{event.pk}.png", ContentFile(content))
        count += 1
    return count


def demo_build_violations(*, province: Unit, violations: int, rng: random.Random) -> dict[str, int]:
    """Write ``violations`` events for the province's cameras once (nothing if any exist)."""
    if violations <= 0 or ViolationEvent.objects.filter(camera__unit__path__startswith=province.path).exists():
        return {}
    world = _world(province, rng)
    if world is None:
        return {}
    start = (ViolationEvent.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    previous: dict[str, ViolationEvent] = {}
    events = [_event(world, start + index, previous) for index in range(violations)]
    originals = [event for event in events if event.duplicate_of_id is None]
    for chunk in range(0, len(originals), BATCH):
        ViolationEvent.objects.bulk_create(originals[chunk : chunk + BATCH])
    duplicates = [event for event in events if event.duplicate_of_id is not None]
    for chunk in range(0, len(duplicates), BATCH):
        ViolationEvent.objects.bulk_create(duplicates[chunk : chunk + BATCH])
    _reset_sequence()
    flagged = {event.vehicle_id for event in events if event.registration_warning_at and event.vehicle_id}
    Vehicle.objects.filter(pk__in=flagged).update(registration_warning=True)
    rows = aggregates.rebuild()  # the events were written in bulk, past the services: count them once
    return {"violation_events": len(events), "evidence_images": _attach_images(events), "aggregate_rows": rows}


def _reset_sequence() -> None:
    """Rows were written with their ids (so notice numbers could use them): move PostgreSQL's
    sequence past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), [ViolationEvent])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
