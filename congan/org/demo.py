"""The demo province (tỉnh mẫu): real 2025 administrative units, plausible officers, demo accounts.

``demo_build()`` creates, for one province picked by its NSO code (default 48, Đà Nẵng):

- the Bộ Công an root unit, the provincial police (Công an tỉnh/thành phố) under it, its
  departments (Phòng Tham mưu, PC06, PC08…) and one commune police unit (Công an xã/phường/đặc
  khu) for every 2025 commune of the vietnamadminunits dataset, except the two đặc khu that have
  no police unit (Hoàng Sa, Trường Sa);
- about 300 officers with Vietnamese names and ranks that fit their positions;
- a few training courses with attendances;
- one login account per role, all with ``DEMO_PASSWORD``; the two roles that must use two-factor
  (ADMIN, LEADER) get a confirmed authenticator with a fixed secret and fixed recovery codes.

It is idempotent: every object has a stable key (unit code, username, course unit + topic,
course + officer), only missing objects are created and existing ones are left as they are.
Everything is generated from seeded ``random.Random`` instances, so two runs produce the same data.

Audit: units, courses and demo accounts go through the services (one audit event each, actor
"system"); officers and attendances are bulk-inserted and recorded by one ``org.demo.build``
event with their counts. A run that creates nothing records nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.resources import files
from typing import Any, Final

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from congan.core.audit import audit_record
from congan.core.errors import ValidationFailed
from congan.core.text import fold, vietnamese_name_sort_string
from congan.org import roles, services
from congan.org.models import Officer, Rank, TrainingAttendance, TrainingCourse, Unit

DEMO_PASSWORD = "congan-demo-2026"  # noqa: S105 - the documented, public demo password
DEFAULT_PROVINCE = "48"
DEFAULT_OFFICERS = 300
MINISTRY_CODE = "BCA"
# Đặc khu without a police unit (domain notes §8): Hoàng Sa (Đà Nẵng), Trường Sa (Khánh Hòa).
NO_POLICE_UNIT = frozenset({"20333", "22736"})
# The commune where the commune-level demo accounts work, per province; elsewhere the first phường.
DEMO_COMMUNE = {"48": "20242"}  # Phường Hải Châu

_SYSTEM: Final = "system"

# (code, name) of the provincial departments created under the Công an tỉnh.
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("PV01", "Phòng Tham mưu"),
    ("PC01", "Phòng Cảnh sát điều tra tội phạm về trật tự xã hội"),
    ("PC02", "Phòng Cảnh sát hình sự"),
    ("PC04", "Phòng Cảnh sát điều tra tội phạm về ma túy"),
    ("PC06", "Phòng Cảnh sát quản lý hành chính về trật tự xã hội"),
    ("PC07", "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ"),
    ("PC08", "Phòng Cảnh sát giao thông"),
    ("PA05", "Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao"),
    ("PA08", "Phòng Quản lý xuất nhập cảnh"),
    ("PV06", "Phòng Hồ sơ nghiệp vụ"),
)

_WARD_KINDS = {
    "Phường": (Unit.Kind.WARD, "CAP", "phường"),
    "Xã": (Unit.Kind.COMMUNE, "CAX", "xã"),
    "Đặc khu": (Unit.Kind.SPECIAL_ZONE, "CADK", "đặc khu"),
}

# --- Names -------------------------------------------------------------------------------------
# Family names with rough weights (per cent of the population), a central-Vietnam mix.
_SURNAMES = (
    ("Nguyễn", 31),
    ("Trần", 11),
    ("Lê", 10),
    ("Phạm", 6),
    ("Huỳnh", 4),
    ("Hoàng", 3),
    ("Phan", 5),
    ("Võ", 5),
    ("Vũ", 2),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 1),
    ("Trương", 2),
    ("Đinh", 1),
    ("Đoàn", 1),
    ("Lương", 1),
    ("Mai", 1),
    ("Lý", 1),
    ("Hà", 1),
    ("Châu", 1),
    ("Thái", 1),
)
_MALE_MIDDLE = (
    ("Văn", 30),
    ("Hữu", 6),
    ("Đức", 7),
    ("Minh", 7),
    ("Quốc", 6),
    ("Thanh", 5),
    ("Công", 5),
    ("Ngọc", 4),
    ("Xuân", 4),
    ("Quang", 4),
    ("Tấn", 6),
    ("Đình", 4),
    ("Tiến", 3),
    ("Trọng", 3),
    ("Bá", 2),
    ("Anh", 3),
)
_FEMALE_MIDDLE = (
    ("Thị", 45),
    ("Thu", 8),
    ("Ngọc", 8),
    ("Thanh", 7),
    ("Minh", 5),
    ("Kim", 5),
    ("Hồng", 5),
    ("Phương", 4),
    ("Hoài", 4),
    ("Mỹ", 4),
    ("Khánh", 3),
)
_MALE_GIVEN = (
    "An",
    "Bảo",
    "Bình",
    "Châu",
    "Cường",
    "Danh",
    "Dũng",
    "Duy",
    "Đạt",
    "Định",
    "Đông",
    "Hải",
    "Hậu",
    "Hiếu",
    "Hòa",
    "Hoàng",
    "Huy",
    "Hùng",
    "Hưng",
    "Khánh",
    "Khoa",
    "Kiên",
    "Lâm",
    "Lộc",
    "Lợi",
    "Long",
    "Luân",
    "Minh",
    "Nam",
    "Nghĩa",
    "Nhân",
    "Phát",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Tâm",
    "Thắng",
    "Thành",
    "Thịnh",
    "Tín",
    "Toàn",
    "Trí",
    "Trung",
    "Tú",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Vũ",
)
_FEMALE_GIVEN = (
    "Anh",
    "Ánh",
    "Diễm",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hương",
    "Huyền",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "Ngọc",
    "Nhi",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Thảo",
    "Thủy",
    "Trâm",
    "Trang",
    "Uyên",
    "Vân",
    "Vy",
    "Yến",
)


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([name for name, _w in table], weights=[weight for _n, weight in table])[0]


def vietnamese_name(rng: random.Random, *, female: bool = False) -> str:
    """A plausible full name: họ + tên đệm + tên, in Vietnamese order, no repeated word."""
    surname = _weighted(rng, _SURNAMES)
    while True:
        middle = _weighted(rng, _FEMALE_MIDDLE if female else _MALE_MIDDLE)
        given = rng.choice(_FEMALE_GIVEN if female else _MALE_GIVEN)
        if len({surname, middle, given}) == 3:
            return f"{surname} {middle} {given}"


# --- Ranks by position -------------------------------------------------------------------------
_DIRECTOR = (Rank.THIEU_TUONG,)
_DEPUTY_DIRECTOR = (Rank.DAI_TA,)
_HEAD_OF_DEPARTMENT = (Rank.THUONG_TA, Rank.DAI_TA)
_DEPUTY_HEAD_OF_DEPARTMENT = (Rank.TRUNG_TA, Rank.THUONG_TA)
_TEAM_LEADER = (Rank.THIEU_TA, Rank.TRUNG_TA)
_COMMUNE_CHIEF = (Rank.THIEU_TA, Rank.TRUNG_TA)
_COMMUNE_DEPUTY = (Rank.DAI_UY, Rank.THIEU_TA)
_OFFICER = (Rank.THIEU_UY, Rank.TRUNG_UY, Rank.THUONG_UY, Rank.DAI_UY)
_ENLISTED = (Rank.HA_SI, Rank.TRUNG_SI, Rank.THUONG_SI)


@dataclass(frozen=True)
class AdminUnitRow:
    """One 2025 commune of the vietnamadminunits dataset."""

    province: str
    province_short: str
    province_code: str
    province_lat: float | None
    province_lon: float | None
    ward: str
    ward_short: str
    ward_type: str
    ward_code: str
    ward_lat: float | None
    ward_lon: float | None


def province_communes(province_code: str) -> list[AdminUnitRow]:
    """The 2025 communes of a province (NSO code), ordered by commune code."""
    if not province_code.isdigit() or len(province_code) != 2:
        raise ValidationFailed(details={"province": [_("Mã tỉnh gồm 2 chữ số (mã Cục Thống kê 2025).")]})
    dataset = files("vietnamadminunits") / "data" / "dataset.db"
    with closing(sqlite3.connect(f"file:{dataset}?mode=ro", uri=True)) as connection:
        connection.row_factory = sqlite3.Row
        rows = connection.execute(
            "SELECT province, provinceShort, provinceCode, provinceLat, provinceLon, ward, wardShort, wardType, "
            "wardCode, wardLat, wardLon FROM admin_units WHERE provinceCode = ? ORDER BY wardCode",
            [province_code],
        ).fetchall()
    if not rows:
        message = _("Không có tỉnh mã %(code)s trong danh mục đơn vị hành chính 2025.") % {"code": province_code}
        raise ValidationFailed(details={"province": [message]})
    return [
        AdminUnitRow(
            province=r["province"],
            province_short=r["provinceShort"],
            province_code=r["provinceCode"],
            province_lat=r["provinceLat"],
            province_lon=r["provinceLon"],
            ward=r["ward"],
            ward_short=r["wardShort"],
            ward_type=r["wardType"],
            ward_code=r["wardCode"],
            ward_lat=r["wardLat"],
            ward_lon=r["wardLon"],
        )
        for r in rows
    ]


def province_unit_name(province: str) -> str:
    """The police unit's name: "Thành phố Đà Nẵng" → "Công an thành phố Đà Nẵng" (likewise "Tỉnh …")."""
    return f"Công an {province[:1].lower()}{province[1:]}"


def province_unit_code(province_code: str) -> str:
    return f"CA{province_code}"


def department_unit_code(province_code: str, department: str) -> str:
    return f"CA{province_code}-{department}"


def commune_unit_code(row: AdminUnitRow) -> str:
    return f"{_WARD_KINDS[row.ward_type][1]}{row.ward_code}"


def _coordinate(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 6)))


# --- Result ------------------------------------------------------------------------------------
@dataclass
class DemoAccount:
    username: str
    role: str
    unit: str
    position: str
    password: str
    totp_secret: str = ""
    otpauth_url: str = ""
    recovery_codes: list[str] = field(default_factory=list)


@dataclass
class DemoResult:
    province: Unit
    created: dict[str, int]
    accounts: list[DemoAccount]


@dataclass(frozen=True)
class _AccountSpec:
    username: str
    role: str
    full_name: str
    rank: str
    position: str
    at: str  # "province" or "commune"
    is_staff: bool = False


DEMO_ACCOUNTS: tuple[_AccountSpec, ...] = (
    _AccountSpec("quantri", roles.ADMIN, "Trần Quốc Bảo", Rank.THIEU_TA, "Cán bộ quản trị hệ thống", "province", True),
    _AccountSpec("lanhdao", roles.LEADER, "Nguyễn Văn Thắng", Rank.DAI_TA, "Phó Giám đốc", "province"),
    _AccountSpec("tiepnhan", roles.RECEPTION, "Lê Thị Thu Hà", Rank.THUONG_UY, "Cán bộ tiếp nhận hồ sơ", "commune"),
    _AccountSpec("xuly", roles.PROCESSING, "Phạm Minh Tuấn", Rank.DAI_UY, "Cán bộ xử lý hồ sơ", "commune"),
    _AccountSpec("dieuphoi", roles.DISPATCHER, "Võ Tấn Phát", Rank.THUONG_UY, "Trực ban, điều phối", "commune"),
    _AccountSpec("vanthu", roles.CLERK, "Huỳnh Thị Mỹ Linh", Rank.TRUNG_UY, "Văn thư", "commune"),
    _AccountSpec("nghiepvu", roles.SPECIALIST, "Đặng Hữu Nghĩa", Rank.DAI_UY, "Cảnh sát khu vực", "commune"),
)


def demo_totp_key(username: str) -> str:
    """The fixed authenticator secret (hex, 20 bytes) of a demo account."""
    return hashlib.sha1(f"congan-demo-totp-{username}".encode(), usedforsecurity=False).hexdigest()


def demo_recovery_codes(username: str) -> list[str]:
    """Ten fixed single-use recovery codes of a demo account (lower-case base32, never all digits)."""
    codes = []
    for index in range(services.RECOVERY_CODE_COUNT):
        digest = hashlib.sha256(f"congan-demo-recovery-{username}-{index}".encode()).digest()
        code = base64.b32encode(digest).decode()[:10].lower()
        codes.append(code if not code.isdigit() else f"r{code[1:]}")
    return codes


# --- Building ----------------------------------------------------------------------------------
@transaction.atomic
def demo_build(*, province_code: str = DEFAULT_PROVINCE, officers: int = DEFAULT_OFFICERS) -> DemoResult:
    """Create whatever of the demo province is missing; return what exists and what was created."""
    rows = [row for row in province_communes(province_code) if row.ward_code not in NO_POLICE_UNIT]
    created = {"units": 0, "officers": 0, "courses": 0, "attendances": 0, "accounts": 0}
    units = _build_units(province_code, rows, created)
    province = units[province_unit_code(province_code)]
    officer_count = _build_officers(province_code, rows, units, officers, created)
    accounts = _build_accounts(province_code, rows, units, created)
    attendance_count = _build_training(province_code, rows, units, created)
    if officer_count or attendance_count:
        audit_record(
            actor=_SYSTEM,
            action="org.demo.build",
            target=province,
            unit=province,
            details={"province": province_code, "officers": officer_count, "attendances": attendance_count},
        )
    return DemoResult(province=province, created=created, accounts=accounts)


def _ensure_unit(existing: dict[str, Unit], created: dict[str, int], *, code: str, **fields: Any) -> Unit:
    unit = existing.get(code)
    if unit is None:
        unit = services.unit_create(by=_SYSTEM, code=code, **fields)
        existing[code] = unit
        created["units"] += 1
    return unit


def _build_units(province_code: str, rows: list[AdminUnitRow], created: dict[str, int]) -> dict[str, Unit]:
    first = rows[0]
    codes = [MINISTRY_CODE, province_unit_code(province_code)]
    codes += [department_unit_code(province_code, dept) for dept, _name in DEPARTMENTS]
    codes += [commune_unit_code(row) for row in rows]
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}

    ministry = _ensure_unit(units, created, code=MINISTRY_CODE, name="Bộ Công an", kind=Unit.Kind.MINISTRY)
    province_name = province_unit_name(first.province)
    province = _ensure_unit(
        units,
        created,
        code=province_unit_code(province_code),
        name=province_name,
        short_name=f"{'CAT' if first.province.startswith('Tỉnh') else 'CATP'} {first.province_short}",
        kind=Unit.Kind.PROVINCE,
        parent=ministry,
        area_code=province_code,
        address=first.province,
        latitude=_coordinate(first.province_lat),
        longitude=_coordinate(first.province_lon),
    )
    for dept, name in DEPARTMENTS:
        _ensure_unit(
            units,
            created,
            code=department_unit_code(province_code, dept),
            name=name,
            short_name=dept,
            kind=Unit.Kind.DEPARTMENT,
            parent=province,
            address=first.province,
        )
    for row in rows:
        kind, _prefix, word = _WARD_KINDS[row.ward_type]
        _ensure_unit(
            units,
            created,
            code=commune_unit_code(row),
            name=f"Công an {word} {row.ward_short}",
            short_name=row.ward,
            kind=kind,
            parent=province,
            area_code=row.ward_code,
            address=f"{row.ward}, {first.province[:1].lower()}{first.province[1:]}",
            latitude=_coordinate(row.ward_lat),
            longitude=_coordinate(row.ward_lon),
        )
    return units


@dataclass(frozen=True)
class _Slot:
    unit_code: str
    position: str
    ranks: tuple[str, ...]


def _officer_slots(province_code: str, rows: list[AdminUnitRow], total: int) -> list[_Slot]:
    """Positions to fill, leaders first, so a smaller ``total`` still yields a sensible command."""
    province = province_unit_code(province_code)
    departments = [department_unit_code(province_code, dept) for dept, _name in DEPARTMENTS]
    communes = [(commune_unit_code(row), _WARD_KINDS[row.ward_type][2]) for row in rows]
    slots = [_Slot(province, "Giám đốc", _DIRECTOR)]
    slots += [_Slot(province, "Phó Giám đốc", _DEPUTY_DIRECTOR) for _index in range(3)]
    slots += [_Slot(code, "Trưởng phòng", _HEAD_OF_DEPARTMENT) for code in departments]
    slots += [_Slot(code, f"Trưởng Công an {word}", _COMMUNE_CHIEF) for code, word in communes]
    slots += [_Slot(code, "Phó Trưởng phòng", _DEPUTY_HEAD_OF_DEPARTMENT) for code in departments]
    slots += [_Slot(code, f"Phó Trưởng Công an {word}", _COMMUNE_DEPUTY) for code, word in communes]
    # The rest: staff, three in a department for each one in a commune.
    rng = random.Random(f"congan-demo-slots-{province_code}")
    staff_units = [(code, True) for code in departments] * 3 + [(code, False) for code, _word in communes]
    index = 0
    while len(slots) < total:
        code, in_department = staff_units[index % len(staff_units)]
        index += 1
        roll = rng.random()
        if roll < 0.15:
            slots.append(_Slot(code, "Chiến sĩ", _ENLISTED))
        elif in_department and roll < 0.3:
            slots.append(_Slot(code, "Đội trưởng", _TEAM_LEADER))
        elif in_department:
            slots.append(_Slot(code, "Cán bộ", _OFFICER))
        else:
            slots.append(_Slot(code, "Cảnh sát khu vực" if roll < 0.6 else "Cán bộ", _OFFICER))
    return slots[:total]


def _build_officers(
    province_code: str, rows: list[AdminUnitRow], units: dict[str, Unit], total: int, created: dict[str, int]
) -> int:
    slots = _officer_slots(province_code, rows, total)
    usernames = [f"cb{province_code}{number:04d}" for number in range(1, len(slots) + 1)]
    existing = set(Officer.objects.filter(username__in=usernames).values_list("username", flat=True))
    numbers = [f"{province_code}{number:04d}" for number in range(1, len(slots) + 1)]
    taken_numbers = set(Officer.objects.filter(officer_number__in=numbers).values_list("officer_number", flat=True))
    new = []
    for slot, username, number in zip(slots, usernames, numbers, strict=True):
        if username in existing:
            continue
        rng = random.Random(f"congan-demo-officer-{username}")
        female = rng.random() < 0.15
        full_name = vietnamese_name(rng, female=female)
        new.append(
            Officer(
                username=username,
                full_name=full_name,
                full_name_folded=fold(full_name),
                sort_name=vietnamese_name_sort_string(full_name),
                officer_number="" if number in taken_numbers else number,
                rank=rng.choice(slot.ranks),
                position=slot.position,
                unit=units[slot.unit_code],
                password=make_password(None),  # no login: only the demo accounts sign in
            )
        )
    Officer.objects.bulk_create(new, batch_size=500)
    created["officers"] += len(new)
    return len(new)


def _demo_commune(province_code: str, rows: list[AdminUnitRow]) -> AdminUnitRow:
    wanted = DEMO_COMMUNE.get(province_code)
    for row in rows:
        if row.ward_code == wanted:
            return row
    return next((row for row in rows if row.ward_type == "Phường"), rows[0])


def _build_accounts(
    province_code: str, rows: list[AdminUnitRow], units: dict[str, Unit], created: dict[str, int]
) -> list[DemoAccount]:
    """Create the missing demo accounts. An account of the same name that the demo did not create
    is left exactly as it is: no password, role or second factor of a real person is touched."""
    places = {
        "province": units[province_unit_code(province_code)],
        "commune": units[commune_unit_code(_demo_commune(province_code, rows))],
    }
    existing = {o.username: o for o in Officer.objects.filter(username__in=[s.username for s in DEMO_ACCOUNTS])}
    accounts = []
    for number, spec in enumerate(DEMO_ACCOUNTS, start=1):
        officer = existing.get(spec.username)
        fresh = officer is None
        if officer is None:
            officer_number = f"{province_code}9{number:03d}"
            if Officer.objects.filter(officer_number=officer_number).exists():
                officer_number = ""
            officer = services.officer_create(
                by=_SYSTEM,
                username=spec.username,
                full_name=spec.full_name,
                password=DEMO_PASSWORD,
                roles=[spec.role],
                officer_number=officer_number,
                rank=spec.rank,
                position=spec.position,
                unit=places[spec.at],
                is_staff=spec.is_staff,
            )
            created["accounts"] += 1
        account = DemoAccount(
            username=officer.username,
            role=", ".join(officer.groups.order_by("name").values_list("name", flat=True)),
            unit=officer.unit.name if officer.unit_id else "",
            position=officer.position,
            password=DEMO_PASSWORD if officer.check_password(DEMO_PASSWORD) else "(không phải mật khẩu demo)",
        )
        if spec.role in (roles.ADMIN, roles.LEADER):
            _ensure_demo_two_factor(officer, account, fresh=fresh)
        accounts.append(account)
    return accounts


def _ensure_demo_two_factor(officer: Officer, account: DemoAccount, *, fresh: bool) -> None:
    """Give a demo account its fixed authenticator and recovery codes.

    Only when the demo creates the account, or when the account still has the demo authenticator
    (then missing demo recovery codes are put back). An officer who enrolled their own
    authenticator since keeps it, and the demo prints no secret for them.
    """
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    key = demo_totp_key(officer.username)
    device = TOTPDevice.objects.filter(user=officer, key=key, confirmed=True).first()
    if device is None:
        if not fresh:
            return
        device = TOTPDevice.objects.create(user=officer, name="TOTP", key=key, confirmed=True)
        audit_record(actor=_SYSTEM, action="org.demo.two_factor", target=officer)
    static, _created = StaticDevice.objects.get_or_create(
        user=officer, name=services.RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    codes = demo_recovery_codes(officer.username)
    present = set(static.token_set.values_list("token", flat=True))
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes if code not in present)
    account.totp_secret = base64.b32encode(bytes.fromhex(key)).decode()
    account.otpauth_url = device.config_url
    account.recovery_codes = codes


@dataclass(frozen=True)
class _CourseSpec:
    topic: str
    organiser: str  # department code, "province" or "commune"
    start: dt.date
    days: int
    location: str
    attendees: str  # "chiefs", "departments", "commune", "accounts"
    size: int


COURSES: tuple[_CourseSpec, ...] = (
    _CourseSpec(
        "Tập huấn nghiệp vụ đăng ký, quản lý cư trú trên Cơ sở dữ liệu quốc gia về dân cư",
        "PC06",
        dt.date(2026, 3, 9),
        3,
        "Hội trường Công an thành phố",
        "chiefs",
        30,
    ),
    _CourseSpec(
        "Tập huấn xử lý vi phạm hành chính về trật tự, an toàn giao thông qua hình ảnh",
        "PC08",
        dt.date(2026, 4, 13),
        2,
        "Phòng Cảnh sát giao thông",
        "departments",
        20,
    ),
    _CourseSpec(
        "Huấn luyện nghiệp vụ chữa cháy và cứu nạn, cứu hộ năm 2026",
        "PC07",
        dt.date(2026, 5, 18),
        5,
        "Thao trường Phòng Cảnh sát PCCC và CNCH",
        "chiefs",
        25,
    ),
    _CourseSpec(
        "Bồi dưỡng kỹ năng phòng, chống lừa đảo trên không gian mạng",
        "PA05",
        dt.date(2026, 6, 22),
        2,
        "Trực tuyến qua hệ thống hội nghị truyền hình",
        "departments",
        24,
    ),
    _CourseSpec(
        "Kỹ năng tiếp công dân và giải quyết thủ tục hành chính",
        "commune",
        dt.date(2026, 8, 3),
        1,
        "Trụ sở Công an phường",
        "commune",
        10,
    ),
    _CourseSpec(
        "Tập huấn sử dụng nền tảng Công an số",
        "province",
        dt.date(2026, 9, 14),
        2,
        "Phòng họp trực tuyến Công an thành phố",
        "accounts",
        12,
    ),
)


def _build_training(
    province_code: str, rows: list[AdminUnitRow], units: dict[str, Unit], created: dict[str, int]
) -> int:
    province = units[province_unit_code(province_code)]
    commune = units[commune_unit_code(_demo_commune(province_code, rows))]
    department_ids = {units[department_unit_code(province_code, dept)].pk for dept, _name in DEPARTMENTS}
    officers = list(
        Officer.objects.filter(unit__path__startswith=province.path).select_related("unit").order_by("username")
    )
    pools: dict[str, list[Officer]] = {
        "chiefs": [o for o in officers if o.position.startswith(("Trưởng Công an", "Phó Trưởng Công an"))],
        "departments": [o for o in officers if o.unit_id in department_ids],
        "commune": [o for o in officers if o.unit_id == commune.pk],
        "accounts": [o for o in officers if o.username in {s.username for s in DEMO_ACCOUNTS}],
    }
    pools["accounts"] += [o for o in officers if o.position in ("Giám đốc", "Trưởng phòng")]
    existing_courses = {(c.unit_id, c.topic): c for c in TrainingCourse.objects.filter(unit__in=list(units.values()))}
    courses: list[tuple[TrainingCourse, list[Officer]]] = []
    for spec in COURSES:
        if spec.organiser == "province":
            organiser = province
        elif spec.organiser == "commune":
            organiser = commune
        else:
            organiser = units[department_unit_code(province_code, spec.organiser)]
        course = existing_courses.get((organiser.pk, spec.topic))
        if course is None:
            course = services.training_course_create(
                by=_SYSTEM,
                unit=organiser,
                topic=spec.topic,
                start_date=spec.start,
                end_date=spec.start + dt.timedelta(days=spec.days - 1),
                location=spec.location,
            )
            created["courses"] += 1
        rng = random.Random(f"congan-demo-course-{province_code}-{spec.topic}")
        pool = pools[spec.attendees]
        courses.append((course, rng.sample(pool, min(spec.size, len(pool)))))
    return _record_attendances(courses, created)


def _record_attendances(courses: Iterable[tuple[TrainingCourse, list[Officer]]], created: dict[str, int]) -> int:
    courses = list(courses)
    present = set(
        TrainingAttendance.objects.filter(course__in=[c for c, _o in courses]).values_list("course_id", "officer_id")
    )
    results = TrainingAttendance.Result
    new = []
    for course, attendees in courses:
        rng = random.Random(f"congan-demo-attendance-{course.topic}")
        for officer in attendees:
            roll = rng.random()
            result = results.PASSED if roll < 0.8 else results.ATTENDED if roll < 0.9 else results.ABSENT
            if (course.pk, officer.pk) not in present:
                new.append(TrainingAttendance(course=course, officer=officer, result=result))
    TrainingAttendance.objects.bulk_create(new, batch_size=500)
    created["attendances"] += len(new)
    return len(new)
