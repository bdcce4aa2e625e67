"""`congan alerts_fanout`: queue the messages of any published alert whose fan-out never finished
(a worker stopped mid-way, a task was lost). Safe to repeat: each subscriber gets one message."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from congan.alerts.models import Alert
from congan.alerts.services import alert_fan_out


class Command(BaseCommand):
    help = "Finish the subscriber fan-out of published alerts that have not completed it."

    def handle(self, *args, **options):
        pending = Alert.objects.filter(sent__isnull=False, fanout_done_at__isnull=True).order_by("sent")
        for alert in pending:
            queued = alert_fan_out(alert_id=alert.pk)
            self.stdout.write(f"{alert.identifier}: {queued} messages queued")
        self.stdout.write(self.style.SUCCESS(f"{len(pending)} alerts fanned out"))
