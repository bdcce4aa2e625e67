"""The violation statistics' aggregates follow every write: after ingestion (new events, duplicate
frames, repeats) and after every review step, the stored rows equal a recount from the events; a
refused step changes nothing; the demo's bulk events are counted; a rebuild repairs drifted rows.
The same on SQLite and PostgreSQL (the upsert, the months and hours in local time)."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import F, Sum

from congan.core.errors import ValidationFailed
from congan.org import roles
from congan.org.tests.factories import OfficerFactory, UnitFactory
from congan.population.tests.factories import ResidentFactory
from congan.traffic import aggregates, review, services
from congan.traffic.ingest import events_ingest
from congan.traffic.models import ViolationEvent, ViolationHourStat, ViolationStat
from congan.traffic.stats import violation_stats
from congan.traffic.tests import factories

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def assert_counted() -> None:
    """The stored aggregates are what a recount from the events gives."""
    assert aggregates.stored() == aggregates.recount()


@pytest.fixture
def camera(commune):
    services.violation_types_load(by="system")
    return factories.camera(commune, code="CAM-001")


@pytest.fixture
def reviewer(commune):
    return OfficerFactory(unit=commune, roles=[roles.SPECIALIST])


@pytest.fixture
def chief(commune):
    return OfficerFactory(unit=commune, roles=[roles.LEADER])


def _item(key: str, plate: str, at: dt.datetime) -> dict:
    return {
        "camera": "CAM-001",
        "occurred_at": at.isoformat(),
        "plate": plate,
        "vehicle_kind": "car",
        "violation_type": "16824.6.9.b",
        "idempotency_key": key,
    }


def test_ingestion_counts_events_and_duplicate_frames_but_not_repeats(camera):
    # 00:30 on the 1st in Vietnam is still the last day of the month before in UTC.
    now = dt.datetime.now(HCM)
    at = now.replace(day=1, hour=0, minute=30, second=0, microsecond=0)
    if at > now - dt.timedelta(hours=3):  # the first hours of a month: take the month before
        at = (at - dt.timedelta(days=1)).replace(day=1)
    items = [
        _item("k1", "43A12345", at),
        _item("k2", "43A12345", at + dt.timedelta(seconds=5)),  # a second frame of the same violation
        _item("k3", "43A99999", at + dt.timedelta(hours=2)),
    ]
    assert [r.status for r in events_ingest(by="system", items=items)] == ["created", "duplicate", "created"]
    assert_counted()
    assert [r.status for r in events_ingest(by="system", items=items[:1])] == ["repeated"]
    assert_counted()
    assert ViolationStat.objects.aggregate(n=Sum("events"))["n"] == 3
    assert ViolationHourStat.objects.aggregate(n=Sum("violations"))["n"] == 2  # the duplicate frame is left out
    month = at.date().replace(day=1)
    assert set(ViolationStat.objects.values_list("month", flat=True)) == {month}


def test_every_review_step_moves_the_event_between_rows(camera, reviewer, chief, commune, other_commune):
    owner = ResidentFactory(current_commune=other_commune.area_code)
    paid, withdrawn, forwarded, dismissed = (
        factories.event(camera, plate=plate, ago=dt.timedelta(hours=hours))
        for plate, hours in (("43A11111", 2), ("43A22222", 3), ("43A33333", 4), ("43A44444", 5))
    )
    for event in (paid, withdrawn, forwarded):
        factories.vehicle(owner=owner, plate=event.plate)
        review.violation_verify(by=reviewer, event_id=event.pk)
        assert_counted()
        review.violation_issue_notice(by=chief, event_id=event.pk)
        assert_counted()
    steps = [
        lambda: review.violation_record_payment(by=chief, event_id=paid.pk, amount=18_000_000),
        lambda: review.violation_close(by=chief, event_id=paid.pk, outcome="penalised"),
        lambda: review.violation_contest(by=chief, event_id=withdrawn.pk, reason="Xe đã bán trước ngày vi phạm"),
        lambda: review.violation_close(by=chief, event_id=withdrawn.pk, outcome="withdrawn", reason="Khiếu nại đúng"),
        lambda: review.violation_forward(by=chief, event_id=forwarded.pk, unit_id=other_commune.pk),
        lambda: review.violation_dismiss(by=reviewer, event_id=dismissed.pk, reason="Ảnh mờ"),
    ]
    for step in steps:
        step()
        assert_counted()
    totals = violation_stats(viewer=chief).totals
    assert (totals.violations, totals.dismissed, totals.notices, totals.paid) == (4, 1, 2, 1)
    assert totals.fines_collected == 18_000_000
    # The forwarded violation now also counts for the commune that resolves it.
    elsewhere = OfficerFactory(unit=other_commune, roles=[roles.SPECIALIST])
    assert violation_stats(viewer=elsewhere).totals.violations == 1


def test_a_violation_counts_once_for_every_viewer_who_sees_its_camera_or_its_resolving_unit(province, commune):
    elsewhere = UnitFactory(kind="province", code="CA49", name="Công an tỉnh Quảng Nam", area_code="49")
    far_commune = UnitFactory(
        parent=elsewhere, kind="ward", code="CAP20300", name="Công an phường Xa", area_code="20300"
    )
    services.violation_types_load(by="system")
    near, far = factories.camera(commune, code="CAM-NEAR"), factories.camera(far_commune, code="CAM-FAR")
    factories.event(near, status="notice_issued", resolving_unit=commune)
    factories.event(far, plate="92A11111", status="forwarded", resolving_unit=commune)  # the owner lives here
    factories.event(far, plate="92A22222", status="paid", resolving_unit=far_commune, fine_amount=18_000_000)
    assert_counted()
    seen = {
        "the commune": (commune, 2),
        "its province": (province, 2),
        "the far commune": (far_commune, 2),
        "the far province": (elsewhere, 2),
    }
    for _who, (unit, violations) in seen.items():
        viewer = OfficerFactory(unit=unit, roles=[roles.SPECIALIST])
        figures = violation_stats(viewer=viewer)
        assert figures.totals.violations == violations, _who
        assert sum(row.count for row in figures.by_hour) == violations, _who
        assert sum(row.count for row in figures.by_status) == violations, _who


def test_a_refused_step_changes_no_figure(camera, reviewer, chief):
    factories.vehicle(owner=ResidentFactory())
    event = factories.event(camera)
    review.violation_verify(by=reviewer, event_id=event.pk)
    review.violation_issue_notice(by=chief, event_id=event.pk)
    before = aggregates.stored()
    with pytest.raises(ValidationFailed):
        review.violation_record_payment(by=chief, event_id=event.pk, amount=1)  # below the decree's minimum
    assert aggregates.stored() == before
    assert_counted()


def test_rebuild_repairs_rows_that_drifted_from_the_events(camera):
    factories.event(camera, status="paid", fine_amount=18_000_000)
    factories.event(camera, plate="43A54321")
    ViolationStat.objects.update(events=F("events") + 5)
    ViolationHourStat.objects.all().delete()
    assert aggregates.AGGREGATES.differences()
    output = io.StringIO()
    call_command("stats", "rebuild", "traffic", stdout=output)
    assert "traffic: rebuilt 3 aggregate rows" in output.getvalue()  # two stat rows, one hour row
    assert_counted()


def test_the_demo_leaves_its_bulk_events_counted():
    call_command(
        "demo", "--officers", "0", "--residents", "0", "--reports", "0", "--violations", "300", stdout=io.StringIO()
    )
    assert ViolationEvent.objects.count() == 300
    assert_counted()
    assert ViolationStat.objects.aggregate(n=Sum("events"))["n"] == 300
