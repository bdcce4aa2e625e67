"""Group commit: a call that recorded buffered audit events is answered only once the batch holding
them is committed; when it cannot be, the call is answered 503 and its events stay queued."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError

from congan.core.apikeys import api_key_issue
from congan.core.audit import audit_enqueue, buffer, chain
from congan.core.audit.chain import verify
from congan.core.models import ApiClient, AuditEvent
from congan.population.models import PartnerPolicy
from congan.population.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _database_down(events, **kwargs):
    raise OperationalError("connection refused")


def test_waiting_for_an_event_writes_one_batch_with_everything_queued_before_it():
    tickets = [buffer.enqueue(chain.clean_event(_event(i))) for i in range(3)]
    before = buffer.stats()["batches"]

    buffer.wait_durable(tickets[1])

    assert AuditEvent.objects.count() == 3
    assert buffer.stats()["batches"] - before == 1
    assert buffer.pending_count() == 0
    buffer.wait_durable(tickets[2])  # already committed: returns at once
    assert verify() == (3, None)


def test_a_failed_batch_fails_the_wait_and_keeps_the_events_for_the_next(monkeypatch):
    ticket = buffer.enqueue(chain.clean_event(_event(0)))
    monkeypatch.setattr(chain, "append", _database_down)

    with pytest.raises(buffer.NotDurable):
        buffer.wait_durable(ticket)

    assert buffer.pending_count() == 1
    monkeypatch.undo()
    buffer.wait_durable(ticket)
    assert AuditEvent.objects.count() == 1


def _event(i: int) -> chain.PendingEvent:
    from django.utils import timezone

    return chain.PendingEvent(
        occurred_at=timezone.now(),
        actor_type="system",
        actor_id="",
        actor_label="system",
        action=f"test.lookup.{i}",
        target_type="",
        target_id="",
        unit_id=None,
        purpose="tra cứu",
        ip=None,
        request_id="",
        details={},
    )


# --- through both transports (Django and the fast lane) ---------------------------------------


@pytest.fixture
def client(either_client):
    return either_client


@pytest.fixture
def partner_key(commune):
    client = ApiClient.objects.create(name="Ngân hàng")
    issued = api_key_issue(by="system", client=client, name="k", scopes=["identity.verify"])
    PartnerPolicy.objects.create(api_key=issued.key, operations=["verify"], fields=[])
    return issued.raw


def _verify(client, key: str, personal_id: str, request_id: str):
    body = {
        "personal_id": personal_id,
        "full_name": "nguyen van an",
        "purpose": "Mở tài khoản",
        "legal_basis": "Nghị định 69/2024/NĐ-CP",
    }
    return client.post(
        "/api/v1/identity/verify",
        json.dumps(body),
        content_type="application/json",
        HTTP_X_API_KEY=key,
        HTTP_X_REQUEST_ID=request_id,
    )


def test_a_verification_is_answered_only_once_its_audit_event_is_committed(client, partner_key, commune):
    resident = ResidentFactory(unit=commune, full_name="Nguyễn Văn An")

    response = _verify(client, partner_key, resident.personal_id, "gc1")

    assert response.status_code == 200, response.json()
    # No flush: the answer waited for the batch.
    assert list(AuditEvent.objects.filter(request_id="gc1").values_list("action", flat=True)) == [
        "population.identity.verify"
    ]
    assert buffer.pending_count() == 0


def test_a_verification_whose_audit_batch_fails_is_answered_503_and_its_event_is_kept(
    client, partner_key, commune, monkeypatch
):
    resident = ResidentFactory(unit=commune, full_name="Nguyễn Văn An")
    monkeypatch.setattr(chain, "append", _database_down)

    response = _verify(client, partner_key, resident.personal_id, "gc2")

    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "audit_unavailable"
    assert body["message"] and body["details"] == {"request_id": "gc2"}
    assert "match" not in json.dumps(body)
    assert buffer.pending_count() == 1

    monkeypatch.undo()
    buffer.flush()
    assert AuditEvent.objects.filter(request_id="gc2").count() == 1


def test_events_of_a_caller_outside_a_request_are_left_to_the_buffer():
    audit_enqueue(actor=None, action="test.outside", purpose="tra cứu")

    assert buffer.pending_count() == 1
    assert AuditEvent.objects.count() == 0
