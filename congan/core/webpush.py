"""Web Push: browsers subscribe through their push service; we encrypt and post each message to it.

pywebpush does the protocol (RFC 8030 delivery, RFC 8291 payload encryption, RFC 8292 VAPID
signature). The server's VAPID key is generated on first use into DATA_DIR (like the secret key)
unless WEBPUSH_VAPID_PRIVATE_KEY gives one. Endpoints are accepted only on the push services named
in WEBPUSH_ALLOWED_ORIGINS: the server posts to them, so a subscriber must not be able to point it
at an intranet address.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import functools
import secrets
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import Signal, receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.errors import ValidationFailed
from congan.core.models import Notification, PushSubscription
from congan.core.notifications import DeliveryError, PermanentDeliveryError
from congan.envconf import secret_key_from_file

# Sent with the ended PushSubscription (``subscription``) when its push service says it is gone.
push_subscription_ended = Signal()

MAX_ENDPOINT_LENGTH = 1000
# RFC 8291 leaves 4,096 bytes for the encrypted record; the content coding takes 103 of them.
MAX_PAYLOAD_BYTES = 3993


def _new_private_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid, b64urlencode

    vapid = Vapid()
    vapid.generate_keys()
    der = vapid.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return b64urlencode(der)


@functools.cache
def vapid_private_key() -> str:
    """The server's VAPID private key: base64url DER, from settings or DATA_DIR/vapid_private_key."""
    return settings.WEBPUSH_VAPID_PRIVATE_KEY or secret_key_from_file(
        settings.DATA_DIR / "vapid_private_key", make=_new_private_key
    )


@functools.cache
def vapid_public_key() -> str:
    """What a browser passes to ``pushManager.subscribe`` as ``applicationServerKey``."""
    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid, b64urlencode

    public = Vapid.from_string(vapid_private_key()).public_key
    return b64urlencode(public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: Any) -> None:
    if setting in ("WEBPUSH_VAPID_PRIVATE_KEY", "DATA_DIR"):
        vapid_private_key.cache_clear()
        vapid_public_key.cache_clear()


def _key_bytes(value: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None


def clean_push_subscription(endpoint: str, p256dh: str, auth: str) -> tuple[str, str, str]:
    """The browser's PushSubscription (``toJSON()``) checked, or ValidationFailed per field."""
    errors: dict[str, list[str]] = {}
    endpoint = (endpoint or "").strip()
    parts = urlsplit(endpoint)
    origin = f"{parts.scheme}://{parts.netloc}"
    allowed = any(fnmatch.fnmatchcase(origin, pattern) for pattern in settings.WEBPUSH_ALLOWED_ORIGINS)
    if len(endpoint) > MAX_ENDPOINT_LENGTH or not parts.netloc or not allowed:
        errors["endpoint"] = [_("Địa chỉ dịch vụ thông báo đẩy không được chấp nhận.")]
    public = _key_bytes(p256dh or "")
    if public is None or len(public) != 65 or public[0] != 4:
        errors["p256dh"] = [_("Khóa công khai của trình duyệt không hợp lệ.")]
    secret = _key_bytes(auth or "")
    if secret is None or len(secret) != 16:
        errors["auth"] = [_("Khóa xác thực của trình duyệt không hợp lệ.")]
    if errors:
        raise ValidationFailed(details=errors)
    return endpoint, p256dh, auth


@transaction.atomic
def push_subscription_save(*, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Record (or renew) a browser's subscription; the same endpoint keeps its token."""
    endpoint, p256dh, auth = clean_push_subscription(endpoint, p256dh, auth)
    row, _created = PushSubscription.objects.select_for_update().get_or_create(
        endpoint=endpoint, defaults={"p256dh": p256dh, "auth": auth, "token": secrets.token_urlsafe(32)}
    )
    if (row.p256dh, row.auth, row.ended_at) != (p256dh, auth, None):
        row.p256dh, row.auth, row.ended_at = p256dh, auth, None
        row.save(update_fields=["p256dh", "auth", "ended_at", "updated_at"])
    return row


def push_subscription_end(row: PushSubscription) -> None:
    if row.ended_at is None:
        row.ended_at = timezone.now()
        row.save(update_fields=["ended_at", "updated_at"])
        push_subscription_ended.send(sender=PushSubscription, subscription=row)


class WebPushBackend:
    """Delivers a notification (its body is the JSON payload the service worker shows) to the
    browser whose PushSubscription token is the recipient. 404/410 from the push service end the
    subscription; other failures are retried by the outbox."""

    timeout_seconds = 10

    def send(self, notification: Notification) -> None:
        from pywebpush import WebPushException, webpush

        row = PushSubscription.objects.filter(token=notification.recipient, ended_at__isnull=True).first()
        if row is None:
            raise PermanentDeliveryError(_("Trình duyệt đã hủy đăng ký thông báo đẩy."))
        payload = notification.body.encode()
        if len(payload) > MAX_PAYLOAD_BYTES:
            raise PermanentDeliveryError(_("Nội dung quá dài cho thông báo đẩy."))
        try:
            webpush(
                subscription_info={"endpoint": row.endpoint, "keys": {"p256dh": row.p256dh, "auth": row.auth}},
                data=payload,
                vapid_private_key=vapid_private_key(),
                vapid_claims={"sub": settings.WEBPUSH_SUBJECT},
                ttl=settings.WEBPUSH_TTL_SECONDS,
                headers={"Urgency": "high"},
                timeout=self.timeout_seconds,
            )
        except WebPushException as exc:
            status = getattr(exc.response, "status_code", None)
            if status in (404, 410):
                push_subscription_end(row)
                raise PermanentDeliveryError(_("Trình duyệt đã hủy đăng ký thông báo đẩy.")) from exc
            raise DeliveryError(f"push service: {status or exc}") from exc
        except OSError as exc:  # requests' connection errors and timeouts derive from OSError
            raise DeliveryError(f"push service: {exc}") from exc
