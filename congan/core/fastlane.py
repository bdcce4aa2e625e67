"""The fast lane: the few API calls that carry most of the traffic (a partner's identity check, the
public plate lookup), answered by plain WSGI handlers in front of Django's request cycle.

Why (docs/decisions/0011-fast-lane.md): one such call costs well under a millisecond of our own
code, and Django's request cycle (request object, sixteen middleware, URL resolving, django-ninja's
parsing and rendering) costs about three. The handlers call the same services, selectors, schemas
and error family as the django-ninja endpoints, which stay: they document the API (OpenAPI) and
answer every request the lane does not take. The test suite sends the same requests through both
and compares the answers.

What the lane keeps from the request cycle: the request id and client address in the request
context (the audit trail reads them), the caller's language, the security headers, the JSON error
body, the request metrics, and database connections that are closed when broken or too old.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.wsgi import get_script_name
from django.core.signals import setting_changed
from django.db import connections
from django.dispatch import receiver
from django.urls import get_resolver, set_script_prefix
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.responses import NinjaJSONEncoder
from ninja.utils import normalize_path
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from congan.core.api import error_body, partner_admit, validation_details
from congan.core.errors import ApplicationError, NotAuthenticated, RateLimited, ValidationFailed
from congan.core.jsonbody import json_body, query_nul_problems
from congan.core.middleware import (
    Call,
    call_begin,
    call_end,
    error_code_and_message,
    host_allowed,
    request_language,
)

logger = logging.getLogger(__name__)

Handler = Callable[["FastRequest"], Any]


@dataclass(frozen=True)
class Answer:
    """What a handler returns for a status other than 200 (``Answer(201, body)``), or with headers
    of its own (a ``Set-Cookie``)."""

    status: int
    body: Any
    headers: tuple[tuple[str, str], ...] = ()


# How often a thread looks at its database connections (too old, or broken by an error) when no
# error told it to: Django does it twice per request, which would cost more than the call.
CONNECTION_CHECK_SECONDS = 5.0
_local = threading.local()


@dataclass(frozen=True)
class Route:
    """A django-ninja operation the lane serves: its method and path, its operation id, its body
    and query schemas, all read from the operation itself; and the lane's handler."""

    method: str
    path: str
    operation_id: str
    handler: Handler
    body: type[BaseModel] | None
    query: type[BaseModel] | None


_handlers: dict[Callable[..., Any], Handler] = {}  # a ninja operation's view function: its lane handler
_apis: list[Any] = []
_table: dict[tuple[str, str], Route] | None = None
_table_lock = threading.Lock()


def route(operation: Callable[..., Any]) -> Callable[[Handler], Handler]:
    """Serve the django-ninja operation ``operation`` (its view function) in the fast lane, at the
    operation's method and path, with its body and query schemas. A handler returns the JSON body of
    a 200 answer (or an ``Answer`` with another status) or raises from the error family."""

    def register(handler: Handler) -> Handler:
        _handlers[operation] = handler
        _forget_routes()
        return handler

    return register


def serve_api(api: Any) -> None:
    """Look for the lane's operations in ``api`` (a NinjaAPI; congan.api calls this)."""
    if api not in _apis:
        _apis.append(api)
        _forget_routes()


def _forget_routes() -> None:
    global _table
    _table = None


def routes() -> dict[tuple[str, str], Route]:
    """The lane's routes by (method, path), read once from the django-ninja operations."""
    table = _table
    if table is None:
        with _table_lock:
            table = _table if _table is not None else _build_routes()
    return table


def _build_routes() -> dict[tuple[str, str], Route]:
    global _table
    get_resolver().url_patterns  # noqa: B018 - loads the URLconf, which mounts the API (serve_api)
    table = {(found.method, found.path): found for api in _apis for found in _api_routes(api)}
    served = {found.handler for found in table.values()}
    missing = [f"{view.__module__}.{view.__qualname__}" for view, handler in _handlers.items() if handler not in served]
    if missing:
        raise ImproperlyConfigured(f"fast lane routes without a django-ninja operation: {', '.join(missing)}")
    _table = table
    return table


def _api_routes(api: Any) -> Iterable[Route]:
    root = api.get_root_path({})
    for bound_router in api._get_bound_routers():
        for path, path_view in bound_router.path_operations.items():
            for operation in path_view.operations:
                handler = _handlers.get(operation.view_func)
                if handler is None:
                    continue
                full_path = normalize_path("/" + root + "/".join(part for part in (bound_router.prefix, path) if part))
                if "{" in full_path:
                    raise ImproperlyConfigured(f"the fast lane takes exact paths only: {full_path}")
                sources = {type(param.source).__name__: param.annotation for param in operation.signature.params}
                for method in operation.methods:
                    yield Route(
                        method=method,
                        path=full_path,
                        operation_id=operation.operation_id or api.get_openapi_operation_id(operation),
                        handler=handler,
                        body=sources.get("Body"),
                        query=sources.get("Query"),
                    )


class PayloadTooLarge(ApplicationError):
    status = 413
    code = "payload_too_large"


class FastRequest:
    """What a handler sees of the call."""

    def __init__(self, environ: dict[str, Any], route: Route, call: Call):
        self.environ = environ
        self.route = route
        self.method: str = environ["REQUEST_METHOD"]
        self.path: str = environ["PATH_INFO"]
        self.request_id = call.request_id
        self.client_ip = call.client_ip

    def header(self, name: str) -> str:
        return self.environ.get("HTTP_" + name.upper().replace("-", "_"), "")

    def partner_key(self, *, required: bool = True) -> Any:
        """The caller's partner key (X-API-Key), rate-limited and audited like every partner call;
        401 when it is missing or unusable, unless ``required`` is False (then None)."""
        api_key = partner_admit(self.header("X-API-Key"), method=self.method, path=self.path)
        if api_key is None and required:
            raise NotAuthenticated()
        return api_key

    def body(self) -> bytes:
        try:
            length = int(self.environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if settings.DATA_UPLOAD_MAX_MEMORY_SIZE is not None and length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise PayloadTooLarge(error_code_and_message(413)[1])
        return self.environ["wsgi.input"].read(length) if length > 0 else b""

    def parse_json(self) -> Any:
        """The JSON body validated by the operation's body schema, as django-ninja does it."""
        schema = self.route.body
        if schema is None:
            raise ImproperlyConfigured(f"{self.route.operation_id} takes no JSON body")
        data, problems = json_body(self.body() or b"{}")
        if problems:
            raise ValidationFailed(_("Dữ liệu không hợp lệ."), details=validation_details(problems))
        return _validated(schema, data)

    def parse_query(self) -> Any:
        """The query string validated by the operation's query schema, as django-ninja does it: NUL
        refused in any name or value, names the schema does not declare left out, the last value of
        a repeated name."""
        schema = self.route.query
        if schema is None:
            raise ImproperlyConfigured(f"{self.route.operation_id} takes no query parameters")
        pairs = parse_qsl(self.environ.get("QUERY_STRING", ""), keep_blank_values=True)
        problems = query_nul_problems(pairs)
        if problems:
            raise ValidationFailed(_("Dữ liệu không hợp lệ."), details=validation_details(problems))
        names = _query_names(schema)
        return _validated(schema, {key: value for key, value in pairs if key in names})


@functools.cache
def _query_names(schema: type[BaseModel]) -> frozenset[str]:
    return frozenset(field.alias or name for name, field in schema.model_fields.items())


def _validated(schema: type[BaseModel], data: Any) -> Any:
    try:
        return schema.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationFailed(_("Dữ liệu không hợp lệ."), details=validation_details(exc.errors())) from None


def lane_route(environ: dict[str, Any]) -> Route | None:
    """The lane's route for this call, or None where Django answers it: not a lane route, plain HTTP
    where HTTPS is required (Django redirects), a host Django refuses (Django answers 400)."""
    found = routes().get((environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")))
    if found is None or _redirects_to_https(environ) or not host_allowed(environ):
        return None
    return found


class FastLane:
    """WSGI application: the lane's routes here, everything else to ``app`` (Django)."""

    def __init__(self, app: Callable[..., Iterable[bytes]]):
        self.app = app
        routes()  # now, as the server starts: reading the routes loads the URLconf (a second or so)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        found = lane_route(environ)
        if found is None:
            return self.app(environ, start_response)
        status, headers, body = serve(found, environ)
        start_response(status, headers)
        return [body]


def serve(found: Route, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """Answer one call of ``found``: (status line, headers, body)."""
    set_script_prefix(get_script_name(environ))
    call = call_begin(environ)
    request = FastRequest(environ, found, call)
    language = request_language(environ)
    translation.activate(language)
    status, payload, extra = _answer(found.handler, request)
    try:
        unavailable = call_end(call, method=request.method, path=request.path, status=status)
    except Exception:
        logger.exception("unhandled API error (request %s)", request.request_id)
        status, payload, extra = 500, _server_error(request), []
    else:
        if unavailable is not None:  # answered only once the call's audit events are committed
            status, extra = unavailable.status, []
            payload = error_body(unavailable.code, unavailable.message, unavailable.details)
    body = json.dumps(payload, cls=NinjaJSONEncoder).encode()
    translation.deactivate()
    _connections_housekeeping()
    return f"{status} {HTTPStatus(status).phrase}", [*_headers(request, language, len(body)), *extra], body


def _answer(handler: Handler, request: FastRequest) -> tuple[int, Any, list[tuple[str, str]]]:
    """(status, JSON body, extra headers) of the call; an unexpected error is a logged 500."""
    try:
        payload = handler(request)
    except ApplicationError as exc:
        extra = [("Retry-After", str(exc.retry_after))] if isinstance(exc, RateLimited) else []
        return exc.status, error_body(exc.code, exc.message, exc.details), extra
    except Exception:
        logger.exception("unhandled API error (request %s)", request.request_id)
        _local.checked_at = 0.0  # look at the connections after this call: the error may have broken one
        return 500, _server_error(request), []
    if isinstance(payload, Answer):
        return payload.status, payload.body, list(payload.headers)
    return 200, payload, []


def _server_error(request: FastRequest) -> dict[str, Any]:
    return error_body("server_error", _("Lỗi hệ thống. Vui lòng thử lại sau."), {"request_id": request.request_id})


def _headers(request: FastRequest, language: str, length: int) -> list[tuple[str, str]]:
    headers = [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Content-Length", str(length)),
        ("Content-Language", language),
        ("X-Request-ID", request.request_id),
        *_security_headers(),
    ]
    if settings.SECURE_HSTS_SECONDS and _is_secure(request.environ):
        headers.append(("Strict-Transport-Security", f"max-age={settings.SECURE_HSTS_SECONDS}; includeSubDomains"))
    return headers


@functools.cache
def _security_headers() -> tuple[tuple[str, str], ...]:
    """What SecurityMiddleware, XFrameOptionsMiddleware, CSPMiddleware and LocaleMiddleware add to an
    API answer."""
    headers = [("Vary", "Accept-Language, Cookie"), ("X-Frame-Options", settings.X_FRAME_OPTIONS)]
    policy = build_policy()
    if policy:
        headers.append(("Content-Security-Policy", policy))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        headers.append(("Referrer-Policy", settings.SECURE_REFERRER_POLICY))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    return tuple(headers)


@receiver(setting_changed)
def _forget_headers(**kwargs: Any) -> None:
    _security_headers.cache_clear()


def _is_secure(environ: dict[str, Any]) -> bool:
    header = settings.SECURE_PROXY_SSL_HEADER
    if header and environ.get(header[0]) == header[1]:
        return True
    return environ.get("wsgi.url_scheme") == "https"


def _redirects_to_https(environ: dict[str, Any]) -> bool:
    """Django's SecurityMiddleware answers plain-HTTP calls with a redirect: leave them to it."""
    return bool(settings.SECURE_SSL_REDIRECT) and not _is_secure(environ)


def _connections_housekeeping() -> None:
    """Close this thread's connections that are broken or past CONN_MAX_AGE, as Django does around
    every request, but at most every CONNECTION_CHECK_SECONDS unless a database error occurred."""
    now = time.monotonic()
    opened = [conn for conn in connections.all(initialized_only=True) if not conn.in_atomic_block]
    if (
        any(conn.errors_occurred for conn in opened)
        or now - getattr(_local, "checked_at", 0.0) >= CONNECTION_CHECK_SECONDS
    ):
        # Connections inside a transaction are left alone: the lane never leaves one open, so that
        # is a test's transaction (Django's test client leaves them alone too).
        for conn in opened:
            conn.close_if_unusable_or_obsolete()
        _local.checked_at = now
