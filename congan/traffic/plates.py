"""Vietnamese number plates: parse what a person or a camera wrote, keep one canonical form
(`43A12345`: upper case, Đ→D, no separators), render it for display, and find the province from
the plate code in a versioned table (Circular 79/2024/TT-BCA as amended by 51/2025/TT-BCA).

Colour is not part of the characters (a white and a yellow plate can read the same), so it is
passed and stored beside the plate.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congan.core.errors import ValidationFailed

CODES_FILE = Path(__file__).with_name("data") / "plate_codes.json"
FORBIDDEN_LETTERS = set("IJOQW")  # never used on plates: they read as 1, 0 or are not Vietnamese
STATE_SERIES_LETTERS = set("ABCDEFGHKLM")  # blue plates of state bodies use only these
MAX_PLATE_TEXT = 20  # "29 - MD1  123.45" and the like fit; longer text is no plate
_SEPARATORS = re.compile(r"[\s.\-_/·]+")
# A plate as people, cameras and readers write it (upper case, Đ→D): the province code, maybe a
# hyphen or space, the series letters, maybe the series digit of a motorbike, maybe a separator
# (hyphen, slash, underscore or space: the two lines of a motorbike plate on one), and the serial:
# four digits, or five with the dot (or a space) only as NNN.NN. Letters and digits are ASCII (and
# Đ), so that no look-alike ("ſ", "ﬀ", Arabic-Indic digits) is upper-cased or matched into a plate.
_HEAD = r"(?P<code>[0-9]{2})(?:\s*-\s*|\s+)?(?P<letters>[A-Z]{1,2})(?P<digit>[0-9])?(?P<sep>\s*[-/_]\s*|\s+)?"
_WRITTEN = re.compile(_HEAD + r"(?P<serial>[0-9]{3}(?:\s*[.·]\s*|\s+)?[0-9]{2}|[0-9]{4})")
_DIGIT_RUN = re.compile(_HEAD + r"(?P<serial>[0-9]+)")  # right shape, wrong serial length
_DOTS = re.compile(r"\s*[.·]\s*")
_PLATE_CHARACTERS = re.compile(r"[0-9A-Za-zĐđ\s.\-_/·]")


class PlateColour(models.TextChoices):
    WHITE = "white", gettext_lazy("Nền trắng, chữ đen")
    YELLOW = "yellow", gettext_lazy("Nền vàng, chữ đen (kinh doanh vận tải)")
    BLUE = "blue", gettext_lazy("Nền xanh, chữ trắng (cơ quan nhà nước)")
    RED = "red", gettext_lazy("Nền đỏ, chữ trắng (quân đội)")
    YELLOW_RED = "yellow_red", gettext_lazy("Nền vàng, chữ đỏ (khu kinh tế)")


@dataclass(frozen=True)
class Plate:
    province_code: str  # the two digits, e.g. "43"
    series: str  # "A", "LD", "B1", "MD1"
    serial: str  # 4 digits (old plates) or 5 (identity plates)
    colour: str = PlateColour.WHITE

    @property
    def canonical(self) -> str:
        return f"{self.province_code}{self.series}{self.serial}"

    @property
    def is_two_line(self) -> bool:
        """Motorbike plates (a series with a digit) are printed on two lines."""
        return self.series[-1].isdigit()

    @property
    def display(self) -> str:
        """`43A-123.45`, `30A-1234`, `29-B1 123.45` (two-line plates on one line)."""
        serial = f"{self.serial[:3]}.{self.serial[3:]}" if len(self.serial) == 5 else self.serial
        if self.is_two_line:
            return f"{self.province_code}-{self.series} {serial}"
        return f"{self.province_code}{self.series}-{serial}"

    @property
    def lookup_form(self) -> str:
        """The form csgt.vn prints: `30E-681.93` for cars, `98D1-60554` for motorbikes."""
        if self.is_two_line:
            return f"{self.province_code}{self.series}-{self.serial}"
        return self.display


PLATE_COLOURS = frozenset(PlateColour.values)


def fold_plate(raw: str) -> str:
    """Upper case, Đ→D, no separators: the key plates are stored and searched by."""
    return _SEPARATORS.sub("", (raw or "").upper().replace("Đ", "D").replace("đ", "D"))


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(details={"plate": [message]})


def _check_characters(raw: str) -> None:
    strange = sorted({char for char in raw if not _PLATE_CHARACTERS.fullmatch(char)})
    if strange:
        message = _(
            "Biển số có ký tự không dùng trên biển: %(chars)s (chỉ chữ số, chữ cái, dấu -, dấu chấm, dấu cách)."
        )
        raise _refuse(message % {"chars": " ".join(strange)})


def _written_form(written: str) -> re.Match[str]:
    """The plate's parts as written (upper case, Đ→D), or the reason it is no plate. Separators are
    read, not dropped: `43A-123.4` is no `43A-1234`, and `43A-123456` no `43-A1 234.56`."""
    match = _WRITTEN.fullmatch(written)
    if match is not None:
        return match
    if _DOTS.search(written) and _DIGIT_RUN.fullmatch(_DOTS.sub("", written)):
        raise _refuse(
            _("Dấu chấm chỉ đứng trong số thứ tự có 5 chữ số, dạng 123.45 (biển 4 số viết liền, ví dụ 30A-1234).")
        )
    if _DIGIT_RUN.fullmatch(written):
        raise _refuse(_("Số thứ tự của biển số có 4 hoặc 5 chữ số (biển định danh có 5 chữ số)."))
    raise _refuse(_("Biển số không đúng dạng (ví dụ 43A-123.45, 29-B1 123.45)."))


def _split(written: re.Match[str], two_line: bool | None) -> tuple[str, str, str]:
    """(province code, series, serial). The writing settles the series: a separator after the
    letters (43A-12345) or a dotted serial ends it there, a separator after a digit (29B1-1234) or
    six digits take the digit into it. Only five bare digits after the letters (29B11234: car
    29B-112.34 or motorbike 29-B1 1234) are settled by ``two_line``, and without it as a car."""
    code, letters, digit, sep = written.group("code", "letters", "digit", "sep")
    serial = re.sub(r"[^0-9]", "", written["serial"])
    if digit is None:
        return code, letters, serial
    bare = sep is None and serial == written["serial"] and len(serial) == 4
    if bare and not two_line:
        return code, letters, digit + serial
    return code, letters + digit, serial


def parse_plate(
    raw: str, *, colour: str = PlateColour.WHITE, motorbike: bool | None = None, on: dt.date | None = None
) -> Plate:
    """Parse a plate as written. ``motorbike`` settles `29B11234` (car 29B-112.34 or motorbike
    29-B1 1234) when nothing written settles it; without either, a car is assumed."""
    raw = raw or ""
    if colour not in PLATE_COLOURS:
        raise ValidationFailed(details={"colour": [_("Màu biển không hợp lệ.")]})
    if len(raw) > MAX_PLATE_TEXT:
        raise _refuse(_("Biển số dài quá %(limit)d ký tự.") % {"limit": MAX_PLATE_TEXT})
    _check_characters(raw)
    written = raw.strip().upper().replace("Đ", "D")
    forbidden = sorted(set(written) & FORBIDDEN_LETTERS)
    if forbidden:
        raise ValidationFailed(
            details={
                "plate": [
                    _("Biển số không dùng chữ %(letters)s (chỉ dùng các chữ A–Z trừ I, J, O, Q, W).")
                    % {"letters": ", ".join(forbidden)}
                ]
            }
        )
    code, series, serial = _split(_written_form(written), motorbike)
    if series[-1] == "0":
        raise ValidationFailed(details={"plate": [_("Chữ số của sê-ri biển xe máy từ 1 đến 9.")]})
    if province_for_code(code, on=on) is None:
        raise ValidationFailed(
            details={"plate": [_("Mã %(code)s không phải mã biển số của tỉnh, thành phố nào.") % {"code": code}]}
        )
    if colour == PlateColour.BLUE and series[0] not in STATE_SERIES_LETTERS:
        raise ValidationFailed(details={"plate": [_("Biển nền xanh chỉ dùng sê-ri A, B, C, D, E, F, G, H, K, L, M.")]})
    return Plate(province_code=code, series=series, serial=serial, colour=colour)


def display_plate(canonical: str, *, motorbike: bool | None = None) -> str:
    """The display form of a stored plate (the canonical text itself if it no longer parses)."""
    try:
        return parse_plate(canonical, motorbike=motorbike).display
    except ValidationFailed:
        return canonical


@dataclass(frozen=True)
class PlateProvince:
    code: str  # the province's administrative code ("48"), or "" for central agencies
    name: str


@cache
def _versions() -> list[tuple[dt.date, dict[str, PlateProvince]]]:
    data = json.loads(CODES_FILE.read_text(encoding="utf-8"))
    versions = []
    for version in data["versions"]:
        table = {plate: PlateProvince("", version["central"]["name"]) for plate in version["central"]["plates"]}
        for row in version["provinces"]:
            table.update({plate: PlateProvince(row["code"], row["name"]) for plate in row["plates"]})
        versions.append((dt.date.fromisoformat(version["valid_from"]), table))
    return sorted(versions, key=lambda item: item[0])


def _table_on(on: dt.date | None) -> dict[str, PlateProvince]:
    """The newest table in force on the date (before the first table, the first one)."""
    on = on or timezone.localdate()
    versions = _versions()
    table = versions[0][1]
    for valid_from, candidate in versions:
        if valid_from <= on:
            table = candidate
    return table


def province_for_code(plate_code: str, *, on: dt.date | None = None) -> PlateProvince | None:
    """The province a plate code belonged to on a date."""
    return _table_on(on).get(plate_code)


def plate_codes_of(province_code: str, *, on: dt.date | None = None) -> list[str]:
    """The plate codes of a province (by its administrative code, e.g. "48" → ["43", "92"])."""
    return sorted(plate for plate, place in _table_on(on).items() if place.code == province_code)
