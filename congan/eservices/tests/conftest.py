from __future__ import annotations

import pytest

from congan.eservices.catalogue import catalogue_load
from congan.eservices.services import dossier_submit
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.population.tests.factories import ResidentFactory


@pytest.fixture
def catalogue(commune, province):
    catalogue_load(by="system")
    commune.agency_code = "000.00.20.H48"
    commune.save()
    province.agency_code = "000.00.00.H48"
    province.save()


@pytest.fixture
def applicant(catalogue, commune):
    return ResidentFactory(
        unit=commune,
        full_name="Phan Thị Thu",
        sex="female",
        birth_year=1991,
        birth_month=5,
        birth_day=7,
        phone="0905111222",
        email="thu@example.vn",
        current_street="Số 3 Trần Phú",
        current_commune="20194",
    )


@pytest.fixture
def clerk(commune):
    """A commune officer who receives, processes and decides (a small commune's one-person desk)."""
    return OfficerFactory(unit=commune, roles=[roles.RECEPTION, roles.PROCESSING])


@pytest.fixture
def submit(applicant):
    counter = iter(range(1, 10_000))

    def _submit(code: str = "CA.CT.02", who=None, **data):
        body = {"new_commune": "20194", "new_street": "Số 8 Lê Lợi", **data} if code.startswith("CA.CT") else data
        return dossier_submit(
            applicant=who or applicant, procedure_code=code, data=body, client_token=f"t-{next(counter)}"
        )

    return _submit
