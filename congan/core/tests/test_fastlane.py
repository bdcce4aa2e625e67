"""The fast lane (congan.core.fastlane): its routes are answered without Django's request cycle, and
what a caller sees (errors, headers, language, audit context) is what the Django endpoints give."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from django.test import Client

from congan.core import context, fastlane
from congan.core.apikeys import api_key_issue
from congan.core.errors import NotFound, RateLimited
from congan.core.models import ApiClient
from congan.core.testing.fastlane import FastLaneClient

PROBE = "/api/v1/__fast_lane_probe"


@pytest.fixture
def probe(monkeypatch, db):
    """A lane route whose behaviour each test chooses; removed afterwards. (With the database: after
    each call the lane looks at this thread's connections, as it does in the server.)"""
    behaviour: dict[str, Any] = {"answer": lambda request: {"ok": True}}
    probe_route = fastlane.Route("GET", PROBE, "probe", lambda request: behaviour["answer"](request), None, None)
    monkeypatch.setitem(fastlane.routes(), ("GET", PROBE), probe_route)
    return behaviour


def _call(app, path: str = PROBE, method: str = "GET", body: bytes = b"", **environ: str):
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        captured["status"], captured["headers"] = status, dict(headers)

    base = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "REMOTE_ADDR": "10.0.0.7",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
    }
    chunks = app({**base, **environ}, start_response)
    return captured["status"], captured["headers"], b"".join(chunks)


def _django_app_stub(calls: list[str]):
    def app(environ, start_response):
        calls.append(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}")
        start_response("204 No Content", [])
        return [b""]

    return app


def test_the_lane_answers_its_routes_and_leaves_every_other_request_to_django(probe):
    calls: list[str] = []
    lane = fastlane.FastLane(_django_app_stub(calls))
    status, _, body = _call(lane)
    assert (status, json.loads(body)) == ("200 OK", {"ok": True})
    assert calls == []
    _call(lane, method="POST")
    _call(lane, path=PROBE + "/")
    _call(lane, path="/api/v1/other")
    assert calls == [f"POST {PROBE}", f"GET {PROBE}/", "GET /api/v1/other"]


def test_a_host_django_refuses_is_left_to_django(probe):
    calls: list[str] = []
    lane = fastlane.FastLane(_django_app_stub(calls))
    _call(lane, HTTP_HOST="evil.example")
    _call(lane, HTTP_HOST="testserver.evil.example:80")
    assert calls == [f"GET {PROBE}", f"GET {PROBE}"]
    status, _, _ = _call(lane, HTTP_HOST="testserver")
    assert status == "200 OK" and len(calls) == 2


def test_answers_carry_the_request_id_and_the_security_headers_of_the_django_endpoints(probe):
    _, headers, _ = _call(fastlane.FastLane(_django_app_stub([])), HTTP_X_REQUEST_ID="abc-123")
    assert headers["X-Request-ID"] == "abc-123"
    django_headers = Client().get("/api/v1/traffic/cameras").headers  # any Django API answer
    for name in (
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Content-Security-Policy",
        "Vary",
    ):
        assert headers[name] == django_headers[name], name
    assert headers["Content-Type"] == "application/json; charset=utf-8"


def test_a_forged_request_id_is_replaced(probe):
    _, headers, _ = _call(fastlane.FastLane(_django_app_stub([])), HTTP_X_REQUEST_ID="<script>")
    assert headers["X-Request-ID"] != "<script>" and headers["X-Request-ID"].isalnum()


def test_the_handler_sees_the_request_context_the_audit_trail_reads(probe):
    seen = {}

    def answer(request):
        seen["ip"], seen["request_id"] = context.current().ip, context.current().request_id
        return {}

    probe["answer"] = answer
    _call(fastlane.FastLane(_django_app_stub([])), HTTP_X_REQUEST_ID="r1")
    assert seen == {"ip": "10.0.0.7", "request_id": "r1"}
    assert context.current().request_id == ""  # deactivated after the call


def test_errors_of_the_family_become_the_api_error_body_in_the_callers_language(probe):
    def answer(request):
        raise NotFound()

    probe["answer"] = answer
    lane = fastlane.FastLane(_django_app_stub([]))
    status, headers, body = _call(lane, HTTP_ACCEPT_LANGUAGE="en")
    assert status == "404 Not Found"
    assert json.loads(body) == {"code": "not_found", "message": "Not found.", "details": {}}
    assert headers["Content-Language"] == "en"
    _, headers, body = _call(lane)
    assert json.loads(body)["message"] == "Không tìm thấy." and headers["Content-Language"] == "vi"


def test_a_rate_limited_call_says_when_to_retry(probe):
    def answer(request):
        raise RateLimited(retry_after=17)

    probe["answer"] = answer
    status, headers, body = _call(fastlane.FastLane(_django_app_stub([])))
    assert status == "429 Too Many Requests" and headers["Retry-After"] == "17"
    assert json.loads(body)["details"] == {"retry_after": 17}


def test_an_unexpected_error_is_a_logged_500_with_the_request_id(probe, caplog):
    def answer(request):
        raise RuntimeError("boom")

    probe["answer"] = answer
    with caplog.at_level(logging.ERROR, logger="congan.core.fastlane"):
        status, _, body = _call(fastlane.FastLane(_django_app_stub([])), HTTP_X_REQUEST_ID="req42")
    assert status == "500 Internal Server Error"
    assert json.loads(body) == {
        "code": "server_error",
        "message": "Lỗi hệ thống. Vui lòng thử lại sau.",
        "details": {"request_id": "req42"},
    }
    assert "req42" in caplog.text and "boom" in caplog.text


def test_plain_http_is_left_to_django_when_https_is_required(probe, settings):
    settings.SECURE_SSL_REDIRECT = True
    calls: list[str] = []
    lane = fastlane.FastLane(_django_app_stub(calls))
    _call(lane)
    assert calls == [f"GET {PROBE}"]
    status, _, _ = _call(lane, HTTP_X_FORWARDED_PROTO="https", **{"wsgi.url_scheme": "https"})
    assert status == "200 OK"


@pytest.fixture
def verify_key(db):
    client = ApiClient.objects.create(name="Ngân hàng thử")
    return api_key_issue(by="system", client=client, name="k", scopes=["identity.verify"]).raw


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "malformed_body"),
        (b'{"personal_id": "0480\\u000012345678", "full_name": "A"}', 422, "validation_failed"),
        (b'{"personal_id": "048012345678", "unknown": 1}', 422, "validation_failed"),
        (b"[1, 2]", 422, "validation_failed"),
    ],
)
def test_bad_bodies_get_the_same_answer_from_the_lane_as_from_django(verify_key, body, status, code):
    answers = []
    for client in (Client(), FastLaneClient()):
        response = client.post(
            "/api/v1/identity/verify", body, content_type="application/json", HTTP_X_API_KEY=verify_key
        )
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1]
    assert answers[0][0] == status and answers[0][1]["code"] == code


def test_an_oversized_body_is_refused_with_413_by_the_lane_and_by_django(verify_key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = json.dumps({"personal_id": "048012345678", "full_name": "x" * 200})
    for client in (Client(), FastLaneClient()):
        response = client.post(
            "/api/v1/identity/verify", body, content_type="application/json", HTTP_X_API_KEY=verify_key
        )
        assert response.status_code == 413
        assert response.json() == {"code": "payload_too_large", "message": "Dữ liệu gửi lên quá lớn.", "details": {}}


def test_the_lane_client_really_takes_the_lane(verify_key):
    response = FastLaneClient().post(
        "/api/v1/identity/verify", b"{}", content_type="application/json", HTTP_X_API_KEY=verify_key
    )
    assert getattr(response, "served_by_fast_lane", False)
    assert not getattr(Client().get("/healthz"), "served_by_fast_lane", False)


class _Connection:
    def __init__(self, *, in_atomic_block: bool = False, errors_occurred: bool = False):
        self.in_atomic_block, self.errors_occurred, self.checked = in_atomic_block, errors_occurred, 0

    def close_if_unusable_or_obsolete(self) -> None:
        self.checked += 1


def test_connections_are_checked_after_an_error_and_now_and_then_but_not_inside_a_transaction(monkeypatch):
    idle, broken, in_transaction = _Connection(), _Connection(errors_occurred=True), _Connection(in_atomic_block=True)
    monkeypatch.setattr(fastlane.connections, "all", lambda initialized_only: [idle, in_transaction])
    monkeypatch.setattr(fastlane._local, "checked_at", 0.0, raising=False)
    fastlane._connections_housekeeping()
    fastlane._connections_housekeeping()  # within CONNECTION_CHECK_SECONDS: nothing to do
    assert (idle.checked, in_transaction.checked) == (1, 0)
    monkeypatch.setattr(fastlane.connections, "all", lambda initialized_only: [idle, broken])
    fastlane._connections_housekeeping()  # an error: at once
    assert (idle.checked, broken.checked) == (2, 1)
