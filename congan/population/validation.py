"""Personal ID numbers (số định danh cá nhân) and names — domain-vietnam.md §1.

Structure: 12 digits = PPP (province/country of birth registration) + G (century and sex)
+ YY (birth year) + RRRRRR. There is no check digit. An unknown PPP is a warning, not an
error: codes for births registered abroad are not published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from congan.core.text import fold, normalize_text

PERSONAL_ID_RE = re.compile(r"^[0-9]{12}$")

# Circular 07/2016/TT-BCA appendix: old GSO province codes padded to three digits.
BIRTH_REGISTRATION_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "TP. Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}


@dataclass(frozen=True)
class PersonalIdInfo:
    number: str
    registration_code: str
    registration_place: str | None  # None: code not in the published table
    sex: str  # "male" / "female"
    birth_year: int


@dataclass
class IdCheck:
    info: PersonalIdInfo | None
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_personal_id(value: str) -> PersonalIdInfo | None:
    """Decode a 12-digit number; None when the format is wrong."""
    number = (value or "").strip()
    if not PERSONAL_ID_RE.match(number):
        return None
    code, century_sex, year = number[:3], int(number[3]), int(number[4:6])
    return PersonalIdInfo(
        number=number,
        registration_code=code,
        registration_place=BIRTH_REGISTRATION_CODES.get(code),
        sex="male" if century_sex % 2 == 0 else "female",
        birth_year=1900 + 100 * (century_sex // 2) + year,
    )


def check_personal_id(value: str, *, sex: str | None = None, birth_year: int | None = None) -> IdCheck:
    """Format errors, cross-field errors (sex, birth year) and warnings (unknown prefix)."""
    info = parse_personal_id(value)
    check = IdCheck(info=info)
    if info is None:
        check.errors["personal_id"] = [_("Số định danh cá nhân phải gồm đúng 12 chữ số.")]
        return check
    if info.registration_place is None:
        check.warnings["personal_id"] = [
            _("Mã nơi đăng ký khai sinh %(code)s không có trong danh mục tỉnh.") % {"code": info.registration_code}
        ]
    if sex and sex != info.sex:
        check.errors["sex"] = [_("Giới tính không khớp với chữ số thứ 4 của số định danh.")]
    if birth_year is not None and birth_year != info.birth_year:
        check.errors["birth_year"] = [_("Năm sinh không khớp với số định danh (%(year)s).") % {"year": info.birth_year}]
    return check


def century_sex_digit(*, sex: str, birth_year: int) -> int:
    """The 4th digit for a sex and birth year (used to generate consistent numbers)."""
    century_index = (birth_year - 1900) // 100
    return century_index * 2 + (0 if sex == "male" else 1)


def normalize_name(value: str) -> str:
    """Names as stored: NFC, single spaces, each word capitalised ("nguyễn  văn AN" → "Nguyễn Văn An")."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in normalize_text(value).split(" ") if word)


def folded_name(value: str) -> str:
    return fold(normalize_name(value))
