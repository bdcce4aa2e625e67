"""Form definitions as data: validation of a definition and its JSON Schema for the API.

A field: ``{"name", "label", "type": text|textarea|date|number|choice|commune, "required", "max_length",
"choices": [[value, label]…], "help", "prefill": <registry field>, "locked"}``. A field with a
``prefill`` source is filled from the population registry and locked unless ``"locked": false``
(the law lets the citizen declare it). A ``commune`` field holds the code of one of the province's
communes, picked by name.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

from congan.core.errors import ValidationFailed
from congan.org.selectors import commune_names

TYPES = {"text", "textarea", "date", "number", "choice", "commune"}
PREFILL_SOURCES = {
    "personal_id",
    "full_name",
    "birth_date",
    "sex",
    "phone",
    "email",
    "permanent_address",
    "current_address",
    "hometown",
    "ethnicity",
    "nationality",
}
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def check_definition(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The definition, normalised; ValidationFailed listing every problem otherwise."""
    problems: dict[str, list[str]] = {}
    seen: set[str] = set()
    normalised = []
    for position, field in enumerate(fields):
        name = str(field.get("name", ""))
        where = name or f"#{position}"
        if not NAME_RE.match(name) or name in seen:
            problems.setdefault(where, []).append(_("Tên trường phải là chữ thường không dấu và không trùng."))
        if field.get("type") not in TYPES:
            problems.setdefault(where, []).append(_("Kiểu trường không hợp lệ."))
        if field.get("type") == "choice" and not field.get("choices"):
            problems.setdefault(where, []).append(_("Trường lựa chọn cần danh sách lựa chọn."))
        if field.get("prefill") and field["prefill"] not in PREFILL_SOURCES:
            problems.setdefault(where, []).append(_("Nguồn điền sẵn không có trong CSDL dân cư."))
        seen.add(name)
        normalised.append(
            {
                **field,
                "required": bool(field.get("required", False)),
                "locked": bool(field.get("locked", bool(field.get("prefill")))),
            }
        )
    if problems:
        raise ValidationFailed(_("Mẫu tờ khai không hợp lệ."), details=problems)
    return normalised


_JSON_TYPES = {
    "text": "string",
    "textarea": "string",
    "date": "string",
    "number": "number",
    "choice": "string",
    "commune": "string",
}


def json_schema(fields: list[dict[str, Any]], *, title: str = "") -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for field in fields:
        prop: dict[str, Any] = {"type": _JSON_TYPES[field["type"]], "title": field["label"]}
        if field["type"] == "date":
            prop["format"] = "date"
        if field.get("max_length"):
            prop["maxLength"] = field["max_length"]
        if field["type"] == "choice":
            prop["enum"] = [value for value, _label in field["choices"]]
        if field["type"] == "commune":
            prop["enum"] = list(commune_names())
            prop["x-enumNames"] = list(commune_names().values())
        if field.get("help"):
            prop["description"] = field["help"]
        if field.get("prefill"):
            prop["x-prefill"] = field["prefill"]
            prop["readOnly"] = field["locked"]
        properties[field["name"]] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "properties": properties,
        "required": [field["name"] for field in fields if field["required"]],
        "additionalProperties": False,
    }


def clean_submission(
    fields: list[dict[str, Any]], data: dict[str, Any], registry: dict[str, str]
) -> tuple[dict[str, Any], list[str]]:
    """Values to store and the names filled from the registry. A locked prefilled field takes the
    registry's value whatever was sent; unknown keys and invalid values raise ValidationFailed."""
    errors: dict[str, list[str]] = {}
    known = {field["name"] for field in fields}
    for name in sorted(set(data) - known):
        errors[name] = [_("Trường không có trong tờ khai.")]
    cleaned: dict[str, Any] = {}
    prefilled: list[str] = []
    for field in fields:
        name = field["name"]
        source = field.get("prefill")
        value = data.get(name)
        if source and registry.get(source) and (field["locked"] or value in (None, "")):
            value = registry[source]
            prefilled.append(name)
        value = "" if value is None else str(value).strip()
        if not value:
            if field["required"]:
                errors.setdefault(name, []).append(_("Bắt buộc."))
            continue
        problem = _check_value(field, value)
        if problem:
            errors.setdefault(name, []).append(problem)
        cleaned[name] = value
    if errors:
        raise ValidationFailed(details=errors)
    return cleaned, prefilled


def display_value(field: dict[str, Any], value: str) -> str:
    """What a person reads for a stored value: a choice's label, a commune's name."""
    if field["type"] == "choice":
        return dict(field["choices"]).get(value, value)
    if field["type"] == "commune":
        return commune_names().get(value, value)
    if field["type"] == "date":
        return written_date(value)
    return value


def written_date(value: str) -> str:
    """A stored (possibly partial) ISO date as people write it: 02/09/1988, 09/1988 or 1988."""
    if not isinstance(value, str) or not _DATE.match(value):
        return value
    return "/".join(reversed(value.split("-")))


_WRITTEN_DATE = re.compile(r"^(?:(\d{1,2})[/.-])?(?:(\d{1,2})[/.-])?(\d{4})$")


def stored_date(text: str) -> str | None:
    """What a person typed (dd/mm/yyyy, mm/yyyy, yyyy, or ISO) as the stored ISO date, or None
    when it is no date (a day the month lacks included)."""
    text = text.strip()
    if _DATE.match(text):
        return text if _is_day(text) else None
    match = _WRITTEN_DATE.match(text)
    if not match:
        return None
    first, second, year = match.groups()
    day, month = (first, second) if second else (None, first)
    iso = "-".join(part for part in (year, month and f"{int(month):02d}", day and f"{int(day):02d}") if part)
    return iso if _is_day(iso) else None


def _is_day(iso: str) -> bool:
    parts = [int(part) for part in iso.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _check_value(field: dict[str, Any], value: str) -> str | None:
    if field.get("max_length") and len(value) > field["max_length"]:
        return _("Dài quá %(max)s ký tự.") % {"max": field["max_length"]}
    if field["type"] == "choice" and value not in {choice for choice, _label in field["choices"]}:
        return _("Giá trị không nằm trong danh sách.")
    if field["type"] == "commune" and value not in commune_names():
        return _("Chọn xã, phường trong danh sách.")
    if field["type"] == "date" and not _DATE.match(value):
        return _("Ngày phải viết yyyy-mm-dd.")
    if field["type"] == "number":
        try:
            float(value)
        except ValueError:
            return _("Phải là số.")
    return None
