"""Unit-scoped endpoints of the traffic module, checked by congan/core/tests/test_scope_leak.py.

Cameras belong to a unit; a violation belongs to the unit of the camera that saw it (or the unit it
was sent to for resolution). The notice PDF is scoped like the violation page (its text cannot be
read back from the PDF, so it is checked in test_violation_reads.py).
"""

from __future__ import annotations

from django.urls import reverse

from congan.core.testing.scope_leak import ScopedEndpoint, register
from congan.traffic.tests import factories


def _camera(unit):
    return factories.camera(unit, code=f"CAM-{unit.code}", name=f"Camera kiểm tra {unit.code}")


def _violation(unit):
    return factories.event(_camera(unit))


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
