"""Warnings API: public alerts (JSON beside the CAP XML and the Atom feed), officers' drafts and
approval, subscriptions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from congan.alerts import selectors, services
from congan.alerts.models import Alert
from congan.alerts.validators import COMMUNE_CODE_PATTERN as COMMUNE_CODE
from congan.alerts.validators import JSON_SCHEMA, REQUIRED, choice_schema, text_schema
from congan.core.api import Moment, error_responses, officer_auth
from congan.core.errors import NotFound, PermissionDenied, ValidationFailed
from congan.core.limits import rate_limit_client
from congan.core.middleware import client_ip
from congan.core.schema_types import Number, ParamId
from congan.core.webpush import vapid_public_key

router = Router(tags=["alerts"])


class AreaOut(Schema):
    description: str = Field(..., alias="area_desc")
    polygon: list[list[float]]
    circle_latitude: float | None
    circle_longitude: float | None
    circle_radius_km: float | None
    commune_codes: list[str]


class PublicAlertOut(Schema):
    identifier: str
    msg_type: str
    cap_status: str
    state: str
    references: str | None = Field(None, alias="references.identifier")
    category: str
    event: str
    response_type: str
    urgency: str
    severity: str
    certainty: str
    headline: str
    description: str
    instruction: str
    headline_en: str
    description_en: str
    instruction_en: str
    sent: dt.datetime | None
    effective: dt.datetime | None
    onset: dt.datetime | None
    expires: dt.datetime | None
    sender_name: str = Field(..., alias="unit.name")
    area: AreaOut

    @staticmethod
    def resolve_area(alert: Alert) -> Alert:
        return alert


class PublicFilter(Schema):
    commune: str = Field("", pattern=r"^([0-9]{5})?$", description="Mã xã, phường")
    include_past: bool = Field(False, description="Cả bản tin đã hết hiệu lực, đã hủy, đã được cập nhật")


@router.get("/alerts", auth=None, response=list[PublicAlertOut], url_name="public_alerts")
def list_public_alerts(request: HttpRequest, filters: Query[PublicFilter]):
    """Cảnh báo đang có hiệu lực (mới nhất trước); CAP XML ở /canh-bao/{identifier}.xml."""
    return list(selectors.public_alerts(commune_code=filters.commune, include_past=filters.include_past)[:200])


@router.get("/alerts/{identifier}", auth=None, response={200: PublicAlertOut, **error_responses(404)})
def get_public_alert(request: HttpRequest, identifier: str):
    return selectors.public_alert(identifier=identifier)


# The rules of an alert live in congan.alerts.validators and run in the service, for the pages and
# the API alike: these schemas parse types and document the same bounds (JSON_SCHEMA), no more.
Latitude = Annotated[Number, Field(json_schema_extra=JSON_SCHEMA["latitude"])]
Longitude = Annotated[Number, Field(json_schema_extra=JSON_SCHEMA["longitude"])]


def _choice(name: str, default: str | None = None) -> Any:
    return Field(... if default is None else default, json_schema_extra=choice_schema(name))


def _text(name: str) -> Any:
    return Field(... if name in REQUIRED else "", json_schema_extra=text_schema(name))


class CircleIn(Schema):
    model_config = ConfigDict(extra="forbid")

    latitude: Latitude
    longitude: Longitude
    radius_km: Number = Field(..., json_schema_extra=JSON_SCHEMA["radius_km"])


class AlertIn(Schema):
    """A warning as composed; the area is a polygon, a circle and/or communes (at least one)."""

    model_config = ConfigDict(extra="forbid")

    cap_status: str = _choice("cap_status", "Actual")
    category: str = _choice("category")
    event: str = _text("event")
    response_type: str = _choice("response_type")
    urgency: str = _choice("urgency")
    severity: str = _choice("severity")
    certainty: str = _choice("certainty")
    headline: str = _text("headline")
    description: str = _text("description")
    instruction: str = _text("instruction")
    headline_en: str = _text("headline_en")
    description_en: str = _text("description_en")
    instruction_en: str = _text("instruction_en")
    effective: Moment | None = None
    onset: Moment | None = None
    expires: Moment | None = None
    area_desc: str = _text("area_desc")
    polygon: list[tuple[Latitude, Longitude]] = Field([], json_schema_extra=JSON_SCHEMA["polygon"])
    circle: CircleIn | None = None
    commune_codes: list[str] = Field(
        [], json_schema_extra={**JSON_SCHEMA["commune_codes"], "items": {"type": "string", "pattern": COMMUNE_CODE}}
    )

    def service_data(self) -> dict:
        data = self.dict(exclude={"circle"})
        if self.circle is not None:
            data.update(
                circle_latitude=self.circle.latitude,
                circle_longitude=self.circle.longitude,
                circle_radius_km=self.circle.radius_km,
            )
        return data


class DraftOut(PublicAlertOut):
    id: int
    return_reason: str
    created_by: str = Field(..., alias="created_by.full_name")
    approved_by: str | None = Field(None, alias="approved_by.full_name")


class ReturnIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(..., min_length=1, max_length=500)


class FollowUpIn(Schema):
    model_config = ConfigDict(extra="forbid")

    msg_type: str = Field(..., pattern=r"^(Update|Cancel)$")


class DeliveryOut(Schema):
    total: int
    pending: int
    sent: int
    delivered: int
    failed: int


def _officer(request: HttpRequest):
    user = request.auth
    if not user.has_perm("alerts.view_alert"):
        raise PermissionDenied()
    return user


def _draft(request: HttpRequest, alert_id: ParamId) -> Alert:
    alert = selectors.officer_alerts(viewer=_officer(request)).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound()
    return alert


# The service names the circle's fields as the page does; the API's body nests them.
_API_FIELDS = {
    "circle_latitude": "circle.latitude",
    "circle_longitude": "circle.longitude",
    "circle_radius_km": "circle.radius_km",
}


def _save(request: HttpRequest, payload: AlertIn, alert_id: int | None = None) -> Alert:
    try:
        return services.alert_save(by=_officer(request), data=payload.service_data(), alert_id=alert_id)
    except ValidationFailed as exc:
        details = {_API_FIELDS.get(field, field): errors for field, errors in exc.details.items()}
        raise ValidationFailed(details=details) from exc


_OFFICER: dict[str, Any] = {"auth": officer_auth}
_DRAFT_ERRORS = error_responses(401, 403, 404, 409, 422)


@router.post("/alert-drafts", response={201: DraftOut, **_DRAFT_ERRORS}, **_OFFICER)
def create_draft(request: HttpRequest, payload: AlertIn):
    """Soạn bản nháp cảnh báo (quyền alerts.compose_alert)."""
    alert = _save(request, payload)
    return Status(201, _draft(request, alert.pk))


@router.get("/alert-drafts/{alert_id}", response={200: DraftOut, **_DRAFT_ERRORS}, **_OFFICER)
def get_draft(request: HttpRequest, alert_id: ParamId):
    return _draft(request, alert_id)


@router.put("/alert-drafts/{alert_id}", response={200: DraftOut, **_DRAFT_ERRORS}, **_OFFICER)
def update_draft(request: HttpRequest, alert_id: ParamId, payload: AlertIn):
    _save(request, payload, alert_id)
    return _draft(request, alert_id)


@router.post("/alert-drafts/{alert_id}/submit", response={200: DraftOut, **_DRAFT_ERRORS}, **_OFFICER)
def submit_draft(request: HttpRequest, alert_id: ParamId):
    services.alert_submit(by=_officer(request), alert_id=alert_id)
    return _draft(request, alert_id)


@router.post("/alert-drafts/{alert_id}/return", response={200: DraftOut, **_DRAFT_ERRORS}, **_OFFICER)
def return_draft(request: HttpRequest, alert_id: ParamId, payload: ReturnIn):
    services.alert_return(by=_officer(request), alert_id=alert_id, reason=payload.reason)
    return _draft(request, alert_id)


@router.post("/alert-drafts/{alert_id}/approve", response={200: DraftOut, **_DRAFT_ERRORS}, **_OFFICER)
def approve_draft(request: HttpRequest, alert_id: ParamId):
    """Phê duyệt và phát hành: người phê duyệt phải khác người soạn, người sửa (lỗi two_person_rule)."""
    services.alert_approve(by=_officer(request), alert_id=alert_id)
    return _draft(request, alert_id)


@router.post("/alert-drafts/{alert_id}/follow-ups", response={201: DraftOut, **_DRAFT_ERRORS}, **_OFFICER)
def follow_up(request: HttpRequest, alert_id: ParamId, payload: FollowUpIn):
    """Bản nháp Cập nhật (Update) hoặc Hủy bỏ (Cancel) tham chiếu cảnh báo đã phát hành."""
    alert = services.alert_follow_up(by=_officer(request), alert_id=alert_id, msg_type=payload.msg_type)
    return Status(201, _draft(request, alert.pk))


@router.get("/alert-drafts/{alert_id}/deliveries", response={200: DeliveryOut, **_DRAFT_ERRORS}, **_OFFICER)
def deliveries(request: HttpRequest, alert_id: ParamId):
    """Số tin gửi tới người đăng ký theo tình trạng."""
    return selectors.delivery_counts(_draft(request, alert_id))


class AreasIn(Schema):
    """Where a subscriber wants warnings for: communes, or a shared location."""

    model_config = ConfigDict(extra="forbid")

    commune_codes: list[str] = Field(
        [],
        json_schema_extra={**JSON_SCHEMA["subscriber_communes"], "items": {"type": "string", "pattern": COMMUNE_CODE}},
    )
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class SubscriptionIn(AreasIn):
    channel: str = Field(..., pattern=r"^(sms|email)$")
    recipient: str = Field(..., max_length=254, description="Số điện thoại hoặc thư điện tử")


class SubscriptionOut(Schema):
    commune_code: str
    status: str


class ConfirmIn(Schema):
    model_config = ConfigDict(extra="forbid")

    channel: str = Field(..., pattern=r"^(sms|email)$")
    recipient: str = Field(..., max_length=254)
    code: str = Field(..., pattern=r"^[0-9]{6}$")


class ConfirmOut(Schema):
    activated: int


def _limit(request: HttpRequest, name: str) -> None:
    rate_limit_client(
        name=name,
        client_ip=client_ip(request),
        limit=services.SUBSCRIBE_CALLS,
        window_seconds=services.SUBSCRIBE_WINDOW_SECONDS,
    )


@router.post("/alert-subscriptions", auth=None, response={202: list[SubscriptionOut], **error_responses(422, 429)})
def subscribe(request: HttpRequest, payload: SubscriptionIn):
    """Đăng ký nhận cảnh báo; một mã xác nhận được gửi tới số điện thoại, thư điện tử (10 lần/giờ mỗi địa chỉ
    gửi yêu cầu, 3 mã/giờ mỗi số điện thoại, hộp thư nhận)."""
    _limit(request, "alert-subscribe")
    rows = services.subscription_request(
        channel=payload.channel,
        recipient=payload.recipient,
        commune_codes=payload.commune_codes,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    return Status(202, rows)


class PushKeysIn(Schema):
    model_config = ConfigDict(extra="ignore")

    p256dh: str = Field(..., max_length=100)
    auth: str = Field(..., max_length=40)


class PushSubscriptionIn(Schema):
    """What the browser's ``PushSubscription.toJSON()`` gives (``expirationTime`` is ignored)."""

    model_config = ConfigDict(extra="ignore")

    endpoint: str = Field(..., max_length=1000)
    keys: PushKeysIn


class PushSubscribeIn(AreasIn):
    subscription: PushSubscriptionIn


class PushSubscriptionOut(SubscriptionOut):
    token: str = Field(..., description="Dùng để hủy đăng ký: DELETE /alert-subscriptions/{token}")


class PushKeyOut(Schema):
    public_key: str = Field(..., description="applicationServerKey (VAPID, base64url)")


@router.get("/alert-subscriptions/push-key", auth=None, response={200: PushKeyOut})
def push_key(request: HttpRequest):
    """Khóa công khai VAPID để trình duyệt đăng ký nhận thông báo đẩy."""
    return {"public_key": vapid_public_key()}


@router.post(
    "/alert-subscriptions/push", auth=None, response={201: list[PushSubscriptionOut], **error_responses(422, 429)}
)
def subscribe_push(request: HttpRequest, payload: PushSubscribeIn):
    """Nhận cảnh báo bằng thông báo đẩy trên trình duyệt này (Web Push); có hiệu lực ngay."""
    _limit(request, "alert-subscribe")
    keys = payload.subscription.keys
    rows = services.subscription_push(
        endpoint=payload.subscription.endpoint,
        p256dh=keys.p256dh,
        auth=keys.auth,
        commune_codes=payload.commune_codes,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    return Status(201, rows)


@router.post("/alert-subscriptions/confirm", auth=None, response={200: ConfirmOut, **error_responses(422, 429)})
def confirm_subscription(request: HttpRequest, payload: ConfirmIn):
    _limit(request, "alert-confirm")
    return {
        "activated": services.subscription_confirm(
            channel=payload.channel, recipient=payload.recipient, code=payload.code
        )
    }


@router.delete("/alert-subscriptions/{token}", auth=None, response={204: None, **error_responses(404)})
def unsubscribe(request: HttpRequest, token: str):
    services.subscription_end(token=token)
    return Status(204, None)
