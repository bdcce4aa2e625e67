"""Traffic API: camera heartbeats (a key of scope ``camera.device`` tied to the camera) and the
camera list for officers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import ConfigDict

from congan.core.api import Moment, error_responses, officer_auth, partner_auth, require_scope, validation_details
from congan.core.errors import PermissionDenied, ValidationFailed
from congan.core.jsonbody import MalformedBody, json_body, querydict_nul_problems
from congan.traffic import ingest, selectors, services
from congan.traffic.plate_reader import plate_reader_from_settings

router = Router(tags=["traffic"])


class HeartbeatIn(Schema):
    model_config = ConfigDict(extra="forbid")

    at: Moment | None = None


class CameraOut(Schema):
    code: str
    name: str
    kind: str
    latitude: Decimal
    longitude: Decimal
    road: str
    commune_code: str
    speed_limit_kmh: int | None
    online: bool
    last_seen_at: dt.datetime | None


@router.post("/cameras/heartbeat", auth=partner_auth, response={200: CameraOut, **error_responses(401, 403, 404, 422)})
def heartbeat(request: HttpRequest, payload: HeartbeatIn):
    """Tín hiệu sống của camera (mỗi phút một lần); khóa API phạm vi camera.device gắn với camera."""
    require_scope(request, "camera.device")
    return services.camera_heartbeat(key=request.api_key, at=payload.at)


@router.get("/cameras", auth=officer_auth, response={200: list[CameraOut], **error_responses(401, 403)})
def cameras(request: HttpRequest):
    """Camera của các đơn vị trong phạm vi, với trạng thái trực tuyến."""
    if not request.auth.has_perm("traffic.view_camera"):
        raise PermissionDenied()
    return list(selectors.visible_cameras(viewer=request.auth))


class IngestItemOut(Schema):
    index: int
    status: str
    id: int | None
    errors: dict[str, list[str]]


class IngestOut(Schema):
    created: int
    duplicate: int
    repeated: int
    rejected: int
    results: list[IngestItemOut]


def _items(request: HttpRequest) -> list:
    """The body as a JSON array, one JSON object, or NDJSON (one event per line)."""
    if request.content_type in ("application/x-ndjson", "application/jsonl"):
        lines = request.body.splitlines()
        return [_event(line, ("body", index)) for index, line in enumerate(lines) if line.strip()]
    body = _json(request.body, ("body",))
    if isinstance(body, list):
        return body
    return [_event_object(body, ("body",))]


def _json(raw: bytes | str, loc: tuple) -> object:
    data, problems = json_body(raw, loc=loc)
    if problems:
        raise ValidationFailed(details=validation_details(problems))
    return data


def _event(raw: bytes | str, loc: tuple) -> object:
    return _event_object(_json(raw, loc), loc)


def _event_object(value: object, loc: tuple) -> object:
    """An event is a JSON object (each one is then checked on its own); ``null`` or ``1`` is no event."""
    if not isinstance(value, dict):
        raise ValidationFailed(details=validation_details([{"loc": loc, "msg": _("Cần một đối tượng JSON.")}]))
    return value


@router.post(
    "/violation-events",
    auth=partner_auth,
    response={200: IngestOut, **error_responses(400, 401, 403, 422, 429)},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            {"type": "object", "description": "Một sự kiện"},
                            {
                                "type": "array",
                                "description": "Các sự kiện; mỗi phần tử được kiểm tra riêng",
                                "items": {},
                                "minItems": 1,
                                "maxItems": 5000,
                            },
                        ]
                    }
                },
                "application/x-ndjson": {"schema": {"type": "string", "description": "Mỗi dòng một sự kiện JSON"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["event"],
                        "properties": {
                            "event": {"type": "object", "description": "Sự kiện (JSON)"},
                            "evidence": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        },
                    },
                    "encoding": {"event": {"contentType": "application/json"}},
                },
            },
        }
    },
)
def ingest_events(request: HttpRequest):
    """Sự kiện vi phạm từ camera: một sự kiện, mảng JSON hoặc NDJSON, tối đa 5.000 mỗi lần (phạm vi
    violations.ingest). Mỗi sự kiện được nhận hoặc từ chối riêng; gửi lại cùng khóa chống trùng trả
    "repeated". Một sự kiện kèm ảnh chứng cứ: multipart/form-data với trường ``event`` (JSON) và các
    tệp ``evidence`` (JPEG, PNG); thiếu biển số thì hệ thống đọc biển số từ ảnh đầu tiên (ảnh cắt
    vùng biển số)."""
    require_scope(request, "violations.ingest")
    if request.content_type == "multipart/form-data":
        problems = querydict_nul_problems(request.POST, "form")
        if problems:
            raise ValidationFailed(details=validation_details(problems))
        if request.POST.getlist("evidence"):
            raise ValidationFailed(details={"evidence": [_("Ảnh chứng cứ phải là tệp.")]})
        results = [
            ingest.event_ingest_with_evidence(
                by=request.api_key,
                item=_multipart_event(request),
                uploads=request.FILES.getlist("evidence"),
                reader_factory=plate_reader_from_settings,
            )
        ]
    else:
        results = ingest.events_ingest(by=request.api_key, items=_items(request))
    return {**ingest.status_counts(results), "results": results}


def _multipart_event(request: HttpRequest) -> object:
    try:
        return _event(request.POST.get("event") or "", ("event",))
    except MalformedBody as exc:
        raise MalformedBody(exc.message, details={"event": [str(exc.message)], **exc.details}) from None
