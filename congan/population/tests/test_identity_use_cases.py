"""The partner identity use cases live in population's selectors (issue 16, item 17): the ninja
endpoints and the fast lane are thin adapters over the same functions, which can be called (and
are tested) without HTTP."""

from __future__ import annotations

import json

import pytest

from congan.core.apikeys import api_key_issue
from congan.core.audit import buffer
from congan.core.errors import NotFound, PermissionDenied, ValidationFailed
from congan.core.models import ApiClient, AuditEvent
from congan.population import policies, selectors
from congan.population.models import PartnerLookup, PartnerPolicy
from congan.population.schemas import Declaration, VerifyBatchIn, VerifyIn
from congan.population.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db
DECLARED = {"purpose": "Mở tài khoản ngân hàng", "legal_basis": "Nghị định 69/2024/NĐ-CP"}


@pytest.fixture(autouse=True)
def _fresh_policy_cache():
    policies.clear_cache()
    yield
    policies.clear_cache()


@pytest.fixture
def key(db):
    client = ApiClient.objects.create(name="Ngân hàng Thử")
    scopes = ["identity.verify", "identity.verify_batch", "residents.read"]
    issued = api_key_issue(by="system", client=client, name="máy chủ", scopes=scopes, rate_limit_per_minute=1000)
    PartnerPolicy.objects.create(
        api_key=issued.key, operations=["verify", "verify_batch", "read"], fields=["full_name", "birth_date"]
    )
    return issued


@pytest.fixture
def resident(commune):
    return ResidentFactory(
        unit=commune, full_name="Hà Văn Sơn", sex="male", birth_year=1979, birth_month=1, birth_day=None
    )


def test_verify_is_a_use_case_of_its_own(key, resident):
    claim = VerifyIn(personal_id=resident.personal_id, full_name="ha van son", **DECLARED)
    result = selectors.identity_verify(api_key=key.key, payload=claim)
    assert (result["found"], result["match"], result["fields"]) == (True, True, {"full_name": "folded"})
    buffer.flush()
    event = AuditEvent.objects.get(action="population.identity.verify")
    assert (event.target_id, event.purpose) == (str(resident.pk), DECLARED["purpose"])


def test_the_batch_is_a_use_case_with_its_size_limit(key, resident):
    batch = VerifyBatchIn(
        items=[{"personal_id": resident.personal_id, "sex": "male"}, {"personal_id": "12"}], **DECLARED
    )
    results = selectors.identity_verify_batch(api_key=key.key, payload=batch)
    assert results[0]["match"] is True and results[1]["error"]["code"] == "invalid_personal_id"
    assert list(PartnerLookup.objects.values_list("resident_id", flat=True)) == [resident.pk]
    too_many = VerifyBatchIn(items=[{"personal_id": "0" * 12, "sex": "male"}] * 1001, **DECLARED)
    with pytest.raises(ValidationFailed) as refused:
        selectors.identity_verify_batch(api_key=key.key, payload=too_many)
    assert refused.value.code == "batch_too_large"


def test_reading_a_resident_is_a_use_case_with_its_rules(key, resident):
    declaration = Declaration(**DECLARED)
    read = selectors.resident_read(api_key=key.key, personal_id=resident.personal_id, declaration=declaration)
    assert read == {"personal_id": resident.personal_id, "fields": {"full_name": "Hà Văn Sơn", "birth_date": "1979-01"}}
    with pytest.raises(ValidationFailed):
        selectors.resident_read(api_key=key.key, personal_id="12AB", declaration=declaration)
    with pytest.raises(NotFound):
        selectors.resident_read(api_key=key.key, personal_id="048199999999", declaration=declaration)
    resident.partner_lookup_locked = True
    resident.save()
    with pytest.raises(PermissionDenied):
        selectors.resident_read(api_key=key.key, personal_id=resident.personal_id, declaration=declaration)


@pytest.mark.parametrize(
    ("path", "use_case", "body"),
    [
        ("/identity/verify", "identity_verify", {"personal_id": "048079000001", "sex": "male"}),
        (
            "/identity/verify/batch",
            "identity_verify_batch",
            {"items": [{"personal_id": "048079000001", "sex": "male"}]},
        ),
    ],
)
def test_the_endpoints_and_the_fast_lane_only_adapt(either_client, key, monkeypatch, path, use_case, body):
    calls = []
    canned = {"personal_id": "048079000001", "found": False, "match": False, "fields": {}}

    def fake(*, api_key, payload):
        calls.append((api_key.pk, payload.purpose))
        return canned if use_case == "identity_verify" else [canned]

    monkeypatch.setattr(selectors, use_case, fake)
    response = either_client.post(
        f"/api/v1{path}", json.dumps({**DECLARED, **body}), content_type="application/json", HTTP_X_API_KEY=key.raw
    )
    assert response.status_code == 200, response.json()
    assert calls == [(key.key.pk, DECLARED["purpose"])]
    answer = response.json() if use_case == "identity_verify" else response.json()["results"][0]
    assert {name: answer[name] for name in canned} == canned


def test_the_read_endpoint_only_adapts(client, key, monkeypatch):
    monkeypatch.setattr(
        selectors,
        "resident_read",
        lambda *, api_key, personal_id, declaration: {"personal_id": personal_id, "fields": {"x": declaration.purpose}},
    )
    response = client.get("/api/v1/residents/048079000001", DECLARED, HTTP_X_API_KEY=key.raw)
    assert response.json() == {"personal_id": "048079000001", "fields": {"x": DECLARED["purpose"]}}


def test_a_verification_is_one_query_once_the_policy_is_cached(key, resident, django_assert_num_queries):
    """The hot path (bench/identity_verify.py): the prepared select and nothing else; the audit
    event goes to the buffered writer."""
    claim = VerifyIn(personal_id=resident.personal_id, sex="male", **DECLARED)
    selectors.identity_verify(api_key=key.key, payload=claim)
    with django_assert_num_queries(1):
        selectors.identity_verify(api_key=key.key, payload=claim)
