"""The lists an officer picks from when recording a person: the 54 ethnic groups, the recognised
religions (data/vocabularies.json), the nationalities (data/nationalities.json); each file's
``_about`` gives its sources."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

from congan.core.text import fold, vietnamese_sort_key

_FILE = Path(__file__).parent / "data" / "vocabularies.json"
_NATIONALITIES = Path(__file__).parent / "data" / "nationalities.json"
VIETNAM = "VN"


@cache
def _data() -> dict:
    return json.loads(_FILE.read_text(encoding="utf-8"))


def ethnicities() -> list[str]:
    return list(_data()["ethnicities"])


def religions() -> list[str]:
    return list(_data()["religions"])


@cache
def _countries() -> dict[str, tuple[str, str]]:
    rows = json.loads(_NATIONALITIES.read_text(encoding="utf-8"))["countries"]
    return {code: (vietnamese, english) for code, vietnamese, english in rows}


def _in_english() -> bool:
    return (get_language() or "vi").startswith("en")


def nationality_name(code: str) -> str:
    """The country's name in the active language; the code itself when it is not on the list."""
    names = _countries().get(code)
    if names is None:
        return code
    return names[1] if _in_english() else names[0]


@cache
def _nationalities(english: bool) -> list[tuple[str, str]]:
    index = 1 if english else 0
    others = [(code, names[index]) for code, names in _countries().items() if code != VIETNAM]
    others.sort(key=lambda row: row[1].casefold() if english else vietnamese_sort_key(row[1]))
    return [(VIETNAM, _countries()[VIETNAM][index]), *others]


def nationalities() -> list[tuple[str, str]]:
    """(code, name) pairs, Việt Nam first, then in the alphabetical order of the active language."""
    return list(_nationalities(_in_english()))


@cache
def _codes_by_name() -> dict[str, str]:
    names = {fold(name): code for code, both in _countries().items() for name in both}
    return {**names, "vietnam": VIETNAM}


def nationality_by_name(name: str) -> str | None:
    """The code of the country named ``name`` in Vietnamese or English (folded), if any."""
    return _codes_by_name().get(fold(name))


def is_nationality(code: str) -> bool:
    return code in _countries()
