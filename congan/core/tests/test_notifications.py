"""The notification outbox: enqueue once per key, deliver after commit, retry, record outcomes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from congan.core.models import Notification
from congan.core.notifications import MAX_ATTEMPTS, DeliveryError, notification_enqueue, notifications_deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(settings, tmp_path):
    settings.OUTBOX_DIR = tmp_path / "outbox"
    return settings.OUTBOX_DIR


class FailingBackend:
    def send(self, notification):
        raise DeliveryError("gateway down")


def test_a_message_is_queued_once_and_delivered_after_commit(outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notification_enqueue(
            key="dossier-1-received", channel="sms", recipient="0905123456", body="Đã tiếp nhận"
        )
        again = notification_enqueue(
            key="dossier-1-received", channel="sms", recipient="0905123456", body="Đã tiếp nhận"
        )
    assert first.pk == again.pk
    first.refresh_from_db()
    assert first.status == Notification.Status.SENT
    lines = [json.loads(line) for path in outbox.iterdir() for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(line["to"], line["body"]) for line in lines] == [("0905123456", "Đã tiếp nhận")]


def test_a_failing_channel_is_retried_then_marked_failed(outbox, settings):
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "email": f"{__name__}.FailingBackend"}
    message = notification_enqueue(key="k", channel="email", recipient="a@b.vn", subject="S", body="B")
    now = timezone.now()
    assert notifications_deliver(now=now) == {"sent": 0, "retry": 1, "failed": 0}
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("pending", 1, "gateway down")
    assert notifications_deliver(now=now) == {"sent": 0, "retry": 0, "failed": 0}  # not due yet
    for attempt in range(2, MAX_ATTEMPTS + 1):
        notifications_deliver(now=now + dt.timedelta(days=attempt))
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", MAX_ATTEMPTS)
