"""`congan traffic_clocks`: the daily run of the Circular 73/2024 Art. 24 clock — vehicles whose
violation notice has gone unanswered for 20 days are flagged to the registration agency. Safe to
repeat: a violation is flagged once. Run it from cron once a day (docs/operations.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from congan.traffic.review import registration_warnings_raise


class Command(BaseCommand):
    help = "Flag to vehicle registration the vehicles whose violation notice is unanswered after 20 days."

    def handle(self, *args, **options):
        flagged = registration_warnings_raise()
        self.stdout.write(self.style.SUCCESS(f"{flagged} violations flagged to vehicle registration"))
