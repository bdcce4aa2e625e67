"""The search box finds the camera violations of a plate, however it is written (43A-123.45,
43a12345)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from congan.core.errors import ValidationFailed
from congan.core.search import Hit, register
from congan.traffic.plates import parse_plate
from congan.traffic.selectors import violation_in_scope

SHOWN = 10


def violations(q: str, viewer: Any) -> list[Hit]:
    if not viewer.has_perm("traffic.view_violationevent") or not any(char.isdigit() for char in q):
        return []
    try:
        plate = parse_plate(q)
    except ValidationFailed:
        return []
    found = violation_in_scope(viewer=viewer).filter(plate=plate.canonical).order_by("-occurred_at")
    return [
        Hit(
            _("Vi phạm giao thông"),
            f"{plate.display} · {event.occurred_at:%d/%m/%Y %H:%M} · {event.get_status_display()}",
            reverse("traffic:violation", args=[event.pk]),
        )
        for event in found[:SHOWN]
    ]


register(violations)
