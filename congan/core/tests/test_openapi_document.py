"""The OpenAPI document describes what the server does (issue 16, item 11): one component per
schema name (two classes of one name made the document describe one operation with the other's
schema), JSON bodies typed as strictly as the document types them, and the rules the server
enforces stated in the document (NUL characters, a declared purpose)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

import pytest
from django.test import Client
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema

from congan.api import api
from congan.core.api import PlatformAPI

NUL = "\x00"


def _operations():
    for bound_router in api._get_bound_routers():
        for path, path_view in bound_router.path_operations.items():
            for operation in path_view.operations:
                yield f"{operation.methods} {bound_router.prefix}{path}", operation


def _definitions(model: Any, mode: str, by_alias: bool = True) -> dict[str, Any]:
    schema = model.model_json_schema(
        ref_template=REF_TEMPLATE, by_alias=by_alias, schema_generator=NinjaGenerateJsonSchema, mode=mode
    )
    return schema.get("$defs", {})


def test_no_two_schemas_share_a_component_name():
    """Each operation's own models, as ninja writes them into the document: a name that stands for
    two different schemas is a component one of them loses."""
    seen: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for where, operation in _operations():
        for model in operation.models:
            for name, schema in _definitions(model, "validation").items():
                seen[name][json.dumps(schema, sort_keys=True)].append(where)
        for model in operation.response_models.values():
            if model not in (None, Ellipsis) and hasattr(model, "model_json_schema"):
                for name, schema in _definitions(model, "serialization", operation.by_alias).items():
                    seen[name][json.dumps(schema, sort_keys=True)].append(where)
    collisions = {name: [uses[0] for uses in variants.values()] for name, variants in seen.items() if len(variants) > 1}
    assert collisions == {}


def test_the_document_refuses_to_build_with_two_schemas_of_one_name():
    from ninja import Router, Schema

    class ThingOut(Schema):
        a: int

    first = ThingOut

    class ThingOut(Schema):  # the point: another class of the same name
        b: str

    router = Router()
    router.get("/a", response=list[first])(lambda request: [])
    router.get("/b", response=list[ThingOut])(lambda request: [])
    clashing = PlatformAPI(urls_namespace="clash")
    clashing.add_router("/x", router)
    with pytest.raises(ValueError, match="ThingOut"):
        clashing.get_openapi_schema(path_prefix="/")


def _core_types(schema: Any, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(schema, dict):
        if schema.get("type") in ("bool", "int", "float"):
            found.append(schema)
        for value in schema.values():
            _core_types(value, found)
    elif isinstance(schema, list):
        for value in schema:
            _core_types(value, found)
    return found


def test_json_bodies_take_booleans_integers_and_numbers_as_the_document_types_them():
    """``"delivered": 0`` for a boolean, ``"5"`` for an integer: pydantic's lax mode took them."""
    lax = []
    for where, operation in _operations():
        for model in operation.models:
            if model.__ninja_param_source__ != "body":
                continue
            for schema in _core_types(model.__pydantic_core_schema__, []):
                if not schema.get("strict"):
                    lax.append(f"{where}: {schema['type']}")
    assert lax == []


@pytest.fixture(scope="module")
def document(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


def _input_schemas(document: dict) -> list[tuple[str, dict]]:
    """(where, schema) of every parameter and of every request body component, nested ones too."""
    found = []
    components = document["components"]["schemas"]
    names: set[str] = set()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                found.append((f"{method} {path} {parameter['name']}", parameter["schema"]))
            for content in operation.get("requestBody", {}).get("content", {}).values():
                found.append((f"{method} {path} body", content["schema"]))
    todo = [schema for _, schema in found]
    while todo:
        for ref in re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(todo.pop())):
            if ref not in names:
                names.add(ref)
                found.append((ref, components[ref]))
                todo.append(components[ref])
    return found


def _strings(schema: Any, where: str):
    if isinstance(schema, dict):
        if schema.get("type") == "string":
            yield where, schema
        for key, value in schema.items():
            yield from _strings(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from _strings(value, f"{where}/{index}")


def test_every_string_the_server_takes_says_that_it_refuses_nul(document):
    """The server refuses NUL in every string it takes (PostgreSQL cannot store it): the document
    says so with a pattern, unless the string's enum or format already leaves NUL out."""
    silent = []
    for where, schema in _input_schemas(document):
        for at, string in _strings(schema, where):
            if "enum" in string or "const" in string or string.get("format") in ("binary", "date", "date-time"):
                continue
            pattern = string.get("pattern")
            if pattern is None or re.search(pattern, f"a{NUL}b") or re.search(pattern, NUL):
                silent.append(at)
    assert silent == []


@pytest.mark.parametrize(
    ("path", "method"),
    [("/api/v1/identity/verify", "post"), ("/api/v1/identity/verify/batch", "post")],
)
def test_a_partner_call_states_that_purpose_and_legal_basis_are_required(document, path, method):
    ref = document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert {"purpose", "legal_basis"} <= set(body["required"])
    for name in ("purpose", "legal_basis"):
        pattern = body["properties"][name]["pattern"]
        assert not re.search(pattern, "") and not re.search(pattern, "  ")
        assert re.search(pattern, "Xác minh khách hàng")


def test_resident_read_states_that_purpose_and_legal_basis_are_required(document):
    parameters = {p["name"]: p for p in document["paths"]["/api/v1/residents/{personal_id}"]["get"]["parameters"]}
    for name in ("purpose", "legal_basis"):
        assert parameters[name]["required"]
        assert not re.search(parameters[name]["schema"]["pattern"], " ")
