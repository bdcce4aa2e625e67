"""The hash chain: events link to their predecessor, hashes survive the database round trip on
SQLite and PostgreSQL, reads of personal data need a purpose."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from decimal import Decimal

import pytest
from django.db import transaction

from congan.core import context
from congan.core.audit import audit_read, audit_record
from congan.core.audit.chain import (
    GENESIS_HASH,
    ChainHeadMissing,
    PendingEvent,
    append,
    event_hash,
    read_head,
    verify,
)
from congan.core.errors import ValidationFailed
from congan.core.models import AuditChainHead, AuditEvent


def _pending(**overrides) -> PendingEvent:
    values = {
        "occurred_at": dt.datetime(2026, 3, 1, 3, 0, tzinfo=dt.UTC),
        "actor_type": AuditEvent.ActorType.SYSTEM,
        "actor_id": "",
        "actor_label": "system",
        "action": "test.event",
        "target_type": "",
        "target_id": "",
        "unit_id": None,
        "purpose": "",
        "ip": None,
        "request_id": "",
        "details": {},
    }
    return PendingEvent(**{**values, **overrides})


def _stored_hash_matches(event: AuditEvent) -> bool:
    fresh = AuditEvent.objects.get(pk=event.pk)
    values = {name: getattr(fresh, name) for name in ("seq", *PendingEvent.__dataclass_fields__)}
    return event_hash(fresh.prev_hash, values) == fresh.hash


@pytest.mark.django_db
def test_each_event_links_to_the_previous_hash_and_the_chain_verifies():
    first = audit_record(actor="system", action="test.one")
    second = audit_record(actor=None, action="test.two", details={"n": 2})
    third = audit_record(actor="system", action="test.three", purpose="Kiểm tra")

    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    assert read_head() == (3, third.hash)
    assert verify() == (3, None)


@pytest.mark.django_db
def test_one_batch_appends_consecutive_events_under_one_head_update():
    rows = append([_pending(action=f"test.batch.{i}") for i in range(5)])

    assert [row.seq for row in rows] == [1, 2, 3, 4, 5]
    assert all(rows[i].prev_hash == rows[i - 1].hash for i in range(1, 5))
    assert list(AuditEvent.objects.order_by("seq").values_list("action", flat=True)) == [
        f"test.batch.{i}" for i in range(5)
    ]
    assert verify() == (5, None)


@pytest.mark.django_db
def test_hash_survives_the_database_round_trip_for_unicode_nested_and_float_details():
    details = {
        "họ_tên": "Nguyễn Thị Ánh Tuyết — Đà Nẵng 😀",
        "nested": {"z": [1, 2.5, {"deep": "đ"}], "a": None, "flag": True},
        "whole_float": 1.0,
        "tenth": 0.1,
        "tiny": 1.5e-7,
        "huge_float": 1e20,
        "huge_int": 10**20,
        "negative_zero": -0.0,
        "not_a_number": float("nan"),
        "infinite": float("inf"),
        "money": Decimal("1500000.50"),
        "when": dt.datetime(2026, 3, 1, 10, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")),
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "pair": ("a", "b"),
        "nul": "a\x00b",
        7: "integer key",
    }
    event = audit_record(actor="system", action="test.details", details=details)

    fresh = AuditEvent.objects.get(pk=event.pk)
    assert fresh.details["họ_tên"] == "Nguyễn Thị Ánh Tuyết — Đà Nẵng 😀"
    assert fresh.details["not_a_number"] == "nan"
    assert fresh.details["nul"] == "ab"
    assert fresh.details["7"] == "integer key"
    assert fresh.details["money"] == "1500000.50"
    assert _stored_hash_matches(event)
    assert verify() == (1, None)


@pytest.mark.parametrize(
    ("raw_ip", "stored_ip"),
    [
        ("192.0.2.10", "192.0.2.10"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("fe80::1%eth0", "fe80::1"),
        ("not-an-ip", None),
        ("", None),
        (None, None),
    ],
)
@pytest.mark.django_db
def test_client_ip_is_stored_in_one_form_and_hashes_alike_after_reading_back(raw_ip, stored_ip):
    token = context.activate(context.RequestContext(request_id="req-1", ip=raw_ip))
    try:
        event = audit_record(actor="system", action="test.ip")
    finally:
        context.deactivate(token)

    fresh = AuditEvent.objects.get(pk=event.pk)
    assert fresh.ip == stored_ip
    assert fresh.request_id == "req-1"
    assert _stored_hash_matches(event)
    assert verify() == (1, None)


@pytest.mark.django_db
def test_event_time_given_in_local_time_hashes_like_the_utc_value_read_back():
    local = dt.datetime(2026, 3, 1, 23, 59, 59, 123456, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    naive = dt.datetime(2026, 3, 2, 8, 0)  # noqa: DTZ001 - a naive time is made aware in the current zone
    rows = append([_pending(occurred_at=local), _pending(occurred_at=naive)])

    assert AuditEvent.objects.get(pk=rows[0].pk).occurred_at == local
    assert all(_stored_hash_matches(row) for row in rows)
    assert verify() == (2, None)


@pytest.mark.django_db
def test_overlong_and_unstorable_strings_are_cut_to_their_column_before_hashing():
    event = audit_record(actor="system", action="x" * 150, target_type="t" * 150, purpose="p\x00" * 400)

    fresh = AuditEvent.objects.get(pk=event.pk)
    assert fresh.action == "x" * 100
    assert fresh.target_type == "t" * 100
    assert fresh.purpose == "p" * 400
    assert _stored_hash_matches(event)


@pytest.mark.django_db
def test_audit_record_takes_actor_target_and_unit_from_the_officer(officer):
    token = context.activate(context.RequestContext(request_id="abc123", ip="10.0.0.7"))
    try:
        event = audit_record(actor=officer, action="test.officer", target=officer, details={"k": "v"})
    finally:
        context.deactivate(token)

    assert event.actor_type == AuditEvent.ActorType.OFFICER
    assert event.actor_id == str(officer.pk)
    assert event.actor_label == officer.get_username()
    assert event.target_type == "org.officer"
    assert event.target_id == str(officer.pk)
    assert event.unit_id == officer.unit_id
    assert (event.ip, event.request_id) == ("10.0.0.7", "abc123")
    assert verify()[1] is None


@pytest.mark.parametrize("purpose", ["", "   "])
@pytest.mark.django_db
def test_audit_read_without_a_purpose_is_refused_and_records_nothing(officer, purpose):
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationFailed) as raised:
        audit_read(actor=officer, action="population.resident.view", target=officer, purpose=purpose)

    assert "purpose" in raised.value.details
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_audit_read_with_a_purpose_records_it(officer):
    event = audit_read(
        actor=officer, action="population.resident.view", target=officer, purpose="Xác minh hồ sơ cư trú"
    )

    assert AuditEvent.objects.get(pk=event.pk).purpose == "Xác minh hồ sơ cư trú"


@pytest.mark.django_db
def test_events_inside_a_rolled_back_transaction_leave_no_gap_in_the_chain():
    from django.db import transaction

    audit_record(actor="system", action="test.kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor="system", action="test.rolled_back")
        raise RuntimeError("the write failed")
    audit_record(actor="system", action="test.after")

    assert list(AuditEvent.objects.order_by("seq").values_list("seq", "action")) == [
        (1, "test.kept"),
        (2, "test.after"),
    ]
    assert verify() == (2, None)


@pytest.mark.django_db
def test_appending_refuses_to_start_a_new_chain_when_the_head_row_is_gone():
    audit_record(actor="system", action="test.one")
    AuditChainHead.objects.all().delete()

    with pytest.raises(ChainHeadMissing), transaction.atomic():  # a write service's transaction fails with it
        audit_record(actor="system", action="test.two")
    assert AuditEvent.objects.count() == 1
