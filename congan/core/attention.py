"""What needs an officer now, counted where it is kept: each app registers a function giving the
viewer's items (a new dossier to receive, an urgent report, a warning to approve). The header
shows their total and the page /viec-can-lam/ lists them with their links.

Nothing is stored per officer: the counts are read from the records themselves (cached for
30 seconds per officer), so an item disappears as soon as someone handles it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

CACHE_SECONDS = 30


@dataclass(frozen=True)
class Attention:
    label: str
    count: int
    url: str
    urgent: bool = False


Provider = Callable[[Any], list[Attention]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def items_for(viewer: Any) -> list[Attention]:
    """The viewer's items that count something, urgent first."""
    items = [item for provider in _providers for item in provider(viewer) if item.count > 0]
    return sorted(items, key=lambda item: not item.urgent)


def total_for(viewer: Any) -> int:
    """The header's figure, cached briefly per officer (every page asks for it)."""
    if not getattr(viewer, "is_authenticated", False):
        return 0
    key = f"core:attention:{viewer.pk}"
    total = cache.get(key)
    if total is None:
        total = sum(item.count for item in items_for(viewer))
        cache.set(key, total, CACHE_SECONDS)
    return int(total)
