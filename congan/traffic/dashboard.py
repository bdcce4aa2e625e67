"""The traffic panel of the dashboard: camera violations waiting for review."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from congan.core.attention import Attention
from congan.core.attention import register as register_attention
from congan.core.dashboard import Panel, register
from congan.org import roles
from congan.traffic import selectors


def traffic_panel(viewer: Any) -> Panel | None:
    if not viewer.has_perm("traffic.view_violationevent"):
        return None
    counts = selectors.violation_counts(viewer=viewer)
    rows = [
        (_("Vi phạm chờ xác minh"), counts["review"]),
        (_("Đã xác minh, chờ gửi thông báo"), counts["verified"]),
        (_("Quá hạn xác định chủ xe"), counts["overdue"]),
    ]
    return Panel(title=_("Vi phạm giao thông qua hình ảnh"), figures=rows, link=reverse("traffic:desk"))


register(traffic_panel, order=130, work_of=(roles.SPECIALIST,))


def traffic_attention(viewer: Any) -> list[Attention]:
    if not viewer.has_perm("traffic.view_violationevent"):
        return []
    counts = selectors.violation_counts(viewer=viewer)
    desk = reverse("traffic:desk")
    return [Attention(_("Vi phạm quá hạn xác định chủ xe"), counts["overdue"], f"{desk}?queue=review&overdue=1")]


register_attention(traffic_attention)
