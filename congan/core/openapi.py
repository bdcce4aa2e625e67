"""The OpenAPI document says what the server does: each schema name stands for one schema, and the
rules every request goes through (``congan.core.jsonbody`` refuses NUL characters in every string
and key it takes) are written into the schemas of what callers send.

Rules of one operation are written where its fields are declared, with pydantic's own constraints
or, when a service enforces the rule with its own error code, ``documented(...)``.
"""

from __future__ import annotations

from typing import Any

from ninja.openapi.schema import OpenAPISchema

# ECMA-262 and Python regular expressions alike (JSON Schema's "pattern" is ECMA-262, unanchored).
NUL_FREE = "^[^\\x00]*$"
# At least one character that is not white space (what ``str.strip()`` leaves), and no NUL.
NON_BLANK = "^[^\\x00]*[^\\s\\x00][^\\x00]*$"

_REF_PREFIX = "#/components/schemas/"
# String formats whose values cannot hold a NUL character.
_FORMATS_WITHOUT_NUL = frozenset({"date", "date-time", "time", "binary", "uuid", "email", "uri"})


def documented(**rules: Any) -> Any:
    """A field's JSON Schema ``rules`` (``pattern``, ``minLength``…) that a service, not pydantic,
    enforces: ``purpose: str = Field("", json_schema_extra=documented(pattern=NON_BLANK))``."""
    return {_json_schema_name(name): value for name, value in rules.items()}


def _json_schema_name(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class Document(OpenAPISchema):
    """django-ninja's document, refusing two different schemas of one name (ninja keeps the last one
    and describes the other operation with it: two ``EventOut`` did that)."""

    def add_schema_definitions(self, definitions: dict) -> None:
        for name, schema in definitions.items():
            known = self.schemas.get(name)
            if known is not None and known != schema:
                raise ValueError(f"Two API schemas are named {name!r}: rename one (the OpenAPI document would lie).")
        super().add_schema_definitions(definitions)


def document_input_rules(document: dict[str, Any]) -> None:
    """Write the NUL rule into every string and object key a request may carry (parameters, request
    bodies and the components they use) that does not already leave NUL out."""
    components = document.get("components", {}).get("schemas", {})
    done: set[str] = set()
    todo: list[Any] = []
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            todo += [parameter.get("schema") for parameter in operation.get("parameters") or []]
            todo += [content.get("schema") for content in operation.get("requestBody", {}).get("content", {}).values()]
    while todo:
        todo += _nul_free(todo.pop(), components, done)


def _nul_free(schema: Any, components: dict[str, Any], done: set[str]) -> list[Any]:
    """Mark ``schema`` and what it holds; returns the components it refers to, not yet seen."""
    found: list[Any] = []
    stack = [schema]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack += value
            continue
        if not isinstance(value, dict):
            continue
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
            name = ref.removeprefix(_REF_PREFIX)
            if name not in done and name in components:
                done.add(name)
                found.append(components[name])
        if value.get("type") == "string" and _may_hold_nul(value):
            value["pattern"] = NUL_FREE
        if value.get("type") == "object" and value.get("additionalProperties") is not False:
            value.setdefault("propertyNames", {"pattern": NUL_FREE})
        stack += [item for key, item in value.items() if key not in ("enum", "const", "examples", "default")]
    return found


def _may_hold_nul(schema: dict[str, Any]) -> bool:
    return not ("pattern" in schema or "enum" in schema or "const" in schema) and (
        schema.get("format") not in _FORMATS_WITHOUT_NUL
    )
