"""Traffic API: camera heartbeats (a key of scope ``camera.device`` tied to the camera) and the
camera list for officers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict

from congan.core.api import Moment, error_responses, officer_auth, partner_auth, require_scope
from congan.core.errors import PermissionDenied
from congan.traffic import selectors, services

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
