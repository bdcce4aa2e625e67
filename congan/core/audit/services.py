"""Recording audit events. Every write service calls ``audit_record``; reads of personal data
call ``audit_read`` (a purpose is mandatory) or, on high-volume paths, ``audit_enqueue``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import DatabaseError, connection, models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congan.core import context
from congan.core.audit import buffer
from congan.core.audit.chain import PendingEvent, append, clean_event
from congan.core.errors import ApplicationError, ValidationFailed
from congan.core.models import AuditEvent


class AuditUnavailable(ApplicationError):
    """The call's audit event could not be committed: the call is not answered (503)."""

    status = 503
    code = "audit_unavailable"
    default_message = gettext_lazy(
        "Chưa ghi được nhật ký kiểm tra nên kết quả không được trả về. Vui lòng thử lại sau."
    )


@dataclass(frozen=True)
class Actor:
    type: str
    id: str = ""
    label: str = ""

    @classmethod
    def of(cls, who: Any) -> Actor:
        """Build the actor from an officer, an API key, an ``Actor`` or ``None`` (anonymous)."""
        if isinstance(who, Actor):
            return who
        if who is None or getattr(who, "is_anonymous", False):
            return cls(AuditEvent.ActorType.ANONYMOUS)
        if who == "system":
            return cls(AuditEvent.ActorType.SYSTEM, label="system")
        if who.__class__.__name__ == "ApiKey":
            return cls(AuditEvent.ActorType.API_KEY, str(who.pk), f"{who.client.name} ({who.prefix})")
        if hasattr(who, "get_username"):
            return cls(AuditEvent.ActorType.OFFICER, str(who.pk), who.get_username())
        raise TypeError(f"cannot audit actor {who!r}")


def _pending(
    *,
    actor: Any,
    action: str,
    target: models.Model | None,
    target_type: str,
    target_id: str,
    unit: Any,
    purpose: str,
    details: dict[str, Any] | None,
    occurred_at: datetime | None = None,
    ip: str | None = None,
    request_id: str | None = None,
) -> PendingEvent:
    who = Actor.of(actor)
    ctx = context.current()
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    if unit is None and target is not None:
        unit = getattr(target, "unit_id", None)
    unit_id = getattr(unit, "pk", unit)
    # Cleaned now: the buffered writer must hold a snapshot (the caller may reuse its dict), and
    # nothing unstorable may reach a batch, where one bad event would hold back all the others.
    return clean_event(
        PendingEvent(
            occurred_at=(occurred_at or timezone.now()).astimezone(UTC),
            actor_type=who.type,
            actor_id=who.id,
            actor_label=who.label,
            action=action,
            target_type=target_type,
            target_id=target_id,
            unit_id=unit_id,
            purpose=purpose or "",
            ip=ctx.ip if ip is None else ip,
            request_id=ctx.request_id if request_id is None else request_id,
            details=details or {},
        )
    )


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    unit: Any = None,
    purpose: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain now, inside the caller's transaction."""
    pending = _pending(
        actor=actor,
        action=action,
        target=target,
        target_type=target_type,
        target_id=target_id,
        unit=unit,
        purpose=purpose,
        details=details,
    )
    return append([pending])[0]


def audit_event(
    *,
    actor: Any,
    action: str,
    target_type: str,
    target_id: str,
    unit: Any,
    details: dict[str, Any] | None = None,
) -> PendingEvent:
    """The event ``audit_record`` would append now (cleaned, with the request's address and id), for
    a write whose own statement appends it (``congan.core.audit.in_statement``)."""
    return _pending(
        actor=actor,
        action=action,
        target=None,
        target_type=target_type,
        target_id=target_id,
        unit=unit,
        purpose="",
        details=details,
    )


def audit_later(
    *,
    actor: Any,
    action: str,
    target_type: str,
    target_id: str,
    unit: Any,
    occurred_at: datetime,
    ip: str | None,
    request_id: str,
    details: dict[str, Any] | None = None,
) -> PendingEvent:
    """The event of a write committed earlier (at ``occurred_at``, by the request ``request_id``
    from ``ip``), to be appended with :func:`audit_append` by whoever completes that write."""
    return _pending(
        actor=actor,
        action=action,
        target=None,
        target_type=target_type,
        target_id=target_id,
        unit=unit,
        purpose="",
        details=details,
        occurred_at=occurred_at,
        ip=ip or "",
        request_id=request_id,
    )


def audit_append(events: list[PendingEvent]) -> None:
    """Append prepared events to the chain now, inside the caller's transaction."""
    append(events, returning=False)


def audit_read(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    purpose: str,
    target_type: str = "",
    target_id: str = "",
    unit: Any = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record a read of personal data. The purpose (lý do tra cứu) is mandatory."""
    if not (purpose or "").strip():
        raise ValidationFailed(details={"purpose": [_("Phải nêu lý do tra cứu.")]})
    return audit_record(
        actor=actor,
        action=action,
        target=target,
        target_type=target_type,
        target_id=target_id,
        unit=unit,
        purpose=purpose,
        details=details,
    )


def audit_partner_call(status: int) -> None:
    """Every partner call leaves at least one audit event: ``api.call`` (method, path, status) when
    its operation recorded none of its own (a refused call, a call of an operation without one).
    Called when the call ends, by RequestContextMiddleware and by the fast lane."""
    ctx = context.current()
    if ctx.partner_call is None or ctx.call_audited:
        return
    method, path = ctx.partner_call
    audit_enqueue(
        actor=ctx.api_key,
        action="api.call",
        target_type="api",
        target_id=path[:64],
        details={"method": method, "path": path, "status": status},
    )


def audit_enqueue(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    unit: Any = None,
    purpose: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    """Hand an event to the buffered writer; it is chained with others in a later batch. An event of
    the partner key that is making the current call stands for the call (see audit_partner_call)."""
    ctx = context.current()
    if ctx.api_key is not None and actor is ctx.api_key:
        ctx.call_audited = True
    ctx.audit_ticket = buffer.enqueue(
        _pending(
            actor=actor,
            action=action,
            target=target,
            target_type=target_type,
            target_id=target_id,
            unit=unit,
            purpose=purpose,
            details=details,
        )
    )


def audit_durable() -> None:
    """Wait until the buffered events of the current call are committed (group commit); raise
    ``AuditUnavailable`` when they cannot be. Called when the call ends, before it is answered, by
    RequestContextMiddleware and by the fast lane: no call is acknowledged without its events.

    Inside a transaction (the test suite's) the batch could not be durable before that transaction
    commits: the events are left to the buffer, as outside a request.
    """
    ctx = context.current()
    ticket, ctx.audit_ticket = ctx.audit_ticket, 0
    if not ticket or connection.in_atomic_block:
        return
    try:
        buffer.wait_durable(ticket)
    except (buffer.NotDurable, DatabaseError) as exc:
        raise AuditUnavailable(details={"request_id": ctx.request_id}) from exc
