"""Demo residents: households of realistic families on the province's real communes.

Deterministic (seeded) and idempotent: nothing is created when the province already holds the
requested number of residents. Bulk inserts with explicit primary keys, so 200,000 residents
take seconds rather than minutes.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from congan.core.audit import audit_record
from congan.core.text import fold, vietnamese_name_sort_string
from congan.org.demo import vietnamese_name
from congan.org.models import Unit
from congan.population.models import Household, Relationship, ResidenceRecord, Resident
from congan.population.validation import BIRTH_REGISTRATION_CODES, century_sex_digit

DEFAULT_RESIDENTS = 200_000
BATCH = 5000
STREETS = (
    "Lê Lợi",
    "Trần Phú",
    "Nguyễn Văn Linh",
    "Hùng Vương",
    "Bạch Đằng",
    "Phan Châu Trinh",
    "Điện Biên Phủ",
    "Ông Ích Khiêm",
    "Hoàng Diệu",
    "Lê Duẩn",
    "Nguyễn Tri Phương",
    "Hàm Nghi",
    "Tôn Đức Thắng",
)
ETHNICITIES = (("Kinh", 960), ("Hoa", 10), ("Cơ Tu", 12), ("Tày", 5), ("Xơ Đăng", 5), ("Mường", 4), ("Ê Đê", 4))
RELIGIONS = (("Không", 780), ("Phật giáo", 130), ("Công giáo", 70), ("Tin lành", 10), ("Cao Đài", 10))
OTHER_BIRTH_CODES = tuple(code for code in BIRTH_REGISTRATION_CODES if code != "048")


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


class _Ids:
    def __init__(self, rng: random.Random, taken: set[str]):
        self.rng, self.taken = rng, taken

    def new(self, *, sex: str, birth_year: int, prefix: str) -> str:
        while True:
            number = f"{prefix}{century_sex_digit(sex=sex, birth_year=birth_year)}{birth_year % 100:02d}"
            number += f"{self.rng.randrange(1_000_000):06d}"
            if number not in self.taken:
                self.taken.add(number)
                return number


def _phone(rng: random.Random) -> str:
    return f"0{rng.choice(['90', '91', '93', '98', '35', '77', '83'])}{rng.randrange(10**7):07d}"


def _family_name(full_name: str) -> str:
    return full_name.split(" ")[0]


def _person(rng: random.Random, ids: _Ids, *, sex: str, birth_year: int, surname: str | None) -> dict[str, Any]:
    name = vietnamese_name(rng, female=sex == "female")
    if surname:
        name = " ".join([surname, *name.split(" ")[1:]])
    precision = rng.random()
    month = None if precision < 0.03 else rng.randint(1, 12)
    day = None if month is None or precision < 0.05 else rng.randint(1, 28)
    prefix = "048" if rng.random() < 0.85 else rng.choice(OTHER_BIRTH_CODES)
    return {
        "full_name": name,
        "sex": sex,
        "birth_year": birth_year,
        "birth_month": month,
        "birth_day": day,
        "personal_id": ids.new(sex=sex, birth_year=birth_year, prefix=prefix),
    }


def _family(rng: random.Random, ids: _Ids, today_year: int) -> list[tuple[str, dict[str, Any]]]:
    head_sex = "male" if rng.random() < 0.78 else "female"
    head_year = rng.randint(today_year - 85, today_year - 22)
    head = _person(rng, ids, sex=head_sex, birth_year=head_year, surname=None)
    members = [(Relationship.HEAD, head)]
    if rng.random() < 0.8:
        spouse_year = min(today_year - 18, head_year + rng.randint(-3, 6))
        members.append(
            (
                Relationship.SPOUSE,
                _person(rng, ids, sex="female" if head_sex == "male" else "male", birth_year=spouse_year, surname=None),
            )
        )
    for _ in range(rng.choices([0, 1, 2, 3, 4], weights=[15, 25, 35, 18, 7])[0]):
        child_year = head_year + rng.randint(20, 40)
        if child_year > today_year:
            break
        members.append(
            (
                Relationship.CHILD,
                _person(
                    rng,
                    ids,
                    sex=rng.choice(["male", "female"]),
                    birth_year=child_year,
                    surname=_family_name(head["full_name"]),
                ),
            )
        )
    if rng.random() < 0.12 and head_year - 25 > today_year - 100:
        members.append(
            (
                Relationship.PARENT,
                _person(
                    rng,
                    ids,
                    sex=rng.choice(["male", "female"]),
                    birth_year=head_year - rng.randint(20, 35),
                    surname=None,
                ),
            )
        )
    return members


def _communes(province: Unit) -> list[Unit]:
    return list(
        Unit.objects.filter(path__startswith=province.path, kind__in=["ward", "commune", "special_zone"])
        .exclude(area_code="")
        .order_by("area_code")
    )


def demo_build_residents(
    *, province: Unit, residents: int = DEFAULT_RESIDENTS, seed: str = "congan-demo", **_: Any
) -> dict[str, int]:
    communes = _communes(province)
    existing = Resident.objects.filter(unit__path__startswith=province.path).count()
    if residents <= 0 or not communes or existing >= residents:
        return {"residents": 0, "households": 0}
    rng = random.Random(f"{seed}-{province.code}")
    taken = set(Resident.objects.values_list("personal_id", flat=True))
    ids = _Ids(rng, taken)
    today = timezone.localdate()
    next_resident = (Resident.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    next_household = (Household.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    household_codes = set(Household.objects.values_list("code", flat=True))
    people: list[dict[str, Any]] = []
    households: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    while existing + len(people) < residents:
        unit = communes[rng.randrange(len(communes))]
        is_ward = unit.kind == "ward"
        street = (
            f"Số {rng.randint(1, 300)} đường {rng.choice(STREETS)}, tổ {rng.randint(1, 40)}"
            if is_ward
            else f"Thôn {rng.randint(1, 12)}"
        )
        code = f"HK{rng.randrange(10**9):09d}"
        while code in household_codes:
            code = f"HK{rng.randrange(10**9):09d}"
        household_codes.add(code)
        household = dict(
            id=next_household,
            code=code,
            unit_id=unit.pk,
            address_commune=unit.area_code,
            address_street=street,
            head_id=next_resident,
        )
        next_household += 1
        households.append(household)
        for relationship, person in _family(rng, ids, today.year):
            adult = today.year - person["birth_year"] >= 14
            issued = dt.date(
                min(today.year, max(2021, person["birth_year"] + 14)), rng.randint(1, 12), rng.randint(1, 28)
            )
            people.append(
                dict(
                    id=next_resident,
                    unit_id=unit.pk,
                    household_id=household["id"],
                    relationship=relationship,
                    **person,
                    full_name_folded=fold(person["full_name"]),
                    sort_name=vietnamese_name_sort_string(person["full_name"]),
                    ethnicity=_pick(rng, ETHNICITIES),
                    religion=_pick(rng, RELIGIONS),
                    nationality="VN",
                    hometown=BIRTH_REGISTRATION_CODES.get(person["personal_id"][:3], ""),
                    permanent_commune=unit.area_code,
                    permanent_street=street,
                    current_commune=unit.area_code,
                    current_street=street,
                    id_card_number=person["personal_id"] if adult else "",
                    id_card_issued_on=issued if adult else None,
                    id_card_authority="Cục Cảnh sát quản lý hành chính về trật tự xã hội" if adult else "",
                    phone=_phone(rng) if adult else "",
                )
            )
            records.append(
                dict(
                    resident_id=next_resident,
                    kind=ResidenceRecord.Kind.PERMANENT,
                    commune=unit.area_code,
                    street=street,
                    valid_from=dt.date(max(person["birth_year"], 2000), 1, 1),
                )
            )
            next_resident += 1
    with transaction.atomic():
        # Foreign keys are checked at commit, so households may name heads inserted after them.
        _insert(Household, households)
        _insert(Resident, people)
        _insert(ResidenceRecord, records)
        _reset_sequences()
        counts = {"residents": len(people), "households": len(households)}
        audit_record(actor="system", action="population.demo.build", target=province, unit=province, details=counts)
    return counts


def _insert(model: type, rows: list[dict[str, Any]]) -> None:
    """executemany straight into the table: the ORM's per-value preparation made 200,000
    residents take minutes. Missing columns get the field default; dates are adapted."""
    if not rows:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in rows[0]]
    adapters = []
    for f in fields:
        kind = f.get_internal_type()
        if kind == "DateTimeField":
            adapters.append(connection.ops.adapt_datetimefield_value)
        elif kind == "DateField":
            adapters.append(connection.ops.adapt_datefield_value)
        else:
            adapters.append(None)
    defaults = {f.attname: now if f.attname in ("created_at", "updated_at") else f.get_default() for f in fields}
    if "details" in defaults:
        defaults["details"] = "{}"
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names come from the model
    values = [
        tuple(
            adapt(row.get(f.attname, defaults[f.attname])) if adapt else row.get(f.attname, defaults[f.attname])
            for f, adapt in zip(fields, adapters, strict=True)
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH):
            cursor.executemany(sql, values[start : start + BATCH])


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [Resident, Household])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
