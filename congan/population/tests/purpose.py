"""Test helper: declare a purpose for a person or a household, as an officer does on the purpose
form (congan.population.purpose_gate), so that the gated pages show it for the rest of the sign-in."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from congan.population.models import Household

PURPOSE = {"declare_purpose": "1", "preset": "Quản lý cư trú", "detail": "Hồ sơ HS-1"}
DECLARED = "Quản lý cư trú — Hồ sơ HS-1"


def declare(client: Any, subject: Any, data: dict[str, str] | None = None) -> None:
    page = "population:household_detail" if isinstance(subject, Household) else "population:resident_profile"
    response = client.post(reverse(page, args=[subject.pk]), data or PURPOSE)
    assert response.status_code == 302, response.status_code
