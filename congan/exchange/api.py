"""Exchange API: another system (a partner key of scope ``documents.receive``) or a records clerk
hands in an edXML envelope, or a status packet answering a document we sent. Parsing and
rendering only."""

import base64
import binascii
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from congan.core.api import error_responses, require_scope
from congan.core.errors import PermissionDenied, ValidationFailed
from congan.core.jsonbody import json_body
from congan.documents import selectors as documents_selectors
from congan.exchange import edxml, services
from congan.exchange.display import warnings_of
from congan.org.models import Officer, Unit

router = Router(tags=["documents"])
RECEIVE_SCOPE = "documents.receive"

_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/xml": {"schema": {"type": "string", "description": "Gói tin edXML nguyên văn"}},
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["envelope_base64"],
                    "properties": {
                        "envelope_base64": {"type": "string", "description": "Gói tin edXML mã hóa base64"},
                        "to_unit": {"type": "string", "maxLength": 35, "description": "Mã đơn vị hoặc mã định danh"},
                        "client_token": {"type": "string", "maxLength": 64},
                    },
                    "additionalProperties": False,
                }
            },
        },
    }
}


class EnvelopeOut(Schema):
    message_id: int
    incoming_id: int | None
    incoming_status: str | None
    document_id: str
    from_agency_id: str
    signed: bool
    created: bool
    warnings: list[str]


class StatusOut(Schema):
    message_id: int
    code: str
    code_label: str
    created: bool


def _packet(request: HttpRequest) -> tuple[bytes, str, str]:
    """(the packet, the named receiving unit, the idempotency key) from an XML or a JSON body."""
    data, to_unit, token = _packet_parts(request)
    if "\x00" in to_unit or "\x00" in token:
        field = "to_unit" if "\x00" in to_unit else "client_token"
        raise ValidationFailed(details={field: [_("Không được chứa ký tự NUL (\\x00).")]})
    return data, to_unit, token


def _packet_parts(request: HttpRequest) -> tuple[bytes, str, str]:
    token = request.headers.get("Idempotency-Key", "")
    if request.content_type == "application/json":
        body, problems = json_body(request.body)
        if problems:
            raise ValidationFailed(details={".".join(map(str, p["loc"])): [p["msg"]] for p in problems})
        if not isinstance(body, dict) or not isinstance(body.get("envelope_base64"), str):
            raise ValidationFailed(details={"envelope_base64": [_("Cần gói tin edXML mã hóa base64.")]})
        extra = set(body) - {"envelope_base64", "to_unit", "client_token"}
        if extra:
            raise ValidationFailed(details={name: [_("Trường không được nhận.")] for name in sorted(extra)})
        try:
            data = base64.b64decode(body["envelope_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise ValidationFailed(details={"envelope_base64": [_("base64 không hợp lệ.")]}) from None
        to_unit = body.get("to_unit") if isinstance(body.get("to_unit"), str) else ""
        client_token = body.get("client_token") if isinstance(body.get("client_token"), str) else ""
        return data, str(to_unit)[:35], str(client_token or token)[:64]
    if not request.body:
        raise ValidationFailed(details={"envelope": [_("Cần gói tin edXML trong thân yêu cầu.")]})
    return request.body, request.GET.get("to_unit", "")[:35], token[:64]


def _caller(request: HttpRequest) -> Any:
    return getattr(request, "auth", None)


def _unit(request: HttpRequest, to_unit: str, data: bytes) -> tuple[Unit, str]:
    """(the receiving unit, whose idempotency key it is): a clerk's own unit; for a partner key the
    unit named, or the unit whose agency identifier the envelope is addressed to."""
    caller = _caller(request)
    if isinstance(caller, Officer):
        if not caller.has_perm(documents_selectors.REGISTER) or caller.unit is None:
            raise PermissionDenied()
        return caller.unit, f"officer:{caller.pk}"
    require_scope(request, RECEIVE_SCOPE)
    codes = [to_unit.strip()] if to_unit.strip() else edxml.recipient_ids(data)
    active = Unit.objects.filter(active=True)
    unit = active.filter(Q(code__in=codes) | Q(agency_code__in=codes)).order_by("pk").first() if codes else None
    if unit is None:
        raise ValidationFailed(details={"to_unit": [_("Không có đơn vị nhận với mã này.")]})
    return unit, f"client:{caller.client_id}"


@router.post(
    "/documents/edxml",
    response={200: EnvelopeOut, 201: EnvelopeOut, **error_responses(400, 401, 403, 409, 422, 429)},
    openapi_extra=_BODY,
)
def receive_edxml_envelope(request: HttpRequest):
    """Nhận gói tin edXML (QCVN 102:2016): văn bản vào danh sách chờ vào sổ của đơn vị nhận, tệp PDF
    kèm theo giữ nguyên. Thân yêu cầu là gói tin (application/xml) hoặc JSON có ``envelope_base64``.
    Gửi lại cùng gói tin (cùng DocumentId và nơi gửi) hoặc cùng khóa Idempotency-Key trả về lần nhận
    đầu (200). Mã định danh cơ quan lạ chỉ là cảnh báo; gói tin hỏng, thiếu thành phần bắt buộc, sai
    chữ ký hoặc tệp đính kèm sai danh mục bị từ chối (422, ``details.element`` nêu thành phần)."""
    data, to_unit, token = _packet(request)
    unit, owner = _unit(request, to_unit, data)
    outcome = services.envelope_import(by=_caller(request), unit=unit, data=data, client_token=token, key_owner=owner)
    message = outcome.message
    body = EnvelopeOut(
        message_id=message.pk,
        incoming_id=message.incoming_id,
        incoming_status=message.incoming.status if message.incoming else None,
        document_id=message.document_id,
        from_agency_id=message.from_agency_id,
        signed=message.signed,
        created=outcome.created,
        warnings=outcome.warnings if outcome.created else warnings_of(message),
    )
    return Status(201 if outcome.created else 200, body)


@router.post(
    "/documents/edxml/status",
    response={200: list[StatusOut], **error_responses(400, 401, 403, 404, 422, 429)},
    openapi_extra=_BODY,
)
def receive_edxml_status(request: HttpRequest):
    """Nhận gói tin trạng thái (StatusCode 01–06, 13, 15, 16) về văn bản đã gửi, hoặc đề nghị thu
    hồi văn bản đã nhận. Cùng gói tin gửi lại không ghi thêm (``created`` false)."""
    data, _to_unit, _token = _packet(request)
    caller = _caller(request)
    units = None
    if isinstance(caller, Officer):
        if not caller.has_perm(documents_selectors.REGISTER) or caller.unit is None:
            raise PermissionDenied()
        units = Unit.objects.filter(path__startswith=caller.unit.path)
    else:
        require_scope(request, RECEIVE_SCOPE)
    outcomes = services.status_import(by=caller, data=data, units=units)
    return [
        StatusOut(
            message_id=outcome.status.message_id,
            code=outcome.status.code,
            code_label=str(outcome.status.get_code_display()),
            created=outcome.created,
        )
        for outcome in outcomes
    ]
