"""Character error rate of recognised text against the known text, every tone mark counted: both
texts in NFC (a precomposed ``ệ`` is one character; a wrong or missing tone mark is one error) and
with runs of white space made one space (line breaks are layout, not text). Used by the tests and
bench/archive_ocr.py; the edit distance is rapidfuzz's (a development dependency)."""

from __future__ import annotations

import unicodedata


def normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def character_errors(recognised: str, truth: str) -> tuple[int, int]:
    """(edits, characters of the truth)."""
    from rapidfuzz.distance import Levenshtein

    reference = normalised(truth)
    return Levenshtein.distance(normalised(recognised), reference), len(reference)


def character_error_rate(recognised: str, truth: str) -> float:
    edits, length = character_errors(recognised, truth)
    return edits / length if length else float(bool(normalised(recognised)))
