"""Demo residents (dân cư mẫu): realistic households on the province's real communes.

``demo_build_residents()`` spreads about ``residents`` people over the commune police units of a
province (phường weigh 3, xã 2, đặc khu 1), in households of 1–7: a head (chủ hộ), usually a
spouse with another family name, children with the father's family name, sometimes the head's
parents or grandchildren. Every person has a valid personal ID (birth-registration code, century
and sex digit, birth year, six seeded digits; unique), a name from ``congan.org.demo.vietnamese_name``,
a plausible (sometimes partial) birth date, an ID card from 14, a phone number as an adult and one
permanent residence record.

Deterministic and idempotent: each commune has its own seeded random stream and household codes
are ``HK`` + commune code + a 4-digit sequence, so the same seed gives the same people, asking
for more residents later extends every commune's stream, and households that already exist (by
code) are skipped. Nothing at all happens when the province already holds the requested number.

Fast: rows go straight into the tables with ``executemany`` and explicit primary keys (the
household names its head before the head's row exists; foreign keys are checked at commit), so
200,000 residents take seconds, not the minutes that ``bulk_create`` needs for 45 columns.
One ``population.demo.build`` audit event (actor "system") records the counts.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any, Final

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from congan.core.audit import audit_record
from congan.core.text import vietnamese_name_sort_string
from congan.org.demo import vietnamese_name
from congan.org.models import Unit
from congan.population.models import Household, Relationship, ResidenceRecord, Resident, Sex
from congan.population.validation import BIRTH_REGISTRATION_CODES, century_sex_digit, folded_name

DEFAULT_RESIDENTS = 200_000
DEFAULT_SEED = "congan-demo"
BATCH_SIZE = 5000
MAX_HOUSEHOLD = 7
COMMUNE_KINDS = (Unit.Kind.WARD, Unit.Kind.COMMUNE, Unit.Kind.SPECIAL_ZONE)
KIND_WEIGHT = {Unit.Kind.WARD: 3, Unit.Kind.COMMUNE: 2, Unit.Kind.SPECIAL_ZONE: 1}
HOME_SHARE = 0.85  # born in the province: its own birth-registration code
YEAR_ONLY_SHARE = 0.03
YEAR_MONTH_SHARE = 0.02
CARD_AGE = 14
CARD_CHIP_START = dt.date(2021, 1, 1)
CARD_AUTHORITY = "Cục Cảnh sát quản lý hành chính về trật tự xã hội"
_SYSTEM: Final = "system"
# Plain strings (not the enum members) go to the database driver.
_MALE, _FEMALE = Sex.MALE.value, Sex.FEMALE.value
_HEAD, _SPOUSE, _CHILD = Relationship.HEAD.value, Relationship.SPOUSE.value, Relationship.CHILD.value
_PARENT, _GRANDCHILD = Relationship.PARENT.value, Relationship.GRANDCHILD.value
_ALIVE, _DECEASED, _EMIGRATED = (
    Resident.Status.ALIVE.value,
    Resident.Status.DECEASED.value,
    Resident.Status.EMIGRATED.value,
)

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
    "Nguyễn Huệ",
    "Quang Trung",
    "Lý Thường Kiệt",
    "Trần Hưng Đạo",
    "Ngô Quyền",
    "Nguyễn Chí Thanh",
    "Hải Phòng",
    "Lê Đình Dương",
    "Nguyễn Lương Bằng",
    "Âu Cơ",
    "Trường Chinh",
    "Ngũ Hành Sơn",
    "Võ Nguyên Giáp",
    "Phạm Văn Đồng",
    "Nguyễn Tất Thành",
    "Hoàng Văn Thụ",
    "Yên Bái",
    "Núi Thành",
    "Lê Thanh Nghị",
)
ETHNICITIES = (("Kinh", 960), ("Hoa", 8), ("Cơ Tu", 14), ("Tày", 5), ("Xơ Đăng", 4), ("Mường", 4), ("Ê Đê", 3))
RELIGIONS = (("Không", 780), ("Phật giáo", 130), ("Công giáo", 70), ("Tin lành", 10), ("Cao Đài", 10))
PHONE_PREFIXES = (
    "090",
    "093",
    "089",
    "070",
    "076",
    "077",
    "078",
    "079",  # MobiFone
    "091",
    "094",
    "088",
    "081",
    "082",
    "083",
    "084",
    "085",  # VinaPhone
    "096",
    "097",
    "098",
    "086",
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",  # Viettel
)
CARD_MILESTONES = (25, 40, 60)  # the card is renewed at these ages; none after 60


class _Table:
    """A weighted choice with precomputed cumulative weights (``random.choices`` rebuilds them)."""

    def __init__(self, table: Sequence[tuple[str, int]]) -> None:
        self.values = [value for value, _weight in table]
        self.cumulative: list[int] = []
        total = 0
        for _value, weight in table:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def pick(self, rng: random.Random) -> str:
        return self.values[bisect_right(self.cumulative, rng.random() * self.total)]


_ETHNICITY = _Table(ETHNICITIES)
_RELIGION = _Table(RELIGIONS)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _on_birthday(year: int, month: int | None, day: int | None, age: int) -> dt.date:
    """The day someone turns ``age`` (1 January / the 1st when the day or month is unknown)."""
    month = month or 1
    return dt.date(year + age, month, min(day or 1, _days_in_month(year + age, month)))


def commune_units(province: Unit) -> list[Unit]:
    """The commune police units (phường, xã, đặc khu) of a province that have a commune code."""
    return list(
        Unit.objects.filter(path__startswith=province.path, kind__in=COMMUNE_KINDS)
        .exclude(area_code="")
        .order_by("area_code")
    )


def commune_quotas(communes: Sequence[Unit], residents: int) -> list[int]:
    """Residents per commune, proportional to the kind's weight (largest remainder, so they sum up)."""
    weights = [KIND_WEIGHT.get(unit.kind, 1) for unit in communes]
    total = sum(weights)
    exact = [residents * weight / total for weight in weights]
    quotas = [int(share) for share in exact]
    by_remainder = sorted(range(len(communes)), key=lambda i: (quotas[i] - exact[i], i))
    for index in by_remainder[: residents - sum(quotas)]:
        quotas[index] += 1
    return quotas


class _Generator:
    """One commune's seeded stream of households; personal IDs unique across the whole plan."""

    def __init__(self, *, seed: str, unit: Unit, home_code: str, taken: set[str], today: dt.date) -> None:
        self.rng = random.Random(f"{seed}:{unit.area_code}")
        self.unit = unit
        self.home_code = home_code
        self.other_codes = [code for code in BIRTH_REGISTRATION_CODES if code != home_code]
        self.taken = taken
        self.today = today
        self.rural = unit.kind != Unit.Kind.WARD
        self.streets = self.rng.sample(STREETS, 8)

    # --- people --------------------------------------------------------------------------------
    def personal_id(self, *, prefix: str, sex: str, birth_year: int) -> str:
        head = f"{prefix}{century_sex_digit(sex=sex, birth_year=birth_year)}{birth_year % 100:02d}"
        while True:
            number = f"{head}{self.rng.randrange(1_000_000):06d}"
            if number not in self.taken:
                self.taken.add(number)
                return number

    def birth(self, year: int) -> tuple[int | None, int | None]:
        rng, today = self.rng, self.today
        roll = rng.random()
        if roll < YEAR_ONLY_SHARE:
            return None, None
        month = rng.randint(1, today.month if year == today.year else 12)
        if roll < YEAR_ONLY_SHARE + YEAR_MONTH_SHARE:
            return month, None
        last = today.day if (year, month) == (today.year, today.month) else _days_in_month(year, month)
        return month, rng.randint(1, last)

    def person(
        self, *, sex: str, birth_year: int, relationship: str, surname: str | None, household: dict[str, Any]
    ) -> dict[str, Any]:
        rng, today = self.rng, self.today
        name = vietnamese_name(rng, female=sex == _FEMALE)
        if surname:
            rest = name.split(" ")[1:]
            while surname in rest:  # "Mai Thị Mai": draw again
                rest = vietnamese_name(rng, female=sex == _FEMALE).split(" ")[1:]
            name = " ".join([surname, *rest])
        month, day = self.birth(birth_year)
        prefix = self.home_code if rng.random() < HOME_SHARE else rng.choice(self.other_codes)
        birthday = dt.date(birth_year, month or 1, day or 1)
        age = today.year - birth_year - ((month or 1, day or 1) > (today.month, today.day))
        inherits = relationship != _SPOUSE and rng.random() < 0.9
        status = _ALIVE
        if relationship != _HEAD and age >= 75 and rng.random() < 0.03:
            status = _DECEASED
        elif relationship == _CHILD and age >= 20 and rng.random() < 0.01:
            status = _EMIGRATED
        row: dict[str, Any] = {
            "full_name": name,
            "sex": sex,
            "birth_year": birth_year,
            "birth_month": month,
            "birth_day": day,
            "relationship": relationship,
            "birth_registration_place": BIRTH_REGISTRATION_CODES[prefix],
            "hometown": BIRTH_REGISTRATION_CODES[prefix],
            "ethnicity": household["ethnicity"] if inherits else _ETHNICITY.pick(rng),
            "religion": household["religion"] if inherits else _RELIGION.pick(rng),
            "status": status,
            "personal_id": self.personal_id(prefix=prefix, sex=sex, birth_year=birth_year),
        }
        if age >= CARD_AGE and status == _ALIVE:
            issued = _random_date(rng, max(CARD_CHIP_START, _on_birthday(birth_year, month, day, CARD_AGE)), today)
            age_at_issue = issued.year - birth_year - ((month or 1, day or 1) > (issued.month, issued.day))
            # Renewal ages 25, 40, 60; a card issued in the two years before one lasts to the next.
            milestone = next((m for m in CARD_MILESTONES if age_at_issue < m - 2), None)
            row["id_card_number"] = row["personal_id"]
            row["id_card_issued_on"] = issued
            row["id_card_expires_on"] = _on_birthday(birth_year, month, day, milestone) if milestone else None
            row["id_card_authority"] = CARD_AUTHORITY
        if age >= 18 and status == _ALIVE and rng.random() < 0.92:
            row["phone"] = f"{rng.choice(PHONE_PREFIXES)}{rng.randrange(10**7):07d}"
        settled = _random_date(rng, max(birthday, dt.date(1995, 1, 1)), today)
        row["valid_from"] = birthday if prefix == self.home_code and rng.random() < 0.5 else settled
        return row

    # --- households ----------------------------------------------------------------------------
    def address(self) -> str:
        rng = self.rng
        if self.rural:
            return f"Thôn {rng.randint(1, 12)}"
        return f"Số {rng.randint(1, 250)} đường {rng.choice(self.streets)}, tổ {rng.randint(1, 45)}"

    def household(self, sequence: int) -> dict[str, Any]:
        rng, year = self.rng, self.today.year
        household: dict[str, Any] = {
            "code": f"HK{self.unit.area_code}{sequence:04d}",
            "street": self.address(),
            "ethnicity": _ETHNICITY.pick(rng),
            "religion": _RELIGION.pick(rng),
        }
        members: list[dict[str, Any]] = []

        def add(*, sex: str, birth_year: int, relationship: str, surname: str | None = None) -> dict[str, Any]:
            row = self.person(
                sex=sex, birth_year=birth_year, relationship=relationship, surname=surname, household=household
            )
            members.append(row)
            return row

        head_sex = _FEMALE if rng.random() < 0.22 else _MALE
        head_age = int(rng.triangular(20, 92, 40))
        head_year = year - head_age
        head = add(sex=head_sex, birth_year=head_year, relationship=_HEAD)
        head_surname = head["full_name"].split(" ")[0]
        father_surname, mother_year = head_surname, head_year
        spouse_chance = (0.85 if head_sex == _MALE else 0.2) * (0.6 if head_age >= 70 else 1)
        if rng.random() < spouse_chance:
            gap = rng.randint(-2, 7)  # husbands usually a few years older
            spouse_year = head_year + gap if head_sex == _MALE else head_year - gap
            spouse_year = min(spouse_year, year - 18)
            spouse_sex = _FEMALE if head_sex == _MALE else _MALE
            spouse = add(sex=spouse_sex, birth_year=spouse_year, relationship=_SPOUSE)
            if spouse["full_name"].split(" ")[0] == head_surname and rng.random() < 0.7:
                # Husband and wife rarely share a family name: draw the spouse again, same person otherwise.
                spouse["full_name"] = vietnamese_name(rng, female=spouse_sex == _FEMALE)
            if spouse_sex == _MALE:
                father_surname, mother_year = spouse["full_name"].split(" ")[0], spouse_year
            else:
                mother_year = spouse_year
        children = sorted(
            mother_year + rng.randint(19, 42) for _ in range(rng.choices((0, 1, 2, 3, 4), (10, 22, 40, 20, 8))[0])
        )
        for child_year in children:
            if child_year > year or len(members) >= MAX_HOUSEHOLD:
                continue
            if year - child_year > 30 and rng.random() < 0.6:
                continue  # grown up and moved out
            sex = _MALE if rng.random() < 0.51 else _FEMALE
            child = add(sex=sex, birth_year=child_year, relationship=_CHILD, surname=father_surname)
            if sex == _MALE and year - child_year >= 24 and head_age >= 50 and rng.random() < 0.4:
                for _ in range(rng.randint(1, 2)):
                    grandchild_year = child_year + rng.randint(22, 35)
                    if grandchild_year <= year and len(members) < MAX_HOUSEHOLD:
                        add(
                            sex=_MALE if rng.random() < 0.51 else _FEMALE,
                            birth_year=grandchild_year,
                            relationship=_GRANDCHILD,
                            surname=child["full_name"].split(" ")[0],
                        )
        if head_age <= 55 and rng.random() < 0.15:
            parents = [(_MALE, head_year - rng.randint(22, 38)), (_FEMALE, head_year - rng.randint(19, 34))]
            for sex, parent_year in rng.sample(parents, rng.randint(1, 2)):
                if year - parent_year <= 98 and len(members) < MAX_HOUSEHOLD:
                    surname = head_surname if sex == _MALE else None  # the head has the father's name
                    add(sex=sex, birth_year=parent_year, relationship=_PARENT, surname=surname)
        household["members"] = members
        return household


def demo_build_residents(
    *,
    province: Unit,
    residents: int = DEFAULT_RESIDENTS,
    seed: str = DEFAULT_SEED,
    today: dt.date | None = None,
    **_options: Any,
) -> dict[str, int]:
    """Create the province's demo households and residents unless it already has ``residents``.

    Ages and dates are relative to ``today`` (default: the local date), so the same seed on the
    same day gives the same people. Returns the counts created:
    ``{"residents": …, "households": …, "residence_records": …}``.
    Other ``congan demo`` options (passed to every registered builder) are ignored.
    """
    created = {"residents": 0, "households": 0, "residence_records": 0}
    if residents <= 0:
        return created
    communes = commune_units(province)
    if not communes or Resident.objects.filter(unit__path__startswith=province.path).count() >= residents:
        return created

    today = today or timezone.localdate()
    home_code = f"0{province.area_code}" if f"0{province.area_code}" in BIRTH_REGISTRATION_CODES else "048"
    existing_codes = set(
        Household.objects.filter(unit__in=communes, code__startswith="HK").values_list("code", flat=True)
    )
    existing_ids = set(Resident.objects.values_list("personal_id", flat=True))
    plan: list[tuple[Unit, dict[str, Any]]] = []
    planned_ids: set[str] = set()
    for unit, quota in zip(communes, commune_quotas(communes, residents), strict=True):
        generator = _Generator(seed=seed, unit=unit, home_code=home_code, taken=planned_ids, today=today)
        people = 0
        sequence = 1
        while people < quota:
            household = generator.household(sequence)
            sequence += 1
            people += len(household["members"])
            if household["code"] not in existing_codes:
                plan.append((unit, household))
    if not plan:
        return created

    # A real resident may already hold a generated number: give the demo person another one.
    if existing_ids & planned_ids:
        rng = random.Random(f"{seed}:clash")
        taken = existing_ids | planned_ids
        for _unit, household in plan:
            for row in household["members"]:
                while row["personal_id"] in existing_ids:
                    candidate = row["personal_id"][:6] + f"{rng.randrange(1_000_000):06d}"
                    if candidate not in taken:
                        taken.add(candidate)
                        row["personal_id"] = candidate
                        if row.get("id_card_number"):
                            row["id_card_number"] = candidate

    with transaction.atomic():
        created = _insert_plan(plan)
        audit_record(
            actor=_SYSTEM,
            action="population.demo.build",
            target=province,
            unit=province,
            details={"province": province.area_code, "seed": seed, **created},
        )
    return created


def _insert_plan(plan: list[tuple[Unit, dict[str, Any]]]) -> dict[str, int]:
    next_resident = (Resident.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    next_household = (Household.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    households: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    names: dict[str, tuple[str, str]] = {}
    for unit, household in plan:
        commune, street = unit.area_code, household["street"]
        households.append(
            {
                "id": next_household,
                "code": household["code"],
                "head_id": next_resident,
                "address_commune": commune,
                "address_street": street,
                "unit_id": unit.pk,
            }
        )
        for row in household["members"]:
            valid_from = row.pop("valid_from")
            full_name = row["full_name"]
            if full_name not in names:
                names[full_name] = (folded_name(full_name), vietnamese_name_sort_string(full_name))
            row["full_name_folded"], row["sort_name"] = names[full_name]
            row.update(
                id=next_resident,
                household_id=next_household,
                unit_id=unit.pk,
                permanent_commune=commune,
                permanent_street=street,
                current_commune=commune,
                current_street=street,
            )
            people.append(row)
            records.append(
                {
                    "resident_id": next_resident,
                    "kind": ResidenceRecord.Kind.PERMANENT.value,
                    "commune": commune,
                    "street": street,
                    "valid_from": valid_from,
                }
            )
            next_resident += 1
        next_household += 1
    # Households name heads inserted just after them: the foreign keys are deferred to commit.
    _insert(Household, households)
    _insert(Resident, people)
    _insert(ResidenceRecord, records)
    statements = connection.ops.sequence_reset_sql(no_style(), [Household, Resident])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    return {"residents": len(people), "households": len(households), "residence_records": len(records)}


def _insert(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> None:
    """``INSERT … VALUES`` by ``executemany``: columns missing from a row get the field's default,
    ``created_at``/``updated_at`` now. Dates go to the driver as they are (Django registers adapters)."""
    rows = list(rows)
    if not rows:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in rows[0]]
    defaults = {}
    for f in fields:
        value = now if f.attname in ("created_at", "updated_at") else f.get_default()
        defaults[f.attname] = f.get_db_prep_save(value, connection)
    values = itemgetter(*(f.attname for f in fields))
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names come from the model
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            cursor.executemany(sql, [values({**defaults, **row}) for row in batch])
