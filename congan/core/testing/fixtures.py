"""Persona fixtures shared by every app's tests."""

from __future__ import annotations

import pytest

from congan.org import roles
from congan.org.tests.factories import OfficerFactory, UnitFactory


@pytest.fixture
def province(db):
    return UnitFactory(kind="province", code="CA48", name="Công an thành phố Đà Nẵng", area_code="48")


@pytest.fixture
def commune(province):
    return UnitFactory(
        parent=province,
        kind="ward",
        code="CAP20194",
        name="Công an phường Hải Vân",
        area_code="20194",
    )


@pytest.fixture
def other_commune(province):
    return UnitFactory(
        parent=province,
        kind="ward",
        code="CAP20197",
        name="Công an phường Liên Chiểu",
        area_code="20197",
    )


@pytest.fixture
def officer(commune):
    return OfficerFactory(unit=commune, roles=[roles.SPECIALIST, roles.DISPATCHER, roles.CLERK])


@pytest.fixture
def other_commune_officer(other_commune):
    return OfficerFactory(unit=other_commune, roles=[roles.SPECIALIST, roles.DISPATCHER, roles.CLERK])


@pytest.fixture
def leader(province):
    return OfficerFactory(unit=province, roles=[roles.LEADER], position="Phó Giám đốc")


@pytest.fixture
def admin_officer(province):
    return OfficerFactory(unit=province, roles=[roles.ADMIN], is_staff=True)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture(params=["django", "fast lane"])
def either_client(request):
    """Django's test client, then a client that sends the fast lane's routes through the lane: a
    test taking this fixture runs once through each transport."""
    from django.test import Client

    from congan.core.testing.fastlane import FastLaneClient

    return Client() if request.param == "django" else FastLaneClient()
