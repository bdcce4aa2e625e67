"""In-process copies of the small, rarely changed tables every report needs: active kinds by code,
the department each kind is routed to, and the commune police units by commune code.

A submission then costs no query for them. The copies are rebuilt after ``TTL_SECONDS`` and at
once in this process when one of those tables changes (signals, wired in apps.ready); another
process sees an admin's change within ``TTL_SECONDS``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from congan.incidents.models import ReportKind, RoutingRule
from congan.org.models import Unit
from congan.org.selectors import COMMUNE_KINDS

TTL_SECONDS = 60.0


@dataclass
class _Tables:
    loaded_at: float = float("-inf")
    kinds: dict[str, ReportKind] = field(default_factory=dict)
    departments: dict[int, Unit | None] = field(default_factory=dict)
    communes: dict[str, Unit] = field(default_factory=dict)


_tables = _Tables()
_lock = threading.Lock()


def clear(**_signal: Any) -> None:
    """Forget the copies (a receiver for post_save / post_delete, and for tests)."""
    _tables.loaded_at = float("-inf")


def _department(kind: ReportKind, by_id: dict[int, ReportKind], rules: dict[int, Unit]) -> Unit | None:
    node: ReportKind | None = kind
    while node is not None:
        if node.pk in rules:
            return rules[node.pk]
        node = by_id.get(node.parent_id) if node.parent_id else None
    return None


def _current() -> _Tables:
    global _tables
    if time.monotonic() - _tables.loaded_at < TTL_SECONDS:
        return _tables
    with _lock:
        if time.monotonic() - _tables.loaded_at < TTL_SECONDS:
            return _tables
        by_id = {kind.pk: kind for kind in ReportKind.objects.all()}
        for kind in by_id.values():
            kind.parent = by_id.get(kind.parent_id)  # the kind's family, without a query per report
        rules = {rule.kind_id: rule.department for rule in RoutingRule.objects.select_related("department")}
        communes = Unit.objects.filter(kind__in=COMMUNE_KINDS, active=True).exclude(area_code="").order_by("-pk")
        fresh = _Tables(
            loaded_at=time.monotonic(),
            kinds={kind.code: kind for kind in by_id.values() if kind.active},
            departments={pk: _department(kind, by_id, rules) for pk, kind in by_id.items()},
            communes={unit.area_code: unit for unit in communes},  # the oldest unit of a code wins
        )
        _tables = fresh
        return fresh


def active_kind(code: str) -> ReportKind | None:
    return _current().kinds.get(code)


def department_for(kind: ReportKind) -> Unit | None:
    """The department that receives reports of this kind (the nearest rule up the kind tree)."""
    return _current().departments.get(kind.pk)


def commune_police(commune_code: str) -> Unit | None:
    return _current().communes.get(commune_code)
