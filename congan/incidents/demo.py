"""`congan demo` builder for reports: the kind list, routing rules to the demo departments, about
20 patrol teams, open reports for the queue and six months of handled ones."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from congan.incidents import aggregates, services
from congan.incidents.demo_history import demo_history
from congan.incidents.models import PatrolUnit, Report
from congan.incidents.submitters import submission_key
from congan.org.demo import DEMO_COMMUNE
from congan.org.models import Unit
from congan.org.selectors import COMMUNE_KINDS

DEFAULT_REPORTS = 5000
# Roughly the centre of Đà Nẵng; demo reports scatter around it.
CENTRE = (16.0544, 108.2022)
SAMPLES = {
    "TP.TINBAO": "Phát hiện nhóm thanh niên nghi trộm xe máy trong bãi giữ xe chung cư.",
    "ANTT.GAYROI": "Nhóm người tụ tập hát karaoke, gây ồn ào sau 23 giờ, đánh nhau trước quán.",
    "ANTT.PHANANH": "Đề nghị kiểm tra tình trạng lấn chiếm vỉa hè bán hàng trên tuyến đường.",
    "CHAY.NHA": "Cháy tại nhà dân, khói đen bốc lên từ tầng hai, có người mắc kẹt.",
    "GT.TAINAN": "Va chạm giữa xe máy và ô tô tại ngã tư, một người bị thương.",
    "GT.UNTAC": "Ùn tắc kéo dài giờ tan tầm do đèn tín hiệu hỏng.",
}


FRESH_REPORTS = 40  # open ones from the last two days, through the service, for the triage queue
HOME_REPORTS = 8  # of them in the demo accounts' own commune, so `dieuphoi` has a queue to work
NO_MAP_POINT = 1  # which of those came by phone without a map point (set by the dispatcher)
DEMO_SUBMITTER = "congan-demo"  # the public submitter the fresh reports come from: a rerun finds them


def demo_build_incidents(
    *, province: Unit, reports: int = DEFAULT_REPORTS, seed: str = "congan-demo", **_options: Any
) -> dict[str, int]:
    """The kinds, rules and teams; then ``reports`` reports: a few open ones submitted through the
    service, the rest six months of history with full timelines (dispatch, arrival, closing)."""
    kinds = services.kinds_load(by="system")
    rules = services.routing_rules_for_province(by="system", province=province)
    created = {"kinds": kinds, "routing_rules": rules, "patrol_units": _patrol_units(province), "reports": 0}
    if Report.objects.filter(unit__path__startswith=province.path).count() >= reports:
        return created
    communes = list(
        Unit.objects.filter(path__startswith=province.path, kind__in=COMMUNE_KINDS)
        .exclude(area_code="")
        .order_by("area_code")
    )
    if not communes:
        return created
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data
    fresh = min(reports, FRESH_REPORTS)
    with transaction.atomic():  # the synchronous intake path: each report complete with its record at once
        created["reports"] += _fresh_reports(communes, fresh, rng, seed)
    created["reports"] += demo_history(province=province, communes=communes, count=reports - fresh, rng=rng)
    # The history went in bulk and the fresh reports' receipt times were moved back after their
    # intake: count them all once for the response-time page.
    created["aggregate_rows"] = aggregates.rebuild()
    return created


def _near(unit: Unit, rng: random.Random, spread: float = 0.012) -> tuple[Decimal, Decimal]:
    lat = float(unit.latitude) if unit.latitude is not None else CENTRE[0]
    lon = float(unit.longitude) if unit.longitude is not None else CENTRE[1]
    return (Decimal(str(round(lat + rng.gauss(0, spread), 6))), Decimal(str(round(lon + rng.gauss(0, spread), 6))))


def _fresh_reports(communes: list[Unit], count: int, rng: random.Random, seed: str) -> int:
    codes, now, made = list(SAMPLES), timezone.now(), 0
    home = [unit for unit in communes if unit.area_code in DEMO_COMMUNE.values()]
    for index in range(count):
        kind, commune = rng.choice(codes), rng.choice(communes)
        if home and index < HOME_REPORTS:
            commune = home[0]
        token = f"demo-{seed}-{index}"
        if Report.objects.filter(client_token=submission_key(client_token=token, secret=DEMO_SUBMITTER)).exists():
            continue
        point: tuple[Decimal, Decimal] | tuple[None, None] = _near(commune, rng)
        if home and index == NO_MAP_POINT:
            point = (None, None)
        latitude, longitude = point
        report, _created = services.report_submit(
            kind_code=kind,
            description=SAMPLES[kind],
            commune_code=commune.area_code,
            client_token=token,
            client_secret=DEMO_SUBMITTER,
            anonymous=rng.random() < 0.2,
            reporter_name="Người dân",
            reporter_phone=f"09{rng.randint(10_000_000, 99_999_999)}",
            latitude=latitude,
            longitude=longitude,
            occurred_at=now - dt.timedelta(hours=rng.uniform(0.2, 48)),
            address="Kiệt 74 Trần Phú" if latitude is None else "",
            channel=rng.choice([Report.Channel.WEB, Report.Channel.WEB, Report.Channel.APP, Report.Channel.HOTLINE]),
        )
        received = report.occurred_at + dt.timedelta(minutes=5)  # as if sent then
        Report.objects.filter(pk=report.pk).update(received_at=received)
        report.events.update(at=received)
        made += 1
    return made


TEAMS = [
    ("363", PatrolUnit.Kind.PATROL, 10),
    ("CSGT", PatrolUnit.Kind.TRAFFIC, 5),
    ("PCCC", PatrolUnit.Kind.FIRE, 3),
    ("CĐ", PatrolUnit.Kind.RAPID, 2),
]


def _patrol_units(province: Unit) -> int:
    """About 20 teams around the city centre; the demo specialist (`nghiepvu`) is in the first."""
    from django.contrib.auth import get_user_model

    if PatrolUnit.objects.filter(unit__path__startswith=province.path).exists():
        return 0
    rng = random.Random("congan-demo:patrol")  # noqa: S311 - reproducible demo data
    home = get_user_model().objects.filter(username="nghiepvu").select_related("unit").first()
    created = 0
    for prefix, kind, count in TEAMS:
        for number in range(1, count + 1):
            unit = PatrolUnit.objects.create(
                call_sign=f"{prefix}-{number:02d}",
                kind=kind,
                unit=home.unit if home else province,
                latitude=Decimal(str(round(CENTRE[0] + rng.uniform(-0.05, 0.05), 6))),
                longitude=Decimal(str(round(CENTRE[1] + rng.uniform(-0.04, 0.04), 6))),
                position_at=timezone.now(),
            )
            if home and created == 0:
                unit.members.add(home)
            created += 1
    return created
