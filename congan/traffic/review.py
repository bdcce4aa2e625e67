"""Review of camera-detected violations under Circular 73/2024 Art. 24: every step is one service
with a guard (permission, unit scope, current status, a reason where the rules want one), an audit
record and a timeline step, in one transaction.

    detected → verified (plate corrected if misread, owner resolved from the vehicle registry)
    detected | verified → dismissed (with a reason)
    verified → notice_issued (Form 03 to the owner) → paid | contested | forwarded → closed

Clocks: the owner is identified within TRAFFIC_IDENTIFY_OWNER_DAYS of detection (shown as overdue
in the queue); TRAFFIC_REGISTRATION_WARNING_DAYS after the notice with nobody come, the vehicle is
flagged to the registration agency (``registration_warnings_raise``, run daily).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core import bulk
from congan.core.audit import Actor, audit_record
from congan.core.bulk import BulkResult
from congan.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.notifications import notification_enqueue
from congan.core.tallies import tally_apply
from congan.org.models import Officer, Unit
from congan.traffic import aggregates
from congan.traffic.models import OPEN_NOTICE_STATUSES, STEP_LABELS, Vehicle, ViolationEvent, ViolationStep
from congan.traffic.plates import parse_plate
from congan.traffic.selectors import violation_in_scope

S = ViolationEvent.Status
O = ViolationEvent.Outcome  # noqa: E741
OPEN_NOTICE = OPEN_NOTICE_STATUSES
MAX_REASON = 500


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    target: str
    permission: str
    needs_reason: bool
    label: Any


REVIEW, NOTICE, RESOLVE = "traffic.review_violationevent", "traffic.issue_notice", "traffic.resolve_violationevent"
STEPS: dict[str, Step] = {
    "verify": Step((S.DETECTED,), S.VERIFIED, REVIEW, False, STEP_LABELS["verify"]),
    "dismiss": Step((S.DETECTED, S.VERIFIED), S.DISMISSED, REVIEW, True, STEP_LABELS["dismiss"]),
    "issue_notice": Step((S.VERIFIED,), S.NOTICE_ISSUED, NOTICE, False, STEP_LABELS["issue_notice"]),
    "record_payment": Step(OPEN_NOTICE, S.PAID, RESOLVE, False, STEP_LABELS["record_payment"]),
    "contest": Step((S.NOTICE_ISSUED, S.FORWARDED), S.CONTESTED, RESOLVE, True, STEP_LABELS["contest"]),
    "forward": Step((S.NOTICE_ISSUED,), S.FORWARDED, RESOLVE, False, STEP_LABELS["forward"]),
    "close": Step((S.PAID, S.CONTESTED, S.FORWARDED), S.CLOSED, RESOLVE, False, STEP_LABELS["close"]),
}


def allowed_steps(event: ViolationEvent, user: Any) -> list[tuple[str, Step]]:
    return [
        (name, step) for name, step in STEPS.items() if event.status in step.sources and user.has_perm(step.permission)
    ]


def _guard(name: str, event: ViolationEvent, by: Officer, reason: str) -> Step:
    step = STEPS[name]
    if not by.has_perm(step.permission):
        raise PermissionDenied()
    if event.status not in step.sources:
        raise InvalidTransition(
            _("Không thể “%(step)s” khi vi phạm đang ở trạng thái “%(status)s”.")
            % {"step": step.label, "status": event.get_status_display()}
        )
    if step.needs_reason and not reason.strip():
        raise ValidationFailed(details={"reason": [_("Cần nêu lý do.")]})
    if len(reason.strip()) > MAX_REASON:
        raise ValidationFailed(details={"reason": [_("Tối đa %(limit)d ký tự.") % {"limit": MAX_REASON}]})
    return step


def _locked(event_id: int, by: Officer) -> ViolationEvent:
    """The event under a row lock, inside the officer's scope (outside it, it does not exist)."""
    event = violation_in_scope(viewer=by).select_for_update(of=("self",)).filter(pk=event_id).first()
    if event is None:
        raise NotFound()
    return event


def _apply(
    name: str, event_id: int, by: Officer, reason: str, effect: Callable[[ViolationEvent], dict]
) -> ViolationEvent:
    with transaction.atomic():
        event = _locked(event_id, by)
        step = _guard(name, event, by, reason)
        status_from, counted = event.status, aggregates.violation_tally(event)
        details = effect(event) or {}
        event.status = step.target
        event.save()
        tally_apply(aggregates.violation_tally(event).minus(counted))  # the statistics, in this transaction
        ViolationStep.objects.create(
            event=event,
            action=name,
            status_from=status_from,
            status_to=event.status,
            reason=reason.strip(),
            details=details,
            by=by,
        )
        audit_record(
            actor=Actor.of(by),
            action=f"traffic.violation.{name}",
            target=event,
            details={"from": status_from, "to": event.status, **details},
        )
    return event


# --- verification -------------------------------------------------------------------------------


def _registered_vehicle(plate: str, kind: str) -> Vehicle | None:
    vehicles = list(Vehicle.objects.filter(plate=plate, status=Vehicle.Status.ACTIVE).select_related("owner"))
    return next((vehicle for vehicle in vehicles if vehicle.kind == kind), vehicles[0] if vehicles else None)


def violation_verify(*, by: Officer, event_id: int, plate: str = "") -> ViolationEvent:
    """Confirm what the camera saw: the plate (corrected when misread) and the owner from the registry."""

    def effect(event: ViolationEvent) -> dict:
        details: dict[str, Any] = {}
        corrected = plate.strip()
        if corrected or not event.plate:
            motorbike = event.vehicle_kind in (Vehicle.Kind.MOTORBIKE, Vehicle.Kind.E_BIKE)
            if not corrected:
                raise ValidationFailed(details={"plate": [_("Nhập biển số đọc từ ảnh chứng cứ.")]})
            canonical = parse_plate(corrected, motorbike=motorbike).canonical
            if canonical != event.plate:
                details = {"plate_from": event.plate or event.plate_read, "plate_to": canonical}
                event.plate = canonical
        vehicle = _registered_vehicle(event.plate, event.vehicle_kind)
        event.vehicle, event.reviewed_by, event.reviewed_at = vehicle, by, timezone.now()
        if vehicle is not None:
            event.owner, event.owner_organisation = vehicle.owner, vehicle.owner_organisation
            event.owner_identified_at = timezone.now()
        return {**details, "vehicle": vehicle.pk if vehicle else None}

    return _apply("verify", event_id, by, "", effect)


def violation_dismiss(*, by: Officer, event_id: int, reason: str) -> ViolationEvent:
    def effect(event: ViolationEvent) -> dict:
        event.dismissal_reason, event.reviewed_by, event.reviewed_at = reason.strip(), by, timezone.now()
        return {}

    return _apply("dismiss", event_id, by, reason, effect)


# --- many at once --------------------------------------------------------------------------------

BULK_STEPS = ("verify", "dismiss")


def violations_bulk(*, by: Officer, event_ids: list[int], step: str, reason: str = "") -> BulkResult:
    """Verify (as the camera read them) or dismiss (with one reason) many violations of the desk
    (congan.core.bulk: each on its own, the refused ones named)."""
    if step not in BULK_STEPS:
        raise ValidationFailed(details={"step": [_("Chỉ xác minh hoặc loại bỏ được nhiều vi phạm cùng lúc.")]})
    if step == "dismiss" and not reason.strip():
        raise ValidationFailed(details={"reason": [_("Nêu lý do loại bỏ.")]})
    ids = bulk.chosen(event_ids, field="events")
    if step == "verify":
        return bulk.run_each(ids, lambda pk: violation_verify(by=by, event_id=pk))
    return bulk.run_each(ids, lambda pk: violation_dismiss(by=by, event_id=pk, reason=reason))


# --- the notice ---------------------------------------------------------------------------------


def _notice_number(event: ViolationEvent, now: dt.datetime) -> str:
    return f"{event.pk:07d}/TB-{timezone.localtime(now):%Y}"


def notice_url(event: ViolationEvent) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("traffic:notice_pdf", args=[event.notice_token])


def violation_issue_notice(*, by: Officer, event_id: int) -> ViolationEvent:
    """Send Form 03 to the owner: the notice gets its number and a private link, and goes out by
    SMS and e-mail through the outbox (and shows in the owner's citizen account)."""

    def effect(event: ViolationEvent) -> dict:
        if event.owner_id is None and not event.owner_organisation:
            raise ValidationFailed(details={"owner": [_("Chưa xác định được chủ xe: không thể gửi thông báo.")]})
        now = timezone.now()
        event.notice_issued_at, event.notice_number = now, _notice_number(event, now)
        event.notice_token = secrets.token_urlsafe(18)
        event.resolving_unit = event.resolving_unit or event.camera.unit
        _notify_owner(event)
        return {"notice_number": event.notice_number}

    return _apply("issue_notice", event_id, by, "", effect)


def _notify_owner(event: ViolationEvent) -> None:
    owner = event.owner
    if owner is None:
        return
    body = _("Thông báo vi phạm %(number)s: phương tiện %(plate)s vi phạm lúc %(at)s. Xem và giải quyết: %(url)s") % {
        "number": event.notice_number,
        "plate": event.plate,
        "at": timezone.localtime(event.occurred_at).strftime("%H:%M %d/%m/%Y"),
        "url": notice_url(event),
    }
    account = getattr(owner, "citizen_account", None)
    phone = account.phone if account is not None else owner.phone
    if phone:
        notification_enqueue(
            key=f"traffic-notice:{event.pk}:sms", channel="sms", recipient=phone, body=body, target=event
        )
    if owner.email:
        notification_enqueue(
            key=f"traffic-notice:{event.pk}:email",
            channel="email",
            recipient=owner.email,
            body=body,
            subject=_("Thông báo vi phạm giao thông %(number)s") % {"number": event.notice_number},
            target=event,
        )


# --- resolution ---------------------------------------------------------------------------------


def _clear_warning_if_resolved(event: ViolationEvent) -> None:
    """The registration flag stays while any notice of the vehicle is still unresolved past 20 days."""
    if event.vehicle_id is None:
        return
    still = ViolationEvent.objects.filter(
        vehicle_id=event.vehicle_id, status__in=OPEN_NOTICE, registration_warning_at__isnull=False
    ).exclude(pk=event.pk)
    if not still.exists():
        Vehicle.objects.filter(pk=event.vehicle_id).update(registration_warning=False)


def violation_record_payment(*, by: Officer, event_id: int, amount: int) -> ViolationEvent:
    def effect(event: ViolationEvent) -> dict:
        kind = event.violation_type
        top = kind.fine_max * (2 if event.owner_organisation else 1)  # organisations pay twice the individual fine
        if not kind.fine_min <= amount <= top:
            raise ValidationFailed(
                details={
                    "amount": [
                        _("Số tiền phạt từ %(min)s đến %(max)s đồng.")
                        % {"min": f"{kind.fine_min:,}", "max": f"{top:,}"}
                    ]
                }
            )
        event.fine_amount, event.paid_at = amount, timezone.now()
        _clear_warning_if_resolved(event)
        return {"amount": amount}

    return _apply("record_payment", event_id, by, "", effect)


def violation_contest(*, by: Officer, event_id: int, reason: str) -> ViolationEvent:
    return _apply("contest", event_id, by, reason, lambda event: {})


def _residence_unit(event: ViolationEvent) -> Unit | None:
    owner = event.owner
    commune = owner.current_commune or owner.permanent_commune if owner else ""
    if not commune:
        return None
    return Unit.objects.filter(area_code=commune, active=True).order_by("depth").first()


def violation_forward(*, by: Officer, event_id: int, unit_id: int | None = None) -> ViolationEvent:
    """Art. 24(2): the case goes to the commune police where the owner lives."""

    def effect(event: ViolationEvent) -> dict:
        unit = Unit.objects.filter(pk=unit_id, active=True).first() if unit_id else _residence_unit(event)
        if unit is None:
            raise ValidationFailed(details={"unit": [_("Không xác định được công an xã, phường nơi chủ xe cư trú.")]})
        event.resolving_unit = unit
        return {"unit": unit.code}

    return _apply("forward", event_id, by, "", effect)


def violation_close(*, by: Officer, event_id: int, outcome: str, reason: str = "") -> ViolationEvent:
    """Close a case: penalised (paid, or handled where the owner lives) or withdrawn (a contest upheld)."""

    if outcome not in O.values:
        raise ValidationFailed(details={"outcome": [_("Chọn kết quả: đã xử phạt hoặc hủy thông báo.")]})

    def effect(event: ViolationEvent) -> dict:
        if event.status == S.PAID and outcome != O.PENALISED:
            raise ValidationFailed(details={"outcome": [_("Vi phạm đã nộp phạt chỉ kết thúc là đã xử phạt.")]})
        if outcome == O.WITHDRAWN and not reason.strip():
            raise ValidationFailed(details={"reason": [_("Cần nêu lý do hủy thông báo.")]})
        event.outcome, event.closed_at = outcome, timezone.now()
        _clear_warning_if_resolved(event)
        return {"outcome": outcome}

    return _apply("close", event_id, by, reason, effect)


# --- the 20-day clock ---------------------------------------------------------------------------


def registration_warnings_raise(*, now: dt.datetime | None = None) -> int:
    """Art. 24(3): flag the vehicles whose notice has gone unanswered for 20 days. Run daily; a
    second run the same day flags nothing twice. Returns how many violations were flagged."""
    now = now or timezone.now()
    due = now - dt.timedelta(days=settings.TRAFFIC_REGISTRATION_WARNING_DAYS)
    with transaction.atomic():
        late = ViolationEvent.objects.select_for_update().filter(
            Q(status__in=(S.NOTICE_ISSUED, S.FORWARDED)),
            notice_issued_at__lte=due,
            registration_warning_at__isnull=True,
        )
        ids = list(late.values_list("pk", flat=True))
        vehicles = set(late.exclude(vehicle__isnull=True).values_list("vehicle_id", flat=True))
        if not ids:
            return 0
        ViolationEvent.objects.filter(pk__in=ids).update(registration_warning_at=now, updated_at=now)
        Vehicle.objects.filter(pk__in=vehicles).update(registration_warning=True)
        audit_record(
            actor="system",
            action="traffic.registration_warnings",
            details={"violations": len(ids), "vehicles": len(vehicles)},
        )
    return len(ids)
