"""API plumbing shared by every router: authentication, scopes, the error body."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.security import APIKeyHeader, SessionAuth

from congan.core import context
from congan.core.apikeys import api_key_authenticate, rate_limit_check
from congan.core.audit import audit_enqueue
from congan.core.errors import ApplicationError, PermissionDenied, RateLimited
from congan.core.models import ApiKey

logger = logging.getLogger(__name__)


class OfficerSession(SessionAuth):
    """Signed-in officers (with two-factor passed when they have a device)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if hasattr(user, "is_verified") and not user.is_verified():
            from congan.org.selectors import officer_has_confirmed_device

            if officer_has_confirmed_device(officer=user):
                return None
        return user


class PartnerKey(APIKeyHeader):
    """``X-API-Key: cgk_…`` issued to a partner system. Every call is audited (buffered)."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:
        api_key = api_key_authenticate(key or "")
        if api_key is None:
            return None
        rate_limit_check(key=api_key)
        context.current().api_key = api_key
        request.api_key = api_key  # type: ignore[attr-defined]
        audit_enqueue(
            actor=api_key,
            action="api.call",
            target_type="api",
            target_id=request.path[:64],
            details={"method": request.method, "path": request.path},
        )
        return api_key


officer_auth = OfficerSession()
partner_auth = PartnerKey()


def require_scope(request: HttpRequest, scope: str) -> None:
    """Raise 403 unless the caller is an officer or a key holding ``scope``."""
    api_key = getattr(request, "api_key", None)
    if api_key is not None and scope not in api_key.scopes:
        raise PermissionDenied(
            _("Khóa API không có phạm vi %(scope)s.") % {"scope": scope},
            details={"required_scope": scope},
        )


def error_body(code: str, message: Any, details: Any = None) -> dict[str, Any]:
    return {
        "code": code,
        "message": str(message),
        "details": details if details is not None else {},
    }


def _validation_details(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    details: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", []) if part not in ("body", "query", "path", "payload")]
        field = ".".join(loc) or "__all__"
        details.setdefault(field, []).append(str(error.get("msg", "")))
    return details


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        response = respond(request, exc.status, error_body(exc.code, exc.message, exc.details))
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        body = error_body("validation_failed", _("Dữ liệu không hợp lệ."), _validation_details(exc.errors))
        return respond(request, 422, body)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, error_body("not_authenticated", _("Cần đăng nhập hoặc khóa API hợp lệ.")))

    @api.exception_handler(AuthorizationError)
    def authorization_error(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return respond(
            request,
            403,
            error_body("permission_denied", _("Bạn không có quyền thực hiện thao tác này.")),
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and isinstance(exc.__cause__, (json.JSONDecodeError, ValueError)):
            body = error_body("malformed_body", _("Nội dung gửi lên không phải JSON hợp lệ."))
        else:
            body = error_body(f"http_{exc.status_code}", exc.message)
        return respond(request, exc.status_code, body)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", _("Không tìm thấy.")))

    @api.exception_handler(DjangoPermissionDenied)
    def forbidden(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
        return respond(
            request,
            403,
            error_body("permission_denied", _("Bạn không có quyền thực hiện thao tác này.")),
        )

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        request_id = getattr(request, "request_id", "")
        logger.exception("unhandled API error (request %s)", request_id)
        body = error_body("server_error", _("Lỗi hệ thống. Vui lòng thử lại sau."), {"request_id": request_id})
        return respond(request, 500, body)
