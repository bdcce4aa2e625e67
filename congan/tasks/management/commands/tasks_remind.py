"""`congan tasks_remind`: queue the reminders of điều hành (tasks due tomorrow or overdue, urgent
incoming documents nobody has directed or acknowledged). Safe to repeat: each reminder goes once
per day. Run it from cron every hour (docs/operations.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from congan.tasks.reminders import reminders_send


class Command(BaseCommand):
    help = "Queue reminders for tasks due tomorrow or overdue and for urgent documents nobody has handled."

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(self.style.SUCCESS(" ".join(f"{name}={count}" for name, count in sent.items())))
