"""In-process copies of the small tables every public plate lookup shows: cameras (name, road,
unit), units (name, address, phone) and violation types (code, title).

The lookup's statement then reads the violations alone, and PostgreSQL plans a one-table query
instead of a six-table join (planning was most of its time). The copies are a
``core.process_copy.ProcessCopy``: rebuilt after 60 s, and at once in this process when one of
those tables changes (signals, wired in apps.ready); another process sees a change within 60 s.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from congan.core.process_copy import ProcessCopy
from congan.org.models import Unit
from congan.traffic.models import Camera, ViolationType


@dataclass(frozen=True)
class Place:
    camera: str
    road: str
    unit_id: int


@dataclass(frozen=True)
class Office:
    name: str
    address: str
    phone: str


@dataclass
class _Tables:
    cameras: dict[int, Place] = field(default_factory=dict)
    units: dict[int, Office] = field(default_factory=dict)
    violation_types: dict[int, tuple[str, str]] = field(default_factory=dict)


def _load() -> _Tables:
    return _Tables(
        cameras={
            pk: Place(name, road, unit_id)
            for pk, name, road, unit_id in Camera.objects.values_list("pk", "name", "road", "unit_id")
        },
        units={
            pk: Office(name, address, phone)
            for pk, name, address, phone in Unit.objects.values_list("pk", "name", "address", "phone")
        },
        violation_types={
            pk: (code, title) for pk, code, title in ViolationType.objects.values_list("pk", "code", "title")
        },
    )


_copy = ProcessCopy(_load)
clear = _copy.clear
_current = _copy.get


def _fresh_if_missing(table: str, key: int) -> _Tables:
    """A row created in another process within the TTL: reload once rather than fail."""
    tables = _current()
    if key not in getattr(tables, table):
        clear()
        tables = _current()
    return tables


def camera_place(camera_id: int) -> Place:
    return _fresh_if_missing("cameras", camera_id).cameras[camera_id]


def office(unit_id: int) -> Office:
    return _fresh_if_missing("units", unit_id).units[unit_id]


def violation_type(type_id: int) -> tuple[str, str]:
    return _fresh_if_missing("violation_types", type_id).violation_types[type_id]
