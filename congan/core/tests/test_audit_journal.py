"""The local audit journal (congan.core.audit.journal): a buffered event is on disk before its call
is answered, the chain and the journal's mark move together, and the journal a dead process left is
chained from its mark exactly once; a live process's journal is never touched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from congan.core.audit import audit_enqueue, buffer, journal
from congan.core.audit.chain import verify
from congan.core.models import AuditEvent, AuditJournalMark

pytestmark = pytest.mark.django_db


@pytest.fixture
def journal_dir(settings, tmp_path) -> Iterator[Path]:
    settings.AUDIT_JOURNAL_DIR = tmp_path / "audit-journal"
    buffer.discard_pending()  # a journal this process opened before belongs to no test
    yield settings.AUDIT_JOURNAL_DIR
    buffer.discard_pending()


def _enqueue(count: int, prefix: str = "test.lookup") -> int:
    ticket = 0
    for i in range(count):
        audit_enqueue(actor=None, action=f"{prefix}.{i}", target_type="population.resident", target_id=str(i))
        ticket = buffer._last_ticket
    return ticket


def _files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*" + journal.SUFFIX))


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def test_an_event_is_durable_in_the_journal_before_it_is_chained(journal_dir):
    ticket = _enqueue(3)

    buffer.wait_durable(ticket)  # returns on the journal's sync: no batch is committed for it

    assert AuditEvent.objects.count() == 0
    [path] = _files(journal_dir)
    lines = path.read_bytes().splitlines(keepends=True)
    assert [journal.decode(line).action for line in lines] == ["test.lookup.0", "test.lookup.1", "test.lookup.2"]
    assert buffer.pending_count() == 3


def test_a_batch_is_chained_with_the_journal_mark_at_its_last_line(journal_dir):
    _enqueue(4)

    assert buffer.flush() == 4

    [path] = _files(journal_dir)
    assert _actions() == [f"test.lookup.{i}" for i in range(4)]
    assert AuditJournalMark.objects.get(name=path.name).position == path.stat().st_size
    assert verify() == (4, None)


def test_the_journal_of_a_dead_process_is_chained_from_its_mark_once(journal_dir):
    _enqueue(3)
    buffer.flush()  # the first three are chained and marked
    _enqueue(2, prefix="test.after")
    [path] = _files(journal_dir)
    left_behind = journal_dir / ("dead-host-1-1-1" + journal.SUFFIX)
    # What a process killed with -9 leaves: its file (unlocked now), its mark, and a line torn by the kill.
    left_behind.write_bytes(path.read_bytes() + b'{"occurred_at":"2026-12-07T')
    mark = AuditJournalMark.objects.get(name=path.name).position
    AuditJournalMark.objects.create(name=left_behind.name, position=mark)

    assert journal.recover_orphans() == 2

    assert _actions() == [*(f"test.lookup.{i}" for i in range(3)), "test.after.0", "test.after.1"]
    assert not left_behind.exists()
    assert not AuditJournalMark.objects.filter(name=left_behind.name).exists()
    assert journal.recover_orphans() == 0
    assert verify() == (5, None)


def test_the_journal_of_a_live_process_is_left_alone(journal_dir):
    _enqueue(2)  # this process's journal, locked by it

    assert journal.recover_orphans() == 0

    assert AuditEvent.objects.count() == 0
    assert len(_files(journal_dir)) == 1
    assert buffer.flush() == 2


def test_a_damaged_line_keeps_the_journal_for_an_administrator(journal_dir):
    good = journal.encode(journal.decode(_line_of_one_event(journal_dir)))
    damaged = journal_dir / ("dead-host-2-2-1" + journal.SUFFIX)
    damaged.write_bytes(good + b"not json\n" + good)

    assert journal.recover_orphans() == 0

    assert damaged.exists()
    assert AuditEvent.objects.count() == 0  # nothing of it half chained


def _line_of_one_event(journal_dir: Path) -> bytes:
    _enqueue(1)
    [path] = _files(journal_dir)
    line = path.read_bytes()
    buffer.discard_pending()
    return line


def test_a_long_journal_is_replaced_once_everything_in_it_is_chained(journal_dir, settings):
    settings.AUDIT_JOURNAL_ROTATE_BYTES = 1
    _enqueue(2)
    [first] = _files(journal_dir)

    buffer.flush()

    [second] = _files(journal_dir)
    assert second.name != first.name
    assert not AuditJournalMark.objects.filter(name=first.name).exists()
    _enqueue(1, prefix="test.next")
    assert second.stat().st_size > 0
    assert buffer.flush() == 1
    assert verify() == (3, None)


def test_a_clean_stop_deletes_the_journal_once_it_is_chained(journal_dir):
    _enqueue(2)
    buffer.close_journal()
    assert len(_files(journal_dir)) == 1  # not chained yet: kept

    buffer.flush()
    buffer.close_journal()

    assert _files(journal_dir) == []
    assert not AuditJournalMark.objects.exists()


def test_without_a_writable_journal_the_call_waits_for_a_database_commit(settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.AUDIT_JOURNAL_DIR = blocker / "audit-journal"  # cannot be created
    buffer.discard_pending()
    try:
        ticket = _enqueue(1)
        buffer.wait_durable(ticket)  # commits the batch on this connection
        assert _actions() == ["test.lookup.0"]
    finally:
        buffer.discard_pending()
