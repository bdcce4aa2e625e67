"""Incremental aggregates registered by apps, for ``congan stats rebuild|check``.

Statistics pages read aggregate rows that the services keep up to date in the transaction of
each write (congan.core.tallies). Each app that keeps such rows registers them here with three
functions: ``recount`` (the rows as the raw data gives them, computed from scratch), ``stored``
(the rows as they stand) and ``rebuild`` (replace the stored rows by a recount). core imports no
app: the apps register themselves when they are ready.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

Rows = Mapping[Any, Any]  # aggregate key → its counters


@dataclass(frozen=True)
class Aggregates:
    name: str
    recount: Callable[[], Rows]
    stored: Callable[[], Rows]
    rebuild: Callable[[], int]

    def differences(self) -> list[Hashable]:
        """The keys whose stored figures differ from a recount (rows of zeros count as absent)."""
        stored, counted = self.stored(), self.recount()
        return sorted((key for key in stored.keys() | counted.keys() if stored.get(key) != counted.get(key)), key=repr)


_registry: dict[str, Aggregates] = {}


def register(aggregates: Aggregates) -> None:
    _registry[aggregates.name] = aggregates


def registered(names: list[str] | None = None) -> list[Aggregates]:
    """The registered aggregates, all or those named (an unknown name raises KeyError)."""
    if not names:
        return [_registry[name] for name in sorted(_registry)]
    return [_registry[name] for name in names]
