"""The demo dossiers (`congan demo`) and the dashboards that read the aggregates."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from congan.eservices import stats
from congan.eservices.dashboard import dashboard
from congan.eservices.models import Dossier, DossierStat
from congan.org.models import Officer, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_province():
    out = io.StringIO()
    call_command("demo", "--officers", "0", "--residents", "600", "--dossiers", "400", stdout=out)
    assert "eservices-dossiers: created dossiers 400" in out.getvalue()
    return Unit.objects.get(code="CA48")


def test_the_demo_builds_dossiers_with_a_realistic_mix_and_consistent_aggregates(demo_province):
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {"returned", "processing", "rejected_intake"} <= statuses
    assert Dossier.objects.filter(rating__isnull=False).exists()
    assert not Dossier.objects.exclude(unit__path__startswith=demo_province.path).exists()
    assert stats.stats_stored() == stats.stats_recount()
    desk = Officer.objects.get(username="tiepnhan").unit
    assert Dossier.objects.filter(unit=desk).count() >= 50  # the demo officers' inbox is not empty
    call_command("demo", "--officers", "0", "--residents", "600", "--dossiers", "400", stdout=io.StringIO())
    assert Dossier.objects.count() == 400  # a second run adds nothing


def test_the_dashboards_read_the_aggregates_and_show_the_766_groups(demo_province, client):
    public = dashboard(viewer=None, months=12)
    assert public.total.counts["received"] == Dossier.objects.count()
    assert len(public.indicators) == 6
    page = client.get("/dich-vu-cong/cong-khai/", headers={"accept-language": "vi"})
    assert page.status_code == 200 and "766/QĐ-TTg" in page.content.decode()
    bars = re.findall(r'<rect class="\w+" x="([^"]*)" y="([^"]*)" width="7" height="([^"]*)"', page.content.decode())
    assert bars and all("," not in value for bar in bars for value in bar)  # SVG numbers, not Vietnamese decimals
    officer = Officer.objects.get(username="xuly")
    client.force_login(officer)
    scoped = client.get("/dich-vu-cong/thong-ke/")
    assert scoped.status_code == 200
    mine = scoped.context["dash"].total.counts["received"]
    assert (
        mine
        == Dossier.objects.filter(unit__path__startswith=officer.unit.path).count()
        < public.total.counts["received"]
    )


def test_a_dashboard_costs_a_fixed_number_of_queries(demo_province, django_assert_max_num_queries):
    assert DossierStat.objects.count() > 10
    with django_assert_max_num_queries(6):
        dashboard(viewer=None, months=12)


def test_the_recount_command_checks_and_rebuilds_the_aggregates(demo_province):
    from django.core.management.base import CommandError

    call_command("eservices_recount", "--check", stdout=io.StringIO())
    DossierStat.objects.filter(pk=DossierStat.objects.first().pk).update(received=999_999)
    with pytest.raises(CommandError):
        call_command("eservices_recount", "--check", stdout=io.StringIO())
    call_command("eservices_recount", stdout=io.StringIO())
    call_command("eservices_recount", "--check", stdout=io.StringIO())
