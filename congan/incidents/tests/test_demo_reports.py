import io

import pytest
from django.core.management import call_command

from congan.incidents.models import Report, ReportKind, RoutingRule

pytestmark = pytest.mark.django_db


def test_the_demo_loads_kinds_routing_and_reports_once():
    call_command("demo", "--officers", "0", "--residents", "0", "--reports", "40", stdout=io.StringIO())
    assert ReportKind.objects.filter(code="CHAY.NHA", parent__code="CHAY").exists()
    assert RoutingRule.objects.get(kind__code="CHAY").department.code == "CA48-PC07"
    assert Report.objects.count() == 40
    assert Report.objects.filter(kind__code="CHAY.NHA", department__code="CA48-PC07", priority="urgent").exists()
    call_command("demo", "--officers", "0", "--residents", "0", "--reports", "40", stdout=io.StringIO())
    assert Report.objects.count() == 40
