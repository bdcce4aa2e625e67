"""Persona fixtures shared by every app's tests: units, officers with their roles, a leader.

Loaded by the root conftest.py (``pytest_plugins``). They live with the organisation app, which
owns units, officers and roles; the kernel's tests use them by name, never by import.
"""

from __future__ import annotations

import pytest

from congan.org import roles
from congan.org.tests.factories import OfficerFactory, UnitFactory
from congan.org.tests.otp import verified_login as _verified_login


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
def commune_leader(commune):
    return OfficerFactory(unit=commune, roles=[roles.LEADER], position="Trưởng Công an phường")


@pytest.fixture
def admin_officer(province):
    return OfficerFactory(unit=province, roles=[roles.ADMIN], is_staff=True)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def make_unit(db):
    """``make_unit(**fields)``: one more unit (UnitFactory), for tests outside the org app."""
    return UnitFactory


@pytest.fixture
def make_officer(db):
    """``make_officer(unit=…, roles=[…], **fields)``: one more officer (OfficerFactory)."""
    return OfficerFactory


@pytest.fixture
def verified_login():
    """``verified_login(client, officer)``: sign in with the second factor already passed."""
    return _verified_login
