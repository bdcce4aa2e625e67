"""Vietnamese text helpers: normalisation, diacritic folding (đ→d) and sort keys."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_TONE_ORDER = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def normalize_text(value: str) -> str:
    """NFC, trimmed, single spaces — how Vietnamese text is stored."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def fold(value: str) -> str:
    """Lower-case, no diacritics, đ→d: the form used for search and matching."""
    text = normalize_text(value).lower().replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def meaningful(value: str, minimum: int) -> bool:
    """Whether free text holds at least ``minimum`` letters or digits: a required reason, complaint or
    description is not satisfied by "x" or "......" (one rule for every such field)."""
    return sum(ch.isalnum() for ch in normalize_text(value)) >= minimum


def has_diacritics(value: str) -> bool:
    """Whether the text is written with Vietnamese marks or đ: then "cháy" and "chạy" can be told
    apart, and folding it would confuse them."""
    text = normalize_text(value).lower()
    return fold(text) != text


def as_written(value: str) -> str:
    """Lower-case words with their marks, each word's tone moved to its end, so that both tone
    placements ("hòa" and "hoà") read the same while "cháy" and "chạy" stay apart."""
    words = []
    for word in re.findall(r"\w+", normalize_text(value).lower()):  # NFC: a marked letter is one \w
        letters = unicodedata.normalize("NFD", word)
        tones = "".join(ch for ch in letters if ch in _TONE_MARKS)
        words.append("".join(ch for ch in letters if ch not in _TONE_MARKS) + tones)
    return unicodedata.normalize("NFC", " ".join(words))


def vietnamese_sort_key(value: str) -> tuple:
    """Sort key following the Vietnamese alphabet, then tones (ngang, huyền, hỏi, ngã, sắc, nặng)."""
    letters: list[int] = []
    tones: list[int] = []
    for word_char in unicodedata.normalize("NFD", normalize_text(value).lower()):
        if word_char in _TONE_MARKS:
            if tones:
                tones[-1] = _TONE_ORDER[word_char]
            continue
        if unicodedata.combining(word_char):
            # breve, circumflex, horn: recompose with the previous base letter
            if letters:
                base = _ALPHABET[letters[-1]] if letters[-1] < len(_ALPHABET) else ""
                combined = unicodedata.normalize("NFC", base + word_char)
                letters[-1] = _RANK.get(combined, letters[-1])
            continue
        letters.append(_RANK.get(word_char, len(_ALPHABET) + ord(word_char)))
        tones.append(0)
    return (tuple(letters), tuple(tones))


def vietnamese_name_sort_key(full_name: str) -> tuple:
    """Vietnamese names sort by given name (last word) first, then the rest."""
    words = normalize_text(full_name).split(" ")
    return (vietnamese_sort_key(words[-1]), vietnamese_sort_key(" ".join(words[:-1])))


_DIGITS = "abcdefghijklmnopqrstuvwxyz"


def _encode(ranks: tuple[int, ...]) -> str:
    # Two base-26 letters per rank, offset by 2 so "aa" (the separator) sorts before any letter.
    out = []
    for rank in ranks:
        value = min(rank + 2, 26 * 26 - 1)
        out.append(_DIGITS[value // 26] + _DIGITS[value % 26])
    return "".join(out)


def vietnamese_name_sort_string(full_name: str) -> str:
    """A plain a–z string whose order is ``vietnamese_name_sort_key``'s: store it in an indexed
    column so the database sorts names the Vietnamese way (given name first, alphabet ă/â/đ…,
    then tones) under any collation."""
    (given, given_tones), (rest, rest_tones) = vietnamese_name_sort_key(full_name)
    return f"{_encode(given)}aa{_tones(given_tones)}a{_encode(rest)}aa{_tones(rest_tones)}"


def _tones(tones: tuple[int, ...]) -> str:
    return "".join(_DIGITS[tone + 1] for tone in tones)
