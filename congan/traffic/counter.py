"""The count of public lookups per day, kept in memory and written at most once per
``TRAFFIC_LOOKUP_COUNT_SECONDS`` per process, and when the process ends.

The public lookup is the module's hot path: a row update per lookup cost a commit per request,
and queued concurrent lookups on the day's rows. What a crash can lose is the last interval's
count of that process; nothing about who looked or which plate is ever counted.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
from collections import Counter

from django.conf import settings
from django.db.models import F, Sum
from django.utils import timezone

from congan.core.shutdown import at_process_exit
from congan.traffic.models import LookupCount

logger = logging.getLogger(__name__)

LOOKUP_SHARDS = 8
_counted: Counter[dt.date | None] = Counter()  # None: today
_lock = threading.Lock()
_written_at: float | None = None  # monotonic time of the last write; None: never
_exit_registered = False


def lookup_count(*, day: dt.date | None = None) -> None:
    """One more public lookup (today unless ``day``: the day of the write, so a lookup in the last
    interval before midnight may count for the next day)."""
    global _written_at, _exit_registered
    now = time.monotonic()
    with _lock:
        _counted[day] += 1
        due = _written_at is None or now - _written_at >= settings.TRAFFIC_LOOKUP_COUNT_SECONDS
        if due:
            _written_at = now  # the other threads wait for the next interval
        if not _exit_registered:
            _exit_registered = True
            at_process_exit(_write_logged)
    if due:
        _write_logged()


def lookup_counts_write() -> None:
    """Write what this process has counted; on failure the counts are kept for the next write."""
    global _written_at
    with _lock:
        counted = dict(_counted)
        _counted.clear()
        _written_at = time.monotonic()
    try:
        for day, lookups in counted.items():
            _add(day or timezone.localdate(), lookups)
    except Exception:
        with _lock:
            _counted.update(counted)
        raise


def lookups_on(day: dt.date) -> int:
    """Lookups on ``day``, with this process's unwritten count written first."""
    lookup_counts_write()
    return LookupCount.objects.filter(day=day).aggregate(total=Sum("lookups"))["total"] or 0


def _write_logged() -> None:
    # A lookup must not fail because its count could not be written now: it is written next time.
    try:
        lookup_counts_write()
    except Exception:
        logger.exception("public lookup counts not written; kept for the next try")


def _add(day: dt.date, lookups: int) -> None:
    # Spread over a few rows of the day so that processes writing at once do not queue on one lock.
    shard = random.randrange(LOOKUP_SHARDS)  # noqa: S311 - spreading lock contention, not security
    if LookupCount.objects.filter(day=day, shard=shard).update(lookups=F("lookups") + lookups):
        return
    LookupCount.objects.bulk_create([LookupCount(day=day, shard=shard, lookups=0)], ignore_conflicts=True)
    LookupCount.objects.filter(day=day, shard=shard).update(lookups=F("lookups") + lookups)
