"""Six months of handled reports for the demo, written in bulk: each with its public and internal
timeline, the team sent, the team's acknowledge / en route / on scene / clear times, and the
report's dispatched / on scene / closed times, so the response-time metrics and the heat map have
something true to show. One audit record says what was generated."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from congan.core.audit import audit_record
from congan.incidents import lookups, services
from congan.incidents.models import PRIORITY_RANK, Assignment, PatrolUnit, Report, ReportEvent, ReportKind
from congan.org.models import Unit

HISTORY_DAYS = 182
BATCH = 500
HOURLY_WEIGHTS = [2, 1, 1, 1, 1, 2, 4, 6, 6, 5, 5, 5, 5, 5, 5, 6, 7, 8, 8, 8, 7, 6, 4, 3]  # evenings are busiest
TOKEN_PREFIX = "demo-history-"  # noqa: S105 - a client token prefix, not a secret
# Kind, weight, descriptions (the priority follows from the kind and the words, as in real intake).
MIX = [
    (
        "TP.TINBAO",
        14,
        [
            "Phát hiện đối tượng nghi trộm xe máy trong bãi giữ xe chung cư.",
            "Bị giật điện thoại khi đang dừng đèn đỏ, đối tượng đi xe máy không biển số.",
        ],
    ),
    (
        "TP.TOGIAC",
        6,
        [
            "Tố giác nhóm đối tượng cho vay lãi nặng, đe dọa người vay.",
            "Tố giác điểm đánh bạc trong quán cà phê vào buổi tối.",
        ],
    ),
    ("TP.KIENNGHI", 1, ["Kiến nghị khởi tố vụ lừa đảo chiếm đoạt tài sản qua mạng."]),
    (
        "ANTT.GAYROI",
        16,
        [
            "Nhóm người tụ tập hát karaoke, gây ồn ào sau 23 giờ.",
            "Hai nhóm thanh niên xô xát trước quán nhậu, có người cầm hung khí.",
        ],
    ),
    (
        "ANTT.PHANANH",
        18,
        [
            "Đề nghị kiểm tra tình trạng lấn chiếm vỉa hè bán hàng trên tuyến đường.",
            "Phản ánh tiếng ồn công trình xây dựng thi công ban đêm.",
        ],
    ),
    (
        "CHAY.NHA",
        5,
        ["Cháy tại nhà dân, khói đen bốc lên từ tầng hai.", "Cháy kho hàng trong khu dân cư, lửa lan nhanh."],
    ),
    ("CHAY.XE", 3, ["Xe máy bốc cháy khi đang lưu thông trên đường."]),
    ("CHAY.CUUNAN", 2, ["Người đi tắm biển bị sóng cuốn, cần cứu hộ gấp.", "Trẻ em bị kẹt trong thang máy chung cư."]),
    (
        "GT.TAINAN",
        22,
        [
            "Va chạm giữa xe máy và ô tô tại ngã tư, một người bị thương.",
            "Xe tải va chạm xe máy, người điều khiển xe máy bị thương nặng.",
        ],
    ),
    ("GT.UNTAC", 10, ["Ùn tắc kéo dài giờ tan tầm do đèn tín hiệu hỏng."]),
    ("KHAC", 3, ["Phát hiện vật nghi là đầu đạn cũ khi đào móng nhà."]),
]
# Minutes: (receive → dispatch, dispatch → acknowledge, acknowledge → en route, en route → on scene)
PACE = {"urgent": (1, 0.5, 0.5, 6), "high": (4, 1, 1, 10), "normal": (15, 2, 3, 15)}


def _teams_by_kind(province: Unit) -> dict[str, list[PatrolUnit]]:
    teams: dict[str, list[PatrolUnit]] = {}
    for team in PatrolUnit.objects.filter(unit__path__startswith=province.path, active=True).order_by("call_sign"):
        teams.setdefault(team.kind, []).append(team)
    return teams


def _minutes(rng: random.Random, mean: float) -> dt.timedelta:
    return dt.timedelta(minutes=max(0.2, rng.lognormvariate(0, 0.45) * mean))


class _Builder:
    def __init__(self, province: Unit, communes: list[Unit], rng: random.Random) -> None:
        self.rng, self.communes = rng, communes
        self.kinds = {kind.code: kind for kind in ReportKind.objects.filter(code__in=[code for code, *_ in MIX])}
        self.departments = {code: lookups.department_for(kind) for code, kind in self.kinds.items()}
        self.teams = _teams_by_kind(province)
        self.mix = [(code, weight, texts) for code, weight, texts in MIX if code in self.kinds]
        self.now = timezone.now()

    def report(self, index: int) -> tuple[Report, dt.datetime]:
        rng = self.rng
        code, _weight, texts = rng.choices(self.mix, weights=[weight for _c, weight, _t in self.mix])[0]
        kind, text, commune = self.kinds[code], rng.choice(texts), rng.choice(self.communes)
        lat = float(commune.latitude or 16.0544) + rng.gauss(0, 0.01)
        lon = float(commune.longitude or 108.2022) + rng.gauss(0, 0.01)
        hour = rng.choices(range(24), weights=HOURLY_WEIGHTS)[0]
        day = self.now - dt.timedelta(days=rng.uniform(2, HISTORY_DAYS))
        received = day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
        priority = services.priority_for(kind, text)
        anonymous = rng.random() < 0.2
        report = Report(
            tracking_code=services._tracking_code(),
            kind=kind,
            description=text,
            latitude=Decimal(f"{lat:.6f}"),
            longitude=Decimal(f"{lon:.6f}"),
            commune_code=commune.area_code,
            occurred_at=received - dt.timedelta(minutes=rng.randint(1, 30)),
            anonymous=anonymous,
            reporter_name="" if anonymous else "Người dân",
            reporter_phone="" if anonymous else f"09{rng.randint(10_000_000, 99_999_999)}",
            channel=rng.choices(list(Report.Channel.values), weights=[5, 2, 3, 1])[0],
            priority=priority,
            priority_rank=PRIORITY_RANK[priority],
            unit=commune,
            department=self.departments.get(code),
            received_at=received,
            client_token=f"{TOKEN_PREFIX}{index}",
            created_at=received,
        )
        return report, received

    def timeline(self, report: Report) -> tuple[list[ReportEvent], Assignment | None]:
        rng, at = self.rng, report.received_at
        unit_name = report.unit.name
        events = [
            ReportEvent(
                report=report,
                at=at,
                action="receive",
                status_to="received",
                actor_label=unit_name,
                note="Đã tiếp nhận tin báo.",
            )
        ]
        pace = PACE[report.priority]
        at += _minutes(rng, pace[0] / 2)
        events.append(
            ReportEvent(
                report=report,
                at=at,
                action="triage",
                status_to="triaged",
                public=False,
                actor_label=unit_name,
                note="Phân loại, xác minh ban đầu.",
            )
        )
        team = self._team(report)
        assignment = None
        if team is not None and report.kind.code != "ANTT.PHANANH":
            assignment, at = self._dispatch(report, team, at, pace, events)
        handled = at + _minutes(rng, 40)
        events.append(
            ReportEvent(
                report=report,
                at=handled,
                action="resolved",
                status_to="resolved",
                actor_label=unit_name,
                note="Đã xử lý xong, kết quả đã thông báo.",
            )
        )
        report.status, report.closed_at = Report.Status.RESOLVED, handled
        if rng.random() < 0.7:
            closed = handled + _minutes(rng, 600)
            events.append(
                ReportEvent(
                    report=report,
                    at=closed,
                    action="closed",
                    status_to="closed",
                    actor_label=unit_name,
                    note="Đóng tin báo, lưu hồ sơ.",
                )
            )
            report.status = Report.Status.CLOSED
        return events, assignment

    def _team(self, report: Report) -> PatrolUnit | None:
        for kind in report.kind.suitable_unit_kinds:
            if self.teams.get(kind):
                return self.rng.choice(self.teams[kind])
        return None

    def _dispatch(self, report: Report, team: PatrolUnit, at: dt.datetime, pace: tuple, events: list) -> tuple:
        rng = self.rng
        dispatched = at + _minutes(rng, pace[0] / 2)
        acknowledged = dispatched + _minutes(rng, pace[1])
        en_route = acknowledged + _minutes(rng, pace[2])
        on_scene = en_route + _minutes(rng, pace[3])
        cleared = on_scene + _minutes(rng, 35)
        label = report.unit.name
        events += [
            ReportEvent(
                report=report,
                at=dispatched,
                action="dispatch",
                status_to="in_progress",
                actor_label=label,
                note="Đã điều động lực lượng đến hiện trường.",
            ),
            ReportEvent(
                report=report,
                at=dispatched,
                action="dispatch_units",
                status_to="in_progress",
                actor_label=label,
                note=team.call_sign,
                public=False,
            ),
            ReportEvent(
                report=report,
                at=acknowledged,
                action="unit_acknowledge",
                status_to="in_progress",
                actor_label=label,
                note=team.call_sign,
                public=False,
            ),
            ReportEvent(
                report=report,
                at=en_route,
                action="unit_en_route",
                status_to="in_progress",
                actor_label=label,
                note=team.call_sign,
                public=False,
            ),
            ReportEvent(
                report=report,
                at=on_scene,
                action="on_scene",
                status_to="in_progress",
                actor_label=label,
                note="Lực lượng đã có mặt tại hiện trường.",
            ),
            ReportEvent(
                report=report,
                at=cleared,
                action="unit_clear",
                status_to="in_progress",
                actor_label=label,
                note=team.call_sign,
                public=False,
            ),
        ]
        report.dispatched_at, report.on_scene_at = dispatched, on_scene
        assignment = Assignment(
            report=report,
            patrol_unit=team,
            dispatched_at=dispatched,
            acknowledged_at=acknowledged,
            en_route_at=en_route,
            on_scene_at=on_scene,
            cleared_at=cleared,
            estimated_seconds=int(pace[3] * 60),
        )
        return assignment, cleared


def demo_history(*, province: Unit, communes: list[Unit], count: int, rng: random.Random) -> int:
    """``count`` handled reports spread over the last six months (skipped when already there)."""
    if count <= 0 or Report.objects.filter(client_token__startswith=TOKEN_PREFIX).exists():
        return 0
    builder = _Builder(province, communes, rng)
    if not builder.mix:
        return 0
    for start in range(0, count, BATCH):
        with transaction.atomic():
            _write_batch(builder, range(start, min(start + BATCH, count)))
    audit_record(actor="system", action="incidents.demo.history", unit=province, details={"reports": count})
    return count


def _write_batch(builder: _Builder, indexes: range) -> None:
    reports = [builder.report(index)[0] for index in indexes]
    timelines = [builder.timeline(report) for report in reports]
    Report.objects.bulk_create(reports)
    if reports[0].pk is None:  # backends that return no ids from bulk inserts
        by_token = dict(
            Report.objects.filter(client_token__in=[r.client_token for r in reports]).values_list("client_token", "pk")
        )
        for report in reports:
            report.pk = report.id = by_token[report.client_token]
    events = [event for report_events, _assignment in timelines for event in report_events]
    for event in events:
        event.report_id = event.report.pk
    ReportEvent.objects.bulk_create(events, batch_size=1000)
    assignments = [assignment for _events, assignment in timelines if assignment is not None]
    for assignment in assignments:
        assignment.report_id = assignment.report.pk
    Assignment.objects.bulk_create(assignments, batch_size=1000)
