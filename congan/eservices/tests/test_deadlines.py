"""Working-day arithmetic: weekends, Tết, the Government's swapped days, the province's own days off."""

from __future__ import annotations

import datetime as dt

import pytest

from congan.eservices.deadlines import WorkCalendar
from congan.eservices.models import CalendarDay

D = dt.date


@pytest.fixture
def calendar():
    return WorkCalendar(exceptions={})


def test_weekends_are_skipped_and_the_day_received_does_not_count(calendar):
    friday = D(2026, 3, 6)
    assert calendar.add_working_days(friday, 1) == D(2026, 3, 9)  # Monday
    assert calendar.add_working_days(friday, 5) == D(2026, 3, 13)
    assert calendar.add_working_days(friday, 0) == friday


def test_tet_2026_is_skipped(calendar):
    # Tết Bính Ngọ: 16–20/02/2026 off, weekends on both sides.
    received = D(2026, 2, 12)  # Thursday
    assert calendar.add_working_days(received, 1) == D(2026, 2, 13)
    assert calendar.add_working_days(received, 2) == D(2026, 2, 23)
    assert calendar.add_working_days(received, 7) == D(2026, 3, 2)
    assert calendar.working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1


def test_a_saturday_worked_in_exchange_counts_and_its_bridge_day_does_not(calendar):
    # 2026: Monday 31/08 off for National Day, made up on Saturday 22/08.
    assert calendar.is_working_day(D(2026, 8, 22))
    assert not calendar.is_working_day(D(2026, 8, 31))
    assert calendar.add_working_days(D(2026, 8, 21), 1) == D(2026, 8, 22)
    assert calendar.add_working_days(D(2026, 8, 28), 1) == D(2026, 9, 3)  # 31/08, 01/09, 02/09 off


def test_pauses_and_extensions_move_the_deadline(calendar):
    received = D(2026, 3, 2)  # Monday
    assert calendar.due_date(received=received, days=7) == D(2026, 3, 11)
    pause = (D(2026, 3, 4), D(2026, 3, 9))  # Thu, Fri, Mon were spent waiting for the citizen
    assert calendar.due_date(received=received, days=7, pauses=[pause]) == D(2026, 3, 16)
    assert calendar.due_date(received=received, days=7, pauses=[pause], extension_days=2) == D(2026, 3, 18)


@pytest.mark.django_db
def test_the_provinces_own_days_off_and_extra_working_days_apply():
    CalendarDay.objects.create(date=D(2026, 3, 10), working=False, note="Nghỉ bù bầu cử (ví dụ)")
    CalendarDay.objects.create(date=D(2026, 3, 14), working=True, note="Làm bù thứ Bảy (ví dụ)")
    calendar = WorkCalendar()
    assert not calendar.is_working_day(D(2026, 3, 10))
    assert calendar.is_working_day(D(2026, 3, 14))
    assert calendar.add_working_days(D(2026, 3, 9), 1) == D(2026, 3, 11)


def test_negative_days_are_refused(calendar):
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2026, 1, 5), -1)
