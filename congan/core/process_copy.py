"""An in-process copy of data that many requests read and that rarely changes (small code tables):
loaded on first use, reloaded after ``ttl_seconds``, and at once in this process after ``clear``
(connect it to post_save / post_delete of the tables it copies). Another process sees a change
within ``ttl_seconds``."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class ProcessCopy(Generic[T]):
    def __init__(self, load: Callable[[], T], ttl_seconds: float = 60.0) -> None:
        self._load, self._ttl = load, ttl_seconds
        self._value: T | None = None
        self._loaded_at = float("-inf")
        self._lock = threading.Lock()

    def clear(self, **_signal: Any) -> None:
        """Forget the copy (a receiver for post_save / post_delete, and for tests)."""
        self._loaded_at = float("-inf")

    def _fresh(self) -> bool:
        return time.monotonic() - self._loaded_at < self._ttl

    def get(self) -> T:
        if self._fresh():
            return self._value  # type: ignore[return-value]
        with self._lock:
            if not self._fresh():
                self._value, self._loaded_at = self._load(), time.monotonic()
            return self._value  # type: ignore[return-value]
