"""Web push endpoints are parsed strictly (no IP literal, escape, backslash or user info; the host a
DNS name within WEBPUSH_ALLOWED_ORIGINS), and at send time the name is resolved once, refused when
it points into a private, loopback, link-local or reserved network, and the message goes to the
address that was checked (the name stays in the Host header, TLS SNI and certificate check)."""

from __future__ import annotations

import base64
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from congan.core.errors import ValidationFailed
from congan.core.models import Notification, PushSubscription
from congan.core.notifications import DeliveryError, PermanentDeliveryError
from congan.core.webpush import WebPushBackend, clean_push_subscription

pytestmark = pytest.mark.django_db

APPLE = "https://*.push.apple.com"
NAME = "push.example.test"


def _keys() -> tuple[str, str]:
    public = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    encode = base64.urlsafe_b64encode
    return encode(public).rstrip(b"=").decode(), encode(b"sixteen-byte-key").rstrip(b"=").decode()


@pytest.fixture
def origins(settings):
    settings.WEBPUSH_ALLOWED_ORIGINS = [
        APPLE,
        "https://fcm.googleapis.com",
        "https://*.push.services.mozilla.com",
        "https://*.notify.windows.com",
    ]
    return settings


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://127.0.0.1\\.push.apple.com/x",  # a backslash: browsers and some parsers read "/"
        "https://localhost%2F.push.apple.com/x",  # an escape in the host
        "https://web.push.apple.com%2F@127.0.0.1/x",
        "https://user:secret@web.push.apple.com/x",  # user info
        "https://web.push.apple.com@evil.example/x",
        "https://web.push.apple.com./x",  # a trailing dot
        "https://web.push.apple.com:8443/x",  # a port the allow-list does not name
        "https://web.push.apple.com/x#fragment",
        "https://web.push.apple.com/a b",
        "https://web.push.apple.com/a\tb",
        "https://wẹb.push.apple.com/x",  # not ASCII
        "http://web.push.apple.com/x",  # not HTTPS
        "https://evilpush.apple.com/x",  # not a sub-domain of push.apple.com
        "https://push.apple.com/x",  # the pattern needs a sub-domain
        "https://-web.push.apple.com/x",
        "https:///x",
        "https://web.push.apple.com",  # no path
    ],
)
def test_tricky_endpoints_are_refused(origins, endpoint):
    p256dh, auth = _keys()
    with pytest.raises(ValidationFailed) as refused:
        clean_push_subscription(endpoint, p256dh, auth)
    assert set(refused.value.details) == {"endpoint"}


@pytest.mark.parametrize(
    "endpoint",
    ["https://127.0.0.1/x", "https://[::1]/x", "https://2130706433/x", "https://0x7f.0.0.1/x", "https://127.1/x"],
)
def test_ip_literals_are_refused_even_where_the_allow_list_is_open(settings, endpoint):
    settings.WEBPUSH_ALLOWED_ORIGINS = ["https://*"]
    p256dh, auth = _keys()
    assert clean_push_subscription("https://push.example.org/x", p256dh, auth)[0] == "https://push.example.org/x"
    with pytest.raises(ValidationFailed):
        clean_push_subscription(endpoint, p256dh, auth)


@pytest.mark.parametrize(
    ("endpoint", "normalised"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc:APA91b-x_y", "https://fcm.googleapis.com/fcm/send/abc:APA91b-x_y"),
        ("https://Web.Push.Apple.com:443/QGx-y_z", "https://web.push.apple.com/QGx-y_z"),
        (
            "https://db5p.notify.windows.com/w/?token=BQYAAAB%2bcd%3d",
            "https://db5p.notify.windows.com/w/?token=BQYAAAB%2bcd%3d",
        ),
        (
            "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk",
            "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk",
        ),
    ],
)
def test_real_push_service_endpoints_are_accepted_and_normalised(origins, endpoint, normalised):
    p256dh, auth = _keys()
    assert clean_push_subscription(endpoint, p256dh, auth)[0] == normalised


class PushService:
    """A push service on loopback recording the Host header of each message it receives."""

    def __init__(self) -> None:
        self.hosts: list[str] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                service.hosts.append(self.headers["Host"])
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def push_service(settings, tmp_path):
    service = PushService()
    settings.WEBPUSH_ALLOWED_ORIGINS = [f"http://{NAME}:*"]
    settings.DATA_DIR = tmp_path
    yield service
    service.close()


@pytest.fixture
def dns(monkeypatch):
    """Answers for NAME, one per lookup in turn (the last one repeats); other names as usual."""
    answers: list[str] = []
    asked: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host != NAME:
            return real(host, port, *args, **kwargs)
        asked.append(host)
        address = answers[min(len(asked), len(answers)) - 1]
        return real(address, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers, asked


def _push_to(endpoint: str) -> Notification:
    p256dh, auth = _keys()
    row = PushSubscription.objects.create(endpoint=endpoint, p256dh=p256dh, auth=auth, token="t" * 43)
    return Notification(channel="webpush", recipient=row.token, body='{"title": "x"}')


def test_a_name_resolving_to_loopback_is_refused_at_send_time(push_service, dns):
    dns[0].append("127.0.0.1")
    with pytest.raises(PermanentDeliveryError):
        WebPushBackend().send(_push_to(f"http://{NAME}:{push_service.port}/push/1"))
    assert push_service.hosts == []


@pytest.mark.parametrize("address", ["10.1.2.3", "169.254.169.254", "100.64.0.1", "::1", "fe80::1", "64:ff9b::a01:203"])
def test_names_resolving_into_private_link_local_or_reserved_networks_are_refused(push_service, dns, address):
    dns[0].append(address)
    with pytest.raises(PermanentDeliveryError):
        WebPushBackend().send(_push_to(f"http://{NAME}:{push_service.port}/push/1"))


def test_an_endpoint_stored_before_the_strict_parsing_is_refused_and_ended(push_service, dns):
    dns[0].append("127.0.0.1")
    notification = _push_to(f"http://127.0.0.1\\.{NAME}:{push_service.port}/push/1")
    with pytest.raises(PermanentDeliveryError):
        WebPushBackend().send(notification)
    assert push_service.hosts == [] and PushSubscription.objects.get().ended_at is not None


def test_the_message_goes_to_the_address_that_was_checked(push_service, dns, settings):
    settings.WEBPUSH_ALLOWED_NETWORKS = ["127.0.0.1/32"]  # an operator's own push relay on loopback
    dns[0].extend(["127.0.0.1", "127.0.0.2"])  # a second lookup would answer elsewhere (rebinding)
    WebPushBackend().send(_push_to(f"http://{NAME}:{push_service.port}/push/1"))
    assert push_service.hosts == [f"{NAME}:{push_service.port}"]  # the name in Host, sent to the first answer
    assert dns[1] == [NAME]  # resolved once


def test_a_name_that_does_not_resolve_is_retried_later(push_service, monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(DeliveryError) as error:
        WebPushBackend().send(_push_to(f"http://{NAME}:{push_service.port}/push/1"))
    assert not isinstance(error.value, PermanentDeliveryError)
