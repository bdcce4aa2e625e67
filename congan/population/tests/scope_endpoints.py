"""Unit-scoped endpoints of the population module, checked by congan/core/tests/test_scope_leak.py."""

from __future__ import annotations

from django.urls import reverse

from congan.core.testing.scope_leak import ScopedEndpoint, register
from congan.population.tests.factories import ResidentFactory


def _resident(unit):
    return ResidentFactory(unit=unit, full_name=f"Công Dân Kiểm Tra {unit.code}")


register(
    ScopedEndpoint(
        name="population.resident_search page",
        make=_resident,
        marker=lambda resident: resident.full_name,
        list_url=lambda: reverse("population:resident_search") + "?q=cong+dan+kiem+tra",
        detail_url=lambda resident: reverse("population:resident_profile", args=[resident.pk]),
        detail_post={"preset": "Quản lý cư trú", "detail": "Kiểm tra phạm vi"},
    )
)
