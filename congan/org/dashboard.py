"""The organisation panel of the dashboard: figures of the viewer's unit subtree."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from congan.core.dashboard import Panel, register
from congan.org import selectors


def org_panel(viewer: Any) -> Panel | None:
    """Units below, active officers, training courses and attendances of the viewer's unit."""
    unit = getattr(viewer, "unit", None)
    if unit is None or not viewer.has_perm("org.view_unit"):
        return None
    figures = selectors.unit_figures(unit=unit)
    link = reverse("org:officer_list") if viewer.has_perm("org.view_officer") else reverse("org:unit_list")
    return Panel(
        title=_("Tổ chức, cán bộ"),
        figures=[
            (_("Đơn vị trực thuộc"), figures["units"]),
            (_("Cán bộ, chiến sĩ"), figures["officers"]),
            (_("Lớp tập huấn"), figures["courses"]),
            (_("Lượt tham gia tập huấn"), figures["attendances"]),
        ],
        link=link,
    )


register(org_panel, order=900)
