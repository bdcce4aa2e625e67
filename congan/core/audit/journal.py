"""Local append-only audit journal: what makes a buffered audit event durable before its call is
answered, at the cost of a write and a shared fdatasync instead of a database commit per call.

Each server process appends its buffered events, one JSON line each, to a file of its own in
``AUDIT_JOURNAL_DIR`` and holds an exclusive ``flock`` on it while it lives. A call is answered once
its line is written and (with ``AUDIT_JOURNAL_FSYNC``) synced; the threads waiting at the same
moment share one fdatasync. The buffer then chains the events into the database in big batches and
moves the file's mark (``AuditJournalMark``: the byte up to which its events are on the chain) in
the same transaction, so the mark never claims an event the chain lacks, nor misses one it holds.

A process killed with -9 leaves its file behind, unlocked: any other process of the host finds it
(the buffer's thread looks every ``AUDIT_JOURNAL_RECOVER_SECONDS``; ``congan audit recover`` does it
at once), chains what lies after the mark, then deletes the file and its mark. A process that
stops cleanly chains everything and deletes its own file (decision 0002, "Durability").
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from congan.core.audit import chain
from congan.core.audit.chain import CleanEvent
from congan.core.models import AuditJournalMark

logger = logging.getLogger(__name__)

SUFFIX = ".journal"
_CREATING = ".creating"
_FIELDS = tuple(field.name for field in fields(CleanEvent))


class JournalDamaged(RuntimeError):
    """A line inside a journal (not a torn last line) cannot be read: the file is kept for a person."""


def journal_dir() -> Path | None:
    value = getattr(settings, "AUDIT_JOURNAL_DIR", None)
    return Path(value) if value else None


def encode(event: CleanEvent) -> bytes:
    """One line: the event exactly as it will be chained (JSON escapes every newline in it)."""
    values = {name: getattr(event, name) for name in _FIELDS}
    values["occurred_at"] = event.occurred_at.isoformat()
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def decode(line: bytes) -> CleanEvent:
    values = json.loads(line)
    values["occurred_at"] = datetime.fromisoformat(values["occurred_at"])
    return CleanEvent(**values)


class Journal:
    """This process's journal file. ``append`` is called under the buffer's lock, so lines follow
    ticket order; ``sync`` by any number of threads at once."""

    def __init__(self, directory: Path, *, fsync: bool):
        self.directory = directory
        self.fsync = fsync
        self.pid = os.getpid()
        self.first_ticket = 0  # the first ticket this journal holds (0: none yet)
        self.written_ticket = 0  # every ticket up to this one is written
        self.synced_ticket = 0  # every ticket up to this one is on disk
        self._generation = 0
        self._sync_lock = threading.Lock()
        self.fd, self.name, self.position = self._create()

    def _create(self) -> tuple[int, str, int]:
        """A new file, locked before it gets the name that recovery looks for."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self._generation += 1
        name = f"{socket.gethostname()}-{self.pid}-{time.time_ns()}-{self._generation}{SUFFIX}"
        creating = self.directory / (name + _CREATING)
        fd = os.open(creating, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)  # held until this process closes the file or dies
        creating.rename(self.directory / name)
        if self.fsync:
            _sync_directory(self.directory)  # the new name survives a power loss too
        return fd, name, 0

    def append(self, ticket: int, line: bytes) -> tuple[str, int]:
        """Write one encoded event; returns (file name, position after it) for the chain's mark."""
        written = os.write(self.fd, line)
        if written != len(line):
            raise OSError(f"audit journal: short write ({written} of {len(line)} bytes)")
        self.position += written
        self.first_ticket = self.first_ticket or ticket
        self.written_ticket = ticket
        return self.name, self.position

    def holds(self, ticket: int) -> bool:
        return 0 < self.first_ticket <= ticket <= self.written_ticket

    def sync(self, ticket: int) -> None:
        """Return once the line of ``ticket`` is on disk; one fdatasync serves every line written
        before it started (group commit on the file)."""
        if not self.fsync or self.synced_ticket >= ticket:
            return
        with self._sync_lock:
            if self.synced_ticket >= ticket:
                return
            target = self.written_ticket  # lines are written in ticket order: all up to here are in
            os.fdatasync(self.fd)
            self.synced_ticket = max(self.synced_ticket, target)

    def rotate(self) -> str:
        """Start a new file (the caller holds the buffer's lock and knows every line is chained);
        delete the old one and return its name, whose mark the caller deletes."""
        with self._sync_lock:
            old_fd, old_name = self.fd, self.name
            self.fd, self.name, self.position = self._create()
            self.synced_ticket = self.written_ticket
        _remove(self.directory / old_name, old_fd)
        return old_name

    def close(self) -> str:
        """Delete the file (every line chained) and return its name."""
        with self._sync_lock:
            _remove(self.directory / self.name, self.fd)
            self.fd = -1
        return self.name


def _remove(path: Path, fd: int) -> None:
    # Unlinked before it is closed, so no recovery can take the file for an orphan in between.
    try:
        path.unlink(missing_ok=True)
    finally:
        os.close(fd)


def _sync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- chaining with the mark ---------------------------------------------------------------------


def chain_with_mark(events: Sequence[CleanEvent], name: str, position: int) -> None:
    """Chain the events and move the journal's mark to ``position`` in one transaction."""
    table = connection.ops.quote_name(AuditJournalMark._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        chain.append(events, returning=False)
        cursor.execute(
            f"INSERT INTO {table} (name, position) VALUES (%s, %s) "  # noqa: S608 - the table name is ours
            "ON CONFLICT (name) DO UPDATE SET position = excluded.position",
            [name, position],
        )


def forget_mark(name: str) -> None:
    AuditJournalMark.objects.filter(name=name).delete()


# --- recovery of journals left by dead processes ------------------------------------------------


def recover_orphans(batch_size: int | None = None) -> int:
    """Chain what the journals of dead processes in this host's folder hold after their marks;
    returns the number of events chained. A journal whose process lives is locked and left alone."""
    directory = journal_dir()
    if directory is None or not directory.is_dir():
        return 0
    recovered = 0
    for path in sorted(directory.iterdir()):
        if not (path.name.endswith(SUFFIX) or path.name.endswith(SUFFIX + _CREATING)):
            continue
        try:
            recovered += _recover_if_orphan(path, batch_size or settings.AUDIT_BUFFER_MAX_EVENTS)
        except JournalDamaged:
            logger.exception("audit journal %s kept for an administrator: a line in it is damaged", path)
    return recovered


def _recover_if_orphan(path: Path, batch_size: int) -> int:
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return 0  # its process stopped cleanly meanwhile
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0  # its process is alive (or another process is recovering it)
        if not _still_named(path, fd):
            return 0  # deleted by its process, or recovered by another, since we listed it
        if path.name.endswith(_CREATING):
            path.unlink()  # its process died before it wrote a line
            return 0
        recovered = _replay(path, fd, batch_size)
        path.unlink()
        forget_mark(path.name)
        logger.warning("audit journal %s of a stopped process: %d events chained", path.name, recovered)
        return recovered
    finally:
        os.close(fd)


def _still_named(path: Path, fd: int) -> bool:
    try:
        return path.stat().st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


def _replay(path: Path, fd: int, batch_size: int) -> int:
    mark = AuditJournalMark.objects.filter(name=path.name).values_list("position", flat=True).first() or 0
    data = os.pread(fd, os.fstat(fd).st_size - mark, mark) if os.fstat(fd).st_size > mark else b""
    batch: list[CleanEvent] = []
    position = mark
    recovered = 0
    for line in data.splitlines(keepends=True):
        if not line.endswith(b"\n"):
            break  # torn by the kill: never synced, so never acknowledged
        try:
            batch.append(decode(line))
        except (ValueError, TypeError) as exc:
            raise JournalDamaged(f"{path}: unreadable event at byte {position}") from exc
        position += len(line)
        if len(batch) >= batch_size:
            chain_with_mark(batch, path.name, position)
            recovered += len(batch)
            batch = []
    if batch:
        chain_with_mark(batch, path.name, position)
        recovered += len(batch)
    return recovered
