"""PostgreSQL chains small batches in one statement, hashing each event's canonical form with its
seq put between two parts computed here: those parts must give exactly the canonical form."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from congan.core.audit import audit_record
from congan.core.audit.chain import HASHED_FIELDS, canonical, canonical_around_seq, verify
from congan.core.models import AuditEvent

TRICKY = {
    "seq": 0,
    "target_id": "x",
    "nested": {"seq": 5, "z": [1.0, 2.5, 'Đà Nẵng "quoted"']},
    "big": 1e20,
}


@pytest.mark.parametrize("seq", [1, 9, 10, 12345678901])
def test_the_parts_around_seq_give_the_canonical_form_of_every_seq(seq):
    values = {
        "seq": seq,
        "occurred_at": datetime(2026, 12, 6, 1, 2, 3, 456789, tzinfo=UTC),
        "actor_type": "api_key",
        "actor_id": "7",
        "actor_label": "Ngân hàng (ab12)",
        "action": "population.identity.verify",
        "target_type": "population.resident",
        "target_id": "42",
        "unit_id": 3,
        "purpose": "Mở tài khoản",
        "ip": "::ffff:10.0.0.1",
        "request_id": "r1",
        "details": TRICKY,
    }
    before, after = canonical_around_seq(values)

    assert before + str(seq).encode() + after == canonical(values)


@pytest.mark.django_db
def test_events_chained_in_one_statement_verify_and_round_trip(commune):
    events = [
        audit_record(actor="system", action=f"test.{i}", unit=commune, purpose="Kiểm tra", details=TRICKY)
        for i in range(12)
    ]

    checked, broken = verify()
    assert broken is None and checked >= 12
    stored = AuditEvent.objects.filter(seq__gte=events[0].seq).order_by("seq").values_list("seq", "hash", "prev_hash")
    assert [(e.seq, e.hash, e.prev_hash) for e in events] == list(stored)
    assert set(HASHED_FIELDS) <= {field.name for field in AuditEvent._meta.fields}
