"""The warnings panel of the dashboard: what waits for approval and what is in force."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from congan.alerts import selectors
from congan.core.attention import Attention
from congan.core.attention import register as register_attention
from congan.core.dashboard import Panel, register
from congan.org import roles


def alerts_panel(viewer: Any) -> Panel | None:
    if not viewer.has_perm("alerts.view_alert"):
        return None
    figures = selectors.dashboard_figures(viewer=viewer)
    rows = [(_("Chờ phê duyệt"), figures["pending"]), (_("Đang có hiệu lực"), figures["in_force"])]
    return Panel(title=_("Cảnh báo"), figures=rows, link=reverse("alerts:manage"))


register(alerts_panel, order=125, work_of=(roles.LEADER,))


def alerts_attention(viewer: Any) -> list[Attention]:
    if not viewer.has_perm("alerts.approve_alert"):
        return []
    waiting = selectors.awaiting_my_approval(viewer=viewer)
    return [
        Attention(_("Cảnh báo chờ bạn phê duyệt"), waiting, f"{reverse('alerts:manage')}?state=pending", urgent=True)
    ]


register_attention(alerts_attention)
