"""The response-time page's aggregates follow every write: after intake, triage (a new kind and
department), dispatching two teams at once, each team step, closing, merging, locating and
transferring, the stored rows equal a recount from the reports and their first assignments; a
quick-intake report counts from the transaction that completes it, never before; the demo's bulk
history is counted. Percentiles read from the buckets stay within the stated resolution of the
exact ones. The same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import statistics
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from congan.incidents import aggregates, dispatch, histogram, intake, intervals, selectors, services
from congan.incidents.models import PatrolUnit, Report, ReportHeatCell, ReportIntervalStat, ReportStat
from congan.org import roles
from congan.org.tests.factories import OfficerFactory


def assert_counted() -> None:
    """The stored aggregates are what a recount from the reports gives."""
    assert aggregates.stored() == aggregates.recount()


@pytest.fixture
def dispatcher(province, commune):
    services.kinds_load(by="system")
    services.routing_rules_for_province(by="system", province=province)
    return OfficerFactory(unit=commune, roles=[roles.DISPATCHER])


def _submit(by, token: str, kind: str = "CHAY.NHA", point=("16.0601", "108.2201")) -> Report:
    return services.report_submit(
        kind_code=kind,
        description="Cháy nhà dân, khói lớn ở tầng hai",
        commune_code="20194",
        client_token=token,
        latitude=Decimal(point[0]) if point else None,
        longitude=Decimal(point[1]) if point else None,
        anonymous=True,
        by=by,
    ).report


def _team(call_sign: str, unit, member) -> PatrolUnit:
    team = PatrolUnit.objects.create(
        call_sign=call_sign, kind="fire", unit=unit, latitude=Decimal("16.065"), longitude=Decimal("108.22")
    )
    team.members.add(member)
    return team


@pytest.mark.django_db
def test_every_step_of_a_report_keeps_the_figures(dispatcher, commune, other_commune):
    fire = _submit(dispatcher, "a1")
    assert_counted()
    services.report_triage(by=dispatcher, report_id=fire.pk, priority="urgent", kind_code="ANTT.GAYROI")
    assert_counted()  # another family and department
    first, second = _team("PCCC-01", commune, dispatcher), _team("PCCC-02", commune, dispatcher)
    dispatch.dispatch(by=dispatcher, report_id=fire.pk, unit_ids=[first.pk, second.pk])  # one moment for both
    assert_counted()
    start = timezone.now()
    for team, step, minutes in [
        (second, "acknowledge", 1),
        (second, "en_route", 2),
        (first, "en_route", 3),
        (first, "on_scene", 9),
        (second, "on_scene", 11),
        (first, "clear", 40),
    ]:
        dispatch.unit_step(actor=dispatcher, unit_id=team.pk, step=step, at=start + dt.timedelta(minutes=minutes))
        assert_counted()
    services.report_set_status(by=dispatcher, report_id=fire.pk, status="resolved", note="Đã dập tắt đám cháy")
    assert_counted()
    services.report_set_status(by=dispatcher, report_id=fire.pk, status="closed", note="Lưu hồ sơ")
    assert_counted()

    unplaced = _submit(dispatcher, "a2", point=None)
    services.report_set_location(by=dispatcher, report_id=unplaced.pk, latitude="16.0702", longitude="108.2105")
    assert_counted()
    moved = _submit(dispatcher, "a3", point=("16.0801", "108.2301"))
    services.report_transfer(by=dispatcher, report_id=moved.pk, commune_code="20197", reason="Thuộc phường Liên Chiểu")
    assert_counted()
    twin = _submit(dispatcher, "a4")
    services.report_merge(by=dispatcher, report_id=twin.pk, into_id=unplaced.pk)
    assert_counted()

    assert ReportStat.objects.aggregate(n=Sum("reports"))["n"] == 4
    assert ReportHeatCell.objects.aggregate(n=Sum("reports"))["n"] == 4
    # The transferred report now counts for the commune that took it, and only there.
    since = timezone.now() - dt.timedelta(days=1)
    theirs = OfficerFactory(unit=other_commune, roles=[roles.DISPATCHER])
    assert [row["count"] for row in selectors.response_metrics(viewer=theirs, since=since)["tables"]["month"]] == [1]
    assert [cell[:2] for cell in selectors.heat_cells(viewer=theirs, since=since)] == [[16.0825, 108.2325]]
    assert (
        sum(row["count"] for row in selectors.response_metrics(viewer=dispatcher, since=since)["tables"]["kind"]) == 3
    )


@pytest.mark.django_db
def test_the_intervals_are_those_of_the_first_team_sent(dispatcher, commune):
    report = _submit(dispatcher, "b1")
    team = _team("PCCC-01", commune, dispatcher)
    dispatch.dispatch(by=dispatcher, report_id=report.pk, unit_ids=[team.pk])
    start = Report.objects.get(pk=report.pk).received_at
    dispatch.unit_step(actor=dispatcher, unit_id=team.pk, step="en_route", at=start + dt.timedelta(minutes=4))
    dispatch.unit_step(actor=dispatcher, unit_id=team.pk, step="on_scene", at=start + dt.timedelta(minutes=12))
    rows = {row.interval: row for row in ReportIntervalStat.objects.all()}
    assert set(rows) == {"processing", "turnout", "travel", "response"}
    travel = [getattr(rows["travel"], column) for column in histogram.COLUMNS]
    assert travel[histogram.bucket_of(8 * 60)] == 1 and sum(travel) == 1
    [row] = selectors.response_metrics(viewer=dispatcher, since=start)["tables"]["commune"]
    assert row["travel"]["p50"] == pytest.approx(8, rel=histogram.RELATIVE_RESOLUTION + 1e-9)
    assert row["total"] == {"p50": None, "p90": None}


@pytest.mark.django_db(transaction=True)
def test_a_quick_intake_report_counts_once_its_intake_is_completed(dispatcher, settings):
    settings.INCIDENTS_INTAKE_BACKGROUND = True  # the completer is run by hand below
    body = {"kind": "GT.TAINAN", "description": "Va chạm giữa hai xe máy ở ngã tư", "commune_code": "20194"}
    answer = Client().post(
        "/api/v1/reports", {**body, "anonymous": True, "client_token": "q1"}, content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    assert Report.objects.get().intake_pending
    assert not ReportStat.objects.exists()
    assert_counted()  # a pending report adds nothing yet, in the recount too
    assert intake.complete_pending() == 1
    assert ReportStat.objects.aggregate(n=Sum("reports"))["n"] == 1
    assert_counted()


@pytest.mark.django_db
def test_rebuild_counts_reports_written_past_the_services(dispatcher, commune):
    report = _submit(dispatcher, "c1")
    Report.objects.filter(pk=report.pk).update(closed_at=report.received_at + dt.timedelta(hours=2))
    assert aggregates.AGGREGATES.differences()
    call_command("stats", "rebuild", "incidents", stdout=io.StringIO())
    assert_counted()
    assert ReportIntervalStat.objects.get(interval="total").b00 == 0


@pytest.mark.django_db
def test_the_demo_leaves_its_bulk_history_counted():
    call_command("demo", "--officers", "0", "--residents", "0", "--reports", "60", stdout=io.StringIO())
    assert Report.objects.count() == 60
    assert_counted()
    assert ReportStat.objects.aggregate(n=Sum("reports"))["n"] == 60


# --- the buckets -------------------------------------------------------------------------------


def test_buckets_are_a_quarter_of_a_doubling_wide_from_15_seconds():
    assert [histogram.bucket_of(s) for s in (-3, 0, 14.99, 15, 17.83, 17.84, 30, 60, 120)] == [
        0,
        0,
        0,
        1,
        1,
        2,
        5,
        9,
        13,
    ]
    assert histogram.bucket_of(90 * 86400) == histogram.TOP - 1
    assert histogram.bucket_of(400 * 86400) == histogram.TOP == len(histogram.COLUMNS) - 1
    for index in range(1, histogram.TOP):
        assert histogram.bucket_of(histogram.lower_edge(index)) == index
        assert histogram.lower_edge(index + 1) / histogram.lower_edge(index) == pytest.approx(2**0.25)


def test_percentiles_of_nothing_are_unknown_and_of_one_value_its_bucket_centre():
    assert histogram.percentiles_minutes([0] * histogram.BUCKETS) == {"p50": None, "p90": None}
    counts = [0] * histogram.BUCKETS
    counts[histogram.bucket_of(600)] = 1
    p50 = histogram.percentiles_minutes(counts)["p50"]
    assert p50 == pytest.approx(10, rel=histogram.RELATIVE_RESOLUTION + 1e-9) and p50 != 10


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=15, max_value=80 * 86400), min_size=1, max_size=60))
def test_percentiles_from_buckets_are_within_the_stated_resolution_of_the_exact_ones(seconds):
    counts = [0] * histogram.BUCKETS
    for value in seconds:
        counts[histogram.bucket_of(value)] += 1
    exact = intervals.percentiles(sorted(value / 60 for value in seconds))
    estimated = histogram.percentiles_minutes(counts)
    for name in ("p50", "p90"):
        assert estimated[name] == pytest.approx(exact[name], rel=histogram.RELATIVE_RESOLUTION + 1e-9)
    assert statistics.median(seconds) / 60 == pytest.approx(exact["p50"])


@pytest.mark.django_db
def test_moving_a_kind_under_another_parent_in_the_admin_keeps_the_figures(dispatcher, admin_officer, rf):
    from django.contrib import admin

    from congan.incidents.models import ReportKind

    _submit(dispatcher, "k1")
    _submit(dispatcher, "k2", kind="ANTT.GAYROI")
    kind = ReportKind.objects.get(code="CHAY.NHA")
    new_parent = ReportKind.objects.get(code="ANTT.GAYROI").parent
    assert new_parent is not None and new_parent != kind.parent
    model_admin = admin.site._registry[ReportKind]
    request = rf.post("/admin/")
    request.user = admin_officer
    form_class = model_admin.get_form(request, kind, change=True)
    data = {field: getattr(kind, field) for field in form_class.base_fields if field != "parent"}
    data = {key: ("" if value is None else value) for key, value in data.items()}
    form = form_class({**data, "parent": new_parent.pk, "unit_kinds": "[]"}, instance=kind)
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    assert ReportKind.objects.get(pk=kind.pk).parent == new_parent
    assert_counted()


@pytest.mark.django_db
def test_reports_cannot_be_deleted_from_the_admin(province, rf):
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = OfficerFactory(unit=province, is_staff=True, is_superuser=True)  # every permission
    assert not admin.site._registry[Report].has_delete_permission(request)
