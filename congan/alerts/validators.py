"""The rules of a composed alert and of a subscriber's area, declared once.

The service (``alerts.services``) runs them on every write; the compose page and the API only parse
types and show the service's errors, so both refuse the same values with the same message. The
API's OpenAPI document states the same bounds (``json_schema`` below) without enforcing them twice.

A CAP circle's radius is in kilometres. From 0.1 km: a phone's position is rarely better than
about 100 m, so a smaller circle cannot tell who is inside (a single building is described in the
text and reached through its commune). Up to 100 km: wider than any province after the 2025
merger and enough around an archipelago at sea; a larger area is a polygon or a list of communes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from pydantic.json_schema import JsonDict

from congan.alerts.models import CapStatus, Category, Certainty, ResponseType, Severity, Urgency
from congan.core.errors import ValidationFailed
from congan.core.geo import VIETNAM_BOUNDS, in_vietnam
from congan.core.openapi import NON_BLANK
from congan.org.models import Unit
from congan.org.selectors import COMMUNE_KINDS

Errors = dict[str, list[str]]

RADIUS_MIN_KM = 0.1
RADIUS_MAX_KM = 100.0
POLYGON_MIN_POINTS, POLYGON_MAX_POINTS = 3, 200
MAX_ALERT_COMMUNES = 200
MAX_SUBSCRIBER_AREAS = 20
YEARS = (2000, 2200)
CHOICES = {
    "category": Category,
    "response_type": ResponseType,
    "urgency": Urgency,
    "severity": Severity,
    "certainty": Certainty,
    "cap_status": CapStatus,
}
TEXT_LIMITS = {
    "event": 120,
    "headline": 160,
    "description": 5000,
    "instruction": 3000,
    "headline_en": 160,
    "description_en": 5000,
    "instruction_en": 3000,
    "area_desc": 300,
}
REQUIRED = (
    "category",
    "event",
    "response_type",
    "urgency",
    "severity",
    "certainty",
    "headline",
    "description",
    "area_desc",
)
TIMES = ("effective", "onset", "expires")
COMMUNE_CODE_PATTERN = r"^[0-9]{5}$"


# --- One rule each ----------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    """A finite float, or None (text that is no number, NaN and infinities alike)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def clean_choice(name: str, value: Any, errors: Errors) -> str:
    text = str(value or "")
    if name == "cap_status" and not text:
        text = CapStatus.ACTUAL
    if text and text not in CHOICES[name].values:
        errors[name] = [_("Giá trị không hợp lệ.")]
    return text


def clean_text(name: str, value: Any, errors: Errors) -> str:
    limit = TEXT_LIMITS[name]
    text = str(value or "").strip()
    if len(text) > limit:
        errors[name] = [_("Tối đa %(limit)d ký tự.") % {"limit": limit}]
    elif not text and name in REQUIRED:
        errors[name] = [_("Trường này là bắt buộc.")]
    return text[:limit]


def clean_polygon(raw: Any, errors: Errors) -> list[list[float]]:
    """[[lat, lon], …] of 3 to 200 points in Vietnam (a closing point repeating the first is dropped);
    JSON text (the page's hidden field) or a list (the API). Empty: no polygon."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else []
        except ValueError:
            errors["polygon"] = [_("Đa giác không đọc được.")]
            return []
    if not raw:
        return []
    try:
        points = [[round(float(lat), 6), round(float(lon), 6)] for lat, lon in raw]
    except (TypeError, ValueError):
        errors["polygon"] = [_("Mỗi đỉnh là một cặp [vĩ độ, kinh độ].")]
        return []
    if len(points) > 1 and points[0] == points[-1]:
        points = points[:-1]
    if not POLYGON_MIN_POINTS <= len(points) <= POLYGON_MAX_POINTS:
        errors["polygon"] = [
            _("Đa giác cần từ %(min)d đến %(max)d đỉnh.") % {"min": POLYGON_MIN_POINTS, "max": POLYGON_MAX_POINTS}
        ]
        return []
    if not all(in_vietnam(lat, lon) for lat, lon in points):
        errors["polygon"] = [_("Có đỉnh nằm ngoài lãnh thổ Việt Nam.")]
        return []
    return points


def radius_problem(radius: float | None) -> str | None:
    """The message for a circle radius (km) outside the bounds, or None."""
    if radius is not None and RADIUS_MIN_KM <= radius <= RADIUS_MAX_KM:
        return None
    return _("Bán kính vòng tròn từ %(min)s đến %(max)s km.") % {"min": _km(RADIUS_MIN_KM), "max": _km(RADIUS_MAX_KM)}


def _km(value: float) -> str:
    """0,1 in Vietnamese, 0.1 in English; 100 without decimals."""
    return formats.number_format(Decimal(f"{value:g}"))


def clean_circle(data: dict[str, Any], errors: Errors) -> tuple[float | None, float | None, float | None]:
    """(latitude, longitude, radius km) of the circle, all three or none."""
    values = [data.get(name) for name in ("circle_latitude", "circle_longitude", "circle_radius_km")]
    if all(value in (None, "") for value in values):
        return None, None, None
    lat, lon, radius = (_number(value) for value in values)
    if lat is None or lon is None:
        errors["circle_radius_km"] = [_("Vòng tròn cần đủ tâm (vĩ độ, kinh độ) và bán kính.")]
        return None, None, None
    if not in_vietnam(lat, lon):
        errors["circle_latitude"] = [_("Tâm vòng tròn nằm ngoài lãnh thổ Việt Nam.")]
    problem = radius_problem(radius)
    if problem:
        errors["circle_radius_km"] = [problem]
    if "circle_latitude" in errors or problem:
        return None, None, None
    return round(lat, 6), round(lon, 6), radius


def clean_communes(raw: Any, errors: Errors, *, limit: int = MAX_ALERT_COMMUNES, too_many: str = "") -> list[str]:
    """Distinct codes of existing communes (wards, special zones), at most ``limit``."""
    codes = sorted({str(code).strip() for code in (raw or []) if str(code).strip()})
    if len(codes) > limit:
        errors["commune_codes"] = [too_many or _("Tối đa %(limit)d xã, phường.") % {"limit": limit}]
        return []
    known = set(Unit.objects.filter(kind__in=COMMUNE_KINDS, area_code__in=codes).values_list("area_code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        errors["commune_codes"] = [_("Không có xã, phường với mã: %(codes)s.") % {"codes": ", ".join(unknown[:10])}]
    return codes


def clean_times(data: dict[str, Any], errors: Errors) -> dict[str, dt.datetime | None]:
    """Effective, onset and expires: aware, between 2000 and 2200, and expiry after the start."""
    times: dict[str, dt.datetime | None] = {}
    for name in TIMES:
        value = data.get(name)
        if isinstance(value, str) and value:
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                errors[name] = [_("Thời điểm không hợp lệ.")]
                value = None
        if isinstance(value, dt.datetime) and timezone.is_naive(value):
            value = timezone.make_aware(value)
        if isinstance(value, dt.datetime) and not YEARS[0] <= value.year <= YEARS[1]:
            errors[name] = [_("Thời điểm không hợp lệ.")]
            value = None
        times[name] = value or None
    start = times["onset"] or times["effective"]
    if times["expires"] and start and times["expires"] <= start:
        errors["expires"] = [_("Thời điểm hết hiệu lực phải sau thời điểm bắt đầu.")]
    return times


def clean_location(latitude: Any, longitude: Any, errors: Errors) -> tuple[float, float] | None:
    """A subscriber's shared location, in Vietnam; None when none was shared."""
    if latitude in (None, "") and longitude in (None, ""):
        return None
    lat, lon = _number(latitude), _number(longitude)
    if lat is None or lon is None or not in_vietnam(lat, lon):
        errors["location"] = [_("Vị trí không hợp lệ hoặc nằm ngoài lãnh thổ Việt Nam.")]
        return None
    return round(lat, 5), round(lon, 5)


Area = tuple[str, float | None, float | None]  # (commune code, "", or a shared location)


def clean_subscriber_areas(commune_codes: Any, latitude: Any, longitude: Any) -> list[Area]:
    """Where a subscriber wants warnings for: up to 20 communes and/or one shared location."""
    errors: Errors = {}
    too_many = _("Đăng ký tối đa %(limit)d xã, phường.") % {"limit": MAX_SUBSCRIBER_AREAS}
    codes = clean_communes(commune_codes, errors, limit=MAX_SUBSCRIBER_AREAS, too_many=too_many)
    areas: list[Area] = [(code, None, None) for code in codes]
    location = clean_location(latitude, longitude, errors)
    if location is not None:
        areas.append(("", *location))
    if not areas and not errors:
        errors["commune_codes"] = [_("Chọn ít nhất một xã, phường hoặc chia sẻ vị trí.")]
    if len(areas) > MAX_SUBSCRIBER_AREAS:
        errors["commune_codes"] = [too_many]
    if errors:
        raise ValidationFailed(details=errors)
    return areas


# --- A whole alert ------------------------------------------------------------------------------


def clean_content(data: dict[str, Any]) -> dict[str, Any]:
    """Every content field checked at once; all errors are reported together."""
    errors: Errors = {}
    cleaned: dict[str, Any] = {name: clean_choice(name, data.get(name), errors) for name in CHOICES}
    cleaned.update({name: clean_text(name, data.get(name), errors) for name in TEXT_LIMITS})
    if bool(cleaned["headline_en"]) != bool(cleaned["description_en"]):
        errors["description_en"] = [_("Bản tiếng Anh cần cả tiêu đề và nội dung.")]
    cleaned["polygon"] = clean_polygon(data.get("polygon"), errors)
    lat, lon, radius = clean_circle(data, errors)
    cleaned.update(circle_latitude=lat, circle_longitude=lon, circle_radius_km=radius)
    cleaned["commune_codes"] = clean_communes(data.get("commune_codes"), errors)
    cleaned.update(clean_times(data, errors))
    area_refused = {"polygon", "circle_latitude", "circle_radius_km", "commune_codes"} & set(errors)
    if not (cleaned["polygon"] or radius or cleaned["commune_codes"]) and not area_refused:
        errors["area"] = [_("Chọn khu vực: vẽ đa giác, vòng tròn trên bản đồ hoặc chọn xã, phường.")]
    if errors:
        raise ValidationFailed(details=errors)
    return cleaned


# --- What the OpenAPI document says of the same rules --------------------------------------------

(LATITUDES, LONGITUDES) = VIETNAM_BOUNDS
JSON_SCHEMA: dict[str, JsonDict] = {
    "latitude": {"minimum": LATITUDES[0], "maximum": LATITUDES[1], "description": "Vĩ độ (trong lãnh thổ Việt Nam)"},
    "longitude": {"minimum": LONGITUDES[0], "maximum": LONGITUDES[1], "description": "Kinh độ (Việt Nam)"},
    "radius_km": {"minimum": RADIUS_MIN_KM, "maximum": RADIUS_MAX_KM, "description": "Bán kính (km)"},
    "polygon": {
        "maxItems": POLYGON_MAX_POINTS,
        "anyOf": [{"maxItems": 0}, {"minItems": POLYGON_MIN_POINTS}],
        "description": "[[vĩ độ, kinh độ], …]: không có, hoặc từ 3 đến 200 đỉnh trong lãnh thổ Việt Nam",
    },
    "commune_codes": {"maxItems": MAX_ALERT_COMMUNES, "description": "Mã xã, phường (5 chữ số) đang có"},
    "subscriber_communes": {"maxItems": MAX_SUBSCRIBER_AREAS, "description": "Mã xã, phường (5 chữ số) đang có"},
}


def text_schema(name: str) -> dict[str, Any]:
    """maxLength, and for a required text at least one character that is not a space."""
    schema: dict[str, Any] = {"maxLength": TEXT_LIMITS[name]}
    if name in REQUIRED:
        schema.update(minLength=1, pattern=NON_BLANK)
    return schema


def choice_schema(name: str) -> dict[str, Any]:
    return {"enum": list(CHOICES[name].values)}
