"""Demo residents: valid, consistent, in households on the province's communes, idempotent."""

from __future__ import annotations

import pytest
from django.db.models import Count

from congan.core.text import fold
from congan.org.models import Unit
from congan.population.demo import demo_build_residents
from congan.population.models import Household, Resident
from congan.population.validation import check_personal_id


@pytest.fixture
def province_with_communes(province, commune, other_commune):
    return province


def test_demo_residents_are_valid_and_live_in_households(province_with_communes):
    counts = demo_build_residents(province=province_with_communes, residents=1500)
    assert counts["residents"] >= 1500
    residents = list(Resident.objects.all())
    assert len({r.personal_id for r in residents}) == len(residents)
    for r in residents:
        assert check_personal_id(r.personal_id, sex=r.sex, birth_year=r.birth_year).ok, r.personal_id
        assert r.full_name_folded == fold(r.full_name)
        assert r.sort_name
    communes = set(Unit.objects.filter(kind="ward").values_list("pk", flat=True))
    assert {r.unit_id for r in residents} <= communes
    assert any(r.birth_month is None for r in residents)
    for household in Household.objects.annotate(n=Count("members")):
        assert household.n >= 1
        assert household.head.household_id == household.pk
        assert household.head.relationship == "head"


def test_demo_residents_are_idempotent_and_deterministic(province_with_communes):
    first = demo_build_residents(province=province_with_communes, residents=800)
    ids = set(Resident.objects.values_list("personal_id", flat=True))
    again = demo_build_residents(province=province_with_communes, residents=800)
    assert again == {"residents": 0, "households": 0}
    assert set(Resident.objects.values_list("personal_id", flat=True)) == ids
    assert first["residents"] == len(ids)


def test_demo_residents_can_be_found_by_folded_name(province_with_communes, leader):
    from congan.population import selectors

    demo_build_residents(province=province_with_communes, residents=300)
    someone = Resident.objects.order_by("pk").first()
    found = selectors.resident_search(viewer=leader, q=someone.full_name_folded)
    assert someone in found
