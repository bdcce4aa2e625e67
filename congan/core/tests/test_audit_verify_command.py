"""``congan audit verify`` proves the chain unbroken and names the first event that is not."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connection

from congan.core.audit import audit_record
from congan.core.audit.chain import HASHED_FIELDS, event_hash
from congan.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_events() -> list[AuditEvent]:
    return [
        audit_record(actor="system", action=f"test.event.{i}", purpose="Kiểm tra", details={"i": i, "tên": "Đà Nẵng"})
        for i in range(1, 6)
    ]


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_intact_chain_is_reported_with_the_number_of_events(five_events):
    assert "audit chain intact: 5 events verified" in _verify()


def test_empty_chain_verifies():
    assert "audit chain intact: 0 events verified" in _verify()


def test_purpose_changed_through_a_queryset_update_is_named_by_seq(five_events):
    AuditEvent.objects.filter(seq=3).update(purpose="Lý do khác")

    with pytest.raises(CommandError, match=r"event #3: content does not match its hash"):
        _verify()


def test_details_changed_with_raw_sql_is_named_by_seq(five_events):
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET details = %s WHERE seq = %s", ['{"i": 99}', 4])  # noqa: S608 - table name from the model

    assert AuditEvent.objects.get(seq=4).details == {"i": 99}
    with pytest.raises(CommandError, match=r"event #4: content does not match its hash"):
        _verify()


def test_purpose_changed_with_raw_sql_is_named_by_seq(five_events):
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET purpose = %s WHERE seq = %s", ["Che giấu", 2])  # noqa: S608 - table name from the model

    with pytest.raises(CommandError, match=r"event #2"):
        _verify()


def test_event_rewritten_with_a_recomputed_hash_breaks_the_link_of_the_next(five_events):
    event = AuditEvent.objects.get(seq=2)
    event.purpose = "Sửa lại và tính lại mã băm"
    values = {name: getattr(event, name) for name in HASHED_FIELDS}
    AuditEvent.objects.filter(seq=2).update(purpose=event.purpose, hash=event_hash(event.prev_hash, values))

    with pytest.raises(CommandError, match=r"event #3: prev_hash does not match the hash of event #2"):
        _verify()


def test_event_deleted_in_the_middle_is_named(five_events):
    AuditEvent.objects.filter(seq=3).delete()

    with pytest.raises(CommandError, match=r"event #3: event #3 is missing"):
        _verify()


def test_first_event_deleted_is_named(five_events):
    AuditEvent.objects.filter(seq=1).delete()

    with pytest.raises(CommandError, match=r"event #1"):
        _verify()


def test_last_event_deleted_is_caught_by_the_chain_head(five_events):
    AuditEvent.objects.filter(seq=5).delete()

    with pytest.raises(CommandError, match=r"event #5: events #5 to #5 are missing"):
        _verify()


def test_every_event_deleted_is_caught_by_the_chain_head(five_events):
    AuditEvent.objects.all().delete()

    with pytest.raises(CommandError, match=r"event #1: events #1 to #5 are missing"):
        _verify()


def test_events_swapped_in_order_are_caught(five_events):
    AuditEvent.objects.filter(seq=2).update(seq=-2)
    AuditEvent.objects.filter(seq=3).update(seq=2)
    AuditEvent.objects.filter(seq=-2).update(seq=3)

    with pytest.raises(CommandError, match=r"event #2: prev_hash does not match"):
        _verify()


def test_command_line_exits_non_zero_and_names_the_event(five_events, capsys):
    AuditEvent.objects.filter(seq=2).update(details={"i": 2, "tên": "Hà Nội"})

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["congan", "audit", "verify"])

    assert exited.value.code != 0
    assert "audit chain broken at event #2" in capsys.readouterr().err


def test_head_prints_the_sequence_and_hash_to_record_elsewhere(five_events):
    out = io.StringIO()
    call_command("audit", "head", stdout=out)

    assert out.getvalue().split() == ["5", five_events[-1].hash]
