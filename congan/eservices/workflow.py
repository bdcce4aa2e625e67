"""Processing a dossier: every status change is one service with a guard (permission, unit scope,
current status, a reason where the rules want one), an audit record, a timeline entry, the
citizen's notification and the dashboard aggregates, all in one transaction.

    submitted → received | rejected_intake
    received → processing → waiting (supplement requested, the clock pauses) → processing
    processing → approved | refused → returned
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congan.core import bulk
from congan.core.audit import Actor, audit_record
from congan.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.notifications import notification_enqueue
from congan.core.scoping import get_scoped_or_404
from congan.eservices import stats
from congan.eservices.deadlines import WorkCalendar
from congan.eservices.models import EVENT_LABELS, ApologyLetter, Dossier, DossierEvent, DossierPause
from congan.org.models import Officer
from congan.population.citizen import citizen_actor

S = Dossier.Status
MAX_EXTENSION_DAYS = 30


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    permission: str
    needs_reason: bool
    label: Any  # lazy text: what the officer's button and the timeline say


TRANSITIONS: dict[str, Transition] = {
    "receive": Transition((S.SUBMITTED,), S.RECEIVED, "eservices.receive_dossier", False, gettext_lazy("Tiếp nhận")),
    "reject_intake": Transition(
        (S.SUBMITTED,), S.REJECTED_AT_INTAKE, "eservices.receive_dossier", True, gettext_lazy("Từ chối tiếp nhận")
    ),
    "start": Transition((S.RECEIVED,), S.PROCESSING, "eservices.process_dossier", False, gettext_lazy("Bắt đầu xử lý")),
    "request_supplement": Transition(
        (S.RECEIVED, S.PROCESSING),
        S.WAITING_CITIZEN,
        "eservices.process_dossier",
        True,
        gettext_lazy("Yêu cầu bổ sung"),
    ),
    "resume": Transition(
        (S.WAITING_CITIZEN,), S.PROCESSING, "eservices.process_dossier", False, gettext_lazy("Tiếp tục xử lý")
    ),
    "approve": Transition((S.PROCESSING,), S.APPROVED, "eservices.decide_dossier", False, gettext_lazy("Phê duyệt")),
    "refuse": Transition(
        (S.PROCESSING,), S.REFUSED, "eservices.decide_dossier", True, gettext_lazy("Từ chối giải quyết")
    ),
    "return_result": Transition(
        (S.APPROVED, S.REFUSED), S.RETURNED, "eservices.receive_dossier", False, gettext_lazy("Trả kết quả")
    ),
}

# What the citizen is told after each step (SMS and e-mail).
_NOTICES = {
    "submit": gettext_lazy("Hồ sơ %(code)s đã được nộp, đang chờ tiếp nhận."),
    "receive": gettext_lazy("Hồ sơ %(code)s đã được tiếp nhận. Hẹn trả kết quả: %(due)s."),
    "reject_intake": gettext_lazy("Hồ sơ %(code)s không được tiếp nhận. Lý do: %(reason)s"),
    "request_supplement": gettext_lazy("Hồ sơ %(code)s cần bổ sung: %(reason)s"),
    "resume": gettext_lazy("Hồ sơ %(code)s tiếp tục được xử lý. Hẹn trả kết quả: %(due)s."),
    "approve": gettext_lazy("Hồ sơ %(code)s đã có kết quả. Mời nhận kết quả."),
    "refuse": gettext_lazy("Hồ sơ %(code)s bị từ chối giải quyết. Lý do: %(reason)s"),
    "return_result": gettext_lazy("Hồ sơ %(code)s đã trả kết quả. Mời đánh giá mức độ hài lòng."),
    "extend": gettext_lazy("Hồ sơ %(code)s được gia hạn giải quyết đến %(due)s."),
    "apology": gettext_lazy("Cơ quan giải quyết xin lỗi vì hồ sơ %(code)s bị chậm; hẹn trả kết quả ngày %(due)s."),
}


def status_url(dossier: Dossier) -> str:
    return f"{settings.PUBLIC_BASE_URL}{reverse('eservices:track')}?{urlencode({'code': dossier.code})}"


def _locked(by: Officer, dossier_id: int) -> Dossier:
    """The dossier, locked (OF self: its procedure, applicant and unit are read, not locked; a
    lock on them would hold every new row that refers to them until this transaction ends)."""
    return get_scoped_or_404(
        Dossier.objects.select_for_update(of=("self",)).select_related("procedure", "applicant", "unit"),
        viewer=by,
        pk=dossier_id,
    )


def transition(*, by: Officer, dossier_id: int, action: str, reason: str = "") -> Dossier:
    """Apply ``action`` (a key of TRANSITIONS) for the officer ``by``."""
    step = TRANSITIONS.get(action)
    if step is None:
        raise NotFound(_("Không có thao tác này."))
    if not by.has_perm(step.permission):
        raise PermissionDenied()
    reason = (reason or "").strip()
    if step.needs_reason and not reason:
        raise ValidationFailed(details={"reason": [_("Phải nêu lý do.")]})
    with transaction.atomic():
        dossier = _locked(by, dossier_id)
        _guard_status(dossier, action, step.sources)
        status_from = dossier.status
        _EFFECTS[action](dossier, by, reason)
        dossier.status = step.target
        dossier.save()
        record_step(dossier, by=by, action=action, status_from=status_from, reason=reason)
    return dossier


def _guard_status(dossier: Dossier, action: str, sources: tuple[str, ...]) -> None:
    if dossier.status not in sources:
        raise InvalidTransition(
            _("Hồ sơ đang ở trạng thái “%(status)s”, không thể “%(action)s”.")
            % {"status": dossier.get_status_display(), "action": EVENT_LABELS.get(action, action)},
            details={"status": dossier.status, "allowed_from": list(sources)},
        )


def record_step(
    dossier: Dossier,
    *,
    by: Officer | Actor,
    action: str,
    status_from: str = "",
    reason: str = "",
    details: dict | None = None,
) -> DossierEvent:
    """Timeline entry, audit record and the citizen's notice of one step."""
    actor = Actor.of(by)
    event = DossierEvent.objects.create(
        dossier=dossier,
        at=timezone.now(),
        action=action,
        status_from=status_from,
        status_to=dossier.status,
        actor_label=_actor_label(by),
        officer=by if isinstance(by, Officer) else None,
        reason=reason,
        details=details or {},
    )
    audit_record(
        actor=actor,
        action=f"eservices.dossier.{action}",
        target=dossier,
        unit=dossier.unit_id,
        details={"from": status_from, "to": dossier.status, "reason": reason[:500], **(details or {})},
    )
    _notify(dossier, action, event, reason)
    return event


def _actor_label(by: Officer | Actor) -> str:
    """What the citizen sees in the timeline: the unit for officers, never an officer's name."""
    if isinstance(by, Actor):
        return _("Công dân") if by.type == "citizen" else _("Hệ thống")
    unit = getattr(by, "unit", None)
    return unit.name if unit is not None else _("Cơ quan giải quyết")


def _notify(dossier: Dossier, action: str, event: DossierEvent, reason: str) -> None:
    template = _NOTICES.get(action)
    if template is None:
        return
    due = dossier.due_on.strftime("%d/%m/%Y") if dossier.due_on else _("trong ngày")
    if action == "apology":
        due = event.details.get("new_due_on_display", due)
    body = f"{template % {'code': dossier.code, 'due': due, 'reason': reason[:200]}} {status_url(dossier)}"
    person = dossier.submitted_by or dossier.applicant
    account = getattr(person, "citizen_account", None)  # None when the person has no account
    phone = account.phone if account is not None else person.phone
    if phone:
        notification_enqueue(
            key=f"dossier-event:{event.pk}:sms", channel="sms", recipient=phone, body=body, target=dossier
        )
    if person.email:
        notification_enqueue(
            key=f"dossier-event:{event.pk}:email",
            channel="email",
            recipient=person.email,
            body=body,
            subject=_("Hồ sơ %(code)s") % {"code": dossier.code},
            target=dossier,
        )


# --- effects of each transition ---------------------------------------------------------------


def recompute_due(dossier: Dossier, calendar: WorkCalendar | None = None) -> None:
    if dossier.received_on is None:
        return
    calendar = calendar or WorkCalendar()
    pauses = [(p.started_on, p.ended_on) for p in dossier.pauses.all() if p.ended_on is not None]
    dossier.due_on = calendar.due_date(
        received=dossier.received_on,
        days=dossier.procedure.processing_days or 0,
        pauses=pauses,
        extension_days=dossier.extension_days,
    )


def _receive(dossier: Dossier, by: Officer, reason: str) -> None:
    dossier.received_on = timezone.localdate()
    recompute_due(dossier)


def _reject_intake(dossier: Dossier, by: Officer, reason: str) -> None:
    dossier.decided_at, dossier.decision_note = timezone.now(), reason
    stats.stat_add_for(dossier, dossier.submitted_at, rejected_at_intake=1)


def _start(dossier: Dossier, by: Officer, reason: str) -> None:
    if dossier.assigned_to_id is None:
        dossier.assigned_to = by


def _request_supplement(dossier: Dossier, by: Officer, reason: str) -> None:
    if not dossier.procedure.can_pause:
        raise InvalidTransition(_("Thủ tục này không được tạm dừng chờ bổ sung."))
    today = timezone.localdate()
    dossier.paused_since = today
    DossierPause.objects.create(dossier=dossier, started_on=today, reason=reason)
    stats.stat_add_for(dossier, today, suspended=1)


def end_pause(dossier: Dossier) -> None:
    today = timezone.localdate()
    DossierPause.objects.filter(dossier=dossier, ended_on__isnull=True).update(ended_on=today)
    dossier.paused_since = None
    recompute_due(dossier)


def _resume(dossier: Dossier, by: Officer, reason: str) -> None:
    end_pause(dossier)


def _decide(dossier: Dossier, by: Officer, reason: str) -> None:
    now = timezone.now()
    dossier.decided_at, dossier.decision_note = now, reason
    decided_on = timezone.localdate(now)
    on_time = dossier.due_on is None or decided_on <= dossier.due_on
    days = WorkCalendar().processing_days(dossier.received_on, decided_on)
    stats.stat_add_for(dossier, now, resolved=1, resolved_on_time=int(on_time), processing_days=days)


def _approve(dossier: Dossier, by: Officer, reason: str) -> None:
    _decide(dossier, by, reason)
    dossier.result_number = f"{dossier.code}/KQ"
    dossier.verify_token = secrets.token_urlsafe(18)[:24]


def _return_result(dossier: Dossier, by: Officer, reason: str) -> None:
    dossier.returned_at = timezone.now()


_EFFECTS: dict[str, Callable[[Dossier, Any, str], None]] = {
    "receive": _receive,
    "reject_intake": _reject_intake,
    "start": _start,
    "request_supplement": _request_supplement,
    "resume": _resume,
    "approve": _approve,
    "refuse": _decide,
    "return_result": _return_result,
}


# --- steps that keep the status ---------------------------------------------------------------


def assign(*, by: Officer, dossier_id: int, officer: Officer) -> Dossier:
    """Give the dossier to an officer of its unit (or of a unit above it)."""
    if not by.has_perm("eservices.process_dossier"):
        raise PermissionDenied()
    with transaction.atomic():
        dossier = _locked(by, dossier_id)
        if not dossier.is_open:
            raise InvalidTransition(_("Hồ sơ đã giải quyết xong, không giao lại được."))
        officer_unit = getattr(officer, "unit", None)
        if officer_unit is None or not dossier.unit.path.startswith(officer_unit.path):
            raise ValidationFailed(details={"officer": [_("Cán bộ không thuộc đơn vị giải quyết hồ sơ.")]})
        dossier.assigned_to = officer
        dossier.save(update_fields=["assigned_to", "updated_at"])
        record_step(dossier, by=by, action="assign", status_from=dossier.status, details={"officer": officer.pk})
    return dossier


def assign_many(*, by: Officer, dossier_ids: list[int], officer: Officer) -> bulk.BulkResult:
    """Give many dossiers of the inbox to one officer (congan.core.bulk: each on its own)."""
    ids = bulk.chosen(dossier_ids, field="dossiers")
    return bulk.run_each(ids, lambda pk: assign(by=by, dossier_id=pk, officer=officer))


def extend(*, by: Officer, dossier_id: int, days: int, reason: str) -> Dossier:
    """Gia hạn — once per dossier, where the procedure allows it, with a reason."""
    if not by.has_perm("eservices.process_dossier"):
        raise PermissionDenied()
    if not (reason or "").strip():
        raise ValidationFailed(details={"reason": [_("Phải nêu lý do gia hạn.")]})
    if not 1 <= int(days) <= MAX_EXTENSION_DAYS:
        raise ValidationFailed(details={"days": [_("Số ngày gia hạn từ 1 đến %(max)s.") % {"max": MAX_EXTENSION_DAYS}]})
    with transaction.atomic():
        dossier = _locked(by, dossier_id)
        _guard_status(dossier, "extend", (S.RECEIVED, S.PROCESSING, S.WAITING_CITIZEN))
        if not dossier.procedure.can_extend:
            raise InvalidTransition(_("Thủ tục này không được gia hạn."))
        if dossier.extension_days:
            raise InvalidTransition(_("Hồ sơ đã được gia hạn một lần."))
        old_due = dossier.due_on
        dossier.extension_days = int(days)
        recompute_due(dossier)
        dossier.save(update_fields=["extension_days", "due_on", "updated_at"])
        record_step(
            dossier,
            by=by,
            action="extend",
            status_from=dossier.status,
            reason=reason.strip(),
            details={"days": int(days), "old_due_on": str(old_due), "due_on": str(dossier.due_on)},
        )
    return dossier


def apologise(*, by: Officer, dossier_id: int, new_due_on: dt.date, reason: str) -> ApologyLetter:
    """Thư xin lỗi — for a dossier that is or will be late: the reason and a new date. The legal
    deadline stays: the dossier still counts as late in the figures."""
    if not by.has_perm("eservices.process_dossier"):
        raise PermissionDenied()
    if not (reason or "").strip():
        raise ValidationFailed(details={"reason": [_("Phải nêu lý do chậm.")]})
    with transaction.atomic():
        dossier = _locked(by, dossier_id)
        _guard_status(dossier, "apology", (S.RECEIVED, S.PROCESSING, S.WAITING_CITIZEN))
        if dossier.due_on is None:
            raise InvalidTransition(_("Hồ sơ chưa có hạn giải quyết."))
        if new_due_on <= dossier.due_on or new_due_on < timezone.localdate():
            raise ValidationFailed(details={"new_due_on": [_("Ngày hẹn mới phải sau hạn giải quyết và từ hôm nay.")]})
        letter = ApologyLetter.objects.create(
            dossier=dossier, reason=reason.strip(), old_due_on=dossier.due_on, new_due_on=new_due_on, issued_by=by
        )
        record_step(
            dossier,
            by=by,
            action="apology",
            status_from=dossier.status,
            reason=reason.strip(),
            details={
                "letter": letter.pk,
                "new_due_on": str(new_due_on),
                "new_due_on_display": new_due_on.strftime("%d/%m/%Y"),
            },
        )
    return letter


def supplement_by_citizen(*, resident: Any, dossier: Dossier, note: str) -> Dossier:
    """The citizen answered a supplement request (files are attached by the caller in the same
    transaction): the clock runs again."""
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",)).select_related("procedure", "applicant").get(pk=dossier.pk)
        )
        if resident.pk not in {dossier.applicant_id, dossier.submitted_by_id}:
            raise NotFound()
        _guard_status(dossier, "resume", (S.WAITING_CITIZEN,))
        status_from = dossier.status
        end_pause(dossier)
        dossier.status = S.PROCESSING
        dossier.save()
        record_step(
            dossier,
            by=citizen_actor(resident),
            action="supplement",
            status_from=status_from,
            reason=(note or "").strip()[:2000],
        )
    return dossier


def available_actions(*, viewer: Officer, dossier: Dossier) -> list[tuple[str, Any, bool]]:
    """(action, label, needs a reason) the officer may take now, for the buttons."""
    return [
        (action, step.label, step.needs_reason)
        for action, step in TRANSITIONS.items()
        if dossier.status in step.sources
        and viewer.has_perm(step.permission)
        and not (action == "request_supplement" and not dossier.procedure.can_pause)
    ]
