"""Unit-scoped endpoints of the traffic module, checked by congan/core/tests/test_scope_leak.py.

Cameras belong to a unit; a violation belongs to the unit of the camera that saw it (or the unit it
was sent to for resolution). The officers' notice PDF is scoped like the violation page; its text
(the owner's name) is read back from the PDF.
"""

from __future__ import annotations

from django.urls import reverse

from congan.core.testing.scope_leak import ScopedEndpoint, register
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.population.tests.factories import ResidentFactory
from congan.traffic import review
from congan.traffic.tests import factories


def _camera(unit):
    return factories.camera(unit, code=f"CAM-{unit.code}", name=f"Camera kiểm tra {unit.code}")


def _violation(unit):
    return factories.event(_camera(unit))


def _noticed_violation(unit):
    """A violation verified against its registered owner, with the notice issued by the unit's leader."""
    owner = ResidentFactory(full_name=f"Chủ Xe Kiểm Tra {unit.code}")
    plate = f"43A{unit.pk % 100_000:05d}"
    factories.vehicle(owner=owner, plate=plate)
    event = factories.event(_camera(unit), plate=plate)
    review.violation_verify(by=OfficerFactory(unit=unit, roles=[roles.SPECIALIST]), event_id=event.pk)
    return review.violation_issue_notice(by=OfficerFactory(unit=unit, roles=[roles.LEADER]), event_id=event.pk)


def _camera_code(event) -> str:
    return event.camera.code


register(
    ScopedEndpoint(
        name="traffic.cameras page",
        make=_camera,
        marker=lambda camera: camera.name,
        list_url=lambda: reverse("traffic:cameras"),
    )
)
register(
    ScopedEndpoint(
        name="traffic.cameras api",
        make=_camera,
        marker=lambda camera: camera.name,
        list_url=lambda: "/api/v1/cameras",
    )
)
register(
    ScopedEndpoint(
        name="traffic.violation desk page",
        make=_violation,
        marker=_camera_code,
        list_url=lambda: reverse("traffic:desk"),
        detail_url=lambda event: reverse("traffic:violation", args=[event.pk]),
    )
)
register(
    ScopedEndpoint(
        name="traffic.violations api",
        make=_violation,
        marker=_camera_code,
        list_url=lambda: "/api/v1/violations",
        detail_url=lambda event: f"/api/v1/violations/{event.pk}",
    )
)
register(
    ScopedEndpoint(
        name="traffic.statistics page",
        make=_violation,
        marker=_camera_code,
        list_url=lambda: reverse("traffic:stats"),
    )
)
register(
    ScopedEndpoint(
        name="traffic.officer notice pdf",
        make=_noticed_violation,
        marker=lambda event: f"Chủ Xe Kiểm Tra {event.camera.unit.code}",
        detail_url=lambda event: reverse("traffic:officer_notice", args=[event.pk]),
    )
)
register(
    ScopedEndpoint(
        name="traffic.cameras csv export",
        make=_camera,
        marker=lambda camera: camera.name,
        list_url=lambda: reverse("traffic:cameras") + "?export=csv",
    )
)
