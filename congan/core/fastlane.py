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

import contextlib
import functools
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl

from csp.utils import build_policy
from django.conf import settings
from django.core.handlers.wsgi import get_script_name
from django.core.signals import setting_changed
from django.db import connections
from django.dispatch import receiver
from django.http.cookie import parse_cookie
from django.urls import set_script_prefix
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from congan.core import context, metrics
from congan.core.api import error_body, partner_admit, validation_details
from congan.core.audit import audit_partner_call
from congan.core.errors import ApplicationError, NotAuthenticated, RateLimited, ValidationFailed
from congan.core.jsonbody import json_body, query_nul_problems
from congan.core.middleware import client_ip_of, error_code_and_message, request_id_of

logger = logging.getLogger(__name__)

Handler = Callable[["FastRequest"], Any]


@dataclass(frozen=True)
class Answer:
    """What a handler returns for a status other than 200 (``Answer(201, body)``)."""

    status: int
    body: Any


_routes: dict[tuple[str, str], Handler] = {}

# How often a thread looks at its database connections (too old, or broken by an error) when no
# error told it to: Django does it twice per request, which would cost more than the call.
CONNECTION_CHECK_SECONDS = 5.0
_local = threading.local()


def route(method: str, path: str) -> Callable[[Handler], Handler]:
    """Serve ``method path`` (exactly, no trailing slash added) in the fast lane. A handler returns
    the JSON body of a 200 answer (or an ``Answer`` with another status) or raises from the error
    family."""

    def register(handler: Handler) -> Handler:
        _routes[(method, path)] = handler
        return handler

    return register


def routes() -> dict[tuple[str, str], Handler]:
    return dict(_routes)


class PayloadTooLarge(ApplicationError):
    status = 413
    code = "payload_too_large"


class FastRequest:
    """What a handler sees of the call."""

    def __init__(self, environ: dict[str, Any]):
        self.environ = environ
        self.method: str = environ["REQUEST_METHOD"]
        self.path: str = environ["PATH_INFO"]
        self.request_id = request_id_of(environ)
        self.client_ip = client_ip_of(environ)

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

    def parse_json(self, schema: type[BaseModel]) -> Any:
        """The JSON body validated by ``schema``; the same errors as the django-ninja endpoints."""
        data, problems = json_body(self.body() or b"{}")
        if problems:
            raise ValidationFailed(_("Dữ liệu không hợp lệ."), details=validation_details(problems))
        return _validated(schema, data)

    def parse_query(self, schema: type[BaseModel]) -> Any:
        pairs = parse_qsl(self.environ.get("QUERY_STRING", ""), keep_blank_values=True)
        problems = query_nul_problems(pairs)
        if problems:
            raise ValidationFailed(_("Dữ liệu không hợp lệ."), details=validation_details(problems))
        return _validated(schema, dict(pairs))  # the last of repeated names, as a QueryDict does


def _validated(schema: type[BaseModel], data: Any) -> Any:
    try:
        return schema.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationFailed(_("Dữ liệu không hợp lệ."), details=validation_details(exc.errors())) from None


class FastLane:
    """WSGI application: the lane's routes here, everything else to ``app`` (Django)."""

    def __init__(self, app: Callable[..., Iterable[bytes]]):
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        handler = _routes.get((environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")))
        if handler is None or _redirects_to_https(environ):
            return self.app(environ, start_response)
        status, headers, body = serve(handler, environ)
        start_response(status, headers)
        return [body]


def serve(handler: Handler, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """Run ``handler`` for one call: (status line, headers, body)."""
    set_script_prefix(get_script_name(environ))
    request = FastRequest(environ)
    token = context.activate(context.RequestContext(request_id=request.request_id, ip=request.client_ip))
    language = _language(environ)
    translation.activate(language)
    try:
        status, payload, extra = _answer(handler, request)
    except Exception:
        logger.exception("unhandled API error (request %s)", request.request_id)
        _local.checked_at = 0.0  # look at the connections after this call: the error may have broken one
        status, extra = 500, []
        payload = error_body(
            "server_error", _("Lỗi hệ thống. Vui lòng thử lại sau."), {"request_id": request.request_id}
        )
        with contextlib.suppress(Exception):
            audit_partner_call(status)
    finally:
        context.deactivate(token)
    body = json.dumps(payload, cls=NinjaJSONEncoder).encode()
    translation.deactivate()
    _connections_housekeeping()
    metrics.observe(request.method, request.path, status)
    return f"{status} {HTTPStatus(status).phrase}", [*_headers(request, language, len(body)), *extra], body


def _answer(handler: Handler, request: FastRequest) -> tuple[int, Any, list[tuple[str, str]]]:
    """(status, JSON body, extra headers) of the call, audited; unexpected errors propagate."""
    extra: list[tuple[str, str]] = []
    try:
        status, payload = 200, handler(request)
        if isinstance(payload, Answer):
            status, payload = payload.status, payload.body
    except ApplicationError as exc:
        status, payload = exc.status, error_body(exc.code, exc.message, exc.details)
        if isinstance(exc, RateLimited):
            extra.append(("Retry-After", str(exc.retry_after)))
    audit_partner_call(status)
    return status, payload, extra


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


def _language(environ: dict[str, Any]) -> str:
    """As LocaleMiddleware chooses it: the language cookie, then Accept-Language, then the default."""
    cookies = parse_cookie(environ["HTTP_COOKIE"]) if environ.get("HTTP_COOKIE") else {}
    return translation.get_language_from_request(SimpleNamespace(COOKIES=cookies, META=environ))


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
