"""What a household change must respect before it is recorded (Law on Residence 2020, art. 10).

The head (chủ hộ) has full civil capacity, which we read as being an adult on the effective date:
a household with no adult member may be headed by the member the others propose (art. 10 (2)).
A change takes effect on a day that has come and that its people had been born by. Each rule
returns its errors keyed by the form field they belong to, so a page shows them all at once.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping

from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.population.models import Household, Relationship, Resident

ADULT_AGE = 18
Errors = dict[str, list[str]]


def earliest_birth(resident: Resident) -> dt.date:
    """The first day the resident can have been born on, given what is known of the birth date."""
    return dt.date(resident.birth_year, resident.birth_month or 1, resident.birth_day or 1)


def latest_birth(resident: Resident) -> dt.date:
    """The last day the resident can have been born on: a partly known date proves no more."""
    month = resident.birth_month or 12
    day = resident.birth_day or calendar.monthrange(resident.birth_year, month)[1]
    return dt.date(resident.birth_year, month, day)


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def is_adult_on(resident: Resident, day: dt.date) -> bool:
    return _years_after(latest_birth(resident), ADULT_AGE) <= day


def effective_date_errors(day: dt.date, concerned: Iterable[Resident]) -> Errors:
    """The change is recorded once in force (not later than today) and none of the people it
    concerns was born after it."""
    if day > timezone.localdate():
        return {"effective_date": [_("Ngày hiệu lực không được sau ngày hôm nay.")]}
    unborn = [person.full_name for person in concerned if earliest_birth(person) > day]
    if unborn:
        message = _("Ngày hiệu lực trước ngày sinh của %(names)s.") % {"names": ", ".join(unborn)}
        return {"effective_date": [message]}
    return {}


def head_errors(candidate: Resident, others: Iterable[Resident], day: dt.date, *, field: str) -> Errors:
    """The head is alive and an adult on ``day``, unless none of the household's living members is."""
    if candidate.status != Resident.Status.ALIVE:
        return {field: [_("Chủ hộ phải là người đang sinh sống (không đã chết hay xuất cảnh định cư).")]}
    if is_adult_on(candidate, day):
        return {}
    living = [person for person in others if person.status == Resident.Status.ALIVE]
    if any(is_adult_on(person, day) for person in living):
        return {
            field: [
                _(
                    "Chủ hộ phải có năng lực hành vi dân sự đầy đủ (đủ 18 tuổi vào ngày hiệu lực); "
                    "hộ có thành viên đã thành niên."
                )
            ]
        }
    return {}


def relationship_errors(
    members: Iterable[Resident], relationships: Mapping[int, str], *, field_prefix: str = "relationship_"
) -> Errors:
    """Each member other than the head states a (non-head) relationship to the new head."""
    allowed = set(Relationship.values) - {Relationship.HEAD}
    errors: Errors = {}
    for member in members:
        if relationships.get(member.pk) not in allowed:
            errors[f"{field_prefix}{member.pk}"] = [
                _("Chọn quan hệ của %(name)s với chủ hộ mới.") % {"name": member.full_name}
            ]
    return errors


def merge(*parts: Errors) -> Errors:
    merged: Errors = {}
    for part in parts:
        for field, messages in part.items():
            merged.setdefault(field, []).extend(messages)
    return merged


def next_household_code(commune: str) -> str:
    """``HK`` + commune code + the commune's next sequence number (the demo's numbering, 4 digits
    and more as needed). The unique constraint settles a race; the caller retries."""
    prefix = f"HK{commune}"
    codes = (
        Household.objects.filter(code__startswith=prefix)
        .annotate(length=Length("code"))
        .order_by("-length", "-code")
        .values_list("code", flat=True)
    )
    for code in codes.iterator(chunk_size=100):  # the longest, then highest, numbered code first
        if code[len(prefix) :].isdigit():
            return f"{prefix}{int(code[len(prefix) :]) + 1:04d}"
    return f"{prefix}0001"
