"""Snippets shown with their diacritics: the engines mark matches in the folded text (what they
index); the folded text is the text as written, folded one character for one, so each fragment is
found in it and the same span of the text as written is shown, with the same words marked.

A result is a list of ``(text, marked)`` pieces: templates escape each piece and wrap the marked
ones in ``<mark>``; the API joins them into ``snippet`` and gives ``snippet_html`` the same way."""

from __future__ import annotations

from django.utils.html import escape

from congan.search.engines import GAP, START, STOP

Pieces = list[tuple[str, bool]]
ELLIPSIS = "…"


def _split_marks(fragment: str) -> tuple[str, list[tuple[int, int]]]:
    """The fragment without its marks, and the (start, end) of each marked span in it."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    start = None
    for ch in fragment:
        if ch == START:
            start = position
        elif ch == STOP:
            if start is not None:
                spans.append((start, position))
            start = None
        else:
            plain.append(ch)
            position += 1
    return "".join(plain), spans


def pieces(marked: str, folded: str, written: str, *, whole: bool = False) -> Pieces:
    """``marked`` (fragments of ``folded`` with marks, separated by GAP) as pieces of ``written``.
    ``whole``: the marked text is all of ``folded`` (a title), no ellipsis around it."""
    if whole:
        plain, spans = _split_marks(marked.replace(GAP, ""))
        if plain != folded or len(folded) != len(written):
            return [(written, False)]
        return _merge(_marked(written, spans, 0, len(written)))
    result: Pieces = []
    searched_from = 0
    for raw in marked.split(GAP):
        plain, spans = _split_marks(raw)
        core = plain.strip()
        if not core:
            continue
        found = folded.find(core, searched_from)
        if found < 0:
            found = folded.find(core)
        if found < 0 or len(folded) != len(written):
            # Not where it should be (should not happen): shown folded, never lost.
            result.append((core, False))
            continue
        offset = found - plain.index(core)
        start, end = found, found + len(core)
        searched_from = end
        # Punctuation next to the words (a space in the folded text, not in the written one) goes with them.
        while start > 0 and folded[start - 1] == " " and not written[start - 1].isspace():
            start -= 1
        while end < len(folded) and folded[end] == " " and not written[end].isspace():
            end += 1
        if start > 0:
            result.append((ELLIPSIS, False))
        result += _marked(written, [(a + offset, b + offset) for a, b in spans], start, end)
        if written[end:].strip():
            result.append((ELLIPSIS, False))
    return _merge(result)


def _marked(written: str, spans: list[tuple[int, int]], start: int, end: int) -> Pieces:
    """``written[start:end]`` as pieces, the ``spans`` (positions in ``written``) marked."""
    result: Pieces = []
    cursor = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, cursor), min(span_end, end)
        if span_start >= span_end:
            continue
        if span_start > cursor:
            result.append((written[cursor:span_start], False))
        result.append((written[span_start:span_end], True))
        cursor = span_end
    if cursor < end:
        result.append((written[cursor:end], False))
    return result


def _merge(result: Pieces) -> Pieces:
    merged: Pieces = []
    for text, marked in result:
        if merged and merged[-1][1] == marked and not (text == ELLIPSIS and merged[-1][0].endswith(ELLIPSIS)):
            merged[-1] = (merged[-1][0] + text, marked)
        elif merged and text == ELLIPSIS and merged[-1][0].endswith(ELLIPSIS):
            continue
        else:
            merged.append((text, marked))
    return merged


def plain_text(parts: Pieces) -> str:
    return "".join(text for text, _ in parts)


def as_html(parts: Pieces) -> str:
    return "".join(f"<mark>{escape(text)}</mark>" if marked else str(escape(text)) for text, marked in parts)


def has_marks(marked: str) -> bool:
    return START in marked
