from __future__ import annotations

import datetime as dt

from ninja import Schema


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    depth: int
    area_code: str
    address: str
    latitude: float | None
    longitude: float | None
    phone: str
    active: bool


class OfficerOut(Schema):
    id: int
    username: str
    full_name: str
    officer_number: str
    rank: str
    position: str
    unit_id: int | None
    unit_name: str | None
    is_active: bool

    @staticmethod
    def resolve_unit_name(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None


class TrainingCourseOut(Schema):
    id: int
    topic: str
    start_date: dt.date
    end_date: dt.date
    location: str
    unit_id: int
    unit_name: str
    attendance_count: int

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class UnitTrainingFiguresOut(Schema):
    unit_id: int
    unit_name: str
    courses_organised: int
    attendances: int
    officers_trained: int
