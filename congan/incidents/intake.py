"""The quick path of report intake: commit the report with one INSERT, complete its record after.

A public report (no officer, no files) accepted outside a transaction is committed on its own,
flagged ``intake_pending`` with the request's address and id, and answered at once. Its
timeline's "received" entry and the audit record of the receipt are written right after, for
many reports in one transaction, by ``congan incidents_intake --follow``, a process that
``congan serve`` starts beside the web server (so the batches never compete with requests for a
worker's interpreter lock). Nothing accepted is lost: the report is committed before the answer,
and its flag stays set until the entry and the audit record are written, in the transaction that
clears it; a completer that stops leaves the rest to the next one. The statistics' aggregates
(congan.incidents.aggregates) count a report from that same transaction on, never before.

Why: on the synchronous path a report held the audit chain's head lock for a transaction of six
statements; here a batch takes it once. See docs/decisions/0013-quick-intake.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from congan.core import context
from congan.core.audit import Actor, audit_append, audit_later
from congan.core.backoff import backoff
from congan.core.models import AuditEvent
from congan.core.tallies import tally_apply
from congan.incidents import aggregates
from congan.incidents.models import Report, ReportEvent

logger = logging.getLogger(__name__)

BATCH = 500


def quick_path_open(*, by: object, media: object) -> bool:
    """The quick path takes public reports without files, outside any transaction (a caller's
    transaction must keep its writes together: it gets the synchronous path)."""
    return settings.INCIDENTS_QUICK_INTAKE and by is None and not media and not connection.in_atomic_block


def reporter_label() -> str:
    return _("Người báo tin")


def received_note() -> str:
    return _("Đã tiếp nhận tin báo.")


def receipt_texts() -> tuple[str, str]:
    """The receipt's note and the reporter's label as the timeline and the audit trail keep them:
    in the site's language (LANGUAGE_CODE), whichever language the report came in, on both paths."""
    return _receipt_texts(settings.LANGUAGE_CODE)


def receive_event(report_id: int, received_at: dt.datetime) -> ReportEvent:
    """The timeline entry of the receipt, as the completion writes it (not saved here)."""
    note, label = receipt_texts()
    return ReportEvent(
        report_id=report_id,
        at=received_at,
        action="receive",
        status_to=Report.Status.RECEIVED,
        note=note,
        public=True,
        actor_label=label,
    )


@functools.cache
def _receipt_texts(language: str) -> tuple[str, str]:
    """The receipt's note and the reporter's label in ``language`` (switching languages for every
    report took about a twentieth of the quick path)."""
    with translation.override(language):
        return received_note(), reporter_label()


def mark_pending(report: Report) -> None:
    """Flag a report about to be committed by the quick path, with what its audit record needs."""
    ctx = context.current()
    report.intake_pending = True
    report.intake_ip = ctx.ip
    report.intake_request_id = (ctx.request_id or "")[:64]


def accepted() -> None:
    """A report was committed by the quick path. Without a completer process (tests, a server
    started another way: INCIDENTS_INTAKE_BACKGROUND off) its record is completed now."""
    if not settings.INCIDENTS_INTAKE_BACKGROUND:
        complete_pending()


def pending_count() -> int:
    return Report.objects.filter(intake_pending=True).count()


def complete_pending() -> int:
    """Complete every report waiting, in batches; returns how many. Safe beside other completers:
    each takes the rows it can lock and skips those another one holds."""
    done = 0
    while True:
        written = _complete_batch()
        done += written
        if written < BATCH:
            return done


def _complete_batch() -> int:
    """One transaction: the entries, the audit records (one chain lock for all), the flags."""
    if not Report.objects.filter(intake_pending=True).exists():
        return 0  # a plain read first: on SQLite a transaction would take the database's write lock
    with transaction.atomic():
        reports = list(
            # OF self: without it the joined kind rows are locked FOR UPDATE too, and every new
            # report's foreign-key check on its kind waits for this transaction.
            Report.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(intake_pending=True)
            .order_by("pk")
            .values_list("pk", "received_at", "unit_id", "priority", "kind__code", "intake_ip", "intake_request_id")[
                :BATCH
            ]
        )
        if not reports:
            return 0
        ReportEvent.objects.bulk_create([receive_event(row[0], row[1]) for row in reports])
        reporter = Actor(AuditEvent.ActorType.ANONYMOUS, label=receipt_texts()[1])
        target_type = Report._meta.label_lower
        audit_append(
            [
                audit_later(
                    actor=reporter,
                    action="incidents.report.receive",
                    target_type=target_type,
                    target_id=str(pk),
                    unit=unit_id,
                    occurred_at=received_at,
                    ip=ip,
                    request_id=request_id,
                    details={"status": Report.Status.RECEIVED, "kind": kind, "priority": priority},
                )
                for pk, received_at, unit_id, priority, kind, ip, request_id in reports
            ]
        )
        ids = [row[0] for row in reports]
        # Counted in the statistics now, whole, in the transaction that completes them; the flags
        # are written last, so the reports' rows stay written-to for the shortest time.
        tally_apply(aggregates.reports_tally(ids, completing=True))
        Report.objects.filter(pk__in=ids).update(intake_pending=False, intake_ip=None, intake_request_id="")
    return len(reports)


def follow(*, interval: float | None = None, until: Callable[[], bool] = lambda: False) -> None:
    """Complete pending reports every ``interval`` seconds (INCIDENTS_INTAKE_FLUSH_SECONDS) until
    ``until()``; a failing database is retried with back-off, never given up on."""
    base = settings.INCIDENTS_INTAKE_FLUSH_SECONDS if interval is None else interval
    delay = base
    try:
        while not until():
            try:
                close_old_connections()
                complete_pending()
                delay = base
            except Exception:
                logger.exception("report intake: completing accepted reports failed; retrying")
                delay = backoff(delay)
            time.sleep(delay)
    finally:
        connection.close()  # this loop's own connection
