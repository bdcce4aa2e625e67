"""Status packets we send (QCVN 102 StatusCode): the one call the documents services make at each
step of an incoming entry (``status_emit``), and the packets a records clerk sends by hand (a recall
request for a document we sent, an answer to one)."""

from __future__ import annotations

from typing import Any, TypeAlias

from django.utils import timezone

from congan.core.actors import System
from congan.core.models import ApiKey
from congan.exchange import edxml, packets
from congan.exchange.models import Direction, ExchangeMessage, ExchangeStatus, StatusCode
from congan.org.models import Officer

# Who takes an exchange step: a records clerk, a partner system's key, or the platform itself.
Actor: TypeAlias = Officer | ApiKey | System

# Steps of the incoming register (DocumentEvent.action) and the status each tells the sender.
# Directives, progress and completion (05, 06) come from the tasks module through the same call.
STEP_STATUS = {
    "receive": StatusCode.RECEIVED,
    "register": StatusCode.REGISTERED,
    "hand_over": StatusCode.ASSIGNED,
    "acknowledge": StatusCode.IN_PROGRESS,
    "done": StatusCode.DONE,
    "refuse": StatusCode.REFUSED,
}
EDXML_CHANNEL = "edxml"


def status_emit(*, document: Any, action: str, by: Actor | None = None, note: str = "") -> ExchangeStatus | None:
    """Tell the sender of an incoming entry that came through edXML what its step means to them
    (one status packet per code, kept with the message and put in the outbox). Nothing for an entry
    that came another way, or for a step the standard has no code for."""
    code = STEP_STATUS.get(action)
    if code is None or getattr(document, "channel", "") != EDXML_CHANNEL:
        return None
    message = ExchangeMessage.objects.filter(incoming=document, direction=Direction.IN).order_by("pk").first()
    if message is None:
        return None
    # The register's own notes (recipients' names) stay inside; the arrival number goes out.
    description = f"{StatusCode(code).label}: {note}" if action in ("register", "refuse") and note else ""
    return status_send(message=message, code=code, by=by, description=description)


def _staff(by: Actor | None) -> edxml.StaffInfo:
    unit = getattr(by, "unit", None)
    return edxml.StaffInfo(
        department=getattr(unit, "name", "") or "",
        staff=getattr(by, "full_name", "") or "",
        email=getattr(by, "email", "") or "",
    )


def status_send(
    *, message: ExchangeMessage, code: str, by: Actor | None = None, description: str = ""
) -> ExchangeStatus:
    """Write a status packet about ``message`` from its unit (signed with the platform's key), keep
    it, and put it in the outbox. A code already sent for the message is not sent twice."""
    existing = message.statuses.filter(direction=Direction.OUT, code=code).first()
    if existing is not None:
        return existing
    now = timezone.now()
    description = description or str(StatusCode(code).label)
    status = edxml.Status(
        response_for=edxml.ResponseFor(
            organ_id=message.from_agency_id,
            code=message.number_symbol,
            promulgation_date=message.issued_on,
            document_id=message.document_id,
        ),
        sender=packets.agency_of(message.unit),
        code=code,
        description=description[:500],
        timestamp=now,
        staff=_staff(by),
    )
    data = edxml.status_build(status, key=packets.signing_key())
    saved = ExchangeStatus.objects.create(
        message=message,
        direction=Direction.OUT,
        code=code,
        description=description[:500],
        at=now,
        staff=status.staff.staff[:200],
        packet=data.decode("utf-8"),
    )
    message.last_status = code
    message.save(update_fields=["last_status", "updated_at"])
    packets.outbox_write(f"status-{saved.pk}-{code}.edxml", data)
    return saved
