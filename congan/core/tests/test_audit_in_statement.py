"""An audit event appended by the statement of the write it records (PostgreSQL): the values only
the statement knows (the id of the row it wrote, a number it took) are filled in the stored event
and in the canonical form it hashes alike, so the chain verifies."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.db import DataError, connection

from congan.core.audit import audit_event, audit_record
from congan.core.audit.chain import verify
from congan.core.audit.in_statement import Hole, append_ctes
from congan.core.models import AuditChainHead, AuditEvent

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

ROW_ID = Hole("id", text=True)
NUMBER = Hole("number")
TRICKY = {"nested": {"seq": 5, "z": [1.0, 2.5, 'Đà Nẵng "quoted" \\ back']}, "big": 1e20, "empty": ""}


def _append_with(event) -> tuple[int, int]:
    appended = append_ctes(event, source="written", holes=(ROW_ID, NUMBER), data="(SELECT v FROM input)")
    start = "WITH input AS MATERIALIZED (SELECT %s::jsonb AS v), written AS (SELECT 4711::bigint AS id, "
    start += "12345678901::bigint AS number),"
    sql = start + appended.sql + f" SELECT id, seq FROM {appended.row_cte}"  # noqa: S608 - the helper's own text
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(appended.value, ensure_ascii=False)])
        return cursor.fetchone()


def test_the_statement_fills_the_holes_and_the_chain_verifies(officer):
    audit_record(actor="system", action="test.before", purpose="Kiểm tra")  # a head to chain after
    event = audit_event(
        actor=officer,
        action="test.in_statement",
        target_type="documents.incomingdocument",
        target_id=ROW_ID.token,
        unit=officer.unit_id,
        details={"number": NUMBER.token, "label": f"số {ROW_ID.token}", **TRICKY},
    )
    pk, seq = _append_with(event)

    stored = AuditEvent.objects.get(pk=pk)
    assert (stored.target_id, stored.details["number"], stored.details["label"]) == ("4711", 12345678901, "số 4711")
    assert stored.details["nested"] == TRICKY["nested"] and stored.details["big"] == 10**20
    assert (stored.seq, stored.actor_id, stored.occurred_at) == (seq, str(officer.pk), event.occurred_at)
    assert verify() == (seq, None)
    audit_record(actor="system", action="test.after")  # the head moved: the next event chains after it
    assert verify() == (seq + 1, None)


def test_a_number_hole_inside_a_text_of_the_details_is_refused():
    event = audit_event(
        actor="system",
        action="test.in_statement",
        target_type="x",
        target_id="1",
        unit=None,
        details={"label": f'"{NUMBER.token}"'},
    )
    with pytest.raises(ValueError, match="hole"):
        append_ctes(event, source="written", holes=(ROW_ID, NUMBER), data="(SELECT v FROM input)")


def test_the_occurred_at_is_stored_to_the_microsecond(officer):
    audit_record(actor="system", action="test.before")
    event = audit_event(actor=officer, action="test.time", target_type="t", target_id=ROW_ID.token, unit=None)
    event = type(event)(**{**event.__dict__, "occurred_at": datetime(2026, 12, 7, 1, 2, 3, 456789, tzinfo=UTC)})
    pk, _seq = _append_with(event)
    assert AuditEvent.objects.get(pk=pk).occurred_at == datetime(2026, 12, 7, 1, 2, 3, 456789, tzinfo=UTC)
    assert verify()[1] is None


def test_the_next_link_is_refused_without_a_chain_head():
    AuditChainHead.objects.all().delete()
    with pytest.raises(DataError, match="audit chain head missing"), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_audit_chain_next('{', '}')")
