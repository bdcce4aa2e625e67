"""Deadlines in working days (ngày làm việc) under the Vietnamese calendar.

Working days are Monday to Friday, except public holidays and Tết (from the ``holidays``
package, which also knows the Government's swapped days, such as a Saturday worked in exchange
for a bridge day), adjusted by the province's own CalendarDay entries.

Counting rule: the day a dossier is received does not count; the deadline is the N-th working
day after it. Working days spent waiting for the citizen (a pause) move the deadline by as many
working days; an extension adds its days.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

import holidays

from congan.eservices.models import CalendarDay

MAX_SPAN_DAYS = 3660  # no deadline is ten years away; stops a runaway loop on bad input


@functools.lru_cache(maxsize=64)
def _national(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=[year])


class WorkCalendar:
    """The national calendar with the province's exceptions, loaded once per instance."""

    def __init__(self, exceptions: dict[dt.date, bool] | None = None) -> None:
        if exceptions is None:
            exceptions = dict(CalendarDay.objects.values_list("date", "working"))
        self.exceptions = exceptions

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return _national(day.year).is_working_day(day)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day, counted = start, 0
        for _ in range(MAX_SPAN_DAYS):
            if counted == days:
                return day
            day += dt.timedelta(days=1)
            counted += self.is_working_day(day)
        raise ValueError("deadline beyond ten years")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many a period from ``start`` to ``end`` used up."""
        if end <= start:
            return 0
        return sum(self.is_working_day(start + dt.timedelta(days=n)) for n in range(1, (end - start).days + 1))

    def due_date(
        self, *, received: dt.date, days: int, pauses: Iterable[tuple[dt.date, dt.date]] = (), extension_days: int = 0
    ) -> dt.date:
        """Deadline of a dossier: received + days working days, moved by each pause (start, end)
        and by an extension."""
        paused = sum(self.working_days_between(start, end) for start, end in pauses)
        return self.add_working_days(received, days + paused + extension_days)

    def processing_days(self, received_on: dt.date | None, decided_on: dt.date) -> int:
        """Working days from reception to decision (0 when decided the day it came in)."""
        return self.working_days_between(received_on or decided_on, decided_on)
