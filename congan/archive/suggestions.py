"""Metadata suggested from an item's text by rules (decision 0033): what an officer is offered to
confirm. Each rule finds candidates with a loose pattern and keeps only those the platform's own
grammar or validator accepts:

- a document's number and symbol by the Decree 30 grammar of congan.documents.symbols (the type
  abbreviations the documents module knows), preferring one written after "Số";
- dates written "ngày 05 tháng 3 năm 2024" or "05/3/2024", when they are real days;
- the issuer: the first line of the first page in capitals that names an agency (CÔNG AN…, ỦY BAN…);
- personal ID numbers by congan.population.validation (12 digits with a known birth-registration
  code), and plates by congan.traffic.plates (a real province code, the series rules).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from congan.core.errors import ValidationFailed
from congan.documents import selectors as documents_selectors
from congan.documents import symbols
from congan.population.validation import parse_personal_id
from congan.traffic.plates import parse_plate


@dataclass(frozen=True)
class Found:
    kind: str  # SuggestionKind value
    value: str  # stored form (ISO date, canonical plate…)
    display: str  # as people read it
    page_number: int


_SYMBOL = re.compile(
    r"(?<![\w/])(?P<prefix>S[ốo]\s*:?\s*)?(?P<text>\d{1,11}\s*/\s*[A-Za-zĐđ0-9]+(?:\s*-\s*[A-Za-zĐđ0-9]+)*)"
)
_WORDY_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_PERSONAL_ID = re.compile(r"(?<!\d)(\d{12})(?!\d)")
_PLATE = re.compile(
    r"(?<![\w-])(\d{2}\s?-?\s?[A-ZĐ]{1,2}\d?\s?-?\s?\d{3}\s?\.?\s?\d{2}|\d{2}[A-ZĐ]{1,2}\d?-\d{4})(?![\w.])"
)
_AGENCY_WORDS = ("CÔNG AN", "ỦY BAN", "UỶ BAN", "UBND", "BỘ ", "SỞ ", "PHÒNG ", "CỤC ", "TÒA ÁN", "VIỆN KIỂM SÁT")


def suggest(pages: list[tuple[int, str]]) -> list[Found]:
    """Every suggestion from the (page number, text) pairs, each value once (first page it is on)."""
    found: list[Found] = []
    seen: set[tuple[str, str]] = set()
    abbreviations = documents_selectors.type_abbreviations()
    for number, raw in pages:
        text = unicodedata.normalize("NFC", raw or "")
        candidates = [
            *_symbols(text, number, abbreviations),
            *_dates(text, number),
            *(_issuer(text, number) if number == pages[0][0] else []),
            *_personal_ids(text, number),
            *_plates(text, number),
        ]
        for candidate in candidates:
            key = (candidate.kind, candidate.value)
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def _symbols(text: str, page: int, abbreviations: list[str]) -> list[Found]:
    preferred: list[Found] = []
    others: list[Found] = []
    for match in _SYMBOL.finditer(text):
        try:
            parsed = symbols.parse(match.group("text"), abbreviations=abbreviations)
        except ValidationFailed:
            continue
        if not parsed.type_abbreviation and len(parsed.issuer_groups) < 2:
            continue  # "3/2024" or "12/HS": too little to be a document's symbol
        value = str(parsed)
        (preferred if match.group("prefix") else others).append(Found("number_symbol", value, value, page))
    return preferred + others


def _dates(text: str, page: int) -> list[Found]:
    out = []
    for pattern in (_WORDY_DATE, _NUMERIC_DATE):
        for match in pattern.finditer(text):
            day, month, year = (int(part) for part in match.groups())
            try:
                date = dt.date(year, month, day)
            except ValueError:
                continue
            if 1900 <= year <= 2100:
                out.append(Found("date", date.isoformat(), date.strftime("%d/%m/%Y"), page))
    return out


def _issuer(text: str, page: int) -> list[Found]:
    for line in text.splitlines()[:12]:
        line = line.strip(" .,;:")
        letters = [char for char in line if char.isalpha()]
        if len(letters) < 6 or any(char.islower() for char in letters):
            continue
        if any(word in f"{line} " for word in _AGENCY_WORDS):
            return [Found("issuer", line[:200], line[:200], page)]
    return []


def _personal_ids(text: str, page: int) -> list[Found]:
    out = []
    for match in _PERSONAL_ID.finditer(text):
        info = parse_personal_id(match.group(1))
        if info is not None and info.registration_place is not None:
            out.append(Found("personal_id", info.number, info.number, page))
    return out


def _plates(text: str, page: int) -> list[Found]:
    out = []
    for match in _PLATE.finditer(text):
        try:
            plate = parse_plate(match.group(1))
        except ValidationFailed:
            continue
        out.append(Found("plate", plate.canonical, plate.display, page))
    return out
