import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from congan.incidents.models import Assignment, Report, ReportKind, RoutingRule
from congan.incidents.selectors import response_metrics
from congan.org.models import Officer

pytestmark = pytest.mark.django_db


def test_the_demo_loads_kinds_routing_and_reports_once():
    call_command("demo", "--officers", "0", "--residents", "0", "--reports", "40", stdout=io.StringIO())
    assert ReportKind.objects.filter(code="CHAY.NHA", parent__code="CHAY").exists()
    assert RoutingRule.objects.get(kind__code="CHAY").department.code == "CA48-PC07"
    assert Report.objects.count() == 40
    assert Report.objects.filter(kind__code="CHAY.NHA", department__code="CA48-PC07", priority="urgent").exists()
    call_command("demo", "--officers", "0", "--residents", "0", "--reports", "40", stdout=io.StringIO())
    assert Report.objects.count() == 40


def test_the_demo_history_has_full_timelines_that_feed_the_metrics():
    call_command("demo", "--residents", "0", "--reports", "240", stdout=io.StringIO())
    assert Report.objects.count() == 240
    handled = Report.objects.filter(client_token__startswith="demo-history-")
    assert handled.count() == 200 and not handled.exclude(status__in=["resolved", "closed"]).exists()
    sent = Assignment.objects.filter(report__in=handled)
    assert sent.count() > 100 and not sent.filter(cleared_at__isnull=True).exists()
    for assignment in sent.select_related("report")[:50]:
        report = assignment.report
        assert report.received_at < report.dispatched_at == assignment.dispatched_at
        assert assignment.dispatched_at <= assignment.acknowledged_at <= assignment.en_route_at
        assert assignment.en_route_at <= assignment.on_scene_at == report.on_scene_at <= assignment.cleared_at
        assert report.closed_at > assignment.cleared_at
        assert [e.action for e in report.events.order_by("at", "pk")][:3] == ["receive", "triage", "dispatch"]
    leader = Officer.objects.get(username="lanhdao")
    metrics = response_metrics(viewer=leader, since=timezone.now() - dt.timedelta(days=200))
    assert sum(row["count"] for row in metrics["tables"]["month"]) == 240
    assert all(row["response"]["p50"] is not None for row in metrics["tables"]["kind"] if row["key"] == "Giao thông")


def test_the_demo_dispatcher_has_open_reports_of_their_own_commune_one_without_a_map_point():
    call_command("demo", "--officers", "0", "--residents", "0", "--reports", "40", stdout=io.StringIO())
    dispatcher = Officer.objects.get(username="dieuphoi")
    mine = Report.objects.filter(unit=dispatcher.unit, status="received")
    assert mine.count() >= 8
    assert list(mine.filter(latitude__isnull=True).values_list("address", flat=True)) == ["Kiệt 74 Trần Phú"]
