"""The quick intake path (incidents.intake): a public report outside a transaction is committed
alone and answered; its receive entry and audit record are written after, in a batch, by a
completer (another process in production). Transactional tests: the path is taken outside
transactions."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from congan.core.audit.chain import verify
from congan.core.models import AuditEvent
from congan.core.testing.fastlane import FastLaneClient
from congan.incidents import intake, services
from congan.incidents.models import Report, ReportEvent
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db(transaction=True)

BODY = {
    "kind": "GT.TAINAN",
    "description": "Va chạm giữa hai xe máy ở ngã tư",
    "commune_code": "20194",
    "anonymous": True,
}


@pytest.fixture
def kinds(province, commune):
    services.kinds_load(by="system")
    services.routing_rules_for_province(by="system", province=province)


@pytest.fixture
def deferred(settings):
    """Completion left to the completer, run by hand here."""
    settings.INCIDENTS_INTAKE_BACKGROUND = True


def _submit(token: str, **headers):
    return Client(**headers).post("/api/v1/reports", {**BODY, "client_token": token}, content_type="application/json")


def _receipts(report: Report):
    return AuditEvent.objects.filter(action="incidents.report.receive", target_id=str(report.pk))


def test_a_report_is_committed_alone_and_completed_in_a_batch(kinds, deferred):
    answer = _submit("quick-1", REMOTE_ADDR="203.0.113.9", HTTP_X_REQUEST_ID="req-quick-1")
    assert answer.status_code == 201, answer.content
    shown = answer.json()
    report = Report.objects.get(tracking_code=shown["tracking_code"])
    assert report.intake_pending and not report.events.exists() and not _receipts(report).exists()
    assert (report.intake_ip, report.intake_request_id) == ("203.0.113.9", "req-quick-1")
    assert [event["note"] for event in shown["events"]] == ["Đã tiếp nhận tin báo."]
    tracked = Client().get(f"/api/v1/reports/{report.tracking_code}").json()
    assert tracked["events"] == shown["events"]  # the entry being written is shown already
    page = Client().get("/tin-bao/theo-doi/", {"code": report.tracking_code})
    assert page.status_code == 200 and "Đã tiếp nhận tin báo." in page.content.decode()

    assert intake.pending_count() == 1
    call_command("incidents_intake")  # what the completer process does each round
    assert intake.pending_count() == 0
    report.refresh_from_db()
    assert (report.intake_pending, report.intake_ip, report.intake_request_id) == (False, None, "")
    event = report.events.get()
    assert (event.action, event.at, event.note, event.actor_label) == (
        "receive",
        report.received_at,
        "Đã tiếp nhận tin báo.",
        "Người báo tin",
    )
    receipt = _receipts(report).get()
    assert (receipt.ip, receipt.request_id, receipt.occurred_at) == ("203.0.113.9", "req-quick-1", report.received_at)
    assert receipt.details == {"status": "received", "kind": "GT.TAINAN", "priority": report.priority}
    assert receipt.unit_id == report.unit_id and receipt.actor_type == "anonymous"
    assert Client().get(f"/api/v1/reports/{report.tracking_code}").json()["events"] == shown["events"]
    assert verify()[1] is None


def test_many_reports_are_completed_in_batches_in_order(kinds, deferred, monkeypatch):
    monkeypatch.setattr(intake, "BATCH", 7)
    for n in range(30):
        assert _submit(f"quick-many-{n}").status_code == 201
    assert intake.complete_pending() == 30
    assert ReportEvent.objects.filter(action="receive").count() == 30
    receipts = list(AuditEvent.objects.filter(action="incidents.report.receive").order_by("seq"))
    assert [int(event.target_id) for event in receipts] == sorted(int(event.target_id) for event in receipts)
    assert intake.pending_count() == 0 and verify()[1] is None
    assert intake.complete_pending() == 0  # nothing is completed twice


def test_a_batch_being_completed_does_not_hold_up_new_reports_of_its_kind(kinds, deferred, monkeypatch):
    """The batch locks its reports, not the kinds they join: a new report's foreign-key check on
    its kind must not wait for the batch's transaction (it did, which stalled intake)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    assert _submit("quick-held-1").status_code == 201
    answers = []

    def submit_meanwhile() -> None:
        with connection.cursor() as cursor:  # this thread's own connection
            cursor.execute("SET lock_timeout = '3s'")
        answers.append(_submit("quick-held-2").status_code)
        connection.close()

    write_entries = ReportEvent.objects.bulk_create

    def entries_after_a_new_report(events, *args, **kwargs):
        submitter = threading.Thread(target=submit_meanwhile)
        submitter.start()  # while the batch's locks are held
        submitter.join(10)
        return write_entries(events, *args, **kwargs)

    monkeypatch.setattr(ReportEvent.objects, "bulk_create", entries_after_a_new_report)
    assert intake.complete_pending() == 1
    assert answers == [201] and intake.pending_count() == 1


@pytest.mark.parametrize("quick", [True, False], ids=["quick path", "synchronous path"])
def test_the_receipt_is_kept_in_the_site_language_whatever_the_reporter_reads(kinds, settings, quick):
    settings.INCIDENTS_QUICK_INTAKE = quick
    answer = _submit(f"in-english-{quick}", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 201 and answer["Content-Language"] == "en"
    report = Report.objects.get(tracking_code=answer.json()["tracking_code"])
    assert report.intake_pending is False  # completed in the request (no completer in tests)
    event = report.events.get()
    assert (event.note, event.actor_label) == ("Đã tiếp nhận tin báo.", "Người báo tin")
    assert [(shown["note"], shown["actor_label"]) for shown in answer.json()["events"]] == [
        ("Đã tiếp nhận tin báo.", "Người báo tin")
    ]
    assert _receipts(report).get().actor_label == "Người báo tin"


@pytest.mark.parametrize("transport", [Client, FastLaneClient], ids=["django", "fast lane"])
def test_a_resent_report_is_answered_once_on_the_quick_path_and_only_to_its_sender(kinds, deferred, transport):
    sender, stranger = transport(), transport()
    body = {**BODY, "client_token": "quick-again"}
    first = sender.post("/api/v1/reports", body, content_type="application/json")
    again = sender.post("/api/v1/reports", body, content_type="application/json")
    replayed = stranger.post("/api/v1/reports", body, content_type="application/json")
    assert (first.status_code, again.status_code, replayed.status_code) == (201, 200, 201)
    assert first.json()["tracking_code"] == again.json()["tracking_code"] != replayed.json()["tracking_code"]
    assert Report.objects.count() == 2 and Report.objects.filter(intake_pending=True).count() == 2


def test_the_follower_completes_reports_until_stopped(kinds, deferred):
    stop = threading.Event()
    worker = threading.Thread(target=intake.follow, kwargs={"interval": 0.02, "until": stop.is_set})
    worker.start()
    try:
        report = Report.objects.get(tracking_code=_submit("quick-follow").json()["tracking_code"])
        for _attempt in range(500):  # waits for the follower, up to 10 s; asserts no duration
            report.refresh_from_db()
            if not report.intake_pending:
                break
            stop.wait(0.02)
    finally:
        stop.set()
        worker.join(10)
    assert not report.intake_pending and report.events.count() == 1 and _receipts(report).count() == 1


def test_officers_and_a_switched_off_quick_path_write_everything_at_once(kinds, deferred, settings, commune):
    values = {
        "kind_code": "GT.TAINAN",
        "description": "Va chạm giữa hai xe máy ở ngã tư",
        "commune_code": "20194",
        "anonymous": True,
    }
    public = services.report_submit(**values, client_token="public-1").report
    assert public.intake_pending and not public.events.exists()
    officer = OfficerFactory(unit=commune, roles=[roles.DISPATCHER])
    hotline = services.report_submit(**values, client_token="hotline-1", by=officer).report
    assert not hotline.intake_pending and hotline.events.get().action == "receive" and _receipts(hotline).exists()
    settings.INCIDENTS_QUICK_INTAKE = False
    switched_off = services.report_submit(**values, client_token="sync-1").report
    assert not switched_off.intake_pending and _receipts(switched_off).exists()


def test_without_a_completer_the_request_completes_its_report(kinds, settings):
    settings.INCIDENTS_INTAKE_BACKGROUND = False
    report = Report.objects.get(tracking_code=_submit("quick-inline").json()["tracking_code"])
    assert not report.intake_pending and report.events.count() == 1 and _receipts(report).count() == 1
