"""Request-wide middleware: request id and client IP for the audit trail, JSON error bodies
for every API error (including those Django produces before ninja sees the request)."""

from __future__ import annotations

import functools
import ipaddress
import json
import uuid
from collections.abc import Callable, Mapping
from contextvars import Token
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.handlers.exception import response_for_exception
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.cookie import parse_cookie
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from congan.core import context, errors, metrics
from congan.core.audit import AuditUnavailable, audit_durable, audit_partner_call

API_PREFIX = "/api/"
_STATUS_CODES = {
    400: ("bad_request", lambda: _("Yêu cầu không hợp lệ.")),
    401: ("not_authenticated", lambda: _("Cần đăng nhập hoặc khóa API hợp lệ.")),
    403: ("permission_denied", lambda: _("Bạn không có quyền thực hiện thao tác này.")),
    404: ("not_found", lambda: _("Không tìm thấy.")),
    405: ("method_not_allowed", lambda: _("Phương thức không được hỗ trợ.")),
    413: ("payload_too_large", lambda: _("Dữ liệu gửi lên quá lớn.")),
    429: ("rate_limited", lambda: _("Quá nhiều yêu cầu. Vui lòng thử lại sau.")),
    500: ("server_error", lambda: _("Lỗi hệ thống. Vui lòng thử lại sau.")),
}


# Headers of the original error response that the JSON replacement keeps (LocaleMiddleware sets
# Content-Language and Vary before this middleware sees the response).
_KEPT_HEADERS = ("Allow", "Retry-After", "Content-Language", "Vary")


def error_code_and_message(status: int) -> tuple[str, str]:
    """The stable code and translated default message for an HTTP error status."""
    code, message = _STATUS_CODES.get(status, ("error", lambda: _("Yêu cầu không hợp lệ.")))
    return code, str(message())


def client_ip(request: HttpRequest) -> str | None:
    return client_ip_of(request.META)


def client_ip_of(meta: Mapping[str, Any]) -> str | None:
    """The caller's address. Behind nginx the real address arrives in X-Real-IP, believed only
    when the connection comes from a trusted proxy (anyone else could forge it)."""
    remote = meta.get("REMOTE_ADDR") or None
    forwarded = meta.get("HTTP_X_REAL_IP", "").strip()
    if forwarded and remote in getattr(settings, "TRUSTED_PROXY_IPS", ()):
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            return remote
    return remote


def request_id_of(meta: Mapping[str, Any]) -> str:
    """The caller's X-Request-ID when it is a plain token, else a new one."""
    incoming = meta.get("HTTP_X_REQUEST_ID", "")
    return incoming[:64] if incoming.replace("-", "").isalnum() else uuid.uuid4().hex


# --- What every API call goes through, in Django's middleware and in the fast lane -----------------
# (congan.core.fastlane answers its routes without Django's request cycle: what it keeps of the cycle
# is these functions, so the two transports cannot drift apart; test_fastlane_parity holds them.)


def host_allowed(meta: Mapping[str, Any]) -> bool:
    """Whether Django takes the call's host: ``HttpRequest.get_host`` itself (ALLOWED_HOSTS, the
    forwarded host when trusted), memoised by the headers it reads. The lane leaves a call whose host
    Django refuses to Django, which answers it (400)."""
    return _host_allowed(*(str(meta.get(name, "")) for name in _HOST_META))


_HOST_META = ("HTTP_X_FORWARDED_HOST", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "HTTP_X_FORWARDED_PORT")


@functools.lru_cache(maxsize=1024)
def _host_allowed(*values: str) -> bool:
    probe = HttpRequest()
    probe.META = {name: value for name, value in zip(_HOST_META, values, strict=True) if value}
    try:
        probe.get_host()
    except (DisallowedHost, KeyError):  # KeyError: no Host and no SERVER_NAME (not WSGI)
        return False
    return True


@receiver(setting_changed)
def _forget_hosts(**kwargs: Any) -> None:
    _host_allowed.cache_clear()


def request_language(meta: Mapping[str, Any]) -> str:
    """The caller's language, as LocaleMiddleware chooses it: the language cookie, then
    Accept-Language, then the default."""
    cookies = parse_cookie(meta["HTTP_COOKIE"]) if meta.get("HTTP_COOKIE") else {}
    return translation.get_language_from_request(SimpleNamespace(COOKIES=cookies, META=meta))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Call:
    """One API call in progress: its request id and client address, in the request context."""

    request_id: str
    client_ip: str | None
    token: Token


def call_begin(meta: Mapping[str, Any]) -> Call:
    """Start a call: the request id kept or made, the client address, both put in the request
    context the audit trail reads."""
    request_id, ip = request_id_of(meta), client_ip_of(meta)
    return Call(request_id, ip, context.activate(context.RequestContext(request_id=request_id, ip=ip)))


def call_end(call: Call, *, method: str, path: str, status: int) -> AuditUnavailable | None:
    """End a call: a partner's call is audited unless it recorded its own event; the call's
    buffered audit events are committed (group commit) — when they cannot be, the error to answer
    in place of the response is returned; the request context is left, the call counted."""
    try:
        audit_partner_call(status)
        try:
            audit_durable()
        except AuditUnavailable as exc:
            status = exc.status
            return exc
        return None
    finally:
        context.deactivate(call.token)
        metrics.observe(method, path, status)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        call = call_begin(request.META)
        request.request_id = call.request_id  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        except BaseException:
            call_end(call, method=request.method or "", path=request.path, status=500)
            raise
        unavailable = call_end(call, method=request.method or "", path=request.path, status=response.status_code)
        if unavailable is not None:
            response = _audit_unavailable(request, response, unavailable, call.request_id)
        response["X-Request-ID"] = call.request_id
        return response


def _audit_unavailable(
    request: HttpRequest, response: HttpResponse, exc: AuditUnavailable, request_id: str
) -> HttpResponse:
    """The 503 answered in place of a response whose audit events could not be committed."""
    response.close()
    if request.path.startswith(API_PREFIX):
        return json_error(exc.code, str(exc.message), exc.details, status=exc.status)
    return render(request, "500.html", {"request_id": request_id}, status=exc.status)


class ApiErrorBodyMiddleware:
    """Turn any non-JSON error response under /api/ into ``{"code","message","details"}``.

    It also lets pages raise the error family: a ``NotFound`` or ``PermissionDenied`` escaping a
    view (from a selector, say) answers like Django's 404 / 403, through the error handlers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, errors.NotFound):
            return response_for_exception(request, Http404(str(exception.message)))
        if isinstance(exception, errors.PermissionDenied):
            return response_for_exception(request, DjangoPermissionDenied(str(exception.message)))
        return None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        return self._json_error(request, response)

    def _json_error(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        status = response.status_code
        code, message = error_code_and_message(status)
        details: dict = {}
        if status == 405 and response.has_header("Allow"):
            details["allowed"] = [m.strip() for m in response["Allow"].split(",")]
        if status >= 500:
            details["request_id"] = getattr(request, "request_id", "")
        body = JsonResponse({"code": code, "message": message, "details": details}, status=status)
        for header in _KEPT_HEADERS:
            if response.has_header(header):
                body[header] = response[header]
        return body


def json_error(code: str, message: str, details: dict | None = None, status: int = 400) -> HttpResponse:
    return HttpResponse(
        json.dumps({"code": code, "message": message, "details": details or {}}, ensure_ascii=False),
        status=status,
        content_type="application/json",
    )
