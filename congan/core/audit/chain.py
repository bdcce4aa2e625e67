"""The chain itself: canonical serialisation, hashing, appending a batch, verifying."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F

from congan.core.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_type",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "unit_id",
    "purpose",
    "ip",
    "request_id",
    "details",
)


@dataclass(frozen=True)
class PendingEvent:
    """An event not yet on the chain: everything but seq and hashes."""

    occurred_at: datetime
    actor_type: str
    actor_id: str
    actor_label: str
    action: str
    target_type: str
    target_id: str
    unit_id: int | None
    purpose: str
    ip: str | None
    request_id: str
    details: dict[str, Any]


def canonical(values: dict[str, Any]) -> bytes:
    payload = {name: values[name] for name in HASHED_FIELDS}
    payload["occurred_at"] = _iso(payload["occurred_at"])
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def _iso(value: datetime | str) -> str:
    if isinstance(value, str):
        return value
    return value.isoformat(timespec="microseconds")


def event_hash(prev_hash: str, values: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(values)).hexdigest()


def _normalise_details(details: dict[str, Any]) -> dict[str, Any]:
    # Round-trip through JSON so the hashed form equals what the database gives back.
    return json.loads(json.dumps(details, ensure_ascii=False, default=str))


def append(events: Sequence[PendingEvent]) -> list[AuditEvent]:
    """Append events to the chain in one transaction.

    The head row is updated first: that takes the row lock on PostgreSQL (and the write lock
    on SQLite, where transactions begin IMMEDIATE), so concurrent appenders queue and the
    chain never forks.
    """
    if not events:
        return []
    with transaction.atomic():
        AuditChainHead.objects.get_or_create(pk=1)
        AuditChainHead.objects.filter(pk=1).update(seq=F("seq") + len(events))
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        seq = head.seq - len(events)
        prev = head.hash
        rows = []
        for pending in events:
            seq += 1
            values = {name: getattr(pending, name, None) for name in HASHED_FIELDS if name != "seq"}
            values["seq"] = seq
            values["details"] = _normalise_details(pending.details)
            values["occurred_at"] = pending.occurred_at
            digest = event_hash(prev, values)
            rows.append(AuditEvent(**values, prev_hash=prev, hash=digest))
            prev = digest
        AuditEvent.objects.bulk_create(rows)
        AuditChainHead.objects.filter(pk=1).update(hash=prev)
    return rows


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify(batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Walk the chain in order; return (events checked, first break or None)."""
    checked = 0
    prev = GENESIS_HASH
    expected_seq = 1
    for event in _iter_events(batch_size):
        if event.seq != expected_seq:
            return checked, ChainBreak(expected_seq, f"missing event: found #{event.seq}")
        if event.prev_hash != prev:
            return checked, ChainBreak(event.seq, "prev_hash does not match the previous event")
        values = {name: getattr(event, name) for name in HASHED_FIELDS}
        if event_hash(prev, values) != event.hash:
            return checked, ChainBreak(event.seq, "content does not match its hash")
        prev = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and checked and (head.seq != checked or head.hash != prev):
        return checked, ChainBreak(checked + 1, "chain head does not match the last event (events removed?)")
    return checked, None


def _iter_events(batch_size: int) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq
