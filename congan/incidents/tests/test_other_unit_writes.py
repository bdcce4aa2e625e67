"""A dispatcher of another commune changes no report, through any page or API operation that names one.

Each route is tried twice on an open report of the commune: by a dispatcher of another commune
(refused as not found, nothing changed), then by the commune's own dispatcher with the same kind of
request (accepted, something changed), so the refusal can only come from the unit scope. These
tests stand for the routes exempted as writes in congan/core/tests/scope_exemptions.py.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from congan.incidents import services
from congan.incidents.models import PatrolUnit, Report
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(province, commune, other_commune):
    """Two open reports of the commune (one to merge into) and a team of each commune."""
    services.kinds_load(by="system")
    reports = [
        services.report_submit(
            kind_code="ANTT.GAYROI",
            description=f"Hai nhóm thanh niên tụ tập gây rối ({n})",
            commune_code="20194",
            client_token=f"w-{n}",
            latitude=Decimal("16.0605"),
            longitude=Decimal("108.22"),
            anonymous=True,
        ).report
        for n in (1, 2)
    ]
    teams = {
        unit.pk: PatrolUnit.objects.create(
            call_sign=f"363-{unit.code}",
            kind="patrol",
            unit=unit,
            latitude=Decimal("16.06"),
            longitude=Decimal("108.22"),
        )
        for unit in (commune, other_commune)
    }
    return reports, teams


# (name, kind, path under the report, body given the other report and the acting officer's team)
ROUTES = [
    ("triage page", "page", "/tin-bao/xu-ly/{id}/phan-loai/", lambda other, team: {"priority": "urgent"}),
    ("status page", "page", "/tin-bao/xu-ly/{id}/trang-thai/", lambda other, team: {"status": "in_progress"}),
    ("merge page", "page", "/tin-bao/xu-ly/{id}/gop/", lambda other, team: {"into": other.pk}),
    ("dispatch page", "page", "/tin-bao/xu-ly/{id}/dieu-dong/", lambda other, team: {"units": [team.pk]}),
    (
        "location page",
        "page",
        "/tin-bao/xu-ly/{id}/vi-tri/",
        lambda other, team: {"latitude": "16.071234", "longitude": "108.212345"},
    ),
    (
        "transfer page",
        "page",
        "/tin-bao/xu-ly/{id}/chuyen/",
        lambda other, team: {"commune_code": "20197", "reason": "Địa điểm thuộc phường bên cạnh"},
    ),
    (
        "dispatch api",
        "api",
        "/api/v1/incidents/reports/{id}/dispatch",
        lambda other, team: {"units": [team.pk]},
    ),
]


def _state(report: Report) -> tuple:
    report.refresh_from_db()
    return (
        report.status,
        report.priority,
        report.duplicate_of_id,
        report.events.count(),
        report.assignments.count(),
        report.unit_id,
        report.latitude,
    )


def _post(client, kind: str, url: str, body: dict):
    if kind == "api":
        return client.post(url, body, content_type="application/json")
    return client.post(url, body)


@pytest.mark.parametrize(("kind", "path", "body"), [route[1:] for route in ROUTES], ids=[route[0] for route in ROUTES])
def test_another_communes_officer_changes_no_report(client, scene, commune, other_commune, kind, path, body):
    (report, other_report), teams = scene
    url = path.format(id=report.pk)
    before = _state(report)
    outsider = OfficerFactory(unit=other_commune, roles=[roles.DISPATCHER])
    client.force_login(outsider)
    refused = _post(client, kind, url, body(other_report, teams[other_commune.pk]))
    if kind == "api":
        assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    else:
        assert refused.status_code == 302
        assert [str(message) for message in get_messages(refused.wsgi_request)] == ["Không tìm thấy."]
    assert _state(report) == before

    client.force_login(OfficerFactory(unit=commune, roles=[roles.DISPATCHER]))
    accepted = _post(client, kind, url, body(other_report, teams[commune.pk]))
    assert accepted.status_code in (201, 302), accepted.content
    assert _state(report) != before
