"""Demo-data builders registered by apps; ``congan demo`` runs them after the organisation.

core imports no app: each app registers a callable taking the province unit and options.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Builder = Callable[..., dict[str, int]]
_builders: list[tuple[int, str, Builder]] = []


def register(name: str, builder: Builder, order: int = 100) -> None:
    if all(existing != name for _, existing, _ in _builders):
        _builders.append((order, name, builder))
        _builders.sort(key=lambda item: item[0])


def run_all(*, province: Any, **options: Any) -> dict[str, dict[str, int]]:
    return {name: builder(province=province, **options) for _, name, builder in _builders}
