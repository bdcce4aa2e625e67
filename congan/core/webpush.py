"""Web Push: browsers subscribe through their push service; we encrypt and post each message to it.

pywebpush does the protocol (RFC 8030 delivery, RFC 8291 payload encryption, RFC 8292 VAPID
signature). The server's VAPID key is generated on first use into DATA_DIR (like the secret key)
unless WEBPUSH_VAPID_PRIVATE_KEY gives one.

The server posts to an address a stranger supplied, so it must not be pointed at the intranet:
- an endpoint is parsed strictly (printable ASCII; no backslash, escape, user info, fragment or IP
  literal; the host a lower-cased DNS name) and must be on a push service that
  WEBPUSH_ALLOWED_ORIGINS names (``https://*.push.apple.com``: any sub-domain, the default port);
- at send time the name is resolved once, every address it gives must be public (not private,
  loopback, link-local, shared, reserved or multicast; WEBPUSH_ALLOWED_NETWORKS may allow an
  operator's own relay), and the request goes to the first of those checked addresses: the
  name stays in the Host header, TLS SNI and the certificate check, so a second lookup (DNS
  rebinding) has no say. Redirects are not followed.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import Signal, receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core import outbound
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


_URL_CHARACTERS = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no space
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TOP_LABEL = re.compile(r"[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?")  # never all digits: no "127.1", "2130706433"
_DEFAULT_PORTS = {"https": 443, "http": 80}


@dataclass(frozen=True)
class Endpoint:
    """A push endpoint, parsed and normalised: where to connect and the URL to post to."""

    scheme: str
    host: str
    port: int
    url: str


def _host_name(host: str) -> str | None:
    """``host`` as a lower-case DNS name of two labels or more, or None (IP literals, escapes…)."""
    host = host.lower()
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2 or not _TOP_LABEL.fullmatch(labels[-1]):
        return None
    return host if all(_LABEL.fullmatch(label) for label in labels) else None


def parse_endpoint(endpoint: str) -> Endpoint | None:
    """The endpoint normalised (lower-case host, default port dropped), or None unless it is a
    plain ``scheme://name[:port]/path[?query]`` URL with nothing a parser could read two ways."""
    if len(endpoint) > MAX_ENDPOINT_LENGTH or not _URL_CHARACTERS.fullmatch(endpoint) or "\\" in endpoint:
        return None
    parts = urlsplit(endpoint)
    scheme, netloc = parts.scheme.lower(), parts.netloc
    if scheme not in _DEFAULT_PORTS or "#" in endpoint or not parts.path.startswith("/"):
        return None
    if any(character in netloc for character in "@%[]"):
        return None
    host, colon, port_text = netloc.partition(":")
    port = _DEFAULT_PORTS[scheme]
    if colon:
        if not (port_text.isdigit() and len(port_text) <= 5 and 0 < int(port_text) <= 65535):
            return None
        port = int(port_text)
    name = _host_name(host)
    if name is None:
        return None
    authority = name if port == _DEFAULT_PORTS[scheme] else f"{name}:{port}"
    url = f"{scheme}://{authority}{parts.path}" + (f"?{parts.query}" if parts.query else "")
    return Endpoint(scheme=scheme, host=name, port=port, url=url)


def _origin_allows(pattern: str, endpoint: Endpoint) -> bool:
    """Whether an origin of WEBPUSH_ALLOWED_ORIGINS (``https://*.push.apple.com``, ``https://x.y:*``)
    takes the endpoint: the same scheme; the same host, any sub-domain of what follows ``*.``, or
    any name for ``*``; the port given, any port for ``*``, else the scheme's default."""
    scheme, _sep, authority = pattern.strip().lower().partition("://")
    host, _colon, port = authority.partition(":")
    if scheme != endpoint.scheme or not (port in ("", "*") or port.isdigit()):
        return False
    if port != "*" and int(port or _DEFAULT_PORTS.get(scheme, 0)) != endpoint.port:
        return False
    if host == "*":
        return True
    if host.startswith("*."):
        return endpoint.host.endswith(host[1:]) and len(endpoint.host) > len(host) - 1
    return endpoint.host == host


def allowed_endpoint(endpoint: str) -> Endpoint | None:
    """The parsed endpoint when it is on an allowed push service, else None."""
    parsed = parse_endpoint(endpoint)
    if parsed is None or not any(_origin_allows(pattern, parsed) for pattern in settings.WEBPUSH_ALLOWED_ORIGINS):
        return None
    return parsed


def clean_push_subscription(endpoint: str, p256dh: str, auth: str) -> tuple[str, str, str]:
    """The browser's PushSubscription (``toJSON()``) checked, or ValidationFailed per field; the
    endpoint comes back normalised."""
    errors: dict[str, list[str]] = {}
    parsed = allowed_endpoint((endpoint or "").strip())
    if parsed is None:
        errors["endpoint"] = [_("Địa chỉ dịch vụ thông báo đẩy không được chấp nhận.")]
    else:
        endpoint = parsed.url
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
        endpoint = allowed_endpoint(row.endpoint)  # again: rows may predate the rules or the allow-list
        if endpoint is None:
            push_subscription_end(row)
            raise PermanentDeliveryError(_("Địa chỉ dịch vụ thông báo đẩy không được chấp nhận."))
        try:
            address = outbound.checked_address(endpoint.host, endpoint.port, allowed=settings.WEBPUSH_ALLOWED_NETWORKS)
        except outbound.BlockedAddress as exc:
            raise PermanentDeliveryError(_("Dịch vụ thông báo đẩy trỏ tới một địa chỉ không được phép.")) from exc
        except OSError as exc:
            raise DeliveryError(f"push service: {exc}") from exc
        try:
            with outbound.pinned_session(host=endpoint.host, port=endpoint.port, address=address) as session:
                webpush(
                    subscription_info={"endpoint": endpoint.url, "keys": {"p256dh": row.p256dh, "auth": row.auth}},
                    data=payload,
                    vapid_private_key=vapid_private_key(),
                    vapid_claims={"sub": settings.WEBPUSH_SUBJECT},
                    ttl=settings.WEBPUSH_TTL_SECONDS,
                    headers={"Urgency": "high"},
                    timeout=self.timeout_seconds,
                    requests_session=session,
                )
        except WebPushException as exc:
            status = getattr(exc.response, "status_code", None)
            if status in (404, 410):
                push_subscription_end(row)
                raise PermanentDeliveryError(_("Trình duyệt đã hủy đăng ký thông báo đẩy.")) from exc
            raise DeliveryError(f"push service: {status or exc}") from exc
        except OSError as exc:  # requests' connection errors and timeouts derive from OSError
            raise DeliveryError(f"push service: {exc}") from exc


def push_enabled() -> bool:
    """Whether browser notifications are sent at all: the outbox's web push channel is WebPushBackend
    (or a subclass). With the default file backend nothing reaches a browser, so pages do not
    offer them."""
    from django.utils.module_loading import import_string

    try:
        backend = import_string(settings.NOTIFICATION_BACKENDS.get("webpush", ""))
    except ImportError:
        return False
    return isinstance(backend, type) and issubclass(backend, WebPushBackend)
