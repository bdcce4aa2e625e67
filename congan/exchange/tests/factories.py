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
