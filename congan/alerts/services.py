"""Writes of the warnings module: compose, submit, return, approve (two-person rule), follow-up
messages (Update, Cancel), fan-out to subscribers, and the subscriptions themselves."""

from __future__ import annotations

import datetime as dt
import json
import math
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.alerts.models import (
    Alert,
    Certainty,
    MsgType,
    ResponseType,
    Subscription,
    Urgency,
)
from congan.alerts.selectors import alert_communes, is_second_officer, subscribers_of, visible_alerts
from congan.alerts.validators import CHOICES, TEXT_LIMITS, TIMES, clean_content, clean_subscriber_areas
from congan.core import contacts
from congan.core.audit import Actor, audit_record
from congan.core.crypto import digest_matches, keyed_digest
from congan.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, RateLimited, ValidationFailed
from congan.core.limits import rate_limit
from congan.core.models import Notification
from congan.core.notifications import notification_enqueue, notifications_enqueue_many, push_receipt_token
from congan.core.webpush import MAX_PAYLOAD_BYTES, push_subscription_save
from congan.org.models import Officer, Unit

S = Alert.State
CONFIRM_CODE_MINUTES = 30
# Subscribing and confirming, per client address: calls per window (the pages and the API alike).
SUBSCRIBE_CALLS, SUBSCRIBE_WINDOW_SECONDS = 10, 3600
# Confirmation codes sent to one phone or mailbox, whichever addresses ask: per window.
CONFIRMATIONS_PER_RECIPIENT, CONFIRMATION_WINDOW_SECONDS = 3, 3600
MAX_CONFIRM_ATTEMPTS = 5
CONTENT_FIELDS = (
    *CHOICES,
    *TEXT_LIMITS,
    *TIMES,
    "polygon",
    "circle_latitude",
    "circle_longitude",
    "circle_radius_km",
    "commune_codes",
)


# --- Composing and the approval workflow ---------------------------------------------------------


def _identifier(unit: Unit) -> str:
    """Unique and CAP-safe (no spaces, commas, < or &): unit code, date, random part."""
    return f"{unit.code}-{timezone.localdate():%Y%m%d}-{secrets.token_hex(4).upper()}"


def _record(alert: Alert, *, by: Officer, action: str, **details: Any) -> None:
    audit_record(
        actor=Actor.of(by),
        action=f"alerts.alert.{action}",
        target=alert,
        unit=alert.unit_id,
        details={"state": alert.state, "msg_type": alert.msg_type, **details},
    )


def _locked(by: Officer, alert_id: int) -> Alert:
    alert = visible_alerts(by, Alert.objects.select_for_update(of=("self",))).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(_("Không tìm thấy cảnh báo."))
    return alert


def _require(by: Officer, perm: str) -> None:
    if not by.has_perm(perm):
        raise PermissionDenied()


@transaction.atomic
def alert_save(*, by: Officer, data: dict[str, Any], alert_id: int | None = None) -> Alert:
    """Create a draft, or edit one: only drafts change (a submitted alert goes back to draft first)."""
    _require(by, "alerts.compose_alert")
    if by.unit is None:
        raise PermissionDenied(_("Tài khoản chưa thuộc đơn vị nào."))
    content = clean_content(data)
    if not content["commune_codes"]:
        content["commune_codes"] = sorted(alert_communes(Alert(**content)))
    if alert_id is None:
        alert = Alert.objects.create(
            identifier=_identifier(by.unit), unit=by.unit, created_by=by, edited_by=by, **content
        )
        _record(alert, by=by, action="create")
        return alert
    alert = _locked(by, alert_id)
    if alert.state != S.DRAFT:
        raise InvalidTransition(_("Chỉ sửa được bản nháp."))
    for name, value in content.items():
        setattr(alert, name, value)
    alert.edited_by = by
    alert.save()
    _record(alert, by=by, action="edit")
    return alert


@transaction.atomic
def alert_submit(*, by: Officer, alert_id: int) -> Alert:
    _require(by, "alerts.compose_alert")
    alert = _locked(by, alert_id)
    if alert.state != S.DRAFT:
        raise InvalidTransition(_("Chỉ trình duyệt được bản nháp."))
    alert.state, alert.submitted_at, alert.return_reason = S.PENDING, timezone.now(), ""
    alert.save(update_fields=["state", "submitted_at", "return_reason", "updated_at"])
    _record(alert, by=by, action="submit")
    return alert


@transaction.atomic
def alert_return(*, by: Officer, alert_id: int, reason: str) -> Alert:
    """The approver sends the alert back to its author with a reason."""
    _require(by, "alerts.approve_alert")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(details={"reason": [_("Nêu lý do trả lại.")]})
    alert = _locked(by, alert_id)
    if alert.state != S.PENDING:
        raise InvalidTransition(_("Chỉ trả lại được cảnh báo đang chờ phê duyệt."))
    alert.state, alert.return_reason = S.DRAFT, reason[:500]
    alert.save(update_fields=["state", "return_reason", "updated_at"])
    _record(alert, by=by, action="return", reason=alert.return_reason)
    return alert


@transaction.atomic
def alert_approve(*, by: Officer, alert_id: int) -> Alert:
    """Publish: a second officer, neither the author nor the last editor, approves (two-person rule).
    An Update or Cancel retires the message it references."""
    _require(by, "alerts.approve_alert")
    alert = _locked(by, alert_id)
    if alert.state != S.PENDING:
        raise InvalidTransition(_("Chỉ phê duyệt được cảnh báo đang chờ phê duyệt."))
    if not is_second_officer(by, alert):
        raise PermissionDenied(
            _("Người soạn hoặc sửa cảnh báo không được tự phê duyệt (nguyên tắc hai người)."), code="two_person_rule"
        )
    now = timezone.now()
    if alert.expires and alert.expires <= now:
        raise ValidationFailed(details={"expires": [_("Cảnh báo đã quá thời điểm hết hiệu lực.")]})
    if alert.references_id:
        _retire(alert, by=by)
    alert.state, alert.approved_by, alert.sent = S.PUBLISHED, by, now
    alert.save(update_fields=["state", "approved_by", "sent", "updated_at"])
    _record(alert, by=by, action="publish")
    transaction.on_commit(lambda: _schedule_fan_out(alert.pk))
    return alert


def _retire(alert: Alert, *, by: Officer) -> None:
    earlier = Alert.objects.select_for_update().get(pk=alert.references_id)
    if earlier.state != S.PUBLISHED:
        raise Conflict(_("Bản tin được tham chiếu đã được cập nhật hoặc hủy bởi một bản tin khác."))
    earlier.state = S.CANCELLED if alert.msg_type == MsgType.CANCEL else S.SUPERSEDED
    earlier.save(update_fields=["state", "updated_at"])
    _record(earlier, by=by, action="retire", by_alert=alert.identifier)


@transaction.atomic
def alert_follow_up(*, by: Officer, alert_id: int, msg_type: str) -> Alert:
    """A draft Update or Cancel of a published alert, pre-filled from it."""
    _require(by, "alerts.compose_alert")
    if msg_type not in (MsgType.UPDATE, MsgType.CANCEL):
        raise ValidationFailed(details={"msg_type": [_("Chỉ tạo được bản Cập nhật hoặc Hủy bỏ.")]})
    earlier = _locked(by, alert_id)
    if earlier.state != S.PUBLISHED or earlier.msg_type == MsgType.CANCEL:
        raise InvalidTransition(_("Chỉ cập nhật hoặc hủy được cảnh báo đang phát hành."))
    content = {name: getattr(earlier, name) for name in CONTENT_FIELDS}
    if msg_type == MsgType.CANCEL:
        content.update(
            response_type=ResponseType.ALL_CLEAR,
            urgency=Urgency.PAST,
            certainty=Certainty.OBSERVED,
            headline=(_("HỦY: ") + earlier.headline)[:160],
            instruction="",
        )
    alert = Alert.objects.create(
        identifier=_identifier(by.unit or earlier.unit),
        unit=earlier.unit,
        created_by=by,
        edited_by=by,
        msg_type=msg_type,
        references=earlier,
        **content,
    )
    _record(alert, by=by, action="follow_up", references=earlier.identifier)
    return alert


# --- Fan-out to subscribers ----------------------------------------------------------------------


def _schedule_fan_out(alert_id: int) -> None:
    from congan.alerts.tasks import fan_out_task

    fan_out_task.enqueue(alert_id)


def _message(alert: Alert, subscription: Subscription) -> tuple[str, str]:
    link = settings.PUBLIC_BASE_URL + reverse("alerts:public_detail", args=[alert.identifier])
    stop = settings.PUBLIC_BASE_URL + reverse("alerts:unsubscribe", args=[subscription.token])
    label = {MsgType.CANCEL: _("HỦY CẢNH BÁO"), MsgType.UPDATE: _("CẬP NHẬT")}.get(alert.msg_type, _("CẢNH BÁO"))
    if subscription.channel == Subscription.Channel.SMS:
        text = f"[{alert.unit.short_name or alert.unit.name}] {label}: {alert.headline}. {alert.instruction}"
        return "", f"{text[:300].strip()} {link} " + _("Hủy nhận tin: ") + stop
    if subscription.channel == Subscription.Channel.WEBPUSH:
        return _push_message(alert, label, link, receipt_key=_fan_out_key(alert, subscription))
    body = "\n\n".join(part for part in (alert.description, alert.instruction, link) if part)
    return f"{label}: {alert.headline}"[:200], body + "\n\n" + _("Hủy đăng ký: ") + stop


def _fan_out_key(alert: Alert, subscription: Subscription) -> str:
    return f"alert:{alert.pk}:{subscription.pk}"


def _push_message(alert: Alert, label: str, link: str, *, receipt_key: str) -> tuple[str, str]:
    """The JSON the service worker shows: short enough for one push message (RFC 8291)."""
    title = f"{label}: {alert.headline}"[:200]
    receipt = settings.PUBLIC_BASE_URL + reverse("api:post_push_receipt", args=[push_receipt_token(receipt_key)])
    payload = {
        "title": title,
        "body": alert.instruction or alert.description,
        "url": link,
        "tag": alert.identifier,
        "receipt": receipt,
    }
    encoded = json.dumps(payload, ensure_ascii=False)
    while len(encoded.encode()) > MAX_PAYLOAD_BYTES - 200:
        payload["body"] = payload["body"][: len(payload["body"]) * 3 // 4].rstrip() + "…"
        encoded = json.dumps(payload, ensure_ascii=False)
    return title, encoded


def alert_fan_out(*, alert_id: int) -> int:
    """Queue one message per matching active subscription; safe to run again (one key per pair)."""
    alert = Alert.objects.select_related("unit").get(pk=alert_id)
    if alert.sent is None:
        return 0
    queued = 0
    batch: list[Notification] = []
    for subscription in subscribers_of(alert):
        subject, body = _message(alert, subscription)
        batch.append(
            Notification(
                key=_fan_out_key(alert, subscription),
                channel=subscription.channel,
                recipient=subscription.recipient,
                subject=subject,
                body=body,
                target_type=Alert._meta.label_lower,
                target_id=str(alert.pk),
            )
        )
        if len(batch) >= 1000:
            queued += notifications_enqueue_many(batch)
            batch = []
    queued += notifications_enqueue_many(batch)
    Alert.objects.filter(pk=alert.pk).update(fanout_done_at=timezone.now())
    return queued


# --- Subscriptions -------------------------------------------------------------------------------


def _clean_recipient(channel: str, recipient: str) -> str:
    try:
        if channel == Subscription.Channel.SMS:
            return contacts.phone_national(recipient or "")
        if channel == Subscription.Channel.EMAIL:
            return contacts.clean_email(recipient or "").lower()
    except DjangoValidationError as exc:
        raise ValidationFailed(details={"recipient": exc.messages}) from exc
    raise ValidationFailed(details={"channel": [_("Kênh nhận phải là sms hoặc email.")]})


@transaction.atomic
def subscription_request(
    *,
    channel: str,
    recipient: str,
    commune_codes: list[str],
    latitude: Any = None,
    longitude: Any = None,
    citizen: Any = None,
) -> list[Subscription]:
    """Subscribe a contact to areas. A signed-in citizen's own phone is already verified; any other
    contact gets a one-time code and receives nothing until it is confirmed."""
    recipient = _clean_recipient(channel, recipient)
    verified = citizen is not None and channel == Subscription.Channel.SMS and citizen.phone == recipient
    code = f"{secrets.randbelow(10**6):06d}"
    rows = []
    for commune_code, lat, lon in clean_subscriber_areas(commune_codes, latitude, longitude):
        row, _created = Subscription.objects.get_or_create(
            channel=channel,
            recipient=recipient,
            commune_code=commune_code,
            defaults={"token": secrets.token_urlsafe(32)},
        )
        row.latitude, row.longitude, row.citizen = lat, lon, citizen or row.citizen
        if verified:
            row.status, row.confirmed_at = Subscription.Status.ACTIVE, row.confirmed_at or timezone.now()
        elif row.status != Subscription.Status.ACTIVE:
            row.status, row.confirm_code_hash, row.confirm_attempts = Subscription.Status.PENDING, keyed_digest(code), 0
        row.save()
        rows.append(row)
    if any(row.status == Subscription.Status.PENDING for row in rows):
        _limit_confirmations(channel, recipient)
        notification_enqueue(
            key=f"alert-subscribe:{rows[0].pk}:{secrets.token_hex(6)}",
            channel=channel,
            recipient=recipient,
            subject=_("Mã xác nhận đăng ký nhận cảnh báo"),
            body=_("Mã xác nhận đăng ký nhận cảnh báo của Công an: %(code)s (hiệu lực %(minutes)d phút).")
            % {"code": code, "minutes": CONFIRM_CODE_MINUTES},
        )
    return rows


def _limit_confirmations(channel: str, recipient: str) -> None:
    """Count the confirmation about to be sent to ``recipient``. Inside the request's transaction on
    purpose: a refusal rolls the subscription back with its count, so the count is what was sent."""
    try:
        rate_limit(
            bucket=f"alert-confirmation:{channel}:{recipient}",
            limit=CONFIRMATIONS_PER_RECIPIENT,
            window_seconds=CONFIRMATION_WINDOW_SECONDS,
        )
    except RateLimited as exc:
        message = _(
            "Đã gửi nhiều mã xác nhận tới địa chỉ nhận này. Hãy dùng mã đã nhận hoặc thử lại sau %(minutes)d phút."
        ) % {"minutes": max(1, math.ceil(exc.retry_after / 60))}
        raise RateLimited(retry_after=exc.retry_after, message=message) from exc


def subscription_confirm(*, channel: str, recipient: str, code: str) -> int:
    """Activate the contact's pending subscriptions with the code sent to it; returns how many.
    A wrong code counts against every pending row, and that count survives the refusal."""
    recipient = _clean_recipient(channel, recipient)
    since = timezone.now() - dt.timedelta(minutes=CONFIRM_CODE_MINUTES)
    with transaction.atomic():
        pending = list(
            Subscription.objects.select_for_update().filter(
                channel=channel,
                recipient=recipient,
                status=Subscription.Status.PENDING,
                updated_at__gte=since,
                confirm_attempts__lt=MAX_CONFIRM_ATTEMPTS,
            )
        )
        matching = [row for row in pending if digest_matches(row.confirm_code_hash, (code or "").strip())]
        if not matching:
            tried = Subscription.objects.filter(pk__in=[row.pk for row in pending])
            tried.update(confirm_attempts=F("confirm_attempts") + 1)
        now = timezone.now()
        for row in matching:
            row.status, row.confirmed_at, row.confirm_code_hash = Subscription.Status.ACTIVE, now, ""
            row.save(update_fields=["status", "confirmed_at", "confirm_code_hash", "updated_at"])
    if not matching:
        raise ValidationFailed(details={"code": [_("Mã xác nhận không đúng hoặc đã hết hạn.")]})
    return len(matching)


@transaction.atomic
def subscription_push(
    *,
    endpoint: str,
    p256dh: str,
    auth: str,
    commune_codes: list[str],
    latitude: Any = None,
    longitude: Any = None,
    citizen: Any = None,
) -> list[Subscription]:
    """Subscribe this browser to areas. Active at once: the person allowed notifications in the
    browser, and nothing is sent anywhere else than to that browser."""
    areas = clean_subscriber_areas(commune_codes, latitude, longitude)
    push = push_subscription_save(endpoint=endpoint, p256dh=p256dh, auth=auth)
    rows = []
    for commune_code, lat, lon in areas:
        row, _created = Subscription.objects.get_or_create(
            channel=Subscription.Channel.WEBPUSH,
            recipient=push.token,
            commune_code=commune_code,
            defaults={"token": secrets.token_urlsafe(32)},
        )
        row.latitude, row.longitude, row.citizen = lat, lon, citizen or row.citizen
        row.status, row.confirmed_at = Subscription.Status.ACTIVE, row.confirmed_at or timezone.now()
        row.save()
        rows.append(row)
    return rows


def subscriptions_end_for_push(push_token: str) -> int:
    """The browser's push service said the subscription is gone: stop sending to it."""
    return Subscription.objects.filter(
        channel=Subscription.Channel.WEBPUSH, recipient=push_token, status=Subscription.Status.ACTIVE
    ).update(status=Subscription.Status.ENDED, updated_at=timezone.now())


@transaction.atomic
def subscription_end(*, token: str) -> Subscription:
    row = Subscription.objects.select_for_update().filter(token=token).first()
    if row is None:
        raise NotFound(_("Không tìm thấy đăng ký."))
    row.status = Subscription.Status.ENDED
    row.save(update_fields=["status", "updated_at"])
    return row
