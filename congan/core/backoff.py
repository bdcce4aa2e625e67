"""The wait of a background loop whose database keeps failing (the audit buffer's writer, the
report intake's completer): doubled after each failure, from 0.05 s, up to a ceiling."""

from __future__ import annotations

MAX_BACKOFF_SECONDS = 5.0


def backoff(delay: float) -> float:
    """The wait after one more failure, ``delay`` being the wait before it."""
    return min(max(delay, 0.05) * 2, MAX_BACKOFF_SECONDS)
