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
_providers: list[tuple[int, PanelProvider]] = []


def register(provider: PanelProvider, order: int = 100) -> None:
    if all(existing is not provider for _, existing in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda item: item[0])


def panels_for(viewer: Any) -> list[Panel]:
    return [panel for _, provider in _providers if (panel := provider(viewer)) is not None]
