"""`congan demo` builder for reports: the kind list, routing rules to the demo departments, and a
few hundred reports over the last weeks (dispatch and patrol units come with the next slice)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from congan.incidents import services
from congan.incidents.models import PatrolUnit, Report
from congan.org.models import Unit

DEFAULT_REPORTS = 300
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


def demo_build_incidents(*, province: Unit, reports: int = DEFAULT_REPORTS, seed: str = "congan-demo",
                         **_options: Any) -> dict[str, int]:  # fmt: skip
    kinds = services.kinds_load(by="system")
    rules = services.routing_rules_for_province(by="system", province=province)
    created = {"kinds": kinds, "routing_rules": rules, "patrol_units": _patrol_units(province), "reports": 0}
    if Report.objects.filter(unit__path__startswith=province.path).count() >= reports:
        return created
    communes = list(Unit.objects.filter(path__startswith=province.path, kind__in=services.COMMUNE_KINDS)
                    .exclude(area_code="").values_list("area_code", flat=True))  # fmt: skip
    if not communes:
        return created
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data
    codes = list(SAMPLES)
    now = timezone.now()
    for index in range(reports):
        kind = rng.choice(codes)
        report = services.report_submit(
            kind_code=kind, description=SAMPLES[kind], commune_code=rng.choice(communes),
            client_token=f"demo-{seed}-{index}", anonymous=rng.random() < 0.2, reporter_name="Người dân",
            reporter_phone=f"09{rng.randint(10_000_000, 99_999_999)}",
            latitude=Decimal(str(round(CENTRE[0] + rng.uniform(-0.06, 0.06), 6))),
            longitude=Decimal(str(round(CENTRE[1] + rng.uniform(-0.05, 0.05), 6))),
            occurred_at=now - dt.timedelta(hours=rng.uniform(0, 24 * 14)),
            channel=rng.choice([Report.Channel.WEB, Report.Channel.WEB, Report.Channel.APP, Report.Channel.HOTLINE]),
        )  # fmt: skip
        received = report.occurred_at + dt.timedelta(minutes=5)  # as if sent then
        Report.objects.filter(pk=report.pk).update(received_at=received)
        report.events.update(at=received)
        created["reports"] += 1
    return created


TEAMS = [("363", PatrolUnit.Kind.PATROL, 10), ("CSGT", PatrolUnit.Kind.TRAFFIC, 5), ("PCCC", PatrolUnit.Kind.FIRE, 3),
         ("CĐ", PatrolUnit.Kind.RAPID, 2)]  # fmt: skip


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
                call_sign=f"{prefix}-{number:02d}", kind=kind, unit=home.unit if home else province,
                latitude=Decimal(str(round(CENTRE[0] + rng.uniform(-0.05, 0.05), 6))),
                longitude=Decimal(str(round(CENTRE[1] + rng.uniform(-0.04, 0.04), 6))), position_at=timezone.now(),
            )  # fmt: skip
            if home and created == 0:
                unit.members.add(home)
            created += 1
    return created
