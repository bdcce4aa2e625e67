"""Số, ký hiệu văn bản — the number-and-symbol grammar of Decree 30/2020/NĐ-CP (Appendix I §3), in one
place: building a symbol for an issued document, and reading the one a clerk types from a paper.

``15/QĐ-CAT-PV01`` reads: number 15, type QĐ (Quyết định, Appendix III), issued by CAT (the
provincial police), drafted by PV01. A công văn has no type block: ``05/CAT-PV01``.

- numbers below 10 are written with a leading zero (``05``); numbers start at 01 each year;
- ``/`` separates the number from the symbol, ``-`` the groups of the symbol, with no spaces;
- the type abbreviation is matched case-sensitively against Appendix III (``QyĐ`` is Quy định,
  ``QĐ`` Quyết định); the issuer's groups are capitals and digits (``Đ`` included: ``VPCP-TTĐT``).

Reading is forgiving where the meaning is not in doubt (``Số: 5 / qđ - cat-pv01`` reads as
``05/QĐ-CAT-PV01``: spaces dropped, the type found whatever its case, the issuer in capitals) and
strict where it is (no number, an empty group, a character that has no place in a symbol).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from congan.core.errors import ValidationFailed

MAX_NUMBER = 99_999_999_999  # CodeNumber is 11 characters (Decree 30, Appendix VI)
MAX_NOTATION = 30  # CodeNotation: the symbol after the slash (Appendix VI)
_GROUP = re.compile(r"^[A-Za-zĐđ0-9]+$")
_ISSUER_GROUP = re.compile(r"^[A-ZĐ0-9]+$")
_PREFIX = re.compile(r"^s[oố](\s*:\s*|\s+)", re.IGNORECASE)


@dataclass(frozen=True)
class Symbol:
    """A parsed number and symbol: ``number`` is None for a document that has none."""

    number: int | None
    type_abbreviation: str  # "" for a công văn
    issuer_groups: tuple[str, ...]

    @property
    def notation(self) -> str:
        """The part after the slash: ``QĐ-CAT-PV01`` (``CAT-PV01`` for a công văn)."""
        return notation_of(self.type_abbreviation, self.issuer_groups)

    def __str__(self) -> str:
        return number_and_symbol(self.number, self.notation)


def format_number(number: int) -> str:
    """``5`` → ``05``: numbers below 10 take a leading zero."""
    return f"{number:02d}"


def notation_of(type_abbreviation: str, issuer_groups: Iterable[str]) -> str:
    return "-".join(group for group in (type_abbreviation, *issuer_groups) if group)


def number_and_symbol(number: int | None, notation: str) -> str:
    """``15/QĐ-CAT-PV01``; the symbol alone when the document has no number."""
    if number is None:
        return notation
    return f"{format_number(number)}/{notation}" if notation else format_number(number)


def build(*, number: int, type_abbreviation: str, issuer_groups: Iterable[str]) -> str:
    """The number and symbol of a document the platform issues (type ``""`` for a công văn)."""
    groups = tuple(issuer_groups)
    if number < 1 or number > MAX_NUMBER:
        raise ValueError(f"document number out of range: {number}")
    if not groups or not all(_ISSUER_GROUP.match(group) for group in groups):
        raise ValueError(f"issuer groups must be capitals and digits: {groups!r}")
    return number_and_symbol(number, notation_of(type_abbreviation, groups))


def _fail(message: str, field: str) -> ValidationFailed:
    return ValidationFailed(details={field: [message]})


def parse(text: str, *, abbreviations: Iterable[str], field: str = "number_symbol") -> Symbol:
    """Read a typed number and symbol; ``abbreviations`` are the known type abbreviations
    (Appendix III). Raises ValidationFailed with a Vietnamese message on ``field``."""
    value = unicodedata.normalize("NFC", text or "").strip()
    value = _PREFIX.sub("", value)
    value = re.sub(r"\s+", "", value)
    if not value:
        raise _fail(_("Nhập số, ký hiệu văn bản, ví dụ 15/QĐ-CAT-PV01 (công văn: 05/CAT-PV01)."), field)
    number: int | None = None
    if "/" in value:
        head, _slash, value = value.partition("/")
        if "/" in value:
            raise _fail(_("Số, ký hiệu chỉ có một dấu gạch chéo (/) giữa số và ký hiệu."), field)
        if not head.isdigit() or not head.isascii():
            raise _fail(_("Trước dấu gạch chéo phải là số của văn bản, ví dụ 15/QĐ-CAT-PV01."), field)
        number = int(head)
        if number < 1 or number > MAX_NUMBER:
            raise _fail(_("Số văn bản phải từ 01 trở lên và không quá 11 chữ số."), field)
    groups = value.split("-")
    if not value or any(not group for group in groups):
        raise _fail(_("Ký hiệu không được có nhóm trống: các nhóm cách nhau đúng một dấu gạch nối (-)."), field)
    bad = [group for group in groups if not _GROUP.match(group)]
    if bad:
        raise _fail(
            _("Ký hiệu chỉ gồm chữ cái không dấu (trừ Đ), chữ số và dấu gạch nối; không hợp lệ: %(part)s.")
            % {"part": bad[0]},
            field,
        )
    known = {abbreviation.lower(): abbreviation for abbreviation in abbreviations if abbreviation}
    type_abbreviation = known.get(groups[0].lower(), "")
    issuer = tuple(group.upper().replace("đ", "Đ") for group in (groups[1:] if type_abbreviation else groups))
    if not issuer:
        raise _fail(
            _("Sau tên loại %(type)s phải có chữ viết tắt tên cơ quan ban hành, ví dụ %(type)s-CAT-PV01.")
            % {"type": type_abbreviation},
            field,
        )
    if not any(char.isalpha() for char in "".join(issuer)):
        raise _fail(
            _("Thiếu ký hiệu: sau số là tên loại và chữ viết tắt cơ quan ban hành, ví dụ 15/QĐ-CAT-PV01."), field
        )
    symbol = Symbol(number=number, type_abbreviation=type_abbreviation, issuer_groups=issuer)
    if len(symbol.notation) > MAX_NOTATION:
        raise _fail(_("Ký hiệu dài quá %(n)d ký tự.") % {"n": MAX_NOTATION}, field)
    return symbol
