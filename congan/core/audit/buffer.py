"""Buffered audit writer for high-volume reads (partner lookups, public lookups).

Requests append to an in-memory queue and return at once; one background thread per process
chains the queued events in batches (like X-Road's batched timestamping), so requests never
wait on each other for the chain head. A batch is written every
``AUDIT_BUFFER_FLUSH_SECONDS`` or as soon as ``AUDIT_BUFFER_MAX_EVENTS`` are waiting.

Loss window: a clean shutdown (SIGTERM, gunicorn graceful stop, interpreter exit) flushes the
queue. A crash (SIGKILL, power loss) loses at most the events queued since the last flush:
by default 0.25 s of traffic, never more than ``AUDIT_BUFFER_MAX_EVENTS`` events.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import deque
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import close_old_connections

if TYPE_CHECKING:
    from congan.core.audit.chain import PendingEvent

logger = logging.getLogger(__name__)

_queue: deque[PendingEvent] = deque()
_lock = threading.Lock()
_flush_lock = threading.Lock()
_wake = threading.Event()
_thread: threading.Thread | None = None
_stats = {"flushed": 0, "batches": 0, "failed_batches": 0}


def enqueue(event: PendingEvent) -> None:
    with _lock:
        _queue.append(event)
        size = len(_queue)
    if not background_enabled():
        if size >= settings.AUDIT_BUFFER_MAX_EVENTS:
            flush()
        return
    _ensure_thread()
    if size >= settings.AUDIT_BUFFER_MAX_EVENTS:
        _wake.set()


def pending_count() -> int:
    return len(_queue)


def stats() -> dict[str, int]:
    return {**_stats, "pending": pending_count()}


def flush() -> int:
    """Chain everything queued so far; returns the number of events written."""
    from congan.core.audit.chain import append

    written = 0
    with _flush_lock:
        while True:
            with _lock:
                batch = [_queue.popleft() for _ in range(min(len(_queue), settings.AUDIT_BUFFER_MAX_EVENTS))]
            if not batch:
                return written
            try:
                append(batch)
            except Exception:
                # Put the batch back in front so nothing accepted is lost; retry next round.
                with _lock:
                    _queue.extendleft(reversed(batch))
                _stats["failed_batches"] += 1
                logger.exception("audit buffer flush failed; %d events kept for retry", len(batch))
                raise
            written += len(batch)
            _stats["flushed"] += len(batch)
            _stats["batches"] += 1


def discard_pending() -> None:
    """Drop queued events (tests only)."""
    with _lock:
        _queue.clear()


def background_enabled() -> bool:
    return getattr(settings, "AUDIT_BUFFER_BACKGROUND", True)


def _ensure_thread() -> None:
    global _thread
    if _thread is not None and _thread.is_alive():
        return
    with _lock:
        if _thread is not None and _thread.is_alive():
            return
        _thread = threading.Thread(target=_run, name="audit-buffer", daemon=True)
        _thread.start()


def _run() -> None:
    while True:
        _wake.wait(settings.AUDIT_BUFFER_FLUSH_SECONDS)
        _wake.clear()
        if not _queue:
            continue
        try:
            close_old_connections()
            flush()
        except Exception:  # noqa: S112 - logged in flush(); the loop must survive a bad batch
            continue


def install_shutdown_flush() -> None:
    atexit.register(_flush_at_exit)


def _flush_at_exit() -> None:
    if not _queue:
        return
    try:
        flush()
    except Exception:
        logger.exception("audit buffer: %d events could not be flushed at exit", pending_count())
