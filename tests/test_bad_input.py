"""Bad input never yields a 500 (issue 16, item 9): one JSON depth limit for every body the API
parses (django-ninja, the fast lane, NDJSON and multipart events), and integers bounded to 64 bits
in every schema, so no value reaches the database that it cannot hold."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from congan.core import apikeys, jsonbody
from congan.core.models import ApiClient
from congan.core.testing.fastlane import FastLaneClient

INT64_MAX = 2**63 - 1
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def partner_key(db, admin_officer):
    issued = apikeys.api_key_issue(
        by=admin_officer,
        client=ApiClient.objects.create(name="Đối tác"),
        name="k",
        scopes=["identity.verify", "violations.ingest"],
        rate_limit_per_minute=10_000,
    )
    return issued.raw


def test_a_body_nested_too_deep_is_refused_before_anything_walks_it():
    with pytest.raises(jsonbody.MalformedBody):
        jsonbody.json_body(DEEP)
    at_the_limit = "[" * jsonbody.MAX_DEPTH + "]" * jsonbody.MAX_DEPTH
    assert jsonbody.json_body(at_the_limit)[1] == []
    with pytest.raises(jsonbody.MalformedBody):
        jsonbody.json_body("[" + at_the_limit + "]")
    with pytest.raises(jsonbody.MalformedBody):
        jsonbody.json_body('{"a": ' * (jsonbody.MAX_DEPTH + 1) + "1" + "}" * (jsonbody.MAX_DEPTH + 1))


@pytest.mark.parametrize("client_class", [Client, FastLaneClient], ids=["django", "fast lane"])
@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/v1/reports", "application/json"),
        ("/api/v1/identity/verify", "application/json"),
        ("/api/v1/identity/verify/batch", "application/json"),
        ("/api/v1/violation-events", "application/json"),
        ("/api/v1/violation-events", "application/x-ndjson"),
        ("/api/v1/citizen/token", "application/json"),
    ],
)
def test_a_body_nested_100000_levels_deep_is_a_400_json_error(partner_key, client_class, path, content_type):
    response = client_class().post(path, DEEP, content_type=content_type, HTTP_X_API_KEY=partner_key)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "malformed_body"
    assert body["details"] == {"max_depth": jsonbody.MAX_DEPTH}


def test_a_deep_event_in_a_multipart_upload_is_a_400_json_error(partner_key):
    response = Client().post("/api/v1/violation-events", {"event": DEEP}, HTTP_X_API_KEY=partner_key)
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_body"


@pytest.mark.parametrize("body", ["null", "1", '"event"'])
def test_a_violation_events_body_that_is_neither_an_event_nor_a_list_is_422(partner_key, body):
    response = Client().post(
        "/api/v1/violation-events", body, content_type="application/json", HTTP_X_API_KEY=partner_key
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


@pytest.mark.parametrize("value", [2**64, INT64_MAX + 1, -(2**70)])
def test_an_integer_beyond_64_bits_in_a_dispatch_body_is_422(officer_client, value):
    response = officer_client.post(
        "/api/v1/incidents/reports/1/dispatch", {"units": [value]}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert "units.0" in response.json()["details"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/incidents/reports/{n}/triage"),
        ("get", "/api/v1/incidents/reports/{n}/recommendations"),
        ("get", "/api/v1/org/units/{n}"),
        ("get", "/api/v1/violations/{n}"),
        ("get", "/api/v1/eservices/dossiers/{n}"),
        ("post", "/api/v1/patrol-units/{n}/position"),
    ],
)
def test_an_identifier_beyond_64_bits_in_a_path_is_not_a_server_error(officer_client, method, path):
    response = getattr(officer_client, method)(path.format(n=2**70), {}, content_type="application/json")
    assert response.status_code in (404, 422)
    assert set(response.json()) == {"code", "message", "details"}


def _integer_schemas(value, where="#"):
    if isinstance(value, dict):
        if value.get("type") == "integer" or (isinstance(value.get("type"), list) and "integer" in value["type"]):
            yield where, value
        for key, item in value.items():
            yield from _integer_schemas(item, f"{where}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _integer_schemas(item, f"{where}/{index}")


@pytest.mark.django_db
def test_every_integer_the_document_takes_is_bounded_to_64_bits():
    document = Client().get("/api/v1/openapi.json").json()
    unbounded = []
    inputs = [document["paths"], *_input_components(document)]
    for where, schema in (found for part in inputs for found in _integer_schemas(part)):
        if "/responses/" in where:
            continue
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        if low is None or high is None or low < -(2**63) or high > INT64_MAX:
            unbounded.append(where)
    assert unbounded == []


def _input_components(document):
    """The components a request body refers to (directly or through another component)."""
    components = document["components"]["schemas"]
    names: set[str] = set()
    todo = [
        ref
        for item in document["paths"].values()
        for operation in item.values()
        for ref in _refs(operation.get("requestBody", {}))
    ]
    while todo:
        name = todo.pop().rsplit("/", 1)[-1]
        if name not in names:
            names.add(name)
            todo.extend(_refs(components[name]))
    return [components[name] for name in sorted(names)]


def _refs(value):
    return [ref for ref in json.dumps(value).split('"$ref": "')[1:] for ref in [ref.split('"', 1)[0]]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("component", "field", "low", "high"),
    [("RatingIn", "score", 1, 5), ("ExtendIn", "days", 1, 30), ("PaymentIn", "amount", 0, 2_000_000_000)],
)
def test_a_field_with_bounds_of_its_own_keeps_them(component, field, low, high):
    schema = Client().get("/api/v1/openapi.json").json()["components"]["schemas"][component]["properties"][field]
    assert (schema["minimum"], schema["maximum"]) == (low, high)


def test_a_line_nested_too_deep_in_an_import_file_is_a_rejected_row(tmp_path):
    from congan.population.importing.readers import JsonLinesFile

    path = tmp_path / "residents.jsonl"
    path.write_text('{"personal_id": "048084000001"}\n' + DEEP + "\n", encoding="utf-8")
    rows = list(JsonLinesFile(path).rows())
    assert [number for number, _, problem in rows if problem] == [2]
