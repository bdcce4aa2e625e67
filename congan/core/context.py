"""Per-request context (request id, client IP, API key) shared with services via contextvars."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RequestContext:
    request_id: str = ""
    ip: str | None = None
    api_key: Any = None
    partner_call: tuple[str, str] | None = None  # (method, path) of a partner key's call, to audit
    call_audited: bool = False  # the call's operation recorded its own event with the key as actor
    audit_ticket: int = 0  # the last buffered audit event of the call: answered once it is committed
    extra: dict[str, Any] = field(default_factory=dict)


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("congan_request", default=None)


def current() -> RequestContext:
    return _current.get() or RequestContext()


def activate(ctx: RequestContext) -> contextvars.Token:
    return _current.set(ctx)


def deactivate(token: contextvars.Token) -> None:
    _current.reset(token)
