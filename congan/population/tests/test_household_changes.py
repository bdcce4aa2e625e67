"""Household changes as services with effective dates: add, remove, change head, split."""

from __future__ import annotations

import datetime as dt

import pytest

from congan.core.errors import InvalidTransition
from congan.population import services
from congan.population.models import HouseholdChange, Relationship
from congan.population.tests.factories import ResidentFactory

DAY = dt.date(2026, 11, 1)


@pytest.fixture
def family(commune, officer):
    head = ResidentFactory(unit=commune, sex="male", birth_year=1970)
    spouse = ResidentFactory(unit=commune, sex="female", birth_year=1972)
    child = ResidentFactory(unit=commune, sex="male", birth_year=1998)
    household = services.household_create(
        by=officer, unit=commune, code="HK000000001", head=head, address_commune="20194", effective_date=DAY
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


def test_change_head_requires_a_member_and_swaps_relationships(family, officer, commune):
    household, head, spouse, _ = family
    stranger = ResidentFactory(unit=commune)
    with pytest.raises(InvalidTransition):
        services.household_change_head(by=officer, household=household, new_head=stranger, effective_date=DAY)
    services.household_change_head(by=officer, household=household, new_head=spouse, effective_date=DAY)
    household.refresh_from_db()
    head.refresh_from_db()
    spouse.refresh_from_db()
    assert household.head_id == spouse.pk
    assert spouse.relationship == Relationship.HEAD
    assert head.relationship == Relationship.OTHER_RELATIVE


def test_split_moves_members_to_a_new_household_and_records_both(family, officer):
    household, _, _, child = family
    new = services.household_split(
        by=officer, household=household, members=[child], new_code="HK000000002", new_head=child, effective_date=DAY
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
            by=officer, household=household, members=[head], new_code="HK000000003", new_head=head, effective_date=DAY
        )
    assert household.members.count() == 3
