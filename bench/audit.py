"""Audit trail throughput against a raw INSERT of equivalent rows, measured in the same run.

(a) baseline: the rows inserted through one cursor in one transaction (no hashing, no head lock);
(b) ``audit_record`` one event at a time, each in its own transaction (the write-service path);
(c) ``audit_enqueue`` then ``buffer.flush`` in batches of 1000 (the high-volume read path),
    with the cost a request pays (the enqueue alone) shown apart.
The benchmark's events stay on the chain (the baseline rows are removed) and the chain is
verified at the end, so a run also checks that the paths it measured produce a sound chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction

from congan.core.audit import audit_enqueue, audit_record, buffer
from congan.core.audit.chain import HASHED_FIELDS, verify
from congan.core.models import AuditEvent

BASELINE_EVENTS = 20_000
RECORD_EVENTS = 5_000
RECORD_SECONDS = 10.0  # (b) stops early on a slow disk; its rate is what matters
BUFFERED_EVENTS = 20_000
BATCH = 1000

_DETAILS = {"fields": ["ho_ten", "ngay_sinh", "noi_thuong_tru"], "result": "match", "latency_ms": 3.2}
_COLUMNS = (*HASHED_FIELDS, "prev_hash", "hash")


def _kwargs(i: int) -> dict:
    return {
        "actor": "system",
        "action": "bench.population.verify",
        "target_type": "population.resident",
        "target_id": str(100_000 + i),
        "unit": 1,
        "purpose": "Xác minh danh tính theo yêu cầu của ngân hàng",
        "details": _DETAILS,
    }


def _baseline(count: int) -> float:
    """Seconds to INSERT ``count`` equivalent rows through one cursor in one transaction."""
    now = dt.datetime.now(dt.UTC)
    details = json.dumps(_DETAILS, ensure_ascii=False)
    rows = [
        (
            -1 - i,  # negative sequence numbers: off the chain, removed afterwards
            connection.ops.adapt_datetimefield_value(now),
            "system",
            "",
            "system",
            "bench.population.verify",
            "population.resident",
            str(100_000 + i),
            1,
            "Xác minh danh tính theo yêu cầu của ngân hàng",
            "10.0.0.1",
            "",
            details,
            "0" * 64,
            hashlib.sha256(f"bench-baseline-{i}".encode()).hexdigest(),
        )
        for i in range(count)
    ]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in _COLUMNS)
    placeholders = ", ".join(["%s"] * len(_COLUMNS))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    elapsed = time.perf_counter() - start
    AuditEvent.objects.filter(seq__lt=0).delete()
    return elapsed


def _records(count: int, budget: float) -> tuple[int, float]:
    """Events written one ``audit_record`` at a time (autocommit: one transaction each)."""
    written = 0
    start = time.perf_counter()
    while written < count:
        audit_record(**_kwargs(written))
        written += 1
        if written % 100 == 0 and time.perf_counter() - start > budget:
            break
    return written, time.perf_counter() - start


def _buffered(count: int) -> tuple[float, float, int]:
    """Seconds to enqueue ``count`` events, seconds to flush them in batches; batches written."""
    saved = (settings.AUDIT_BUFFER_MAX_EVENTS, getattr(settings, "AUDIT_BUFFER_MAX_PENDING", None))
    settings.AUDIT_BUFFER_MAX_EVENTS = settings.AUDIT_BUFFER_MAX_PENDING = count + 1  # no flush while enqueuing
    try:
        start = time.perf_counter()
        for i in range(count):
            audit_enqueue(**_kwargs(i))
        enqueued = time.perf_counter() - start
        batches = buffer.stats()["batches"]
        start = time.perf_counter()
        buffer.flush(batch_size=BATCH)
        flushed = time.perf_counter() - start
        return enqueued, flushed, buffer.stats()["batches"] - batches
    finally:
        settings.AUDIT_BUFFER_MAX_EVENTS = saved[0]
        if saved[1] is None:
            del settings.AUDIT_BUFFER_MAX_PENDING
        else:
            settings.AUDIT_BUFFER_MAX_PENDING = saved[1]


def _line(label: str, events: int, seconds: float, baseline_rate: float) -> None:
    rate = events / seconds
    print(f"  {label:<52} {rate:>10,.0f} events/s  {rate / baseline_rate:>6.3f}× baseline  ({events:,} events)")


def _timed(fn: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def run() -> int:
    started = time.perf_counter()
    for i in range(20):  # warm up: head row, connection, caches
        audit_record(**_kwargs(i))

    baseline_seconds = _baseline(BASELINE_EVENTS)
    baseline_rate = BASELINE_EVENTS / baseline_seconds
    recorded, record_seconds = _records(RECORD_EVENTS, RECORD_SECONDS)
    enqueue_seconds, flush_seconds, batches = _buffered(BUFFERED_EVENTS)
    (checked, broken), verify_seconds = _timed(verify)

    print("audit trail throughput")
    _line("(a) baseline: raw INSERT, one cursor, one transaction", BASELINE_EVENTS, baseline_seconds, baseline_rate)
    _line("(b) audit_record, one transaction per event", recorded, record_seconds, baseline_rate)
    _line(
        f"(c) audit_enqueue + flush, batches of {BATCH}",
        BUFFERED_EVENTS,
        enqueue_seconds + flush_seconds,
        baseline_rate,
    )
    _line("    of which the flush alone (background thread)", BUFFERED_EVENTS, flush_seconds, baseline_rate)
    print(
        f"  request path: audit_record {record_seconds / recorded * 1e6:,.0f} µs/event, "
        f"audit_enqueue {enqueue_seconds / BUFFERED_EVENTS * 1e6:,.1f} µs/event "
        f"({record_seconds / recorded / (enqueue_seconds / BUFFERED_EVENTS):,.0f}× less); "
        f"{batches} batches"
    )
    print(f"  verify: {checked:,} events in {verify_seconds:.2f} s ({checked / verify_seconds:,.0f} events/s)")
    print(f"  total {time.perf_counter() - started:.1f} s")
    if broken is not None:
        print(f"  CHAIN BROKEN at event #{broken.seq}: {broken.reason}")
        return 1
    return 0
