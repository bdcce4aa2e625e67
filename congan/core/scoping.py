"""Unit scope: the one way selectors restrict unit-owned data to the viewer's unit subtree.

Units form a tree stored with a materialised ``path`` ("000001.000007.000123."), so "this unit
and everything below it" is one indexed prefix match on both SQLite and PostgreSQL. The only
widening is the explicit permission ``VIEW_ALL_UNITS_PERMISSION``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from congan.core.errors import NotFound

VIEW_ALL_UNITS_PERMISSION = "org.view_all_units"
M = TypeVar("M", bound=Model)


def sees_all_units(viewer: Any) -> bool:
    return bool(getattr(viewer, "is_authenticated", False) and viewer.has_perm(VIEW_ALL_UNITS_PERMISSION))


def scope_to_viewer(queryset: QuerySet[M], *, viewer: Any, unit_field: str = "unit") -> QuerySet[M]:
    """Restrict ``queryset`` to rows whose ``unit_field`` lies in the viewer's unit subtree.

    ``unit_field`` is the lookup path to the owning unit ("unit", "dossier__unit", or "" when
    the queryset is of units themselves). Anonymous viewers and officers without a unit see
    nothing unless they hold the view-all permission.
    """
    if sees_all_units(viewer):
        return queryset
    unit = getattr(viewer, "unit", None) if getattr(viewer, "is_authenticated", False) else None
    if unit is None:
        return queryset.none()
    path_lookup = f"{unit_field}__path__startswith" if unit_field else "path__startswith"
    return queryset.filter(**{path_lookup: unit.path})


def get_scoped_or_404(queryset: QuerySet[M], *, viewer: Any, unit_field: str = "unit", **lookup: Any) -> M:
    """Fetch one row inside the viewer's scope; rows outside it are indistinguishable from missing."""
    try:
        return scope_to_viewer(queryset, viewer=viewer, unit_field=unit_field).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise NotFound() from exc
