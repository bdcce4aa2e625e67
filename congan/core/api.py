"""API plumbing shared by every router: authentication, scopes, the error body."""

from __future__ import annotations

import datetime as dt
import logging
import math
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja import pagination as ninja_pagination
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser
from ninja.security import APIKeyHeader, SessionAuth
from pydantic import AfterValidator

from congan.core import context
from congan.core.apikeys import api_key_authenticate, rate_limit_check
from congan.core.errors import ApplicationError, PermissionDenied, RateLimited
from congan.core.jsonbody import json_body, querydict_nul_problems
from congan.core.middleware import error_code_and_message
from congan.core.models import ApiKey
from congan.core.openapi import Document, document_input_rules
from congan.core.second_factor import second_factor_pending

logger = logging.getLogger(__name__)


class ErrorOut(Schema):
    """The body of every API error."""

    code: str
    message: str
    details: dict[str, Any]


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """``response={200: X, **error_responses(401, 403)}``: document error statuses with ``ErrorOut``."""
    return dict.fromkeys(statuses, ErrorOut)


_ERROR_REF = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
_GENERIC_ERRORS = {
    400: "Malformed request body",
    401: "Not authenticated",
    403: "Permission denied (or a partner key without the required scope)",
    404: "Not found (or outside the caller's unit scope)",
    413: "Request body too large",
    422: "Validation failed",
    429: "Rate limit exceeded (see Retry-After)",
}


def _storable_moment(value: dt.datetime) -> dt.datetime:
    """Naive is local time; aware becomes UTC, because PostgreSQL refuses offsets beyond ±15:59."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError as exc:  # 0001-01-01T00:00+01:00 has no UTC form
        raise ValueError("the time is out of range") from exc


# Use for every date-time an API caller sends.
Moment = Annotated[dt.datetime, AfterValidator(_storable_moment)]


class NulRejectingParser(Parser):
    """Every JSON body through ``congan.core.jsonbody`` (a depth limit: 400; NUL characters: 422, as
    PostgreSQL cannot store them in text and would answer every such search with a 500), and NUL
    refused in query strings and forms too."""

    def parse_body(self, request: HttpRequest) -> Any:
        data, problems = json_body(request.body)
        if problems:
            raise ValidationError(problems)
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        where = "query" if data is request.GET else "form"
        problems = querydict_nul_problems(data, where)
        if problems:
            raise ValidationError(problems)
        return super().parse_querydict(data, list_fields, request)


class PlatformAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI schema documents the errors every operation can answer and the rules
    every request goes through (congan.core.openapi), with one schema per component name.

    Handlers document their own outcomes (``response={200: X, **error_responses(403, 404)}``);
    what the shell adds to every operation is documented here so the schema never lies:
    401 and 403 where authentication is required, 429 where a partner key may call, 404 where
    a path names an object, 422 where there are parameters or a body, 400 and 413 where there is a body.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("parser", NulRejectingParser())
        super().__init__(*args, **kwargs)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schema = Document(self, path_prefix)
        document_input_rules(schema)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"))
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                if isinstance(operation, dict) and "responses" in operation:
                    _document_errors(operation)
        return schema


def _document_errors(operation: dict[str, Any]) -> None:
    security = operation.get("security") or []
    statuses: list[int] = []
    if security:
        statuses += [401, 403]
    if any(PartnerKey.__name__ in requirement for requirement in security):
        statuses.append(429)
    if any(param.get("in") == "path" for param in operation.get("parameters") or []):
        statuses.append(404)
    if operation.get("parameters") or operation.get("requestBody"):
        statuses.append(422)
    if operation.get("requestBody"):
        statuses += [400, 413]
    responses = operation["responses"]
    for status in statuses:
        if status not in responses and str(status) not in responses:
            responses[status] = {"description": _GENERIC_ERRORS[status], **_ERROR_REF}


# Bounds that keep OFFSET inside a 64-bit integer on every database (an unbounded page number
# overflowed SQLite and PostgreSQL with a 500, found by the fuzzer).
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 1000


class PageNumberPagination(ninja_pagination.PageNumberPagination):
    """``?page=&page_size=`` pagination for every list endpoint: use this, not ninja's own."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)


class OfficerSession(SessionAuth):
    """Signed-in officers (with two-factor passed when they have a device)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # Check CSRF only when a session would authenticate: ninja checks it first, so a partner
        # system's POST (a key, no session, no CSRF token) was refused with 403 before its key
        # was even looked at.
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if second_factor_pending(user):
            return None
        return user


class PartnerKey(APIKeyHeader):
    """``X-API-Key: cgk_…`` issued to a partner system. Every call is audited (buffered)."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:
        api_key = partner_admit(key or "", method=request.method or "", path=request.path)
        request.api_key = api_key  # type: ignore[attr-defined]
        return api_key


def partner_admit(raw_key: str, *, method: str, path: str) -> ApiKey | None:
    """The usable partner key ``raw_key``, or None. Counts the call against the key's rate limit
    (RateLimited beyond it) and puts the key in the request context; ``audit_partner_call`` audits
    the call when it ends."""
    api_key = api_key_authenticate(raw_key)
    if api_key is None:
        return None
    rate_limit_check(key=api_key)
    ctx = context.current()
    ctx.api_key, ctx.partner_call = api_key, (method, path)
    return api_key


officer_auth = OfficerSession()
partner_auth = PartnerKey()


def require_scope(request: HttpRequest, scope: str) -> None:
    """Raise 403 unless the caller is an officer or a key holding ``scope``."""
    scope_required(getattr(request, "api_key", None), scope)


def scope_required(api_key: ApiKey | None, scope: str) -> None:
    """Raise 403 when ``api_key`` (None: an officer) lacks ``scope``."""
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


def validation_details(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    details: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", []) if part not in ("body", "query", "path", "form", "payload")]
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
        body = error_body("validation_failed", _("Dữ liệu không hợp lệ."), validation_details(exc.errors))
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

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        retry_after = max(1, math.ceil(exc.wait or 1))
        code, message = error_code_and_message(429)
        response = respond(request, 429, error_body(code, message, {"retry_after": retry_after}))
        response["Retry-After"] = str(retry_after)
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja raises HttpError(400) from the body parser and HttpError(403) for a failed CSRF
        # check on session calls; its English messages are replaced by ours.
        if isinstance(exc.__cause__, ValidationError):  # raised by our parser inside ninja's body parsing
            return validation_error(request, exc.__cause__)
        if isinstance(exc.__cause__, ApplicationError):  # the same (a body nested too deep)
            return application_error(request, exc.__cause__)
        if exc.status_code == 400 and exc.__cause__ is not None:
            body = error_body("malformed_body", _("Nội dung gửi lên không phải JSON hợp lệ."))
        elif exc.status_code == 403 and "csrf" in str(exc.message).lower():
            body = error_body("csrf_failed", _("Thiếu hoặc sai mã CSRF của phiên đăng nhập."))
        else:
            body = error_body(*error_code_and_message(exc.status_code))
        return respond(request, exc.status_code, body)

    @api.exception_handler(MultiPartParserError)
    def malformed_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        # A session call's CSRF check reads the form body: a multipart type without a boundary
        # fails there, before ninja's own parser could refuse it.
        return respond(request, 400, error_body("malformed_body", _("Nội dung gửi lên không đúng định dạng.")))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # Reading a body over DATA_UPLOAD_MAX_MEMORY_SIZE; it answered 500 before.
        return respond(request, 413, error_body(*error_code_and_message(413)))

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
