"""Partner batch lookups: one audit event per call, one compact row per person looked up.

Auditing a 1,000-person batch as 1,000 hash-chained events made the audit trail the cost of the
call. Instead the call is one chained event (partner, purpose, legal basis, counts, and the
SHA-256 of the sorted resident ids); the per-person rows feed "who viewed" and can be proven
against that digest at any time (``lookups_match_audit``).
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from congan.core.audit import Actor, audit_enqueue
from congan.core.models import AuditEvent
from congan.population.models import PartnerLookup

BATCH_TARGET = "population.partner_lookup_call"


def residents_digest(resident_ids: list[int]) -> str:
    return hashlib.sha256(",".join(str(pk) for pk in sorted(resident_ids)).encode()).hexdigest()


def record_partner_lookups(
    *, api_key: Any, action: str, resident_ids: list[int], purpose: str, legal_basis: str, details: dict[str, Any]
) -> str:
    """Store one row per person and enqueue the call's audit event; returns the call id."""
    call_id = uuid.uuid4().hex
    now = timezone.now()
    label = Actor.of(api_key).label
    if resident_ids:
        occurred = now if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)
        _insert_rows([(pk, occurred, call_id, label, action, purpose) for pk in resident_ids])
    audit_enqueue(
        actor=api_key,
        action=action,
        target_type=BATCH_TARGET,
        target_id=call_id,
        purpose=purpose,
        details={
            "legal_basis": legal_basis,
            "looked_up": len(resident_ids),
            "residents_sha256": residents_digest(resident_ids),
            **details,
        },
    )
    return call_id


_COLUMNS = "(resident_id, occurred_at, call_id, actor_label, action, purpose)"


def _insert_rows(rows: list[tuple[Any, ...]]) -> None:
    table = PartnerLookup._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} {_COLUMNS} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} {_COLUMNS} VALUES (%s, %s, %s, %s, %s, %s)", rows)  # noqa: S608


def lookups_match_audit(call_id: str) -> bool:
    """True when the per-person rows of a call are exactly those its chained audit event sealed."""
    event = AuditEvent.objects.filter(target_type=BATCH_TARGET, target_id=call_id).first()
    if event is None:
        return False
    ids = list(PartnerLookup.objects.filter(call_id=call_id).values_list("resident_id", flat=True))
    return event.details.get("residents_sha256") == residents_digest(ids)
