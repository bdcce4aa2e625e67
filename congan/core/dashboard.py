"""Dashboard panels: each app registers a function returning figures for the viewer's unit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Panel:
    title: str
    figures: list[tuple[str, Any]] = field(default_factory=list)
    link: str = ""


PanelProvider = Callable[[Any], Panel | None]
_providers: list[tuple[int, PanelProvider, tuple[str, ...]]] = []


def register(provider: PanelProvider, order: int = 100, work_of: tuple[str, ...] = ()) -> None:
    """``work_of``: the roles (group names) whose daily work the panel shows: first on their page."""
    if all(existing is not provider for _, existing, _roles in _providers):
        _providers.append((order, provider, work_of))
        _providers.sort(key=lambda item: item[0])


def panels_for(viewer: Any) -> list[Panel]:
    """The panels the viewer may see, those of their own roles' work first."""
    roles = set(viewer.groups.values_list("name", flat=True)) if getattr(viewer, "is_authenticated", False) else set()
    shown = [
        (not roles & set(work_of), panel)
        for _, provider, work_of in _providers
        if (panel := provider(viewer)) is not None
    ]
    return [panel for _, panel in sorted(shown, key=lambda item: item[0])]
