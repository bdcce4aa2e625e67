"""`congan demo` builder: about 50,000 dossiers over the last twelve months (this one included) across procedures and
communes, with a realistic mix of statuses (most returned on time, some late, some refused or
rejected at intake, the recent ones still open and a few overdue), timelines, pauses and ratings;
agency codes for the demo units; one level-2 citizen account to try the portal with.

Bulk-inserted (a few seconds on SQLite); the aggregates are then rebuilt from the rows, which is
also what ``congan eservices_recount`` does.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from congan.eservices.deadlines import WorkCalendar
from congan.eservices.models import Dossier, DossierCounter, DossierEvent, DossierPause, DossierRating, Procedure
from congan.eservices.services import registry_values
from congan.eservices.stats import stats_rebuild
from congan.org.models import Unit
from congan.population.models import CitizenAccount, Resident

DEFAULT_DOSSIERS = 50_000
DEMO_CITIZEN_PASSWORD = "congan-demo-2026"  # noqa: S105 - the documented, public demo password
# Demand per procedure (relative): residence and identity cards dominate at commune level.
WEIGHTS = {
    "CA.CT.02": 20,
    "CA.CT.05": 16,
    "CA.CT.01": 10,
    "CA.CT.03": 6,
    "CA.CT.06": 4,
    "CA.CT.04": 2,
    "CA.CC.02": 12,
    "CA.CC.03": 5,
    "CA.CC.01": 4,
    "CA.XE.01": 6,
    "CA.XE.02": 4,
    "CA.XE.03": 1,
    "CA.XNC.01": 5,
    "CA.XNC.02": 1,
    "CA.LLTP.01": 3,
    "CA.GPLX.01": 3,
    "CA.GPLX.02": 1,
    "CA.PCCC.01": 0.3,
    "CA.PCCC.02": 0.3,
}
BATCH = 5000


def _agency_codes(province: Unit) -> None:
    """Demo electronic agency codes (QCVN 102:2016 shape) where the units have none: the province
    police 000.00.00.H<area>, each commune 000.00.<two base-36 characters>.H<area>."""
    suffix = f"H{province.area_code[-2:]}"
    if not province.agency_code:
        province.agency_code = f"000.00.00.{suffix}"
        province.save(update_fields=["agency_code"])
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    units = Unit.objects.filter(path__startswith=province.path).exclude(pk=province.pk).order_by("path")
    for index, unit in enumerate(units, start=1):
        if not unit.agency_code and index < 36 * 36:
            unit.agency_code = f"000.00.{digits[index // 36]}{digits[index % 36]}.{suffix}"
            unit.save(update_fields=["agency_code"])


def demo_build_dossiers(
    *,
    province: Unit,
    dossiers: int = DEFAULT_DOSSIERS,
    seed: str = "congan-demo",
    today: dt.date | None = None,
    **_options: Any,
) -> dict[str, Any]:
    _agency_codes(province)
    created: dict[str, Any] = {"dossiers": 0}
    if dossiers <= 0 or Dossier.objects.filter(unit__path__startswith=province.path).count() >= dossiers:
        return created
    procedures = {p.code: p for p in Procedure.objects.filter(active=True).prefetch_related("forms")}
    residents = list(
        Resident.objects.filter(unit__path__startswith=province.path, status=Resident.Status.ALIVE)
        .select_related("unit")
        .order_by("pk")[:60_000]
    )
    if not procedures or not residents:
        return created
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    builder = _Builder(province=province, procedures=procedures, today=today or timezone.localdate(), rng=rng)
    focus = _demo_desk_unit()
    for position in range(dossiers):
        # A quarter of the dossiers go to the demo officers' commune, so its inbox is full.
        pool = builder.residents_of(focus, residents) if focus and position % 4 == 0 else residents
        builder.add(rng.choice(pool or residents))
        if len(builder.dossiers) >= BATCH:
            builder.flush()
    builder.flush()
    builder.save_counters()
    created["dossiers"] = builder.count
    created["aggregate_rows"] = stats_rebuild()
    created["citizen_login"] = _demo_citizen(focus, residents)
    return created


def _demo_desk_unit() -> Unit | None:
    officer = get_user_model().objects.filter(username="tiepnhan").select_related("unit").first()
    return officer.unit if officer else None


def _demo_citizen(unit: Unit | None, residents: list[Resident]) -> str:
    """A level-2 account for the first adult of the demo commune with a phone (its ID is printed)."""
    candidates = [r for r in residents if (unit is None or r.unit_id == unit.pk) and r.phone and r.birth_year < 2000]
    if not candidates:
        return ""
    resident = candidates[0]
    CitizenAccount.objects.get_or_create(
        resident=resident,
        defaults={
            "phone": resident.phone,
            "password": make_password(DEMO_CITIZEN_PASSWORD),
            "level": 2,
            "level2_confirmed_at": timezone.now(),
        },
    )
    return f"{resident.personal_id} / {DEMO_CITIZEN_PASSWORD}"


class _Builder:
    def __init__(self, *, province: Unit, procedures: dict[str, Procedure], today: dt.date, rng: random.Random):
        self.province, self.procedures, self.today, self.rng = province, procedures, today, rng
        self.codes = list(WEIGHTS)
        self.weights = [WEIGHTS[code] for code in self.codes]
        self.calendar = WorkCalendar()
        self.counters: dict[tuple[str, dt.date], int] = defaultdict(int)
        self.counters.update(
            {(a, d): last for a, d, last in DossierCounter.objects.values_list("agency_code", "day", "last")}
        )
        self.existing = set(self.counters)
        self.dossiers: list[Dossier] = []
        self.events: list[list[DossierEvent]] = []
        self.pauses: list[list[DossierPause]] = []
        self.ratings: list[DossierRating | None] = []
        self.count = 0
        self._by_unit: dict[int, list[Resident]] = {}
        self.start = today.replace(day=1)  # the dashboards' "last 12 months" hold every demo dossier
        for _month in range(11):
            self.start = (self.start - dt.timedelta(days=1)).replace(day=1)
        self.span = (today - self.start).days

    def residents_of(self, unit: Unit, residents: list[Resident]) -> list[Resident]:
        if unit.pk not in self._by_unit:
            self._by_unit[unit.pk] = [r for r in residents if r.unit_id == unit.pk]
        return self._by_unit[unit.pk]

    def _moment(self, day: dt.date, hour_from: int = 7, hour_to: int = 17) -> dt.datetime:
        naive = dt.datetime.combine(day, dt.time(self.rng.randint(hour_from, hour_to - 1), self.rng.randint(0, 59)))
        return timezone.make_aware(naive)

    def add(self, applicant: Resident) -> None:
        procedure = self.procedures.get(self.rng.choices(self.codes, self.weights)[0])
        if procedure is None:
            return
        unit = applicant.unit if procedure.handling_unit_kind == Procedure.HandlingUnit.COMMUNE else self.province
        # Demand grows over the year (more online use): later days are likelier.
        day = self.start + dt.timedelta(days=int(self.span * self.rng.random() ** 0.8))
        while not self.calendar.is_working_day(day) and self.rng.random() < 0.9:
            day += dt.timedelta(days=1)
        day = min(day, self.today)
        submitted_at = self._moment(day)
        self.counters[(unit.agency_code, day)] += 1
        sequence = self.counters[(unit.agency_code, day)]
        form = procedure.forms.all()[0] if procedure.forms.all() else None
        values = registry_values(applicant)
        dossier = Dossier(
            code=f"{unit.agency_code}-{day:%y%m%d}-{sequence:04d}",
            procedure=procedure,
            form=form,
            applicant=applicant,
            unit=unit,
            data={"full_name": values["full_name"], "personal_id": values["personal_id"]},
            prefilled=["full_name", "personal_id"],
            online=self.rng.random() < 0.9,
            client_token=secrets.token_hex(8),
            key_owner=applicant,
            submitted_at=submitted_at,
            created_at=submitted_at,
        )
        events, pauses, rating = self._history(dossier, procedure)
        self.dossiers.append(dossier)
        self.events.append(events)
        self.pauses.append(pauses)
        self.ratings.append(rating)

    def _event(self, dossier: Dossier, at: dt.datetime, action: str, status: str, who: str, reason: str = "") -> Any:
        return DossierEvent(at=at, action=action, status_to=status, actor_label=who, reason=reason)

    def _history(self, dossier: Dossier, procedure: Procedure) -> tuple[list, list, DossierRating | None]:
        S = Dossier.Status
        unit_name = dossier.unit.name if dossier.unit_id == self.province.pk else dossier.applicant.unit.name
        day = timezone.localdate(dossier.submitted_at)
        age = (self.today - day).days
        events = [self._event(dossier, dossier.submitted_at, "submit", S.SUBMITTED, "Công dân")]
        if age < 1 and self.rng.random() < 0.7:
            return events, [], None
        if self.rng.random() < 0.02:
            dossier.status, dossier.decision_note = S.REJECTED_AT_INTAKE, "Hồ sơ nộp không đúng thủ tục"
            dossier.decided_at = self._moment(day, 13, 17)
            events.append(
                self._event(
                    dossier, dossier.decided_at, "reject_intake", S.REJECTED_AT_INTAKE, unit_name, dossier.decision_note
                )
            )
            return events, [], None
        dossier.received_on = day
        days = procedure.processing_days or 0
        dossier.due_on = self.calendar.add_working_days(day, days)
        events.append(self._event(dossier, self._moment(day, 13, 17), "receive", S.RECEIVED, unit_name))
        pauses = []
        if procedure.can_pause and self.rng.random() < 0.06:
            pause_end = min(day + dt.timedelta(days=self.rng.randint(2, 6)), self.today)
            pauses.append(
                DossierPause(
                    started_on=day + dt.timedelta(days=1),
                    ended_on=pause_end,
                    reason="Bổ sung giấy tờ chứng minh chỗ ở hợp pháp",
                )
            )
            dossier.due_on = self.calendar.due_date(received=day, days=days, pauses=[(pauses[0].started_on, pause_end)])
        late = self.rng.random() < 0.07
        work = max(0, days - self.rng.randint(0, max(days - 1, 0))) if days else 0
        decided_on = (
            self.calendar.add_working_days(dossier.due_on, self.rng.randint(1, 3))
            if late
            else self.calendar.add_working_days(day, work)
        )
        if decided_on > self.today:  # still open today
            dossier.status = self.rng.choice([S.RECEIVED, S.PROCESSING, S.PROCESSING, S.WAITING_CITIZEN])
            if dossier.status == S.WAITING_CITIZEN:
                if not procedure.can_pause:
                    dossier.status = S.PROCESSING
                else:
                    dossier.paused_since = self.today
                    pauses = [DossierPause(started_on=self.today, reason="Bổ sung ảnh chân dung đúng quy cách")]
            return events, pauses, None
        dossier.decided_at = self._moment(decided_on, 8, 17)
        refused = self.rng.random() < 0.03
        dossier.status = S.REFUSED if refused else S.APPROVED
        events.append(
            self._event(
                dossier,
                dossier.decided_at,
                "refuse" if refused else "approve",
                dossier.status,
                unit_name,
                "Không đủ điều kiện theo quy định" if refused else "",
            )
        )
        if refused:
            dossier.decision_note = "Không đủ điều kiện theo quy định"
        else:
            dossier.result_number = f"{dossier.code}/KQ"
            dossier.verify_token = secrets.token_urlsafe(18)[:24]
        if (self.today - decided_on).days >= 1 or self.rng.random() < 0.5:
            dossier.status, dossier.returned_at = S.RETURNED, dossier.decided_at + dt.timedelta(hours=2)
            events.append(self._event(dossier, dossier.returned_at, "return_result", S.RETURNED, unit_name))
        rating = None
        if dossier.status == S.RETURNED and self.rng.random() < 0.4:
            score = self.rng.choices([5, 4, 3, 2, 1], [62, 25, 8, 3, 2])[0]
            comment = self.rng.choice(["", "", "Cán bộ hướng dẫn tận tình", "Nhanh, đúng hẹn"])
            rating = DossierRating(score=score, created_at=dossier.returned_at + dt.timedelta(hours=1), comment=comment)
            events.append(self._event(dossier, rating.created_at, "rate", S.RETURNED, "Công dân"))
        return events, pauses, rating

    @transaction.atomic
    def flush(self) -> None:
        if not self.dossiers:
            return
        saved = Dossier.objects.bulk_create(self.dossiers, batch_size=1000)
        if saved[0].pk is None:  # backends that do not return ids on bulk insert
            ids = dict(Dossier.objects.filter(code__in=[d.code for d in saved]).values_list("code", "pk"))
            for dossier in saved:
                dossier.pk = ids[dossier.code]
        events, pauses, ratings = [], [], []
        for dossier, its_events, its_pauses, rating in zip(saved, self.events, self.pauses, self.ratings, strict=True):
            for row in its_events:
                row.dossier_id = dossier.pk
                events.append(row)
            for row in its_pauses:
                row.dossier_id = dossier.pk
                pauses.append(row)
            if rating is not None:
                rating.dossier_id = dossier.pk
                ratings.append(rating)
        DossierEvent.objects.bulk_create(events, batch_size=2000)
        DossierPause.objects.bulk_create(pauses, batch_size=2000)
        DossierRating.objects.bulk_create(ratings, batch_size=2000)
        self.count += len(saved)
        self.dossiers, self.events, self.pauses, self.ratings = [], [], [], []

    def save_counters(self) -> None:
        """Live submissions continue each day's sequence after the demo's numbers."""
        rows = [
            DossierCounter(agency_code=agency, day=day, last=last)
            for (agency, day), last in self.counters.items()
            if (agency, day) not in self.existing
        ]
        DossierCounter.objects.bulk_create(rows, batch_size=2000)
        for (agency, day), last in self.counters.items():
            if (agency, day) in self.existing:
                DossierCounter.objects.filter(agency_code=agency, day=day).update(last=last)
