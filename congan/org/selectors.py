"""Reads of the organisation: units, officers, training figures — all unit-scoped."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import shapely
from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django_otp import devices_for_user

from congan.core.audit import audit_record
from congan.core.geo import distance_m
from congan.core.scoping import get_scoped_or_404, scope_to_viewer
from congan.core.text import fold
from congan.org import boundaries
from congan.org.models import CommuneBoundary, Officer, Rank, TrainingAttendance, TrainingCourse, Unit


def officer_has_confirmed_device(*, officer: Officer) -> bool:
    return any(True for _ in devices_for_user(officer, confirmed=True))


def officer_requires_two_factor(*, officer: Officer) -> bool:
    return officer.groups.filter(name__in=settings.TWO_FACTOR_REQUIRED_ROLES).exists()


@dataclass(frozen=True)
class TwoFactorStatus:
    enabled: bool
    required: bool
    recovery_codes_left: int


def officer_roles(*, officer: Officer) -> list[str]:
    """The officer's roles (group names, stored in Vietnamese; pages show them with ``|data_label``)."""
    return list(officer.groups.order_by("name").values_list("name", flat=True))


def officer_two_factor_status(*, officer: Officer) -> TwoFactorStatus:
    """What the account page shows: is 2FA on, is it mandatory, how many recovery codes remain."""
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TwoFactorStatus(
        enabled=TOTPDevice.objects.filter(user=officer, confirmed=True).exists(),
        required=officer_requires_two_factor(officer=officer),
        recovery_codes_left=StaticToken.objects.filter(device__user=officer, device__confirmed=True).count(),
    )


def unit_list(*, viewer: Any, search: str = "", kind: str = "") -> QuerySet[Unit]:
    units = scope_to_viewer(Unit.objects.select_related("parent"), viewer=viewer, unit_field="")
    if search:
        units = units.filter(Q(name_folded__contains=fold(search)) | Q(code__iexact=search.strip()))
    if kind:
        units = units.filter(kind=kind)
    return units.order_by("path")


def unit_get(*, viewer: Any, unit_id: int) -> Unit:
    return get_scoped_or_404(Unit.objects.select_related("parent"), viewer=viewer, unit_field="", pk=unit_id)


# Ranks from the lowest to the highest, so a list sorts them as the force does, not by their code.
RANK_ORDER = Case(*[When(rank=value, then=Value(index)) for index, value in enumerate(Rank.values, 1)], default=0)


def officer_list(*, viewer: Any, search: str = "", unit_id: int | None = None) -> QuerySet[Officer]:
    officers = scope_to_viewer(Officer.objects.select_related("unit"), viewer=viewer).annotate(rank_order=RANK_ORDER)
    if search:
        folded = fold(search)
        officers = officers.filter(
            Q(full_name_folded__contains=folded) | Q(officer_number=search.strip()) | Q(username=search.strip())
        )
    if unit_id:
        officers = officers.filter(unit_id=unit_id)
    return officers.order_by("sort_name", "pk")


EXPORT_ACTION = "org.officer.export"


def officers_exported(*, viewer: Any, officers: list[Officer], filters: dict[str, str]) -> None:
    """An export of the officers' list leaves the platform as a file: one audit event with the
    officers it holds and the filters that chose them (the page itself is not audited)."""
    audit_record(
        actor=viewer,
        action=EXPORT_ACTION,
        target_type="org.officer",
        unit=getattr(viewer, "unit_id", None),
        details={"officers": [officer.pk for officer in officers], "filters": filters},
    )


def officer_get(*, viewer: Any, officer_id: int) -> Officer:
    return get_scoped_or_404(Officer.objects.select_related("unit"), viewer=viewer, pk=officer_id)


def officer_display_names(*, officer_ids: Iterable[int | str]) -> dict[int, str]:
    """ "Full name (unit name)" of each officer, never the login, for showing who did something
    (an audit trail, "who looked me up"). Not a scoped read: the caller already holds the ids."""
    ids = {int(pk) for pk in officer_ids if str(pk).isdigit()}
    rows = Officer.objects.filter(pk__in=ids).values_list("pk", "full_name", "unit__name")
    return {pk: " ".join(part for part in (name, f"({unit})" if unit else "") if part) for pk, name, unit in rows}


def training_course_list(*, viewer: Any, search: str = "") -> QuerySet[TrainingCourse]:
    courses = scope_to_viewer(TrainingCourse.objects.select_related("unit"), viewer=viewer)
    if search:
        courses = courses.filter(topic_folded__contains=fold(search))
    return courses.annotate(attendance_count=Count("attendances")).order_by("-start_date", "pk")


def training_course_get(*, viewer: Any, course_id: int) -> TrainingCourse:
    return get_scoped_or_404(TrainingCourse.objects.select_related("unit"), viewer=viewer, pk=course_id)


def training_attendances(*, course: TrainingCourse) -> QuerySet[TrainingAttendance]:
    return course.attendances.select_related("officer", "officer__unit").order_by("officer__sort_name")


@dataclass(frozen=True)
class UnitTrainingFigures:
    unit_id: int
    unit_name: str
    courses_organised: int
    attendances: int
    officers_trained: int


def training_figures_by_unit(*, viewer: Any) -> list[UnitTrainingFigures]:
    """Courses organised and attendances per unit in the viewer's scope (for rankings)."""
    units = scope_to_viewer(Unit.objects.all(), viewer=viewer, unit_field="")
    counted = units.annotate(
        courses_organised=Count("training_courses", distinct=True),
        attendances=Count("officers__trainings", distinct=True),
        officers_trained=Count("officers", filter=Q(officers__trainings__isnull=False), distinct=True),
    ).order_by("path")
    return [UnitTrainingFigures(u.pk, u.name, u.courses_organised, u.attendances, u.officers_trained) for u in counted]


def unit_figures(*, unit: Unit) -> dict[str, int]:
    """Headline figures of a unit's subtree for the dashboard."""
    subtree = Unit.objects.filter(path__startswith=unit.path)
    return {
        "units": subtree.count() - 1,
        "officers": Officer.objects.filter(unit__path__startswith=unit.path, is_active=True).count(),
        "courses": TrainingCourse.objects.filter(unit__path__startswith=unit.path).count(),
        "attendances": TrainingAttendance.objects.filter(officer__unit__path__startswith=unit.path).count(),
    }


COMMUNE_KINDS = (Unit.Kind.WARD, Unit.Kind.COMMUNE, Unit.Kind.SPECIAL_ZONE)


def commune_choices() -> list[tuple[str, str]]:
    """(commune code, name) of every commune-level police unit, for pickers on public pages."""
    units = Unit.objects.filter(kind__in=COMMUNE_KINDS, active=True).exclude(area_code="").order_by("name")
    return [(unit.area_code, _commune_name(unit.name.removeprefix("Công an "))) for unit in units]


def commune_names() -> dict[str, str]:
    """Commune code → the commune's name ("20194" → "Phường Hải Châu"), from the commune police units;
    cached for five minutes (a renamed commune shows its new name within that)."""

    def build() -> dict[str, str]:
        return dict(commune_choices())

    names: dict[str, str] = cache.get_or_set("org:commune_names", build, 300) or {}
    return names


def full_address(street: str, commune_code: str) -> str:
    """An address as a letter is addressed: the street, the commune by name, the province
    ("Số 3 Trần Phú, Phường Hải Châu, thành phố Đà Nẵng"); the parts that are known."""
    commune = commune_names().get(commune_code, "")
    province = ""
    if commune:
        unit = Unit.objects.filter(area_code=commune_code).select_related("parent").order_by("depth").first()
        parent = unit.parent if unit is not None else None
        province = (
            parent.name.removeprefix("Công an ") if parent is not None and parent.kind == Unit.Kind.PROVINCE else ""
        )
    return ", ".join(part for part in (street.strip(), commune, province) if part)


def commune_places() -> list[dict[str, Any]]:
    """Each commune's name and the seat of its police, for the labels of the offline base map;
    cached for five minutes."""

    def build() -> list[dict[str, Any]]:
        seats = commune_seats()
        return [
            {
                "code": unit.area_code,
                "name": _commune_name(unit.name.removeprefix("Công an ")),
                "lat": float(unit.latitude or 0),
                "lon": float(unit.longitude or 0),
            }
            for unit in sorted(seats, key=lambda unit: unit.area_code)
        ]

    places: list[dict[str, Any]] = cache.get_or_set("org:commune_places", build, 300) or []
    return places


OUTLINES_CACHE_KEY = boundaries.OUTLINES_CACHE_KEY
OUTLINE_TOLERANCE = 0.0001  # degrees (about 10 m): what a map at street zoom still shows
OUTLINE_PRECISION = 0.00001  # about 1 m


def commune_outlines() -> bytes:
    """The imported commune boundaries for the maps (decision 0023): a GeoJSON FeatureCollection,
    each commune simplified for display, with its name and the point inside it where the name is
    written (``label``: latitude, longitude). Empty when none are imported; cached for five minutes
    (an import clears it)."""

    def build() -> bytes:
        from shapely.geometry import mapping, shape
        from shapely.ops import polylabel

        names = {
            unit.area_code: _commune_name(unit.name.removeprefix("Công an "))
            for unit in Unit.objects.filter(kind__in=COMMUNE_KINDS, active=True)
            .exclude(area_code="")
            .order_by("-depth")
        }
        features = []
        for boundary in CommuneBoundary.objects.order_by("area_code"):
            geometry = shape(boundary.geometry)
            largest = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
            inside = polylabel(largest, tolerance=OUTLINE_TOLERANCE * 5)
            drawn = shapely.set_precision(
                geometry.simplify(OUTLINE_TOLERANCE, preserve_topology=True), OUTLINE_PRECISION
            )
            if drawn.is_empty:
                continue
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "code": boundary.area_code,
                        "name": names.get(boundary.area_code) or boundary.name,
                        "label": [round(inside.y, 5), round(inside.x, 5)],
                    },
                    "geometry": mapping(drawn),
                }
            )
        collection = {"type": "FeatureCollection", "features": features}
        return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()

    outlines = cache.get_or_set(OUTLINES_CACHE_KEY, build, 300)
    return outlines if isinstance(outlines, bytes) else build()


def _commune_name(name: str) -> str:
    return name[:1].upper() + name[1:]


def commune_seats() -> list[Unit]:
    """Commune police units with a known seat (their position), for repeated nearest lookups."""
    seats = Unit.objects.filter(kind__in=COMMUNE_KINDS, active=True, latitude__isnull=False).exclude(area_code="")
    return list(seats)


def commune_location(latitude: float, longitude: float) -> tuple[Unit | None, bool]:
    """The commune police of the commune the point lies in, and whether that is approximate: by
    the loaded commune boundaries when one holds the point (exact), else the nearest seat."""
    code = boundaries.commune_code_at(latitude, longitude)
    if code is not None:
        unit = Unit.objects.filter(kind__in=COMMUNE_KINDS, active=True, area_code=code).order_by("depth").first()
        if unit is not None:
            return unit, False
    return commune_at(latitude, longitude), True


def commune_at(latitude: float, longitude: float, seats: list[Unit] | None = None) -> Unit | None:
    """The commune police unit whose seat is nearest the point. Without boundary polygons this is
    the Voronoi cell of the commune seats: right for most points, approximate near borders.
    Pass ``seats`` (from ``commune_seats``) when looking up many points."""
    candidates = commune_seats() if seats is None else seats
    return min(
        candidates, key=lambda seat: distance_m(latitude, longitude, seat.latitude, seat.longitude), default=None
    )
