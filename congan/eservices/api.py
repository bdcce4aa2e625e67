"""Public catalogue API: procedures and their form as JSON Schema."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from congan.core.api import error_responses
from congan.eservices import selectors
from congan.eservices.formdefs import json_schema

router = Router(tags=["eservices"])


class ProcedureOut(Schema):
    code: str
    national_code: str
    name: str
    field: str
    level: str
    handling_unit_kind: str
    legal_basis: str
    processing_days: int | None
    processing_note: str
    can_pause: bool
    can_extend: bool
    fee_in_person: int | None
    fee_online: int | None
    fee_note: str
    required_attachments: list[str]
    result_type: str
    account_level: int
    unverified: list[str]


@router.get("/procedures", auth=None, response={200: list[ProcedureOut], **error_responses(422)})
def list_procedures(request: HttpRequest, q: str = "", field: str = "", level: str = ""):
    """Thủ tục hành chính đang áp dụng; ``q`` tìm theo tên, không phân biệt dấu."""
    return list(selectors.procedure_list(q=q[:200], field=field[:20], level=level[:12]))


@router.get("/procedures/{code}", auth=None, response={200: ProcedureOut, **error_responses(404)})
def get_procedure(request: HttpRequest, code: str):
    return selectors.procedure_get(code=code)


@router.get("/procedures/{code}/form", auth=None, response={200: dict[str, Any], **error_responses(404)})
def get_procedure_form(request: HttpRequest, code: str):
    """The current form version as JSON Schema; ``x-prefill`` names the registry field that fills it."""
    procedure = selectors.procedure_get(code=code)
    form = procedure.current_form
    schema = json_schema(form.fields if form else [], title=procedure.name)
    schema["x-form-version"] = form.version if form else None
    return schema
