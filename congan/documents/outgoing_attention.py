"""The officers' to-do items of outgoing documents: drafts waiting for the viewer's approval or
signature, and signed-off documents of the viewer's units waiting for the clerk to issue them."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from congan.core.attention import Attention, register
from congan.documents import outgoing_selectors
from congan.documents.models import OutgoingDocument, Urgency


def outgoing_attention(viewer: Any) -> list[Attention]:
    if not viewer.has_perm(outgoing_selectors.VIEW):
        return []
    url = reverse("documents:outgoing_register")
    visible = outgoing_selectors.outgoing_visible(viewer=viewer)
    items = []
    if viewer.has_perm(outgoing_selectors.SIGN):
        figures = visible.filter(outgoing_selectors.awaiting_me(viewer)).aggregate(
            all=Count("pk"), urgent=Count("pk", filter=Q(urgency__gt=Urgency.NORMAL))
        )
        items.append(
            Attention(_("Văn bản đi chờ tôi duyệt, ký"), figures["all"], f"{url}?mine=on", figures["urgent"] > 0)
        )
    if viewer.has_perm(outgoing_selectors.ISSUE):
        figures = visible.filter(status=OutgoingDocument.Status.SIGNED).aggregate(
            all=Count("pk"), urgent=Count("pk", filter=Q(urgency__gt=Urgency.NORMAL))
        )
        items.append(
            Attention(
                _("Văn bản đi chờ cấp số, phát hành"), figures["all"], f"{url}?status=signed", figures["urgent"] > 0
            )
        )
    return items


register(outgoing_attention)
