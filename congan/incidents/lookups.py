"""In-process copies of the small, rarely changed tables every report needs: active kinds by code,
the department each kind is routed to, and the commune police units by commune code.

A submission then costs no query for them. The copies are a ``core.process_copy.ProcessCopy``:
rebuilt after 60 s, and at once in this process when one of those tables changes (signals, wired
in apps.ready); another process sees an admin's change within 60 s.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from congan.core.process_copy import ProcessCopy
from congan.incidents.models import ReportKind, RoutingRule
from congan.org.models import Unit
from congan.org.selectors import COMMUNE_KINDS


@dataclass
class _Tables:
    kinds: dict[str, ReportKind] = field(default_factory=dict)
    departments: dict[int, Unit | None] = field(default_factory=dict)
    communes: dict[str, Unit] = field(default_factory=dict)


def _department(kind: ReportKind, by_id: dict[int, ReportKind], rules: dict[int, Unit]) -> Unit | None:
    node: ReportKind | None = kind
    while node is not None:
        if node.pk in rules:
            return rules[node.pk]
        node = by_id.get(node.parent_id) if node.parent_id else None
    return None


def _load() -> _Tables:
    by_id = {kind.pk: kind for kind in ReportKind.objects.all()}
    for kind in by_id.values():
        kind.parent = by_id.get(kind.parent_id)  # the kind's family, without a query per report
    rules = {rule.kind_id: rule.department for rule in RoutingRule.objects.select_related("department")}
    communes = Unit.objects.filter(kind__in=COMMUNE_KINDS, active=True).exclude(area_code="").order_by("-pk")
    return _Tables(
        kinds={kind.code: kind for kind in by_id.values() if kind.active},
        departments={pk: _department(kind, by_id, rules) for pk, kind in by_id.items()},
        communes={unit.area_code: unit for unit in communes},  # the oldest unit of a code wins
    )


_copy = ProcessCopy(_load)
clear = _copy.clear
_current = _copy.get


def active_kind(code: str) -> ReportKind | None:
    return _current().kinds.get(code)


def department_for(kind: ReportKind) -> Unit | None:
    """The department that receives reports of this kind (the nearest rule up the kind tree)."""
    return _current().departments.get(kind.pk)


def commune_police(commune_code: str) -> Unit | None:
    return _current().communes.get(commune_code)
