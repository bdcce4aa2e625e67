"""Writes of the traffic module: camera heartbeats, vehicle registration, the fine tables, evidence
images and the public lookup counter."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.audit import Actor, audit_record
from congan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from congan.core.models import ApiKey
from congan.core.uploads import store_all, upload_sha256
from congan.org.actors import OfficerOrSystem
from congan.org.models import Officer
from congan.population.models import Resident
from congan.traffic.counter import lookup_count
from congan.traffic.models import (
    Camera,
    CameraUptimeHour,
    Evidence,
    Vehicle,
    ViolationEvent,
    ViolationType,
)
from congan.traffic.plates import parse_plate
from congan.traffic.selectors import public_violations


def camera_heartbeat(*, key: ApiKey, at: dt.datetime | None = None) -> Camera:
    """A camera says it is alive: its last-seen time moves forward and its hour gets one beat.
    Telemetry, like team positions: counted, not written to the audit chain one by one."""
    camera = Camera.objects.filter(device_key=key, active=True).first()
    if camera is None:
        raise NotFound(_("Khóa API này không gắn với camera nào đang sử dụng."))
    now = timezone.now()
    at = min(at or now, now)
    hour = at.replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        Camera.objects.filter(pk=camera.pk).exclude(last_seen_at__gt=at).update(last_seen_at=at)
        updated = CameraUptimeHour.objects.filter(camera=camera, hour=hour).update(beats=F("beats") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    CameraUptimeHour.objects.create(camera=camera, hour=hour, beats=1)
            except IntegrityError:  # another heartbeat of the same hour created it first
                CameraUptimeHour.objects.filter(camera=camera, hour=hour).update(beats=F("beats") + 1)
    camera.refresh_from_db(fields=["last_seen_at"])
    return camera


def vehicle_register(
    *,
    by: Officer,
    plate: str,
    kind: str,
    plate_colour: str = "white",
    owner_personal_id: str = "",
    owner_organisation: str = "",
    brand: str = "",
    model_name: str = "",
    body_colour: str = "",
    registered_on: dt.date | None = None,
) -> Vehicle:
    """Record a registered vehicle; the plate is parsed and stored in its canonical form."""
    if not by.has_perm("traffic.add_vehicle"):
        raise PermissionDenied()
    errors: dict[str, list[str]] = {}
    if kind not in Vehicle.Kind.values:
        errors["kind"] = [_("Loại phương tiện không hợp lệ.")]
    motorbike = kind in (Vehicle.Kind.MOTORBIKE, Vehicle.Kind.E_BIKE)
    try:
        parsed = parse_plate(plate, colour=plate_colour, motorbike=motorbike)
    except ValidationFailed as exc:
        errors.update(exc.details)
        parsed = None
    owner = Resident.objects.filter(personal_id=owner_personal_id).first() if owner_personal_id else None
    if owner_personal_id and owner is None:
        errors["owner_personal_id"] = [_("Không có công dân với số định danh này.")]
    if not owner_personal_id and not owner_organisation.strip():
        errors["owner_personal_id"] = [_("Nhập số định danh của chủ xe hoặc tên tổ chức.")]
    if errors:
        raise ValidationFailed(details=errors)
    try:
        with transaction.atomic():
            vehicle = Vehicle.objects.create(
                plate=parsed.canonical,
                plate_colour=parsed.colour,
                kind=kind,
                brand=brand[:60],
                model_name=model_name[:60],
                body_colour=body_colour[:40],
                registered_on=registered_on,
                owner=owner,
                owner_organisation="" if owner else owner_organisation.strip()[:200],
            )
            audit_record(
                actor=Actor.of(by),
                action="traffic.vehicle.register",
                target=vehicle,
                details={"plate": vehicle.plate, "kind": kind},
            )
    except IntegrityError as exc:
        raise Conflict(_("Biển số %(plate)s đang được dùng cho xe khác.") % {"plate": parsed.display}) from exc
    return vehicle


VIOLATION_TYPES_FILE = Path(__file__).with_name("data") / "violation_types.json"
_CODE = re.compile(r"^(?P<decree>\d{5})\.(?P<article>\d+)\.(?P<clause>\d+)\.(?P<point>[a-zđ]{1,2})$")


def _parts(code: str) -> dict[str, Any]:
    match = _CODE.match(code)
    if match is None:
        raise ValueError(f"violation code {code!r} is not decree.article.clause.point")
    return {"article": int(match["article"]), "clause": int(match["clause"]), "point": match["point"]}


@transaction.atomic
def violation_types_load(*, by: OfficerOrSystem, path: Path = VIOLATION_TYPES_FILE) -> int:
    """Create or update the fine tables from the data file (one row per code and start date)."""
    created = 0
    for row in json.loads(path.read_text(encoding="utf-8"))["types"]:
        _row, was_created = ViolationType.objects.update_or_create(
            code=row["code"],
            valid_from=dt.date.fromisoformat(row["valid_from"]),
            defaults={
                "title": row["title"],
                "decree": row["decree"],
                "vehicle_class": row["vehicle_class"],
                "fine_min": row["fine_min"],
                "fine_max": row["fine_max"],
                "licence_points": row["points"],
                "valid_to": dt.date.fromisoformat(row["valid_to"]) if row.get("valid_to") else None,
                **_parts(row["code"]),
            },
        )
        created += was_created
    if created:
        audit_record(actor=by, action="traffic.violation_types.load", details={"created": created})
    return created


# What a lookup answer carries of each row (the API's PublicViolationOut, less the two derived fields).
PUBLIC_FIELDS = (
    "plate",
    "plate_colour",
    "vehicle_kind",
    "occurred_at",
    "place",
    "violation_code",
    "violation",
    "detecting_unit",
    "resolving_unit",
    "resolving_address",
    "resolving_phone",
)


LOOKUP_KINDS = ("car", "motorbike", "e_bike")


def public_lookup(*, plate: str, vehicle_kind: str) -> dict[str, Any]:
    """The public lookup of one plate, counted: the page and the API (both lanes) check the same
    input here and show the same rows."""
    if vehicle_kind not in LOOKUP_KINDS:
        raise ValidationFailed(details={"vehicle_kind": [_("Loại xe tra cứu là ô tô, xe máy hoặc xe máy điện.")]})
    canonical = parse_plate(plate, motorbike=vehicle_kind != "car").canonical
    rows = public_violations(plate=canonical, vehicle_kind=vehicle_kind)
    lookup_count()
    return {
        "plate": canonical,
        "unpaid": sum(1 for row in rows if not row.paid),
        "violations": [
            {
                **{name: getattr(row, name) for name in PUBLIC_FIELDS},
                "status": "ĐÃ XỬ PHẠT" if row.paid else "CHƯA XỬ PHẠT",
                "evidence_thumbnail": reverse("traffic:evidence", args=[row.evidence_token])
                if row.evidence_token
                else None,
            }
            for row in rows
        ],
    }


EVIDENCE_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
MAX_EVIDENCE_FILES = 10


def evidence_check(uploads: list[Any], *, max_bytes: int) -> list[tuple[Any, str]]:
    """JPEG or PNG by their first bytes, within the size limit; all problems at once."""
    if len(uploads) > MAX_EVIDENCE_FILES:
        raise ValidationFailed(details={"evidence": [_("Tối đa %(n)s ảnh.") % {"n": MAX_EVIDENCE_FILES}]})
    checked, problems = [], []
    for upload in uploads:
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        kind = next((kind for magic, kind in EVIDENCE_TYPES.items() if head.startswith(magic)), None)
        if kind is None:
            problems.append(_("%(name)s: chỉ nhận ảnh JPEG hoặc PNG.") % {"name": upload.name})
        elif upload.size > max_bytes:
            problems.append(_("%(name)s: ảnh quá lớn.") % {"name": upload.name})
        else:
            checked.append((upload, kind))
    if problems:
        raise ValidationFailed(details={"evidence": problems})
    return checked


def evidence_save(event: ViolationEvent, checked: list[tuple[Any, str]]) -> list[Evidence]:
    return store_all(
        (
            Evidence(
                event=event,
                token=secrets.token_urlsafe(18),
                content_type=kind,
                size=upload.size,
                sha256=upload_sha256(upload),
            ),
            upload,
        )
        for upload, kind in checked
    )
