"""Helpers of the exchange tests: two units of the platform with agency identifiers and clerks,
and an outgoing document with a PDF."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from congan.documents.tests.factories import PDF, clerk, types_loaded
from congan.exchange.services import OutgoingMessage
from congan.org.tests.factories import UnitFactory


def exchanging_unit(parent, code: str, agency_code: str, name: str):
    types_loaded()
    return UnitFactory(parent=parent, kind="ward", code=code, name=name, agency_code=agency_code)


def outgoing(unit, to_units: list, **overrides: Any) -> OutgoingMessage:
    values: dict[str, Any] = {
        "unit": unit,
        "recipients": [(other.agency_code, other.name) for other in to_units],
        "number": 15,
        "notation": "QĐ-CAP-PV01",
        "issued_on": timezone.localdate() - dt.timedelta(days=1),
        "subject": "Quyết định thành lập tổ công tác liên thông văn bản điện tử",
        "type_name": "Quyết định",
        "signer_name": "Nguyễn Văn An",
        "signer_position": "Trưởng Công an phường",
        "priority": 1,
        "attachments": [("quyet-dinh-15.pdf", PDF)],
        "reference": "outgoing:1",
    }
    values.update(overrides)
    return OutgoingMessage(**values)


__all__ = ["PDF", "clerk", "exchanging_unit", "outgoing"]


def message_row(unit, *, marker: str, direction: str = "in", **fields: Any):
    """An exchange message written directly (no service, no audit): for pages and scope checks. Its
    envelope file carries ``marker`` too."""
    from django.core.files.base import ContentFile

    from congan.exchange.models import ExchangeMessage

    message = ExchangeMessage(
        unit=unit,
        direction=direction,
        document_id=f"000.00.00.G22,2026/12/01,{marker}",
        from_agency_id="000.00.00.G22",
        from_name=marker,
        recipients=[{"organ_id": unit.agency_code or unit.code, "name": unit.name}],
        number_symbol="12/UBND-VP",
        subject=f"Văn bản liên thông {marker}",
        envelope_sha256="0" * 64,
        **fields,
    )
    message.envelope.save("goi-tin.edxml", ContentFile(f"<edXML>{marker}</edXML>".encode()), save=False)
    message.save()
    return message
