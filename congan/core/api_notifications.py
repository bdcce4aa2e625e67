"""Delivery reports: from the SMS or e-mail gateway (scope ``notifications.receipt``), and from
browsers for web push (the token in the pushed message is the credential)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from congan.core.api import error_responses, partner_auth, require_scope
from congan.core.errors import NotFound
from congan.core.notifications import notification_push_receipt, notification_receipt
from congan.core.schema_types import Id, StrictBool

router = Router(tags=["notifications"])


class ReceiptIn(Schema):
    model_config = ConfigDict(extra="forbid")

    id: Id = Field(..., description="Mã thông báo (trường id trong bản tin gửi tới cổng)")
    delivered: StrictBool
    error: str = Field("", max_length=500)


class ReceiptsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    receipts: list[ReceiptIn] = Field(..., min_length=1, max_length=1000)


class ReceiptsOut(Schema):
    accepted: int
    unknown: list[int]


@router.post(
    "/notifications/receipts", auth=partner_auth, response={200: ReceiptsOut, **error_responses(401, 403, 422, 429)}
)
def post_receipts(request: HttpRequest, payload: ReceiptsIn):
    """Báo cáo đã đến người nhận hoặc không gửi được, do cổng SMS/thư điện tử gửi về."""
    require_scope(request, "notifications.receipt")
    unknown: list[int] = []
    for receipt in payload.receipts:
        try:
            notification_receipt(notification_id=receipt.id, delivered=receipt.delivered, error=receipt.error)
        except NotFound:
            unknown.append(receipt.id)
    return {"accepted": len(payload.receipts) - len(unknown), "unknown": unknown}


@router.post("/notifications/push-receipts/{token}", auth=None, response={204: None, **error_responses(404)})
def post_push_receipt(request: HttpRequest, token: str):
    """Trình duyệt (service worker) báo đã nhận thông báo đẩy; mã lấy từ chính bản tin đẩy."""
    notification_push_receipt(token=token)
    return Status(204, None)
