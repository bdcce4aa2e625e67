"""Partner identity API: policy, declarations, per-field results, batch, read, lock, audit."""

from __future__ import annotations

import json

import pytest

from congan.core.apikeys import api_key_issue
from congan.core.audit import buffer
from congan.core.models import ApiClient, AuditEvent
from congan.population import policies, selectors
from congan.population.models import PartnerPolicy
from congan.population.tests.factories import ResidentFactory

DECLARED = {"purpose": "Mở tài khoản ngân hàng", "legal_basis": "Nghị định 69/2024/NĐ-CP"}
ALL_SCOPES = ["identity.verify", "identity.verify_batch", "residents.read"]


@pytest.fixture
def client(either_client):
    """Every test here runs through Django and through the fast lane (congan.core.fastlane)."""
    return either_client


@pytest.fixture(autouse=True)
def _fresh_policy_cache():
    policies.clear_cache()
    yield
    policies.clear_cache()


def _key(*, scopes=ALL_SCOPES, policy: dict | None = None):
    client = ApiClient.objects.create(name=f"Ngân hàng {ApiClient.objects.count() + 1}")
    issued = api_key_issue(by="system", client=client, name="máy chủ", scopes=scopes, rate_limit_per_minute=1000)
    if policy is not None:
        PartnerPolicy.objects.create(api_key=issued.key, **policy)
    return issued


FULL_POLICY = {"operations": ["verify", "verify_batch", "read"], "fields": ["full_name", "birth_date"]}


@pytest.fixture
def partner(db):
    return _key(policy=FULL_POLICY)


@pytest.fixture
def resident(commune):
    return ResidentFactory(
        unit=commune,
        full_name="Nguyễn Văn An",
        sex="male",
        birth_year=1984,
        birth_month=3,
        birth_day=9,
        current_commune="20194",
        current_street="Số 12 đường Lê Lợi",
    )


def _post(client, path, key, body):
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json", HTTP_X_API_KEY=key.raw)


def test_verify_reports_each_field_and_never_the_stored_values(client, partner, resident):
    body = {
        **DECLARED,
        "personal_id": resident.personal_id,
        "full_name": "nguyen van an",
        "birth_date": "1984-03-09",
        "sex": "male",
        "address": {"commune": "20194", "street": "so 12 duong le loi"},
    }
    response = _post(client, "/identity/verify", partner, body)
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data == {
        "personal_id": resident.personal_id,
        "found": True,
        "match": True,
        "fields": {"full_name": "folded", "birth_date": "exact", "sex": "exact", "address": "folded"},
    }
    assert "Nguyễn" not in response.content.decode()


def test_verify_exact_and_no_match(client, partner, resident):
    body = {**DECLARED, "personal_id": resident.personal_id, "full_name": "Nguyễn Văn An", "birth_date": "1985"}
    data = _post(client, "/identity/verify", partner, body).json()
    assert data["fields"] == {"full_name": "exact", "birth_date": "no_match"}
    assert data["match"] is False


def test_unknown_id_is_found_false(client, partner, resident):
    body = {**DECLARED, "personal_id": "048084999999", "full_name": "Ai Đó"}
    data = _post(client, "/identity/verify", partner, body).json()
    assert data == {"personal_id": "048084999999", "found": False, "match": False, "fields": {}}


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"personal_id": "12345"}, 422, "invalid_personal_id"),
        ({"full_name": None}, 422, "nothing_to_verify"),
        ({"purpose": ""}, 422, "purpose_required"),
        ({"legal_basis": "  "}, 422, "legal_basis_required"),
        ({"nickname": "An"}, 422, "validation_failed"),
    ],
)
def test_verify_error_paths_have_clear_bodies(client, partner, resident, change, status, code):
    body = {**DECLARED, "personal_id": resident.personal_id, "full_name": "Nguyễn Văn An", **change}
    body = {k: v for k, v in body.items() if v is not None}
    response = _post(client, "/identity/verify", partner, body)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert set(response.json()) == {"code", "message", "details"}


def test_key_without_policy_operation_or_scope_is_refused(client, resident):
    body = {**DECLARED, "personal_id": resident.personal_id, "full_name": "Nguyễn Văn An"}
    no_policy = _key()
    assert _post(client, "/identity/verify", no_policy, body).json()["code"] == "no_policy"
    read_only = _key(policy={"operations": ["read"], "fields": []})
    assert _post(client, "/identity/verify", read_only, body).json()["code"] == "operation_not_allowed"
    no_scope = _key(scopes=["residents.read"], policy=FULL_POLICY)
    response = _post(client, "/identity/verify", no_scope, body)
    assert response.status_code == 403
    assert response.json()["details"]["required_scope"] == "identity.verify"


def test_legal_basis_outside_the_policy_is_refused(client, resident):
    key = _key(policy={**FULL_POLICY, "legal_bases": ["Luật Căn cước 2023"]})
    body = {**DECLARED, "personal_id": resident.personal_id, "full_name": "Nguyễn Văn An"}
    response = _post(client, "/identity/verify", key, body)
    assert response.status_code == 403
    assert response.json()["code"] == "legal_basis_not_allowed"


def test_citizen_lock_is_honoured_unless_the_law_requires_the_lookup(client, resident):
    resident.partner_lookup_locked = True
    resident.save()
    body = {**DECLARED, "personal_id": resident.personal_id, "full_name": "Nguyễn Văn An"}
    ordinary = _key(policy=FULL_POLICY)
    response = _post(client, "/identity/verify", ordinary, body)
    assert response.status_code == 403
    assert response.json()["code"] == "citizen_locked"
    by_law = _key(policy={**FULL_POLICY, "overrides_citizen_lock": True})
    assert _post(client, "/identity/verify", by_law, body).json()["match"] is True


def test_batch_reports_partial_failures_per_item_in_order(client, partner, resident, commune):
    locked = ResidentFactory(unit=commune, partner_lookup_locked=True)
    items = [
        {"personal_id": resident.personal_id, "full_name": "Nguyễn Văn An"},
        {"personal_id": "bad", "full_name": "X"},
        {"personal_id": locked.personal_id, "sex": locked.sex},
        {"personal_id": "048084999999", "sex": "male"},
    ]
    response = _post(client, "/identity/verify/batch", partner, {**DECLARED, "items": items})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["personal_id"] for r in results] == [i["personal_id"] for i in items]
    assert results[0]["match"] is True
    assert results[1]["error"]["code"] == "invalid_personal_id"
    assert results[2]["error"]["code"] == "citizen_locked"
    assert results[3]["found"] is False


def test_batch_uses_a_constant_number_of_queries(client, partner, commune, django_assert_max_num_queries):
    people = [ResidentFactory(unit=commune) for _ in range(30)]
    items = [{"personal_id": p.personal_id, "sex": p.sex} for p in people]
    _post(client, "/identity/verify/batch", partner, {**DECLARED, "items": items[:2]})  # warm the policy cache
    with django_assert_max_num_queries(5):  # the key's shared rate counter is one of them
        response = _post(client, "/identity/verify/batch", partner, {**DECLARED, "items": items})
    assert all(r["match"] for r in response.json()["results"])


def test_batch_over_1000_items_is_refused(client, partner):
    items = [{"personal_id": "048084000999", "sex": "male"}] * 1001
    response = _post(client, "/identity/verify/batch", partner, {**DECLARED, "items": items})
    assert response.status_code == 422
    assert response.json()["code"] == "batch_too_large"


def test_read_returns_only_the_fields_the_policy_allows(client, partner, resident):
    response = client.get(f"/api/v1/residents/{resident.personal_id}", DECLARED, HTTP_X_API_KEY=partner.raw)
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "personal_id": resident.personal_id,
        "fields": {"full_name": "Nguyễn Văn An", "birth_date": "1984-03-09"},
    }
    missing = client.get(f"/api/v1/residents/{resident.personal_id}", HTTP_X_API_KEY=partner.raw)
    assert missing.json()["code"] == "purpose_required"
    unknown = client.get("/api/v1/residents/048084999999", DECLARED, HTTP_X_API_KEY=partner.raw)
    assert unknown.status_code == 404


def test_partner_calls_are_audited_without_values_and_shown_in_who_viewed(client, partner, resident):
    body = {**DECLARED, "personal_id": resident.personal_id, "full_name": "Nguyễn Văn An"}
    _post(client, "/identity/verify", partner, body)
    buffer.flush()
    event = AuditEvent.objects.get(action="population.identity.verify")
    assert event.purpose == DECLARED["purpose"]
    assert event.details["legal_basis"] == DECLARED["legal_basis"]
    assert event.details["match"] is True
    assert "Nguyễn" not in json.dumps(event.details, ensure_ascii=False)
    assert resident.personal_id not in json.dumps(event.details)
    history = selectors.resident_lookup_history(resident=resident)
    assert [h.purpose for h in history] == [DECLARED["purpose"]]
    assert history[0].actor_type == "api_key"


def test_a_batch_call_is_one_sealed_audit_event_and_each_person_sees_it_in_who_viewed(
    client, partner, resident, commune
):
    from congan.population.lookups import lookups_match_audit
    from congan.population.models import PartnerLookup

    other = ResidentFactory(unit=commune)
    items = [{"personal_id": resident.personal_id, "sex": "male"}, {"personal_id": other.personal_id, "sex": other.sex}]
    _post(client, "/identity/verify/batch", partner, {**DECLARED, "items": [*items, {"personal_id": "x"}]})
    buffer.flush()
    event = AuditEvent.objects.get(action="population.identity.verify_batch")
    assert event.purpose == DECLARED["purpose"]
    assert (event.details["items"], event.details["looked_up"], event.details["errors"]) == (3, 2, 1)
    assert lookups_match_audit(event.target_id)
    assert [lookup.purpose for lookup in selectors.resident_lookup_history(resident=resident)] == [DECLARED["purpose"]]

    PartnerLookup.objects.filter(call_id=event.target_id, resident=other).delete()
    assert not lookups_match_audit(event.target_id)  # a removed row no longer matches the sealed digest


def test_each_call_leaves_one_audit_event_and_a_refused_call_is_audited_with_its_status(client, partner, resident):
    _post(client, "/identity/verify", partner, {**DECLARED, "personal_id": resident.personal_id, "sex": "male"})
    _post(client, "/identity/verify", partner, {**DECLARED, "personal_id": resident.personal_id, "shoe_size": 42})
    buffer.flush()
    events = list(AuditEvent.objects.filter(actor_id=str(partner.key.pk)).order_by("seq"))
    assert [event.action for event in events] == ["population.identity.verify", "api.call"]
    assert events[1].details == {"method": "POST", "path": "/api/v1/identity/verify", "status": 422}
