"""The reports panel of the dashboard: what the viewer's units have open."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from congan.core.attention import Attention
from congan.core.attention import register as register_attention
from congan.core.dashboard import Panel, register
from congan.incidents import selectors
from congan.org import roles


def incidents_panel(viewer: Any) -> Panel | None:
    if not viewer.has_perm("incidents.view_report"):
        return None
    figures = selectors.dashboard_figures(viewer=viewer)
    rows = [
        (_("Tin báo chưa xử lý xong"), figures["open"]),
        (_("trong đó khẩn cấp"), figures["urgent"]),
        (_("Tiếp nhận hôm nay"), figures["today"]),
    ]
    return Panel(title=_("Tin báo"), figures=rows, link=reverse("incidents:queue"))


register(incidents_panel, order=120, work_of=(roles.DISPATCHER, roles.LEADER))


def incidents_attention(viewer: Any) -> list[Attention]:
    if not viewer.has_perm("incidents.triage_report"):
        return []
    figures = selectors.attention_figures(viewer=viewer)
    queue = reverse("incidents:queue")
    return [
        Attention(_("Tin báo khẩn cấp chưa xử lý xong"), figures["urgent"], f"{queue}?priority=urgent", urgent=True),
        Attention(_("Tin báo mới chưa phân loại"), figures["new"], f"{queue}?status=received"),
    ]


register_attention(incidents_attention)
