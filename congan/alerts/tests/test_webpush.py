"""Web push end to end against a push service on loopback: a browser's subscription through the
API, the alert encrypted for that browser (decrypted here with the browser's keys), the VAPID
signature, the browser's receipt, a subscription the push service says is gone, retries."""

from __future__ import annotations

import base64
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.test import Client

from congan.alerts.models import Subscription
from congan.core.models import Notification, PushSubscription
from congan.core.notifications import notifications_deliver
from congan.core.webpush import vapid_public_key

pytestmark = pytest.mark.django_db

WEBPUSH = "congan.core.webpush.WebPushBackend"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def vapid_claims(token: str, public_key: str) -> dict:
    """The claims of a VAPID token (RFC 8292), after checking its ES256 signature with ``public_key``."""
    header, claims, signature = token.split(".")
    raw = unb64url(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key))
    key.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises when forged
    return json.loads(unb64url(claims))


class Browser:
    """The keys a browser keeps for its push subscription (RFC 8291)."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.auth = b"sixteen-byte-key"
        self.keys = {"p256dh": b64url(public), "auth": b64url(self.auth)}

    def read(self, body: bytes) -> dict:
        plain = http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm")
        return json.loads(plain)


class PushService:
    """A push service on loopback: records each message and answers with ``status``."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, str], bytes]] = []
        self.status = 201
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                service.received.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(service.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def push_service(settings, tmp_path, monkeypatch):
    """The push service under a name (IP literals are refused), resolved to loopback, which the
    settings allow as an operator's own relay (congan.core.outbound refuses it otherwise)."""
    service = PushService()
    service.origin = f"http://push.example.test:{service.server.server_port}"
    real = socket.getaddrinfo
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda host, *a, **k: real("127.0.0.1" if host == "push.example.test" else host, *a, **k)
    )
    settings.WEBPUSH_ALLOWED_ORIGINS = ["http://push.example.test:*"]
    settings.WEBPUSH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "webpush": WEBPUSH}
    settings.DATA_DIR = tmp_path  # a VAPID key of this test's own
    yield service
    service.close()


def _subscribe(browser: Browser, endpoint: str, **extra):
    body = {"subscription": {"endpoint": endpoint, "keys": browser.keys, "expirationTime": None}, **extra}
    return Client().post("/api/v1/alert-subscriptions/push", body, content_type="application/json")


def test_a_published_alert_reaches_the_subscribed_browser_encrypted_for_it(seats, push_service, publish):
    browser, stranger = Browser(), Browser()
    answer = _subscribe(browser, f"{push_service.origin}/push/browser-1", commune_codes=["20194"])
    assert answer.status_code == 201, answer.content
    rows = answer.json()
    assert [row["commune_code"] for row in rows] == ["20194"] and rows[0]["status"] == "active" and rows[0]["token"]
    assert _subscribe(stranger, f"{push_service.origin}/push/browser-2", commune_codes=["20197"]).status_code == 201

    alert = publish()  # the fan-out and the delivery run as tasks on commit (immediate backend here)

    [(path, headers, body)] = push_service.received
    assert path == "/push/browser-1"
    assert headers["content-encoding"] == "aes128gcm" and int(headers["ttl"]) > 0 and headers["urgency"] == "high"
    message = browser.read(body)
    assert message["title"] == f"CẢNH BÁO: {alert.headline}"
    assert message["body"] == alert.instruction
    assert message["url"].endswith(f"/canh-bao/{alert.identifier}/")
    scheme, _, params = headers["authorization"].partition(" ")
    vapid = dict(part.strip().split("=", 1) for part in params.split(","))
    assert scheme == "vapid" and vapid["k"] == vapid_public_key()
    claims = vapid_claims(vapid["t"], vapid["k"])
    assert claims["aud"] == push_service.origin and claims["sub"].startswith("mailto:")
    with pytest.raises(http_ece.ECEException):
        stranger.read(body)  # encrypted for the subscribed browser only

    notification = Notification.objects.get(channel="webpush")
    assert notification.status == "sent"
    receipt = Client().post(urlsplit(message["receipt"]).path)
    assert receipt.status_code == 204
    notification.refresh_from_db()
    assert notification.status == "delivered" and notification.delivered_at is not None
    assert Client().post("/api/v1/notifications/push-receipts/forged").status_code == 404


def test_a_browser_whose_push_service_says_gone_is_not_sent_to_again(seats, push_service, publish):
    browser = Browser()
    _subscribe(browser, f"{push_service.origin}/push/gone", commune_codes=["20194"])
    push_service.status = 410
    publish()
    assert Notification.objects.get(channel="webpush").status == "failed"
    assert PushSubscription.objects.get().ended_at is not None
    assert set(Subscription.objects.values_list("status", flat=True)) == {"ended"}
    publish(headline="Cảnh báo lần hai")
    assert Notification.objects.filter(channel="webpush").count() == 1


def test_a_push_service_error_is_retried_later(seats, push_service, publish):
    _subscribe(Browser(), f"{push_service.origin}/push/busy", commune_codes=["20194"])
    push_service.status = 503
    publish()
    notification = Notification.objects.get(channel="webpush")
    assert notification.status == "pending" and notification.attempts == 1 and "503" in notification.last_error
    assert notification.next_attempt_at > notification.updated_at
    push_service.status = 201
    assert notifications_deliver(now=notification.next_attempt_at) == {"sent": 1, "retry": 0, "failed": 0}
    assert len(push_service.received) == 2


def test_subscriptions_outside_the_push_services_or_with_bad_keys_are_refused(seats, settings):
    settings.WEBPUSH_ALLOWED_ORIGINS = ["https://fcm.googleapis.com", "https://*.push.services.mozilla.com"]
    browser = Browser()
    intranet = _subscribe(browser, "http://10.0.0.5/admin/reset", commune_codes=["20194"])
    assert intranet.status_code == 422
    assert intranet.json()["code"] == "validation_failed" and "endpoint" in intranet.json()["details"]
    lookalike = _subscribe(browser, "https://fcm.googleapis.com.evil.example/x", commune_codes=["20194"])
    assert "endpoint" in lookalike.json()["details"]
    bad = Client().post(
        "/api/v1/alert-subscriptions/push",
        {
            "subscription": {
                "endpoint": "https://fcm.googleapis.com/fcm/send/abc",
                "keys": {"p256dh": "AAAA", "auth": "!!"},
            },
            "commune_codes": ["20194"],
        },
        content_type="application/json",
    )
    assert bad.status_code == 422 and set(bad.json()["details"]) == {"p256dh", "auth"}
    no_area = _subscribe(browser, "https://updates.push.services.mozilla.com/wpush/v2/abc")
    assert no_area.status_code == 422 and "commune_codes" in no_area.json()["details"]
    assert not PushSubscription.objects.exists() and not Subscription.objects.exists()


def test_the_same_browser_subscribing_again_keeps_one_push_subscription(seats, settings):
    settings.WEBPUSH_ALLOWED_ORIGINS = ["https://*.push.services.mozilla.com"]
    browser = Browser()
    endpoint = "https://updates.push.services.mozilla.com/wpush/v2/abc"
    first = _subscribe(browser, endpoint, commune_codes=["20194"]).json()
    second = _subscribe(browser, endpoint, commune_codes=["20194", "20197"]).json()
    assert PushSubscription.objects.count() == 1
    assert first[0]["token"] == second[0]["token"] and len(second) == 2
    assert Client().delete(f"/api/v1/alert-subscriptions/{first[0]['token']}").status_code == 204
    assert Subscription.objects.get(commune_code="20194").status == "ended"


def test_the_service_worker_and_the_key_are_served_from_the_site(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "webpush": "congan.core.webpush.WebPushBackend"}
    worker = Client().get("/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert b'addEventListener("push"' in worker.content and b"showNotification" in worker.content
    key = Client().get("/api/v1/alert-subscriptions/push-key").json()["public_key"]
    assert key == vapid_public_key() and len(unb64url(key)) == 65
    assert (tmp_path / "vapid_private_key").exists()
    page = Client().get("/canh-bao/dang-ky/")
    assert key in page.content.decode()


@pytest.mark.django_db
def test_the_browser_notification_offer_is_shown_only_where_push_is_sent(client, settings):
    assert 'data-testid="push-box"' not in client.get("/canh-bao/dang-ky/").content.decode()  # file backend

    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "webpush": "congan.core.webpush.WebPushBackend"}
    page = client.get("/canh-bao/dang-ky/").content.decode()
    assert 'data-testid="push-box"' in page and f'data-key="{vapid_public_key()}"' in page
