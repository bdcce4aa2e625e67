"""Request-wide middleware: request id and client IP for the audit trail, JSON error bodies
for every API error (including those Django produces before ninja sees the request)."""

from __future__ import annotations

import ipaddress
import json
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
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


def client_ip_of(meta: dict) -> str | None:
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


def request_id_of(meta: dict) -> str:
    """The caller's X-Request-ID when it is a plain token, else a new one."""
    incoming = meta.get("HTTP_X_REQUEST_ID", "")
    return incoming[:64] if incoming.replace("-", "").isalnum() else uuid.uuid4().hex


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_of(request.META)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = context.activate(context.RequestContext(request_id=request_id, ip=client_ip(request)))
        try:
            response = self.get_response(request)
            audit_partner_call(response.status_code)
            response = _after_audit_committed(request, response)
        finally:
            context.deactivate(token)
        response["X-Request-ID"] = request_id
        metrics.observe_response(request, response)
        return response


def _after_audit_committed(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The response once the call's buffered audit events are committed, or a 503 in its place."""
    try:
        audit_durable()
    except AuditUnavailable as exc:
        response.close()
        if request.path.startswith(API_PREFIX):
            return json_error(exc.code, str(exc.message), exc.details, status=exc.status)
        return render(request, "500.html", {"request_id": context.current().request_id}, status=exc.status)
    return response


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
