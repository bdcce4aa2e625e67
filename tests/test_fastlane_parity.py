"""The fast lane answers as Django does (issue 16, item 16). For every route the lane serves, the
same requests go through Django's test client and through the lane: a host Django refuses, a good
call, the error paths every route shares (credentials, malformed, too deep or oversized bodies,
NUL characters, unknown fields), in both languages. Status, body and the headers a caller reads
must be the same, and every answer must match what the OpenAPI document says of that status."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jsonschema_rs
import pytest
from django.test import Client

from congan.core import fastlane
from congan.core.apikeys import api_key_issue
from congan.core.jsonbody import MAX_DEPTH
from congan.core.models import ApiClient
from congan.core.testing.fastlane import FastLaneClient
from congan.incidents import services as incidents
from congan.population import policies
from congan.population.models import PartnerPolicy
from congan.population.tests.factories import ResidentFactory

COMPARED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "Retry-After",
    "Allow",
)
DECLARED = {"purpose": "Mở tài khoản ngân hàng", "legal_basis": "Nghị định 69/2024/NĐ-CP"}
DEEP = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)


@pytest.fixture
def world(commune, province):
    """What a good call of each lane route needs."""
    policies.clear_cache()
    incidents.kinds_load(by="system")
    resident = ResidentFactory(unit=commune, full_name="Nguyễn Văn An")
    issued = api_key_issue(
        by="system",
        client=ApiClient.objects.create(name="Đối tác"),
        name="k",
        scopes=["identity.verify", "violations.lookup"],
        rate_limit_per_minute=10_000,
    )
    PartnerPolicy.objects.create(api_key=issued.key, operations=["verify"], fields=[])
    yield {"key": issued.raw, "personal_id": resident.personal_id}
    policies.clear_cache()


def _verify(world: dict[str, str], transport: str) -> dict[str, Any]:
    return {"body": {**DECLARED, "personal_id": world["personal_id"], "full_name": "Nguyễn Văn An"}}


def _lookup(world: dict[str, str], transport: str) -> dict[str, Any]:
    return {"query": {"plate": "43A12345", "vehicle_kind": "car"}}


def _report(world: dict[str, str], transport: str) -> dict[str, Any]:
    body = {
        "kind": "CHAY.XE",
        "description": "Xe tải bốc cháy trên cầu Thuận Phước",
        "commune_code": "20194",
        "anonymous": True,
        "client_token": f"parity-{transport}",
    }
    return {"body": body, "volatile": {"tracking_code", "received_at", "events"}}


# A good call of each lane route, by (method, path); a new lane route fails the test below until it
# has one here.
GOOD_CALLS: dict[tuple[str, str], Callable[[dict[str, str], str], dict[str, Any]]] = {
    ("POST", "/api/v1/identity/verify"): _verify,
    ("GET", "/api/v1/violations/lookup"): _lookup,
    ("POST", "/api/v1/reports"): _report,
}


def test_every_lane_route_has_a_good_call_here():
    assert set(GOOD_CALLS) == set(fastlane.routes())


def _lane_routes() -> list[tuple[str, str]]:
    return sorted(GOOD_CALLS)


@pytest.fixture(scope="module")
def document(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


def _send(client: Client, method: str, path: str, *, key: str = "", **call: Any):
    headers = {"HTTP_X_API_KEY": key} if key else {}
    headers.update(call.get("headers", {}))
    if method == "GET":
        return client.get(path, call.get("query", {}), **headers)
    raw = call["raw"] if "raw" in call else json.dumps(call.get("body", {}))
    return client.post(path, raw, content_type="application/json", **headers)


def _both(method: str, path: str, **call: Any):
    django = _send(Client(), method, path, **call)
    lane = _send(FastLaneClient(), method, path, **call)
    assert getattr(lane, "served_by_fast_lane", False) or call.get("django_answers"), "the lane did not answer"
    return django, lane


def _assert_alike(django, lane, *, volatile: set[str] = frozenset()) -> None:
    assert lane.status_code == django.status_code, (django.content, lane.content)
    django_body, lane_body = django.json(), lane.json()
    if volatile:
        assert set(lane_body) == set(django_body)
        django_body = {k: v for k, v in django_body.items() if k not in volatile}
        lane_body = {k: v for k, v in lane_body.items() if k not in volatile}
    assert lane_body == django_body
    for name in COMPARED_HEADERS:
        assert lane.headers.get(name) == django.headers.get(name), name
    assert ("X-Request-ID" in lane.headers) == ("X-Request-ID" in django.headers)


def _assert_documented(document: dict, method: str, path: str, response) -> None:
    """The answer's status is documented for the operation and its body matches the schema."""
    responses = document["paths"][path][method.lower()]["responses"]
    documented = responses.get(str(response.status_code))
    assert documented is not None, f"{method} {path} answers {response.status_code}, undocumented"
    schema = documented["content"]["application/json"]["schema"]
    validator = jsonschema_rs.Draft202012Validator({**schema, "components": document["components"]})
    validator.validate(response.json())


def _check(document: dict, method: str, path: str, *, volatile: set[str] = frozenset(), **call: Any):
    django, lane = _both(method, path, **call)
    _assert_alike(django, lane, volatile=volatile)
    if not call.get("django_answers"):
        _assert_documented(document, method, path, django)
        _assert_documented(document, method, path, lane)
    return django


@pytest.mark.parametrize(("method", "path"), _lane_routes())
def test_a_good_call_gets_the_same_documented_answer(world, document, method, path):
    django, lane = (
        _send(Client(), method, path, key=world["key"], **GOOD_CALLS[method, path](world, "django")),
        _send(FastLaneClient(), method, path, key=world["key"], **GOOD_CALLS[method, path](world, "lane")),
    )
    assert getattr(lane, "served_by_fast_lane", False)
    assert django.status_code < 300, django.json()
    _assert_alike(django, lane, volatile=GOOD_CALLS[method, path](world, "").get("volatile", set()))
    _assert_documented(document, method, path, django)
    _assert_documented(document, method, path, lane)


@pytest.mark.parametrize(("method", "path"), _lane_routes())
@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example"])
def test_a_host_django_refuses_is_refused_alike(world, document, method, path, host):
    call = GOOD_CALLS[method, path](world, host)
    django = _check(document, method, path, key=world["key"], headers={"HTTP_HOST": host}, django_answers=True, **call)
    assert django.status_code == 400


def _secured(document: dict, method: str, path: str) -> bool:
    return bool(document["paths"][path][method.lower()].get("security"))


@pytest.mark.parametrize(("method", "path"), _lane_routes())
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_error_paths_answer_alike(world, document, method, path, language, settings):
    good = GOOD_CALLS[method, path](world, "errors")
    lang = {"HTTP_ACCEPT_LANGUAGE": language}
    if method == "GET":
        _check(document, method, path, key=world["key"], query={**good["query"], "plate": "43A\x0012345"}, headers=lang)
        _check(document, method, path, key=world["key"], query={}, headers=lang)
        _check(document, method, path, key=world["key"], query={**good["query"], "extra": "1"}, headers=lang)
        if _secured(document, method, path):
            _check(document, method, path, key="cgk_unknown", query=good["query"], headers=lang)
            _check(document, method, path, query=good["query"], headers=lang)
        return
    key = world["key"]
    for raw in ("{not json", DEEP, "[]", "null", json.dumps({**good["body"], "unknown": 1})):
        _check(document, method, path, key=key, raw=raw, headers=lang)
    _check(document, method, path, key=key, body={**good["body"], "client_token": "a\x00b"}, headers=lang)
    if _secured(document, method, path):
        _check(document, method, path, key="cgk_unknown", body=good["body"], headers=lang)
        _check(document, method, path, body=good["body"], headers=lang)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64
    _check(document, method, path, key=key, body=good["body"], headers=lang)


def test_lane_routes_are_the_ninja_operations_they_name():
    from congan.incidents.api import submit_report
    from congan.population.api import verify_identity
    from congan.traffic.api_violations import lookup

    document = Client().get("/api/v1/openapi.json").json()
    for (method, path), found in fastlane.routes().items():
        assert document["paths"][path][method.lower()]["operationId"] == found.operation_id
    assert {found.operation_id for found in fastlane.routes().values()} == {
        "congan_incidents_api_submit_report",
        "congan_population_api_verify_identity",
        "congan_traffic_api_violations_lookup",
    }
    assert fastlane.routes()["POST", "/api/v1/identity/verify"].body.__name__ == "VerifyIn"
    assert {submit_report, verify_identity, lookup} <= set(fastlane._handlers)
