"""What an enrichment file may contain, and how one cell becomes a stored value.

Every cleaner takes the raw cell text (never empty: an empty cell means "not supplied, leave the
stored value alone") and returns the value to store, or raises ``CellError`` with a Vietnamese
reason for the reject report. Cleaners are plain functions over strings so the per-row cost stays
small: the import validates every cell of files with millions of rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from congan.core import contacts
from congan.core.text import fold
from congan.population import vocabularies
from congan.population.models import Resident, Sex
from congan.population.validation import normalize_name

ENRICHED_PREFIX = "enriched."
ENRICHED_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
ENRICHED_MAX_LENGTH = 1000
IGNORED = ""  # mapping target for a column to skip


class CellError(ValueError):
    """A cell that cannot be stored; ``reason`` is shown in the reject report."""

    def __init__(self, reason: Any) -> None:
        super().__init__(str(reason))
        self.reason = str(reason)


_WHITESPACE = re.compile(r"\s+")


def _text(raw: str, max_length: int) -> str:
    # Fast path first: most cells are already trimmed, single-spaced and NFC. isprintable() is
    # False for tabs, line breaks and the other Unicode spaces (NBSP…), True for " ".
    if raw[0] == " " or raw[-1] == " " or "  " in raw or not raw.isprintable():
        raw = _WHITESPACE.sub(" ", raw).strip()
    value = raw if raw.isascii() or unicodedata.is_normalized("NFC", raw) else unicodedata.normalize("NFC", raw)
    if len(value) > max_length:
        raise CellError(_("Dài quá %(max)s ký tự.") % {"max": max_length})
    return value


def text_cleaner(max_length: int) -> Callable[[str], str]:
    def clean(raw: str) -> str:
        return _text(raw, max_length)

    return clean


def clean_name(raw: str) -> str:
    value = normalize_name(_text(raw, 150))
    if any(ch.isdigit() for ch in value):
        raise CellError(_("Họ tên không được chứa chữ số."))
    return value


_DIGITS_12 = re.compile(r"^[0-9]{12}$")


def clean_personal_id(raw: str) -> str:
    value = raw.strip()
    if not _DIGITS_12.match(value):
        raise CellError(_("Số định danh cá nhân phải gồm đúng 12 chữ số."))
    return value


def clean_id_card_number(raw: str) -> str:
    value = raw.strip()
    if not _DIGITS_12.match(value):
        raise CellError(_("Số thẻ căn cước phải gồm đúng 12 chữ số."))
    return value


_COMMUNE = re.compile(r"^[0-9]{5}$")


def clean_commune(raw: str) -> str:
    value = raw.strip()
    if not _COMMUNE.match(value):
        raise CellError(_("Mã xã, phường phải gồm đúng 5 chữ số."))
    return value


_DMY = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$")
_ISO = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ][0-9:.]+)?$")
_MY = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{4})$")
_Y = re.compile(r"^([0-9]{4})$")
MIN_YEAR = 1880


def _date(year: int, month: int, day: int) -> dt.date:
    if year < MIN_YEAR:
        raise CellError(_("Năm trước %(year)s không hợp lệ.") % {"year": MIN_YEAR})
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(_("Ngày không tồn tại.")) from None


def clean_date(raw: str) -> dt.date:
    """dd/mm/yyyy (as Vietnamese documents write it) or yyyy-mm-dd."""
    value = raw.strip()
    if match := _DMY.match(value):
        day, month, year = (int(part) for part in match.groups())
        return _date(year, month, day)
    if match := _ISO.match(value):
        year, month, day = (int(part) for part in match.groups())
        return _date(year, month, day)
    raise CellError(_("Ngày phải viết dd/mm/yyyy hoặc yyyy-mm-dd."))


def clean_birth_date(raw: str) -> tuple[int, int | None, int | None]:
    """A possibly partial birth date: dd/mm/yyyy, yyyy-mm-dd, mm/yyyy or yyyy."""
    value = raw.strip()
    if match := _Y.match(value):
        year = int(match.group(1))
        _date(year, 1, 1)
        return year, None, None
    if match := _MY.match(value):
        month, year = int(match.group(1)), int(match.group(2))
        _date(year, month, 1)
        return year, month, None
    date = clean_date(value)
    return date.year, date.month, date.day


def _choice(synonyms: dict[str, str], message: Any) -> Callable[[str], str]:
    folded = {fold(key): value for key, value in synonyms.items()}

    def clean(raw: str) -> str:
        try:
            return folded[fold(raw)]
        except KeyError:
            raise CellError(message) from None

    return clean


clean_sex = _choice(
    {"nam": Sex.MALE, "male": Sex.MALE, "m": Sex.MALE, "nữ": Sex.FEMALE, "female": Sex.FEMALE, "f": Sex.FEMALE},
    _("Giới tính phải là Nam hoặc Nữ."),
)
clean_status = _choice(
    {
        "còn sống": Resident.Status.ALIVE,
        "alive": Resident.Status.ALIVE,
        "đã chết": Resident.Status.DECEASED,
        "chết": Resident.Status.DECEASED,
        "deceased": Resident.Status.DECEASED,
        "đã xuất cảnh định cư": Resident.Status.EMIGRATED,
        "xuất cảnh": Resident.Status.EMIGRATED,
        "emigrated": Resident.Status.EMIGRATED,
    },
    _("Tình trạng phải là Còn sống, Đã chết hoặc Đã xuất cảnh định cư."),
)


def clean_nationality(raw: str) -> str:
    """A country's ISO code (``VN``) or its name in Vietnamese or English, diacritics optional."""
    value = raw.strip()
    code = value.upper() if vocabularies.is_nationality(value.upper()) else vocabularies.nationality_by_name(value)
    if code is None:
        raise CellError(_("Quốc tịch không có trong danh mục quốc gia (ghi mã 2 chữ cái như VN, hoặc tên nước)."))
    return code


def clean_phone(raw: str) -> str:
    """A Vietnamese mobile number, stored as 0xxxxxxxxx (congan.core.contacts)."""
    try:
        return contacts.phone_national(raw)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


def clean_email(raw: str) -> str:
    """An e-mail address with its domain in lower case (congan.core.contacts)."""
    try:
        return contacts.clean_email(raw)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


clean_enriched = text_cleaner(ENRICHED_MAX_LENGTH)


def _cached(clean: Callable[[str], Any]) -> Callable[[str], Any]:
    """Memoise a cleaner of a column with few distinct values (names, dates, places, codes).
    Rejected values raise every time: exceptions are not cached."""
    return functools.lru_cache(maxsize=1 << 16)(clean)


@dataclass(frozen=True)
class Target:
    """One importable field: the resident column(s) it writes and how a cell is cleaned."""

    name: str
    clean: Callable[[str], Any]
    label: Any


# Identity fields (sex, birth date) are checked against the ID number; household membership and
# relationships change only through the household services, never through an import.
TARGETS: dict[str, Target] = {
    target.name: target
    for target in (
        Target("personal_id", clean_personal_id, _("số định danh cá nhân")),
        Target("full_name", _cached(clean_name), _("họ, chữ đệm và tên")),
        Target("other_names", text_cleaner(150), _("tên gọi khác")),
        Target("birth_date", _cached(clean_birth_date), _("ngày sinh")),
        Target("sex", _cached(clean_sex), _("giới tính")),
        Target("birth_registration_place", _cached(text_cleaner(200)), _("nơi đăng ký khai sinh")),
        Target("hometown", _cached(text_cleaner(200)), _("quê quán")),
        Target("ethnicity", _cached(text_cleaner(40)), _("dân tộc")),
        Target("religion", _cached(text_cleaner(60)), _("tôn giáo")),
        Target("nationality", _cached(clean_nationality), _("quốc tịch")),
        Target("permanent_commune", _cached(clean_commune), _("thường trú: xã, phường")),
        Target("permanent_street", text_cleaner(300), _("thường trú: địa chỉ")),
        Target("temporary_commune", _cached(clean_commune), _("tạm trú: xã, phường")),
        Target("temporary_street", text_cleaner(300), _("tạm trú: địa chỉ")),
        Target("current_commune", _cached(clean_commune), _("nơi ở hiện tại: xã, phường")),
        Target("current_street", text_cleaner(300), _("nơi ở hiện tại: địa chỉ")),
        Target("id_card_number", clean_id_card_number, _("số thẻ căn cước")),
        Target("id_card_issued_on", _cached(clean_date), _("ngày cấp thẻ")),
        Target("id_card_expires_on", _cached(clean_date), _("thẻ có giá trị đến")),
        Target("id_card_authority", _cached(text_cleaner(200)), _("nơi cấp thẻ")),
        Target("phone", clean_phone, _("điện thoại")),
        Target("email", clean_email, _("thư điện tử")),
        Target("status", _cached(clean_status), _("tình trạng")),
    )
}

# Resident columns an import writes, in a fixed order shared by both database paths. The birth
# date target fills three of them; sex and birth year are written only when a resident is created.
RESIDENT_COLUMNS: tuple[str, ...] = (
    "full_name",
    "other_names",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "birth_registration_place",
    "hometown",
    "ethnicity",
    "religion",
    "nationality",
    "permanent_commune",
    "permanent_street",
    "temporary_commune",
    "temporary_street",
    "current_commune",
    "current_street",
    "id_card_number",
    "id_card_issued_on",
    "id_card_expires_on",
    "id_card_authority",
    "phone",
    "email",
    "status",
)
# Columns whose change is recorded in the history (sex and birth year follow from the ID number).
HISTORY_COLUMNS: tuple[str, ...] = tuple(c for c in RESIDENT_COLUMNS if c not in ("sex", "birth_year"))
REQUIRED_TO_CREATE = ("full_name", "birth_date", "sex")


def target_for(column_target: str) -> Target | None:
    """The target a mapped name denotes: a resident field, or ``enriched.<name>``."""
    if column_target in TARGETS:
        return TARGETS[column_target]
    if column_target.startswith(ENRICHED_PREFIX) and ENRICHED_NAME_RE.match(column_target[len(ENRICHED_PREFIX) :]):
        return Target(column_target, clean_enriched, column_target)
    return None
