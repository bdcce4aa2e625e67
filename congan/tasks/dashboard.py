"""The điều hành panel of the home page and the officers' to-do items: my open tasks, the overdue
ones, extension requests waiting for my decision."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from congan.core.attention import Attention
from congan.core.attention import register as register_attention
from congan.core.dashboard import Panel, register
from congan.org import roles
from congan.tasks import selectors


def tasks_panel(viewer: Any) -> Panel | None:
    if not viewer.has_perm(selectors.VIEW):
        return None
    counts = selectors.counts(viewer=viewer)
    rows = [
        (_("Việc của tôi đang thực hiện"), counts["mine"]),
        (_("Việc của tôi quá hạn"), counts["mine_overdue"]),
        (_("Đề nghị gia hạn chờ tôi duyệt"), counts["extensions"]),
    ]
    return Panel(title=_("Điều hành"), figures=rows, link=reverse("tasks:list"))


register(tasks_panel, order=145, work_of=(roles.SPECIALIST, roles.LEADER))


def tasks_attention(viewer: Any) -> list[Attention]:
    if not viewer.has_perm(selectors.VIEW):
        return []
    counts = selectors.counts(viewer=viewer)
    url = reverse("tasks:list")
    items = []
    if viewer.has_perm(selectors.GIVE):
        awaiting = selectors.awaiting_directive(viewer=viewer)
        items.append(
            Attention(
                _("Văn bản chờ cho ý kiến chỉ đạo"),
                awaiting.count(),
                reverse("tasks:leader_dashboard"),
                urgent=awaiting.filter(urgency__gt=0).exists(),
            )
        )
    return [
        *items,
        Attention(_("Việc của tôi quá hạn"), counts["mine_overdue"], url, urgent=True),
        Attention(_("Việc của tôi đang thực hiện"), counts["mine"], url, urgent=False),
        Attention(_("Đề nghị gia hạn chờ tôi duyệt"), counts["extensions"], url, urgent=False),
    ]


register_attention(tasks_attention)
