"""The population panel of the dashboard: the registry as the viewer's units see it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from congan.core.dashboard import Panel, register
from congan.org import roles
from congan.population import selectors


def population_panel(viewer: Any) -> Panel | None:
    if not viewer.has_perm("population.view_resident"):
        return None
    figures = selectors.population_figures(viewer=viewer)
    rows = [
        (_("Số công dân"), figures["residents"]),
        (_("Hộ gia đình"), figures["households"]),
        (_("Lượt mở hồ sơ trong 7 ngày"), figures["profile_views"]),
    ]
    if viewer.has_perm("population.import_enrichment"):
        rows.append((_("Lô nhập chưa hoàn thành"), figures["imports_unfinished"]))
    return Panel(title=_("Dân cư"), figures=rows, link=reverse("population:resident_search"))


register(population_panel, order=100, work_of=(roles.RECEPTION, roles.PROCESSING))
