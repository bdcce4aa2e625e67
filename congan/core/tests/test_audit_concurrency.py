"""Concurrent appenders on PostgreSQL, each on its own connection, never fork the chain."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from congan.core.audit import audit_enqueue, audit_record, buffer
from congan.core.audit.chain import verify
from congan.core.models import AuditEvent

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 8
PER_THREAD = 25


def _run_in_threads(work: Callable[[int], None], count: int = THREADS) -> None:
    """Start ``count`` threads together; each closes its own connection; re-raise the first error."""
    barrier = threading.Barrier(count, timeout=60)
    errors: list[BaseException] = []

    def target(index: int) -> None:
        try:
            barrier.wait()
            work(index)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def _assert_one_unforked_chain(expected: int) -> None:
    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash"))
    assert [seq for seq, _, _ in rows] == list(range(1, expected + 1))
    prev_hashes = [prev for _, prev, _ in rows]
    assert len(set(prev_hashes)) == expected  # no two events claim the same predecessor: no fork
    assert all(rows[i][1] == rows[i - 1][2] for i in range(1, expected))
    assert verify() == (expected, None)


def test_eight_threads_recording_twenty_five_events_each_make_one_chain_of_two_hundred():
    def work(index: int) -> None:
        for i in range(PER_THREAD):
            audit_record(actor="system", action="test.concurrent", target_type="thread", target_id=f"{index}-{i}")

    _run_in_threads(work)

    _assert_one_unforked_chain(THREADS * PER_THREAD)
    assert AuditEvent.objects.values("target_id").distinct().count() == THREADS * PER_THREAD


def test_buffered_batches_and_direct_records_interleave_without_forking():
    def work(index: int) -> None:
        for i in range(PER_THREAD):
            if index % 2:
                audit_record(actor="system", action="test.direct", target_id=f"{index}-{i}")
            else:
                audit_enqueue(actor=None, action="test.buffered", target_id=f"{index}-{i}")
                if i % 5 == 4:
                    buffer.flush()

    _run_in_threads(work)
    buffer.flush()

    _assert_one_unforked_chain(THREADS * PER_THREAD)
    assert AuditEvent.objects.filter(action="test.buffered").count() == THREADS * PER_THREAD // 2


def test_verify_running_during_appends_never_reports_a_false_break():
    results: list = []
    lock = threading.Lock()
    appenders_left = [THREADS - 1]
    finished = threading.Event()

    def work(index: int) -> None:
        if index == 0:  # the verifier walks the chain again and again while the others append
            while not finished.wait(0):
                results.append(verify(batch_size=7))
            return
        try:
            for i in range(PER_THREAD):
                audit_record(actor="system", action="test.live", target_id=f"{index}-{i}")
        finally:
            with lock:
                appenders_left[0] -= 1
                if not appenders_left[0]:
                    finished.set()

    _run_in_threads(work)

    assert results
    assert [broken for _, broken in results if broken is not None] == []
    _assert_one_unforked_chain((THREADS - 1) * PER_THREAD)
