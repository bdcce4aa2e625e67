"""The search language, the same on every engine: words (all of them must match), "a phrase"
(the words next to each other, in order), a prefix* (words that start with it). A chunk typed with
punctuation inside (``15/QĐ-CAT``, ``an-ninh``) is a phrase of its words. Everything is folded the
platform's way (no diacritics, đ→d) before matching, so ``dieu tra`` finds ``điều tra``.

A query that cannot be run is refused with a ``ValidationFailed`` whose code says why: empty, too
long, an unclosed quote, too many terms, a prefix too short to be useful."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from congan.core.errors import ValidationFailed
from congan.core.text import normalize_text
from congan.search.text import fold_aligned

MAX_QUERY = 200  # characters
MAX_TERMS = 10  # words and phrases
MAX_WORDS = 24  # words in all, phrases included
MIN_PREFIX = 2  # characters before a *
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_SEGMENTS = re.compile(r'"([^"]*)"(\*?)|([^"\s]+)')


@dataclass(frozen=True)
class Term:
    """One word, or a phrase of several; ``prefix``: its last word is a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts5(self) -> str:
        """As an FTS5 query string: ``"dieu tra"`` or ``"dieu tr" *`` (words are letters and
        digits only, so the quotes cannot be escaped from)."""
        return '"' + " ".join(self.words) + '"' + (" *" if self.prefix else "")

    def tsquery(self) -> str:
        """As a PostgreSQL tsquery: ``(dieu <-> tra)`` or ``(dieu <-> tr:*)``."""
        parts = list(self.words)
        if self.prefix:
            parts[-1] += ":*"
        return "(" + " <-> ".join(parts) + ")"


@dataclass(frozen=True)
class Query:
    text: str  # as typed, normalised
    terms: tuple[Term, ...]

    def fts5(self) -> str:
        return " AND ".join(term.fts5() for term in self.terms)

    def tsquery(self) -> str:
        return " & ".join(term.tsquery() for term in self.terms)

    def words(self) -> list[str]:
        return [word for term in self.terms for word in term.words]


def refuse(code: str, message: object, **details: object) -> ValidationFailed:
    return ValidationFailed(message, code=code, details={"q": [str(message)], **details})


def parse(text: str) -> Query:
    """Read a query (see the module's docstring); ValidationFailed when it cannot be run."""
    typed = normalize_text(text or "").translate(_QUOTES)
    if len(typed) > MAX_QUERY:
        raise refuse(
            "query_too_long",
            _("Nội dung tìm kiếm dài quá %(limit)d ký tự.") % {"limit": MAX_QUERY},
            limit=MAX_QUERY,
        )
    if typed.count('"') % 2:
        raise refuse("query_unbalanced_quotes", _("Thiếu dấu ngoặc kép đóng cụm từ."))
    terms: list[Term] = []
    for match in _SEGMENTS.finditer(typed):
        quoted, quoted_star, chunk = match.groups()
        if chunk is not None:
            prefix = chunk.endswith("*")
            words = tuple(fold_aligned(chunk.rstrip("*")).split())
        else:
            prefix = bool(quoted_star)
            words = tuple(fold_aligned(quoted).split())
        if not words:
            continue
        if prefix and len(words[-1]) < MIN_PREFIX:
            raise refuse(
                "query_prefix_too_short",
                _("Tìm theo phần đầu của từ (dấu *) cần ít nhất %(count)d ký tự trước dấu *.") % {"count": MIN_PREFIX},
            )
        term = Term(words, prefix)
        if term not in terms:
            terms.append(term)
    if not terms:
        raise refuse("query_empty", _("Hãy nhập ít nhất một từ để tìm."))
    if len(terms) > MAX_TERMS or sum(len(term.words) for term in terms) > MAX_WORDS:
        raise refuse(
            "query_too_many_terms",
            _("Nhiều từ quá: tối đa %(terms)d từ hoặc cụm từ, %(words)d từ tất cả.")
            % {"terms": MAX_TERMS, "words": MAX_WORDS},
        )
    return Query(text=typed, terms=tuple(terms))
