"""Buffered audit writer for high-volume reads (partner lookups, public lookups), with group commit.

Requests append their events to an in-memory queue; the events are chained in batches, so requests
never wait on each other for the chain head: one head lock per batch instead of one per request
(like X-Road's batched timestamping). A request is answered only once its batch is committed
(docs/decisions/0002-audit-chain.md): ``enqueue`` gives each event a ticket, and at the end of the
call ``wait_durable(ticket)`` returns once a batch holding that event has committed. The first
waiter that finds no batch being written writes one itself, taking everything queued so far (its
own event and those of the calls that arrived meanwhile); the others wait for it, and whoever is
still waiting when it commits writes the next one. Under load the batches grow by themselves: the
events that arrive while one batch commits make the next.

With a local journal (``AUDIT_JOURNAL_DIR``, the default of ``congan serve``) the call waits for
less: its event is written to this process's journal file in ``enqueue`` and synced in
``wait_durable`` (one fdatasync for all the threads waiting then), and the batches are chained by
the background thread as they grow, the journal's mark moving in the same transaction
(congan.core.audit.journal). A process killed with -9 leaves its journal to be chained by another.
Without a journal (or when writing it fails), ``wait_durable`` commits the batch itself, as above.

A failed batch goes back to the front of the queue, in order, and the calls waiting for it fail
(the request then answers 503 instead of answering without its audit event); the events are
written by the next batch. Events nobody waits for (a caller outside a request) are written by one
background thread per process every ``AUDIT_BUFFER_FLUSH_SECONDS``, or as soon as
``AUDIT_BUFFER_MAX_EVENTS`` are waiting, and at a clean shutdown (the server's graceful stop of a
worker process through multiprocessing's finalizers, interpreter exit through ``atexit``, SIGTERM
to a process that has no handler of its own). A crash (SIGKILL, OOM kill, power loss) loses only
events whose calls were not answered yet, and events nobody waited for. While the database is
unreachable the queue grows up to ``AUDIT_BUFFER_MAX_PENDING`` events (default ten batches); past
that, ``enqueue`` chains synchronously in the caller (after its transaction commits, if it is in
one) and fails with the database.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from congan.core.audit import chain, journal
from congan.core.backoff import backoff
from congan.core.shutdown import at_process_exit

if TYPE_CHECKING:
    from congan.core.audit.chain import PendingEvent

logger = logging.getLogger(__name__)


class NotDurable(RuntimeError):
    """The batch holding an event could not be committed (yet): its call must not be answered."""


# (ticket, event, (journal file, position after the event's line) or None), tickets increasing
_queue: deque[tuple[int, PendingEvent, tuple[str, int] | None]] = deque()
_lock = threading.Lock()  # guards everything below but _flush_lock, _wake and _stop
_committed = threading.Condition(_lock)  # notified after every batch, committed or failed
_flush_lock = threading.Lock()  # one flusher at a time, so batches reach the chain in queue order
_wake = threading.Event()
_stop = threading.Event()
_thread: threading.Thread | None = None
_in_flight = 0
_flushing = False  # a flush is running (it holds _flush_lock)
_last_ticket = 0  # the ticket of the last event enqueued
_durable = 0  # every event up to this ticket is committed (batches commit in ticket order)
_failures = 0  # batches that failed so far: a waiter whose batch failed sees it change
_stats = {"flushed": 0, "batches": 0, "failed_batches": 0}
_shutdown_installed = False
_journal: journal.Journal | None = None  # this process's journal file, opened on the first event
_journal_broken = False  # writing it failed once: group commit in the database from then on


def enqueue(event: PendingEvent) -> int:
    """Queue the event; returns its ticket, for :func:`wait_durable`."""
    global _last_ticket
    line = None
    if journal.journal_dir() is not None and not _journal_broken:
        event = chain.clean_event(event)
        line = journal.encode(event)
    with _lock:
        _last_ticket += 1
        ticket = _last_ticket
        position = _journal_append(ticket, line) if line is not None else None
        _queue.append((ticket, event, position))
        size = len(_queue)
    if size >= max_pending():
        # Back-pressure: the database has not kept up (or is down). Chain now, in the caller.
        _flush_outside_transaction(raise_errors=True)
        return ticket
    if not background_enabled():
        if size >= max_events():
            _flush_outside_transaction(raise_errors=False)
        return ticket
    _ensure_thread()
    if size >= max_events():
        _wake.set()
    return ticket


def _journal_append(ticket: int, line: bytes) -> tuple[str, int] | None:
    """Write the event's line to this process's journal (the caller holds _lock); None when there
    is no journal to write to, and the event is made durable by a database commit instead."""
    global _journal, _journal_broken
    try:
        if _journal is None or _journal.pid != os.getpid():
            directory = journal.journal_dir()
            if directory is None:
                return None
            _journal = journal.Journal(directory, fsync=settings.AUDIT_JOURNAL_FSYNC)
        return _journal.append(ticket, line)
    except OSError:
        _journal_broken = True
        logger.exception("audit journal cannot be written; calls now wait for database commits")
        return None


def _journal_sync(ticket: int) -> bool:
    """Whether the event of ``ticket`` is now durable in this process's journal."""
    current = _journal
    if current is None or current.pid != os.getpid() or not current.holds(ticket):
        return False
    try:
        current.sync(ticket)
    except (OSError, ValueError):
        logger.exception("audit journal cannot be synced; waiting for a database commit instead")
        return False
    return True


def wait_durable(ticket: int, timeout: float | None = None) -> None:
    """Return once the event of ``ticket`` is committed to the chain (group commit).

    Waits while another thread writes a batch; when none is being written, writes one itself
    (everything queued up to max_events, its own event included). Raises ``NotDurable`` when the
    batch holding the event fails or ``timeout`` (AUDIT_DURABLE_TIMEOUT_SECONDS) passes; the
    event stays queued for the next batch. Call it outside any transaction: the batch commits on
    this thread's connection. With a journal, returns once the event's line is synced instead.
    """
    if _journal_sync(ticket):
        return
    deadline = time.monotonic() + (durable_timeout() if timeout is None else timeout)
    while True:
        with _committed:
            failures = _failures
            while _durable < ticket and _flushing:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise NotDurable(f"audit event #{ticket} not committed in time")
                _committed.wait(remaining)
                if _failures != failures and _durable < ticket:
                    raise NotDurable("the audit batch holding the event failed")
            if _durable >= ticket:
                return
        try:
            written = flush(until=ticket)
        except Exception as exc:
            raise NotDurable("the audit batch holding the event failed") from exc
        with _committed:
            if _durable >= ticket:
                return
            if not written and not _flushing:
                raise NotDurable(f"audit event #{ticket} is no longer queued")
            if time.monotonic() >= deadline:
                raise NotDurable(f"audit event #{ticket} not committed in time")


def durable_timeout() -> float:
    return float(getattr(settings, "AUDIT_DURABLE_TIMEOUT_SECONDS", 10.0))


def pending_count() -> int:
    """Events accepted but not yet committed to the chain (queued or in a batch being written)."""
    with _lock:
        return len(_queue) + _in_flight


def stats() -> dict[str, int]:
    with _lock:
        return {**_stats, "pending": len(_queue) + _in_flight}


def flush(batch_size: int | None = None, *, until: int | None = None) -> int:
    """Chain everything queued so far (or until the event of ticket ``until`` is committed), in
    batches; returns the number of events written.

    On failure the batch goes back to the front of the queue and the error is raised; nothing
    is lost. Called inside a transaction, the batches commit (or roll back) with it: the
    automatic flushes therefore run only outside transactions.
    """
    global _flushing
    size = batch_size or max_events()
    written = 0
    with _flush_lock:
        with _lock:
            _flushing = True
        try:
            while until is None or _durable < until:
                batch = _write_batch(size)
                if not batch:
                    break
                written += batch
        finally:
            with _committed:
                _flushing = False
                _committed.notify_all()
    return written


def _write_batch(size: int) -> int:
    """Chain one batch from the front of the queue (the caller holds _flush_lock)."""
    global _in_flight, _durable, _failures
    with _lock:
        batch = [_queue.popleft() for _ in range(min(len(_queue), size))]
        _in_flight = len(batch)
    if not batch:
        return 0
    positions = [position for _, _, position in batch if position is not None]
    try:
        if positions:
            name, position = positions[-1]
            journal.chain_with_mark([chain.clean_event(event) for _, event, _ in batch], name, position)
        else:
            chain.append([event for _, event, _ in batch], returning=False)
    except BaseException:
        # Put the batch back in front so nothing accepted is lost; retried next round.
        with _committed:
            _queue.extendleft(reversed(batch))
            _in_flight = 0
            _failures += 1
            _stats["failed_batches"] += 1
            _committed.notify_all()
        logger.exception("audit buffer flush failed; %d events kept for retry", len(batch))
        raise
    with _committed:
        _in_flight = 0
        _durable = batch[-1][0]
        _stats["flushed"] += len(batch)
        _stats["batches"] += 1
        _committed.notify_all()
        rotated = _rotate_journal_if_long() if positions else None
    if rotated:
        journal.forget_mark(rotated)
    return len(batch)


def _rotate_journal_if_long() -> str | None:
    """Start a new journal file once the current one is long and every line of it is chained
    (the caller holds _lock and has just committed a batch); returns the old file's name."""
    current = _journal
    if (
        current is None
        or current.pid != os.getpid()
        or _queue
        or current.position < settings.AUDIT_JOURNAL_ROTATE_BYTES
    ):
        return None
    try:
        return current.rotate()
    except OSError:
        logger.exception("audit journal cannot be rotated; the current file goes on")
        return None


def close_journal() -> None:
    """Delete this process's journal once everything in it is chained (a clean stop); kept otherwise,
    for recovery."""
    global _journal
    with _lock:
        current = _journal
        if current is None or current.pid != os.getpid() or _queue or _in_flight:
            return
        _journal = None
        name = current.close()
    journal.forget_mark(name)


def discard_pending() -> None:
    """Drop queued events and this process's journal (tests only); nobody waits for them any more."""
    global _durable, _journal, _journal_broken
    with _committed:
        _queue.clear()
        _durable = _last_ticket
        _committed.notify_all()
        if _journal is not None and _journal.pid == os.getpid():
            with contextlib.suppress(OSError):
                _journal.close()
        _journal, _journal_broken = None, False


def background_enabled() -> bool:
    return getattr(settings, "AUDIT_BUFFER_BACKGROUND", True)


def max_events() -> int:
    return settings.AUDIT_BUFFER_MAX_EVENTS


def max_pending() -> int:
    return getattr(settings, "AUDIT_BUFFER_MAX_PENDING", 10 * settings.AUDIT_BUFFER_MAX_EVENTS)


def _flush_outside_transaction(*, raise_errors: bool) -> None:
    """Flush now, or right after the caller's transaction commits.

    A batch written inside the caller's transaction would vanish with it on rollback, and
    with it other requests' events; after commit (or on rollback) the events are still queued.
    """
    if connection.in_atomic_block:
        transaction.on_commit(flush if raise_errors else _flush_logged)
        return
    if raise_errors:
        flush()
    else:
        _flush_logged()


def _flush_logged() -> None:
    # flush() logs a failure and keeps the events queued for the next try.
    with contextlib.suppress(Exception):
        flush()


# --- the background thread ------------------------------------------------------------------


def _ensure_thread() -> None:
    global _thread
    if _thread is not None and _thread.is_alive():
        return
    with _lock:
        if _thread is not None and _thread.is_alive():
            return
        _stop.clear()
        _thread = threading.Thread(target=_run, name="audit-buffer", daemon=True)
        _thread.start()


def _run() -> None:
    """Flush on a timer or when woken; back off while the database fails; end on stop()."""
    base = settings.AUDIT_BUFFER_FLUSH_SECONDS
    delay = base
    next_recovery = 0.0
    try:
        while not _stop.is_set() and background_enabled():
            if journal.journal_dir() is not None and time.monotonic() >= next_recovery:
                next_recovery = time.monotonic() + settings.AUDIT_JOURNAL_RECOVER_SECONDS
                _recover_orphans_logged()
            _wake.wait(delay)
            _wake.clear()
            if not pending_count():
                delay = base
                continue
            try:
                close_old_connections()  # replace a connection that broke or outlived CONN_MAX_AGE
                # What is queued now, not what arrives while it commits: under load that would be
                # a stream of small batches, one commit each, competing with the calls for the CPU.
                flush(until=_last_ticket)
                delay = base
            except Exception:
                delay = backoff(delay)
    finally:
        connection.close()  # this thread's own connection


def _recover_orphans_logged() -> None:
    try:
        close_old_connections()
        journal.recover_orphans()
    except Exception:
        logger.exception("audit journals of stopped processes could not be chained yet")


def start() -> None:
    """Start this process's background thread now (a server worker at start), so that the
    journals of stopped processes are chained even before this one audits anything."""
    if background_enabled() and journal.journal_dir() is not None:
        _ensure_thread()


def stop(timeout: float = 30.0) -> None:
    """End the background thread (after the batch it is writing) and wait for it."""
    thread = _thread
    _stop.set()
    _wake.set()
    if thread is not None and thread.is_alive() and thread is not threading.current_thread():
        thread.join(timeout)


# --- shutdown -----------------------------------------------------------------------------------


def install_shutdown_flush() -> None:
    """Flush what is queued at interpreter exit and on SIGTERM (when nothing else handles it)."""
    global _shutdown_installed
    if _shutdown_installed:
        return
    _shutdown_installed = True
    at_process_exit(_flush_at_exit)
    if threading.current_thread() is threading.main_thread():
        with contextlib.suppress(ValueError, OSError):  # a platform without SIGTERM handling
            if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
                signal.signal(signal.SIGTERM, _on_sigterm)
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork_in_child)


def _flush_at_exit() -> None:
    stop()
    try:
        if pending_count():
            flush()
        close_journal()
    except Exception:
        logger.exception("audit buffer: %d events could not be flushed at exit", pending_count())


def _on_sigterm(signum: int, frame: Any) -> None:
    """Flush, then die of SIGTERM as the process would have without us.

    The flush runs in a fresh thread with its own database connection: the main thread may
    have been stopped in the middle of a query or a transaction on its own.
    """
    if pending_count():
        worker = threading.Thread(target=_flush_at_exit, name="audit-buffer-sigterm")
        worker.start()
        worker.join(30.0)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


def _after_fork_in_child() -> None:
    """A forked child starts empty: the parent still holds (and will chain) its own queue."""
    global _lock, _committed, _flush_lock, _thread, _in_flight, _flushing, _last_ticket, _durable, _failures
    global _journal, _journal_broken
    if _journal is not None:
        with contextlib.suppress(OSError):
            os.close(_journal.fd)  # the parent's file (and its lock) stays the parent's
    _journal, _journal_broken = None, False
    _lock = threading.Lock()
    _committed = threading.Condition(_lock)
    _flush_lock = threading.Lock()
    _queue.clear()
    _thread = None
    _in_flight = 0
    _flushing = False
    _last_ticket = _durable = _failures = 0
    _wake.clear()
    _stop.clear()
