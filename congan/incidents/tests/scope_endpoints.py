"""Unit-scoped endpoints of the incidents module, checked by congan/core/tests/test_scope_leak.py.

Reports belong to the commune police they were routed to; patrol teams to the unit that runs them.
See congan.core.testing.scope_leak for what is checked and how to add an endpoint.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.files.base import ContentFile
from django.urls import reverse

from congan.core.tallies import tally_apply
from congan.core.testing.scope_leak import ScopedEndpoint, register
from congan.incidents import aggregates
from congan.incidents.models import PatrolUnit, Report, ReportKind, ReportMedia
from congan.org.models import Officer, Unit

# Every report and team stands at the same place, so the other commune's team would be a
# candidate for the own commune's report if the recommendations leaked it.
SCENE = (Decimal("16.060000"), Decimal("108.220000"))


def _kind(code: str = "KT", name: str = "Kiểm tra phạm vi") -> ReportKind:
    return ReportKind.objects.get_or_create(
        code=code, defaults={"name": name, "default_priority": "high", "unit_kinds": ["patrol"]}
    )[0]


def _report(unit: Unit, *, kind: ReportKind | None = None, location: tuple[Decimal, Decimal] = SCENE) -> Report:
    report = _stored_report(unit, kind=kind, location=location)
    tally_apply(aggregates.reports_tally([report.pk]))  # in the statistics, as the intake counts it
    return report


def _stored_report(unit: Unit, *, kind: ReportKind | None, location: tuple[Decimal, Decimal]) -> Report:
    return Report.objects.create(
        tracking_code=f"TBK{unit.code}",
        kind=kind or _kind(),
        description=f"Tin báo kiểm tra phạm vi {unit.code}",
        latitude=location[0],
        longitude=location[1],
        commune_code=unit.area_code,
        anonymous=True,
        priority="high",
        unit=unit,
        client_token=f"scope-{unit.code}",
    )


def _team(unit: Unit) -> PatrolUnit:
    team = PatrolUnit.objects.create(
        call_sign=f"363-{unit.code}", kind="patrol", unit=unit, latitude=SCENE[0], longitude=SCENE[1]
    )
    team.scene = _report(unit)  # type: ignore[attr-defined]  # a report of the same unit, for the recommendations
    return team


def _team_of_its_officers(unit: Unit) -> PatrolUnit:
    """A team whose members are the officers of its unit and of the units above it (the field page
    lists the teams the viewer belongs to)."""
    team = _team(unit)
    above = [other.pk for other in Unit.objects.all() if unit.path.startswith(other.path)]
    team.members.add(*Officer.objects.filter(unit__in=above))
    return team


def _report_with_file(unit: Unit) -> ReportMedia:
    content = f"Tệp đính kèm kiểm tra {unit.code}".encode()
    item = ReportMedia(report=_report(unit), original_name="tep.txt", content_type="text/plain", size=len(content))
    item.file.save("tep.txt", ContentFile(content), save=True)
    return item


def _report_of_its_own_kind(unit: Unit) -> Report:
    return _report(unit, kind=_kind(f"KT.{unit.code}", f"Loại kiểm tra {unit.code}"))


def _cell_centre(unit: Unit) -> tuple[Decimal, Decimal]:
    """A heat-map cell of its own for each unit (cells are 0.005° wide; this is a cell's centre)."""
    return Decimal("10.0025") + Decimal("0.01") * (unit.pk % 100), Decimal("106.0025")


def _located_report(unit: Unit) -> Report:
    return _report(unit, location=_cell_centre(unit))


def _heat_marker(report: Report) -> str:
    return f"[{float(report.latitude or 0)}, {float(report.longitude or 0)}, 1]"


def _tracking_code(report: Report) -> str:
    return report.tracking_code


def _call_sign(team: PatrolUnit) -> str:
    return team.call_sign


register(
    ScopedEndpoint(
        name="incidents.queue page",
        make=_report,
        marker=_tracking_code,
        list_url=lambda: reverse("incidents:queue"),
        detail_url=lambda report: reverse("incidents:report_detail", args=[report.pk]),
    )
)
register(
    ScopedEndpoint(
        name="incidents.queue api",
        make=_report,
        marker=_tracking_code,
        list_url=lambda: "/api/v1/incidents/queue",
    )
)
register(
    ScopedEndpoint(
        name="incidents.triage api",
        make=_report,
        marker=_tracking_code,
        detail_url=lambda report: f"/api/v1/incidents/reports/{report.pk}/triage",
        detail_json={"priority": "urgent"},
    )
)
register(
    ScopedEndpoint(
        name="incidents.report_media page",
        make=_report_with_file,
        marker=lambda item: f"Tệp đính kèm kiểm tra {item.report.unit.code}",
        detail_url=lambda item: reverse("incidents:report_media", args=[item.report_id, item.pk]),
    )
)
register(
    ScopedEndpoint(
        name="incidents.board page: reports",
        make=_report,
        marker=_tracking_code,
        list_url=lambda: reverse("incidents:board"),
    )
)
register(
    ScopedEndpoint(
        name="incidents.board page: teams",
        make=_team,
        marker=_call_sign,
        list_url=lambda: reverse("incidents:board"),
    )
)
register(
    ScopedEndpoint(
        name="incidents.board_data json: reports",
        make=_report,
        marker=_tracking_code,
        list_url=lambda: reverse("incidents:board_data"),
    )
)
register(
    ScopedEndpoint(
        name="incidents.board_data json: teams",
        make=_team,
        marker=_call_sign,
        list_url=lambda: reverse("incidents:board_data"),
    )
)
register(
    ScopedEndpoint(
        name="incidents.recommendations api",
        make=_team,
        marker=_call_sign,
        list_url_of=lambda team: f"/api/v1/incidents/reports/{team.scene.pk}/recommendations",
    )
)
register(
    ScopedEndpoint(
        name="incidents.patrol_unit position api",
        make=_team,
        marker=_call_sign,
        detail_url=lambda team: f"/api/v1/patrol-units/{team.pk}/position",
        detail_json={"latitude": 16.07, "longitude": 108.21},
    )
)
register(
    ScopedEndpoint(
        name="incidents.patrol_unit status api",
        make=_team,
        marker=_call_sign,
        detail_url=lambda team: f"/api/v1/patrol-units/{team.pk}/status",
        detail_json={"step": "out_of_service"},
    )
)
register(
    ScopedEndpoint(
        name="incidents.field page",
        make=_team_of_its_officers,
        marker=_call_sign,
        list_url=lambda: reverse("incidents:field"),
    )
)
register(
    ScopedEndpoint(
        name="incidents.metrics page",
        make=_report_of_its_own_kind,
        marker=lambda report: report.kind.name,
        list_url=lambda: reverse("incidents:metrics"),
    )
)
register(
    ScopedEndpoint(
        name="incidents.metrics page: heat map",
        make=_located_report,
        marker=_heat_marker,
        list_url=lambda: reverse("incidents:metrics"),
    )
)
