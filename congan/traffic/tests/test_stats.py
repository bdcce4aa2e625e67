"""Violation statistics: totals and paid rate, figures by type, camera, commune, local hour and month,
top locations and status, unit scoping, the months and camera filters, and the officers' page."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.traffic.stats import violation_stats
from congan.traffic.tests import factories

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2025, 6, 15, 12, 0, tzinfo=HCM)
RED_LIGHT_CAR, RED_LIGHT_BIKE, WRONG_WAY = "16824.6.9.b", "16824.7.7.c", "16824.6.9.d"


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=HCM)


@pytest.fixture
def cameras(commune, other_commune):
    return {
        "a": factories.camera(commune, code="CAM-A", commune_code="20194", road="Điện Biên Phủ", name="Nút giao A"),
        "b": factories.camera(
            commune, code="CAM-B", commune_code="20197", road="Nguyễn Tất Thành", name="Cầu Thuận Phước"
        ),
        "x": factories.camera(other_commune, code="CAM-X", commune_code="20197", road="Tôn Đức Thắng", name="Ngã ba X"),
    }


@pytest.fixture
def events(cameras):
    """Six violations of the officer's unit from April to June 2025, a duplicate frame, one older
    violation outside six months, and one violation of the other commune."""
    a, b, x = cameras["a"], cameras["b"], cameras["x"]
    dismissed = factories.event(b, code=WRONG_WAY, occurred_at=at(2025, 4, 2, 17, 10), status="dismissed")
    factories.event(a, occurred_at=at(2025, 6, 10, 1, 30), status="paid", fine_amount=18_000_000)
    # 00:30 on 1 June in Vietnam is still 31 May in UTC: it belongs to June, hour 0.
    factories.event(a, occurred_at=at(2025, 6, 1, 0, 30), status="closed", outcome="penalised", fine_amount=18_000_000)
    factories.event(a, code=RED_LIGHT_BIKE, occurred_at=at(2025, 5, 20, 8, 0), status="notice_issued")
    factories.event(b, code=RED_LIGHT_BIKE, occurred_at=at(2025, 5, 20, 8, 45), status="closed", outcome="withdrawn")
    factories.event(a, occurred_at=at(2025, 6, 14, 23, 59), status="contested")
    factories.event(b, occurred_at=at(2025, 4, 2, 17, 11), status="duplicate", duplicate_of=dismissed)
    factories.event(a, occurred_at=at(2024, 11, 30, 10, 0), status="detected")
    factories.event(x, occurred_at=at(2025, 6, 10, 9, 0), status="paid", fine_amount=20_000_000)


def counts(rows) -> dict[str, int]:
    return {row.key: row.count for row in rows if row.count}


def test_totals_count_violations_without_duplicates_and_the_paid_rate_over_standing_notices(officer, events):
    totals = violation_stats(viewer=officer, now=NOW).totals
    assert (totals.violations, totals.dismissed, totals.notices, totals.paid) == (6, 1, 4, 2)
    assert totals.paid_rate == 50.0
    assert totals.fines_collected == 36_000_000


def test_violations_are_counted_by_type_with_their_share(officer, events):
    rows = violation_stats(viewer=officer, now=NOW).by_type
    assert [(row.key, row.count, row.share) for row in rows] == [
        (RED_LIGHT_CAR, 3, 50.0),
        (RED_LIGHT_BIKE, 2, 33.3),
        (WRONG_WAY, 1, 16.7),
    ]
    assert rows[0].label == "Không chấp hành hiệu lệnh của đèn tín hiệu giao thông"


def test_violations_are_counted_by_camera_commune_and_location(officer, events):
    figures = violation_stats(viewer=officer, now=NOW)
    assert [(row.key, row.label, row.count) for row in figures.by_camera] == [
        ("CAM-A", "Nút giao A", 4),
        ("CAM-B", "Cầu Thuận Phước", 2),
    ]
    assert [(row.key, row.label, row.count) for row in figures.by_commune] == [
        ("20194", "Công an phường Hải Vân", 4),
        ("20197", "Công an phường Liên Chiểu", 2),
    ]
    assert [(row.key, row.label, row.count) for row in figures.top_locations] == [
        ("Điện Biên Phủ", "Nút giao A", 4),
        ("Nguyễn Tất Thành", "Cầu Thuận Phước", 2),
    ]


def test_hours_of_day_are_in_vietnam_time(officer, events):
    rows = violation_stats(viewer=officer, now=NOW).by_hour
    assert len(rows) == 24
    # In UTC these would be hours 17, 18, 1, 1, 10 and 16.
    assert counts(rows) == {"00": 1, "01": 1, "08": 2, "17": 1, "23": 1}


def test_months_are_calendar_months_in_vietnam_time(officer, events):
    rows = violation_stats(viewer=officer, now=NOW).by_month
    assert [(row.label, row.count) for row in rows] == [
        ("01/2025", 0),
        ("02/2025", 0),
        ("03/2025", 0),
        ("04/2025", 1),
        ("05/2025", 2),
        ("06/2025", 3),
    ]


def test_statuses_include_duplicates_in_workflow_order(officer, events):
    rows = violation_stats(viewer=officer, now=NOW).by_status
    assert [(row.key, row.count) for row in rows] == [
        ("duplicate", 1),
        ("dismissed", 1),
        ("notice_issued", 1),
        ("paid", 1),
        ("contested", 1),
        ("closed", 2),
    ]
    assert rows[-1].share == 28.6


def test_months_parameter_chooses_the_range(officer, events):
    june = violation_stats(viewer=officer, months=1, now=NOW)
    assert (june.start, june.end, june.totals.violations) == (dt.date(2025, 6, 1), dt.date(2025, 6, 1), 3)
    year = violation_stats(viewer=officer, months=12, now=NOW)
    assert year.start == dt.date(2024, 7, 1) and year.totals.violations == 7
    assert violation_stats(viewer=officer, months=99, now=NOW).months == 12


def test_camera_filter_keeps_one_camera(officer, events):
    figures = violation_stats(viewer=officer, camera="CAM-B", now=NOW)
    assert (figures.totals.violations, figures.totals.dismissed, figures.totals.notices) == (2, 1, 0)
    assert figures.totals.paid_rate is None


def test_officer_of_another_commune_sees_only_its_own_violations(other_commune_officer, events):
    figures = violation_stats(viewer=other_commune_officer, now=NOW)
    assert (figures.totals.violations, figures.totals.paid, figures.totals.fines_collected) == (1, 1, 20_000_000)
    assert counts(figures.by_camera) == {"CAM-X": 1}


def test_violations_sent_to_the_unit_to_resolve_are_counted(officer, commune, cameras):
    factories.event(cameras["x"], occurred_at=at(2025, 6, 3, 14, 0), status="forwarded", resolving_unit=commune)
    figures = violation_stats(viewer=officer, now=NOW)
    assert (figures.totals.violations, figures.totals.notices) == (1, 1)
    assert counts(figures.by_camera) == {"CAM-X": 1}


def test_figures_take_the_same_number_of_queries_however_many_events(officer, cameras):
    factories.event(cameras["a"], occurred_at=at(2025, 6, 3, 14, 0))
    violation_stats(viewer=officer, now=NOW)  # the officer's permissions are loaded once, then cached
    with CaptureQueriesContext(connection) as few:
        violation_stats(viewer=officer, now=NOW)
    for minute in range(30):
        factories.event(cameras["b"], occurred_at=at(2025, 5, 3, 14, minute), status="paid", fine_amount=18_000_000)
    with CaptureQueriesContext(connection) as many:
        figures = violation_stats(viewer=officer, now=NOW)
    assert figures.totals.violations == 31
    assert len(many) == len(few) == 9


def test_charts_scale_bars_to_the_busiest_hour(officer, events):
    chart = violation_stats(viewer=officer, now=NOW).hour_chart
    assert chart.top == 2 and chart.width == 240 and len(chart.bars) == 24
    assert (chart.bars[8].height, chart.bars[8].y, chart.bars[0].height, chart.bars[2].height) == (90.0, 10.0, 45.0, 0)


@pytest.fixture
def page_events(cameras):
    a = cameras["a"]
    factories.event(a, ago=dt.timedelta(minutes=5), status="paid", fine_amount=18_000_000)
    factories.event(a, ago=dt.timedelta(minutes=6), status="notice_issued")
    factories.event(a, code=WRONG_WAY, ago=dt.timedelta(minutes=7), status="dismissed")
    factories.event(cameras["x"], ago=dt.timedelta(minutes=8), status="paid", fine_amount=20_000_000)


def test_the_page_shows_the_figures_and_charts(officer_client, page_events):
    page = officer_client.get("/giao-thong/thong-ke/")
    text = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'data-testid="total-violations">3<', text)
    assert re.search(r'data-testid="total-notices">2<', text)
    assert re.search(r'data-testid="paid-rate">50[.,]0%<', text)
    assert re.search(r'data-testid="fines-collected">18\.000\.000 đ<', text)
    assert 'data-testid="month-chart"' in text and 'data-testid="hour-chart"' in text
    assert "CAM-A" in text and "CAM-X" not in text and WRONG_WAY in text
    assert 'data-testid="paid-rate-definition"' in text
    assert not re.search(r'(height|x|y)="\d+,\d', text), "SVG numbers must not be localised"
    assert " style=" not in text.split('data-testid="stats-filters"')[1]


def test_the_page_filters_by_months_and_camera(officer_client, page_events, cameras):
    factories.camera(cameras["a"].unit, code="CAM-C", name="Nút giao C")
    page = officer_client.get("/giao-thong/thong-ke/", {"months": "1", "camera": "CAM-C"})
    assert page.status_code == 200
    assert re.search(r'data-testid="total-violations">0<', page.content.decode())
    assert officer_client.get("/giao-thong/thong-ke/", {"months": "x"}).status_code == 200


def test_an_officer_without_the_permission_is_refused(client, commune):
    client.force_login(OfficerFactory(unit=commune, roles=[roles.CLERK]))
    assert client.get("/giao-thong/thong-ke/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/giao-thong/thong-ke/")
    assert response.status_code == 302 and "/thong-ke/" in response["Location"]
