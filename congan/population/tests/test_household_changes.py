"""Household changes as services with effective dates: add, remove, change head, split."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from congan.core.errors import InvalidTransition, ValidationFailed
from congan.population import services
from congan.population.models import Household, HouseholdChange, Relationship, Resident
from congan.population.tests.factories import HouseholdFactory, ResidentFactory

DAY = dt.date(2026, 11, 1)


@pytest.fixture
def family(commune, officer):
    head = ResidentFactory(unit=commune, sex="male", birth_year=1970)
    spouse = ResidentFactory(unit=commune, sex="female", birth_year=1972)
    child = ResidentFactory(unit=commune, sex="male", birth_year=1998)
    household = services.household_create(
        by=officer, unit=commune, head=head, address_commune="20194", effective_date=DAY
    )
    services.household_add_member(
        by=officer, household=household, resident=spouse, relationship="spouse", effective_date=DAY
    )
    services.household_add_member(
        by=officer, household=household, resident=child, relationship="child", effective_date=DAY
    )
    for person in (head, spouse, child):
        person.refresh_from_db()
    return household, head, spouse, child


def test_members_are_added_with_relationship_and_dated_changes(family):
    household, head, spouse, child = family
    assert set(household.members.values_list("pk", flat=True)) == {head.pk, spouse.pk, child.pk}
    assert head.relationship == Relationship.HEAD
    assert spouse.relationship == Relationship.SPOUSE
    kinds = list(HouseholdChange.objects.filter(household=household).values_list("kind", "effective_date"))
    assert kinds.count((HouseholdChange.Kind.ADD_MEMBER, DAY)) == 3


def test_the_head_cannot_be_removed(family, officer):
    household, head, _, _ = family
    with pytest.raises(InvalidTransition):
        services.household_remove_member(by=officer, household=household, resident=head, effective_date=DAY)
    head.refresh_from_db()
    assert head.household_id == household.pk


def test_removing_a_member_clears_the_link(family, officer):
    household, _, _, child = family
    services.household_remove_member(by=officer, household=household, resident=child, effective_date=DAY)
    child.refresh_from_db()
    assert child.household_id is None
    assert HouseholdChange.objects.filter(household=household, kind="remove_member", resident=child).exists()


def test_change_head_requires_a_member_and_restates_relationships(family, officer, commune):
    household, head, spouse, child = family
    stranger = ResidentFactory(unit=commune)
    with pytest.raises(InvalidTransition):
        services.household_change_head(
            by=officer, household=household, new_head=stranger, effective_date=DAY, relationships={}
        )
    services.household_change_head(
        by=officer,
        household=household,
        new_head=spouse,
        effective_date=DAY,
        relationships={head.pk: "spouse", child.pk: "child"},
    )
    household.refresh_from_db()
    head.refresh_from_db()
    spouse.refresh_from_db()
    assert household.head_id == spouse.pk
    assert spouse.relationship == Relationship.HEAD
    assert head.relationship == Relationship.SPOUSE


def test_split_moves_members_to_a_new_household_and_records_both(family, officer):
    household, _, _, child = family
    new = services.household_split(
        by=officer, household=household, members=[child], new_head=child, effective_date=DAY, relationships={}
    )
    child.refresh_from_db()
    assert child.household_id == new.pk
    assert child.relationship == Relationship.HEAD
    assert new.head_id == child.pk
    assert household.members.count() == 2
    assert HouseholdChange.objects.filter(kind="split", household__in=[household, new]).count() == 2


def test_split_cannot_take_the_current_head(family, officer):
    household, head, _, _ = family
    with pytest.raises(InvalidTransition):
        services.household_split(
            by=officer, household=household, members=[head], new_head=head, effective_date=DAY, relationships={}
        )
    assert household.members.count() == 3


# --- Rules of the Law on Residence 2020 -------------------------------------------------------------


def _join(officer, household, person, relationship="grandchild"):
    services.household_add_member(
        by=officer, household=household, resident=person, relationship=relationship, effective_date=DAY
    )
    person.refresh_from_db()


def _child(commune, birth_year=2017, **kwargs):
    return ResidentFactory(unit=commune, birth_year=birth_year, birth_month=3, birth_day=9, **kwargs)


def test_households_get_the_communes_next_code(family, officer, commune):
    household, *_ = family
    HouseholdFactory(unit=commune, code="HK201940041")
    assert household.code == "HK201940001"
    loner = ResidentFactory(unit=commune, birth_year=1990)
    created = services.household_create(by=officer, unit=commune, head=loner, address_commune="20194")
    assert created.code == "HK201940042"


def test_a_child_cannot_become_head_while_an_adult_lives_in_the_household(family, officer, commune):
    household, head, spouse, child = family
    nine = _child(commune)
    _join(officer, household, nine)
    relationships = {head.pk: "grandparent", spouse.pk: "grandparent", child.pk: "parent"}
    with pytest.raises(ValidationFailed) as refused:
        services.household_change_head(
            by=officer, household=household, new_head=nine, effective_date=DAY, relationships=relationships
        )
    assert "18 tuổi" in refused.value.details["new_head"][0]
    household.refresh_from_db()
    assert household.head_id == head.pk


def test_a_minor_heads_a_split_household_when_no_member_of_it_is_an_adult(family, officer, commune):
    household, *_ = family
    older, younger = _child(commune, birth_year=2010), _child(commune, birth_year=2014)
    for person in (older, younger):
        _join(officer, household, person)
    new = services.household_split(
        by=officer,
        household=household,
        members=[older, younger],
        new_head=older,
        effective_date=DAY,
        relationships={younger.pk: "sibling"},
    )
    younger.refresh_from_db()
    assert (new.head_id, younger.household_id, younger.relationship) == (older.pk, new.pk, "sibling")


def test_a_split_household_cannot_be_headed_by_a_minor_when_an_adult_moves_with_him(family, officer, commune):
    household, _head, _spouse, child = family
    nine = _child(commune)
    _join(officer, household, nine)
    with pytest.raises(ValidationFailed) as refused:
        services.household_split(
            by=officer,
            household=household,
            members=[child, nine],
            new_head=nine,
            effective_date=DAY,
            relationships={child.pk: "parent"},
        )
    assert set(refused.value.details) == {"new_head"}
    assert not Household.objects.filter(head=nine).exists()


def test_a_person_who_died_cannot_be_made_head(family, officer):
    household, head, spouse, child = family
    Resident.objects.filter(pk=spouse.pk).update(status=Resident.Status.DECEASED)
    spouse.refresh_from_db()
    with pytest.raises(ValidationFailed) as refused:
        services.household_change_head(
            by=officer,
            household=household,
            new_head=spouse,
            effective_date=DAY,
            relationships={head.pk: "spouse", child.pk: "child"},
        )
    assert "new_head" in refused.value.details


def test_a_head_change_states_every_members_relationship_to_the_new_head(family, officer):
    household, head, spouse, child = family
    with pytest.raises(ValidationFailed) as refused:
        services.household_change_head(
            by=officer, household=household, new_head=child, effective_date=DAY, relationships={head.pk: "parent"}
        )
    assert set(refused.value.details) == {f"relationship_{spouse.pk}"}
    spouse.refresh_from_db()
    assert spouse.relationship == Relationship.SPOUSE  # nothing changed
    services.household_change_head(
        by=officer,
        household=household,
        new_head=child,
        effective_date=DAY,
        relationships={head.pk: "parent", spouse.pk: "parent"},
    )
    assert dict(household.members.values_list("pk", "relationship")) == {
        head.pk: "parent",
        spouse.pk: "parent",
        child.pk: "head",
    }
    change = HouseholdChange.objects.get(household=household, kind="change_head")
    assert change.details["relationships"] == {str(head.pk): "parent", str(spouse.pk): "parent"}


def test_a_change_takes_effect_neither_in_the_future_nor_before_a_birth(family, officer, commune):
    household, *_ = family
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    baby = _child(commune, birth_year=2024)
    for day, message in ((tomorrow, "sau ngày hôm nay"), (dt.date(2023, 12, 31), "trước ngày sinh")):
        with pytest.raises(ValidationFailed) as refused:
            services.household_add_member(
                by=officer, household=household, resident=baby, relationship="grandchild", effective_date=day
            )
        assert message in refused.value.details["effective_date"][0]
    baby.refresh_from_db()
    assert baby.household_id is None


def test_adulthood_is_proven_only_by_the_latest_possible_birth_date():
    from congan.population.household_rules import is_adult_on

    year_only = Resident(birth_year=2008)
    assert not is_adult_on(year_only, dt.date(2026, 12, 7))  # born in 2008, maybe on 31 December
    assert is_adult_on(year_only, dt.date(2026, 12, 31))
    assert is_adult_on(Resident(birth_year=2008, birth_month=3, birth_day=9), dt.date(2026, 3, 9))
    assert not is_adult_on(Resident(birth_year=2008, birth_month=3, birth_day=10), dt.date(2026, 3, 9))
