"""Unit-scoped endpoints of the exchange, checked by congan/core/tests/test_scope_leak.py: the
exchange log, one packet's page and its envelope file."""

from __future__ import annotations

from django.urls import reverse

from congan.core.testing.scope_leak import ScopedEndpoint, register
from congan.exchange.tests.factories import message_row


def _message(unit):
    return message_row(unit, marker=f"NG{unit.code}")


def _marker(message) -> str:
    return message.from_name


register(
    ScopedEndpoint(
        name="exchange log page",
        make=_message,
        marker=_marker,
        list_url=lambda: reverse("exchange:log"),
        detail_url=lambda message: reverse("exchange:message", args=[message.pk]),
    )
)
register(
    ScopedEndpoint(
        name="exchange envelope file",
        make=_message,
        marker=_marker,
        detail_url=lambda message: reverse("exchange:envelope", args=[message.pk]),
    )
)
