"""How the exchange pages and API word a packet: a direction, a status code, a warning."""

from __future__ import annotations

from typing import Any

from congan.exchange import packets
from congan.exchange.models import ExchangeMessage


def counterpart(message: ExchangeMessage) -> str:
    """Who the other side is: the sender of what came in, the recipients of what went out."""
    if message.direction == "in":
        return message.from_name or message.from_agency_id
    return ", ".join(item.get("name") or item.get("organ_id", "") for item in message.recipients)


def warnings_of(message: ExchangeMessage) -> list[str]:
    return [packets.warning_text(record) for record in message.warnings if isinstance(record, dict)]


def status_label(message: Any) -> str:
    return str(message.get_last_status_display()) if message.last_status else ""
