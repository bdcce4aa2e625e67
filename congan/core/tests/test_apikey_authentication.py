"""Partner systems call the API with ``X-API-Key``: usable keys only, scopes, rate limit, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from congan.core import apikeys, limits
from congan.core.audit import buffer
from congan.core.models import ApiClient, ApiKey, AuditEvent

WHOAMI = "/api/v1/meta/whoami"


@pytest.fixture
def partner(db) -> ApiClient:
    return ApiClient.objects.create(name="Ngân hàng Thử Nghiệm", contact_name="Nguyễn Văn A")


@pytest.fixture
def issue(partner, admin_officer):
    def _issue(scopes: list[str] | None = None, **kwargs) -> apikeys.IssuedKey:
        return apikeys.api_key_issue(
            by=admin_officer,
            client=partner,
            name="Máy chủ xác thực",
            scopes=["meta.read"] if scopes is None else scopes,
            **kwargs,
        )

    return _issue


def call(client, raw: str, path: str = WHOAMI, headers: dict[str, str] | None = None):
    return client.get(path, headers={"X-API-Key": raw, **(headers or {})})


def test_valid_key_is_accepted_and_identifies_the_partner(client, issue):
    issued = issue()
    response = call(client, issued.raw)
    assert response.status_code == 200
    assert response.json() == {"kind": "api_key", "name": "Ngân hàng Thử Nghiệm", "scopes": ["meta.read"]}


def test_key_is_stored_only_as_its_sha256_digest(issue):
    issued = issue()
    key = ApiKey.objects.get(pk=issued.key.pk)
    assert key.digest == apikeys.digest(issued.raw)
    assert len(key.digest) == 64
    stored = [str(getattr(key, field.attname)) for field in ApiKey._meta.concrete_fields]
    assert not any(issued.raw in value for value in stored)


def test_unknown_key_is_401(client, issue):
    issue()
    response = call(client, "cgk_deadbeef_not-a-real-key")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_revoked_key_is_401(client, issue, admin_officer):
    issued = issue()
    apikeys.api_key_revoke(by=admin_officer, key=issued.key)
    response = call(client, issued.raw)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_expired_key_is_401(client, issue):
    issued = issue(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = call(client, issued.raw)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_key_not_yet_expired_is_accepted(client, issue):
    issued = issue(expires_at=timezone.now() + dt.timedelta(days=1))
    assert call(client, issued.raw).status_code == 200


def test_key_of_inactive_partner_is_401(client, issue, partner):
    issued = issue()
    ApiClient.objects.filter(pk=partner.pk).update(active=False)
    response = call(client, issued.raw)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_key_lacking_the_scope_is_403_naming_the_scope(client, issue):
    issued = issue(scopes=[])
    response = call(client, issued.raw)
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "permission_denied"
    assert body["details"] == {"required_scope": "meta.read"}
    assert body["message"] == "Khóa API không có phạm vi meta.read."


def test_officer_session_needs_no_scope(officer_client, officer):
    response = officer_client.get(WHOAMI)
    assert response.status_code == 200
    assert response.json() == {"kind": "officer", "name": officer.full_name, "scopes": []}


def test_officer_only_router_rejects_partner_keys(client, issue):
    issued = issue()
    response = call(client, issued.raw, "/api/v1/org/units")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_key_over_its_rate_limit_gets_429_with_retry_after(client, issue):
    issued = issue(rate_limit_per_minute=3)
    statuses = [call(client, issued.raw).status_code for _ in range(3)]
    limited = call(client, issued.raw)
    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    body = limited.json()
    assert body["code"] == "rate_limited"
    assert body["message"] == "Quá nhiều yêu cầu. Vui lòng thử lại sau."
    retry_after = int(limited["Retry-After"])
    assert 1 <= retry_after <= 60
    assert body["details"] == {"retry_after": retry_after}


def test_rate_limit_is_counted_per_key(client, issue):
    first = issue(rate_limit_per_minute=1)
    second = issue(rate_limit_per_minute=1)
    assert call(client, first.raw).status_code == 200
    assert call(client, first.raw).status_code == 429
    assert call(client, second.raw).status_code == 200


def test_rate_limit_window_ends_a_minute_after_its_first_call(client, issue, monkeypatch):
    issued = issue(rate_limit_per_minute=1)
    now = 1_800_000_000_000
    monkeypatch.setattr(limits, "_now_ms", lambda: now)
    assert call(client, issued.raw).status_code == 200
    assert call(client, issued.raw).status_code == 429
    monkeypatch.setattr(limits, "_now_ms", lambda: now + 59_999)
    assert call(client, issued.raw).status_code == 429
    monkeypatch.setattr(limits, "_now_ms", lambda: now + 60_000)
    assert call(client, issued.raw).status_code == 200


def test_every_key_call_is_audited_through_the_buffer(client, issue):
    issued = issue()
    responses = [call(client, issued.raw), call(client, issued.raw, headers={"X-Request-ID": "goi-thu-2"})]
    assert [r.status_code for r in responses] == [200, 200]
    # Buffered: nothing is chained on the request path.
    assert not AuditEvent.objects.filter(action="api.call").exists()
    assert buffer.flush() == 2
    events = list(AuditEvent.objects.filter(action="api.call").order_by("seq"))
    assert len(events) == 2
    for event, response in zip(events, responses, strict=True):
        assert event.actor_type == AuditEvent.ActorType.API_KEY
        assert event.actor_id == str(issued.key.pk)
        assert event.details == {"method": "GET", "path": WHOAMI, "status": 200}
        assert event.request_id == response["X-Request-ID"]
    assert events[1].request_id == "goi-thu-2"


def test_call_refused_for_scope_is_still_audited(client, issue):
    issued = issue(scopes=[])
    assert call(client, issued.raw).status_code == 403
    buffer.flush()
    assert AuditEvent.objects.filter(action="api.call", actor_id=str(issued.key.pk)).count() == 1


def test_unusable_key_leaves_no_audit_event(client, issue, admin_officer):
    issued = issue()
    apikeys.api_key_revoke(by=admin_officer, key=issued.key)
    assert call(client, issued.raw).status_code == 401
    assert buffer.pending_count() == 0
