"""Notifications through an outbox: enqueue in the caller's transaction, deliver in the background.

Backends per channel come from settings.NOTIFICATION_BACKENDS (dotted paths). The defaults write
each message as a JSON line under data/outbox/ (an intranet install has no SMS gateway until the
province signs one); ``EmailBackend`` sends through Django's mail settings, and
``congan.core.webpush.WebPushBackend`` to browsers through their push services.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from congan.core.errors import NotFound
from congan.core.models import Notification

MAX_ATTEMPTS = 5
RETRY_DELAYS = (60, 300, 1800, 7200)  # seconds after attempts 1, 2, 3, 4
_OUTCOME_FIELDS = ["attempts", "status", "sent_at", "last_error", "next_attempt_at", "updated_at"]


class DeliveryError(Exception):
    """A backend could not deliver; the message is retried later."""


class PermanentDeliveryError(DeliveryError):
    """The message can never be delivered (the recipient is gone): failed at once, no retry."""


class Backend(Protocol):
    def send(self, notification: Notification) -> None: ...


class FileBackend:
    """Append the message as one JSON line to OUTBOX_DIR/<channel>-<date>.jsonl."""

    def send(self, notification: Notification) -> None:
        folder = Path(settings.OUTBOX_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        line = {
            "id": notification.pk,
            "channel": notification.channel,
            "to": notification.recipient,
            "subject": notification.subject,
            "body": notification.body,
            "at": timezone.now().isoformat(),
        }
        path = folder / f"{notification.channel}-{timezone.localdate():%Y-%m-%d}.jsonl"
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


class EmailBackend:
    def send(self, notification: Notification) -> None:
        try:
            send_mail(notification.subject, notification.body, None, [notification.recipient])
        except Exception as exc:  # SMTP errors come in many types
            raise DeliveryError(str(exc)) from exc


def _backend(channel: str) -> Backend:
    return import_string(settings.NOTIFICATION_BACKENDS[channel])()


def notification_enqueue(
    *, key: str, channel: str, recipient: str, body: str, subject: str = "", target: Any = None
) -> Notification:
    """Queue a message once per ``key`` (a retried service call queues nothing twice); delivery
    starts after the caller's transaction commits."""
    notification, created = Notification.objects.get_or_create(
        key=key[:120],
        defaults={
            "channel": channel,
            "recipient": recipient[:254],
            "subject": subject[:200],
            "body": body,
            "target_type": target._meta.label_lower if target is not None else "",
            "target_id": str(target.pk) if target is not None else "",
        },
    )
    if created:
        transaction.on_commit(_schedule_delivery)
    return notification


def notifications_enqueue_many(batch: list[Notification]) -> int:
    """Queue many prepared messages at once (a warning to thousands of subscribers); a key already
    queued is skipped, so a repeated fan-out sends nothing twice. Returns how many were new."""
    if not batch:
        return 0
    existing = set(Notification.objects.filter(key__in=[item.key for item in batch]).values_list("key", flat=True))
    fresh = [item for item in batch if item.key not in existing]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    if fresh:
        transaction.on_commit(_schedule_delivery)
    return len(fresh)


@transaction.atomic
def notification_receipt(*, notification_id: int, delivered: bool, error: str = "") -> Notification:
    """A gateway's delivery report: the message reached the phone or mailbox, or it never will.
    Only sent messages change (a browser may confirm a push before its sending is recorded); a
    repeated report changes nothing."""
    notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
    if notification is None:
        raise NotFound()
    if notification.status == Notification.Status.SENT or (
        delivered and notification.status == Notification.Status.PENDING
    ):
        if delivered:
            notification.status, notification.delivered_at = Notification.Status.DELIVERED, timezone.now()
        else:
            notification.status, notification.last_error = Notification.Status.FAILED, error[:500]
        notification.save(update_fields=["status", "delivered_at", "last_error", "updated_at"])
    return notification


_RECEIPT_SALT = "congan.notifications.push-receipt"


def push_receipt_token(key: str) -> str:
    """An unguessable token naming the message with this key: the browser posts it back when the
    push arrives (the service worker), which counts the message as delivered."""
    return signing.dumps(key, salt=_RECEIPT_SALT, compress=True)


def notification_push_receipt(*, token: str) -> Notification:
    try:
        key = signing.loads(token, salt=_RECEIPT_SALT)
    except signing.BadSignature:
        raise NotFound() from None
    notification = Notification.objects.filter(key=key, channel=Notification.Channel.WEBPUSH).first()
    if notification is None:
        raise NotFound()
    return notification_receipt(notification_id=notification.pk, delivered=True)


def _schedule_delivery() -> None:
    from congan.core.tasks import deliver_notifications_task

    deliver_notifications_task.enqueue()


def notifications_deliver(*, limit: int = 200, now: dt.datetime | None = None) -> dict[str, int]:
    """Send the messages that are due; each outcome is saved on its own."""
    now = now or timezone.now()
    due = Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now).order_by("pk")
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for notification in due[:limit]:
        notification.attempts += 1
        try:
            _backend(notification.channel).send(notification)
        except DeliveryError as exc:
            notification.last_error = str(exc)[:500]
            if isinstance(exc, PermanentDeliveryError) or notification.attempts >= MAX_ATTEMPTS:
                notification.status = Notification.Status.FAILED
                counts["failed"] += 1
            else:
                delay = RETRY_DELAYS[min(notification.attempts - 1, len(RETRY_DELAYS) - 1)]
                notification.next_attempt_at = now + dt.timedelta(seconds=delay)
                counts["retry"] += 1
        else:
            notification.status = Notification.Status.SENT
            notification.sent_at = now
            counts["sent"] += 1
        _save_outcome(notification)
    return counts


def _save_outcome(notification: Notification) -> None:
    """Save the attempt; a delivery report that arrived while sending (a fast browser) stays."""
    fields = {name: getattr(notification, name) for name in _OUTCOME_FIELDS if name != "updated_at"}
    fields["updated_at"] = timezone.now()
    rows = Notification.objects.filter(pk=notification.pk)
    if not rows.exclude(status=Notification.Status.DELIVERED).update(**fields):
        del fields["status"]
        rows.update(**fields)
