"""Reads of the platform kernel: the audit log and API keys."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from congan.core.audit import audit_record
from congan.core.errors import NotFound
from congan.core.models import ApiClient, ApiKey, AuditEvent
from congan.core.scoping import sees_all_units


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    target_type: str = ""
    target_id: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_event_list(*, viewer: Any, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """Audit events the viewer may read: all for view-all officers, else their unit subtree."""
    events = AuditEvent.objects.all()
    if not sees_all_units(viewer):
        unit = getattr(viewer, "unit", None)
        if unit is None:
            return events.none()
        # The viewer's own unit model gives the subtree; core never imports the org app.
        unit_ids = type(unit)._default_manager.filter(path__startswith=unit.path).values("pk")
        events = events.filter(unit_id__in=unit_ids)
    if filters.actor:
        events = events.filter(actor_label__icontains=filters.actor.strip())
    if filters.action:
        events = events.filter(action__startswith=filters.action.strip())
    if filters.target_type:
        events = events.filter(target_type=filters.target_type.strip())
    if filters.target_id:
        events = events.filter(target_id=filters.target_id.strip())
    tz = timezone.get_current_timezone()
    if filters.date_from:
        events = events.filter(occurred_at__gte=dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=tz))
    if filters.date_to:
        events = events.filter(
            occurred_at__lt=dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        )
    return events.order_by("-seq")


EXPORT_ACTION = "core.audit.export"


def audit_events_exported(*, viewer: Any, events: list[AuditEvent], filters: AuditFilter, sort: str) -> None:
    """An export of the audit log (officers' names, addresses, purposes) leaves the platform as a
    file: one event naming the events it holds and the filters that chose them."""
    audit_record(
        actor=viewer,
        action=EXPORT_ACTION,
        target_type="core.auditevent",
        unit=getattr(viewer, "unit_id", None),
        details={
            "events": len(events),
            "seq": [min(e.seq for e in events), max(e.seq for e in events)] if events else [],
            "filters": {name: str(value) for name, value in asdict(filters).items() if value},
            "sort": sort,
        },
    )


def api_client_list() -> QuerySet[ApiClient]:
    return ApiClient.objects.prefetch_related("keys").order_by("name")


def api_client_get(*, client_id: int) -> ApiClient:
    try:
        return ApiClient.objects.get(pk=client_id)
    except ApiClient.DoesNotExist as exc:
        raise NotFound() from exc


def api_key_list() -> QuerySet[ApiKey]:
    return ApiKey.objects.select_related("client", "created_by").order_by("client__name", "-created_at")


def api_key_get(*, key_id: int) -> ApiKey:
    try:
        return api_key_list().get(pk=key_id)
    except ApiKey.DoesNotExist as exc:
        raise NotFound() from exc
