"""Reminders of điều hành through the notification outbox (core.notifications): tasks due tomorrow
or overdue, to whoever does them (overdue ones to whoever gave them too), and urgent incoming
documents (Khẩn and above) registered some hours ago that nobody has directed or acknowledged, to
the leaders of their unit. Each reminder goes once per (thing, day, officer): the outbox key says
so, so running the job every hour, or twice, sends nothing twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.models import Notification
from congan.core.notifications import notification_enqueue
from congan.documents.models import IncomingDocument, Urgency
from congan.org import roles
from congan.org.models import Officer, Unit
from congan.tasks.models import Task
from congan.tasks.selectors import OPEN


@dataclass
class Sent:
    tasks_due: int = 0
    tasks_overdue: int = 0
    urgent_documents: int = 0
    no_address: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _leaders_of(unit: Unit) -> list[Officer]:
    """The leaders of the unit, or of the nearest unit above it that has any."""
    for path in _ancestor_paths(unit.path):
        leaders = list(
            Officer.objects.filter(is_active=True, unit__path=path, groups__name=roles.LEADER).distinct().order_by("pk")
        )
        if leaders:
            return leaders
    return []


def _ancestor_paths(path: str) -> list[str]:
    """ "000001.000007." → ["000001.000007.", "000001."]: the unit, then each one above it."""
    parts = [part for part in path.split(".") if part]
    return [".".join(parts[:size]) + "." for size in range(len(parts), 0, -1)]


def _doers(task: Task) -> list[Officer]:
    if task.assignee_officer is not None:
        return [task.assignee_officer]
    return _leaders_of(task.assignee_unit)


def _send(
    officers: Iterable[Officer],
    *,
    key: str,
    subject: str,
    body: str,
    target: Task | IncomingDocument,
    sent: Sent,
    kind: str,
) -> None:
    for officer in dict.fromkeys(officers):
        if not officer.email:
            sent.no_address += 1
            continue
        officer_key = f"{key}:{officer.pk}"
        if Notification.objects.filter(key=officer_key).exists():
            continue  # reminded already today
        notification_enqueue(
            key=officer_key, channel="email", recipient=officer.email, subject=subject, body=body, target=target
        )
        setattr(sent, kind, getattr(sent, kind) + 1)


@transaction.atomic
def reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """One run of the reminder job; returns how many messages it queued of each kind."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = Sent()
    tasks = Task.objects.filter(status__in=OPEN, deadline__lte=today + dt.timedelta(days=1)).select_related(
        "assignee_unit", "assignee_officer", "assigned_by"
    )
    for task in tasks.order_by("deadline", "pk"):
        overdue = task.deadline < today
        if overdue:
            subject = _("Việc quá hạn: %(title)s") % {"title": task.title[:120]}
            body = _("Việc “%(title)s” đã quá hạn từ ngày %(day)s (%(unit)s). Báo cáo tiến độ hoặc xin gia hạn.") % {
                "title": task.title,
                "day": f"{task.deadline:%d/%m/%Y}",
                "unit": task.assignee_unit.name,
            }
            recipients = [*_doers(task), task.assigned_by]
        elif task.deadline == today + dt.timedelta(days=1) or task.deadline == today:
            subject = _("Việc đến hạn: %(title)s") % {"title": task.title[:120]}
            body = _("Việc “%(title)s” đến hạn ngày %(day)s (%(unit)s).") % {
                "title": task.title,
                "day": f"{task.deadline:%d/%m/%Y}",
                "unit": task.assignee_unit.name,
            }
            recipients = _doers(task)
        else:  # pragma: no cover - the query takes nothing later than tomorrow
            continue
        _send(
            recipients,
            key=f"tasks.remind:{task.pk}:{today:%Y%m%d}",
            subject=subject,
            body=body,
            target=task,
            sent=sent,
            kind="tasks_overdue" if overdue else "tasks_due",
        )
    waited = now - dt.timedelta(hours=settings.TASKS_URGENT_REMIND_HOURS)
    documents = IncomingDocument.objects.filter(
        status=IncomingDocument.Status.REGISTERED,
        urgency__gte=Urgency.URGENT,
        acknowledged_at__isnull=True,
        registered_at__lte=waited,
    ).select_related("unit", "recipient_officer")
    for document in documents.order_by("-urgency", "registered_at", "pk"):
        what = (
            _("văn bản mật số đến %(number)s") % {"number": document.arrival_display}
            if document.is_classified
            else f"{document.number_symbol} {document.subject}".strip()
        )
        subject = _("Văn bản %(urgency)s chưa được xử lý") % {"urgency": document.get_urgency_display()}
        body = _(
            "Văn bản đến %(urgency)s số đến %(number)s (%(unit)s) vào sổ lúc %(at)s chưa có ý kiến chỉ đạo, "
            "chưa ai ký nhận: %(what)s"
        ) % {
            "urgency": document.get_urgency_display(),
            "number": document.arrival_display,
            "unit": document.unit.name,
            "at": f"{timezone.localtime(document.registered_at):%H:%M %d/%m/%Y}" if document.registered_at else "",
            "what": what,
        }
        recipients = _leaders_of(document.unit)
        if document.recipient_officer is not None:
            recipients.append(document.recipient_officer)
        _send(
            recipients,
            key=f"documents.urgent:{document.pk}:{today:%Y%m%d}",
            subject=subject,
            body=body,
            target=document,
            sent=sent,
            kind="urgent_documents",
        )
    return sent.as_dict()
