"""The documents panel of the dashboard and the officers' to-do items: entries waiting to be
registered (urgent ones flagged), urgent documents nobody has acknowledged, documents handed to
the viewer awaiting their acknowledgement."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from congan.core.attention import Attention
from congan.core.attention import register as register_attention
from congan.core.dashboard import Panel, register
from congan.documents import selectors
from congan.org import roles


def documents_panel(viewer: Any) -> Panel | None:
    if not viewer.has_perm(selectors.VIEW):
        return None
    counts = selectors.incoming_counts(viewer=viewer)
    rows = [
        (_("Văn bản đến vào sổ hôm nay"), counts["today"]),
        (_("Văn bản chờ vào sổ"), counts["received"]),
        (_("Văn bản khẩn chưa ký nhận"), counts["urgent_pending"]),
        (_("Văn bản chờ tôi ký nhận"), counts["mine"]),
    ]
    return Panel(title=_("Văn bản đến"), figures=rows, link=reverse("documents:register"))


register(documents_panel, order=140, work_of=(roles.CLERK,))


def documents_attention(viewer: Any) -> list[Attention]:
    if not viewer.has_perm(selectors.VIEW):
        return []
    counts = selectors.incoming_counts(viewer=viewer)
    register_url = reverse("documents:register")
    items = [
        Attention(
            _("Văn bản đến chờ ký nhận của tôi"),
            counts["mine"],
            f"{register_url}?mine=1",
            urgent=False,
        )
    ]
    if viewer.has_perm(selectors.REGISTER):
        items += [
            Attention(
                _("Văn bản đến chờ vào sổ"),
                counts["received"],
                f"{register_url}?book=received",
                urgent=counts["received_urgent"] > 0,
            ),
            Attention(
                _("Văn bản khẩn chưa ký nhận"), counts["urgent_pending"], f"{register_url}?pending=1", urgent=True
            ),
        ]
    return items


register_attention(documents_attention)
