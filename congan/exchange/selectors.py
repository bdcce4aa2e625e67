"""Reads of the exchange, unit-scoped: a records clerk sees the packets of their unit's subtree."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from congan.core.errors import NotFound
from congan.core.scoping import scope_to_viewer
from congan.core.text import fold
from congan.exchange.models import ExchangeMessage, ExchangeStatus

# The records clerk's permission (văn thư): the exchange log is part of their register work.
VIEW = "documents.add_incomingdocument"


def messages_visible(*, viewer: Any) -> QuerySet[ExchangeMessage]:
    if not getattr(viewer, "is_authenticated", False) or not viewer.has_perm(VIEW):
        return ExchangeMessage.objects.none()
    return scope_to_viewer(ExchangeMessage.objects.all(), viewer=viewer)


def exchange_log(*, viewer: Any, direction: str = "", q: str = "") -> QuerySet[ExchangeMessage]:
    """The viewer's packets, newest first, with their statuses."""
    messages = messages_visible(viewer=viewer)
    if direction in ("in", "out"):
        messages = messages.filter(direction=direction)
    if q:
        messages = messages.filter(search_folded__contains=fold(q))
    return (
        messages.select_related("unit", "incoming")
        .prefetch_related(Prefetch("statuses", queryset=ExchangeStatus.objects.order_by("at", "pk")))
        .order_by("-created_at", "-pk")
    )


def message_open(*, viewer: Any, message_id: int) -> ExchangeMessage:
    message = exchange_log(viewer=viewer).filter(pk=message_id).first()
    if message is None:
        raise NotFound()
    return message
