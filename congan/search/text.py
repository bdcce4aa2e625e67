"""The index's text: folded the platform's way (``congan.core.text.fold``: lower case, no
diacritics, đ→d), one character for one character, so that a place in the folded text is the same
place in the text as written. What is neither a letter nor a digit becomes a space: both engines
then see the same words (PostgreSQL's parser would read ``15/qd-cat`` as a path and a hyphenated
word, FTS5's tokenizer as three words)."""

from __future__ import annotations

import unicodedata

from congan.core.text import normalize_text

# What one entry keeps of a long text (a PDF's text layer): PostgreSQL's tsvector holds positions up
# to 16,383 words and 1 MB; this is well inside both.
MAX_TEXT = 100_000


def as_stored(value: str, limit: int = MAX_TEXT) -> str:
    """Text as an entry stores it: NFC, single spaces, at most ``limit`` characters."""
    return normalize_text(value)[:limit]


def _fold_char(ch: str) -> str:
    lowered = ch.lower().replace("đ", "d")
    kept = [part for part in unicodedata.normalize("NFD", lowered) if not unicodedata.combining(part)]
    if len(kept) != 1:
        return " "
    folded = kept[0]
    # ASCII letters and digits, and letters of other scripts; not "²" or "½" (digits to Python,
    # not to PostgreSQL's parser).
    if (folded.isascii() and folded.isalnum()) or folded.isalpha():
        return folded
    return " "


class _FoldTable(dict[int, str]):
    """``str.translate``'s table, filled as characters are met (one lookup in C per character)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_TABLE = _FoldTable()


def fold_aligned(value: str) -> str:
    """``value`` folded character by character: the same length, every character of the folded
    text standing where its original stands."""
    return value.translate(_TABLE)


def words(value: str) -> list[str]:
    """The folded words of ``value`` (a query's, or a text's)."""
    return fold_aligned(normalize_text(value)).split()
