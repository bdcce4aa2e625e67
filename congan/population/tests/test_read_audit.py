"""Reads of personal data in lists leave one audit event per list view with the IDs shown; "who
looked me up" names the officer and their unit, never the login (issue 16, item 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from congan.core.models import AuditEvent
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.population.citizen import citizen_own_lookups
from congan.population.models import CitizenAccount
from congan.population.selectors import resident_lookup_history
from congan.population.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_a_search_by_name_is_one_event_with_the_residents_shown(officer_client, officer, commune):
    shown = [ResidentFactory(unit=commune, full_name=f"Lý Thị Ngân {n}") for n in range(3)]
    ResidentFactory(unit=commune, full_name="Trịnh Văn Khác")
    page = officer_client.get(reverse("population:resident_search"), {"q": "ly thi ngan"})
    assert page.status_code == 200
    [event] = _events("population.resident.search")
    assert sorted(event.details["residents"]) == sorted(r.pk for r in shown)
    assert event.details["q"] == "ly thi ngan"
    assert (event.actor_id, event.unit_id) == (str(officer.pk), officer.unit_id)


def test_a_search_by_id_number_is_audited_too(officer_client, commune):
    resident = ResidentFactory(unit=commune)
    officer_client.get(reverse("population:resident_search"), {"q": resident.personal_id})
    [event] = _events("population.resident.search")
    assert event.details["residents"] == [resident.pk]


def test_the_search_form_alone_and_an_invalid_search_are_not_audited(officer_client):
    officer_client.get(reverse("population:resident_search"))
    officer_client.get(reverse("population:resident_search"), {"birth_year": "12"})
    assert not _events("population.resident.search")


def test_the_citizen_account_list_is_audited_with_the_residents_shown(client, commune):
    confirmer = OfficerFactory(unit=commune, roles=[roles.RECEPTION])
    resident = ResidentFactory(unit=commune)
    CitizenAccount.objects.create(resident=resident, phone="0905000123", password="!", level=1)
    client.force_login(confirmer)
    assert client.get(reverse("population:citizen_accounts")).status_code == 200
    [event] = _events("population.citizen_account.list")
    assert event.details["residents"] == [resident.pk]


@pytest.fixture
def citizen(commune):
    return ResidentFactory(
        unit=commune,
        full_name="Vương Thị Hạnh",
        birth_year=1985,
        birth_month=3,
        birth_day=9,
        id_card_issued_on=dt.date(2022, 1, 5),
    )


def test_who_looked_me_up_names_the_officer_and_their_unit_not_the_login(officer_client, officer, citizen, commune):
    officer_client.post(
        reverse("population:resident_profile", args=[citizen.pk]),
        {"declare_purpose": "1", "preset": "Quản lý cư trú", "detail": "Hồ sơ CT01 số 7"},
        follow=True,
    )
    [lookup] = citizen_own_lookups(resident=citizen)
    assert lookup.who == f"{officer.full_name} ({commune.name})"
    assert officer.username not in lookup.who
    [for_officers] = resident_lookup_history(resident=citizen)
    assert for_officers.who == f"{officer.full_name} ({commune.name})"


def test_the_household_page_is_listed_for_each_member_shown(officer_client, officer, citizen, commune):
    from congan.population.models import Relationship, Resident
    from congan.population.tests.factories import HouseholdFactory

    household = HouseholdFactory(unit=commune, head=citizen)
    Resident.objects.filter(pk=citizen.pk).update(household=household, relationship=Relationship.HEAD)
    citizen.refresh_from_db()
    officer_client.post(
        reverse("population:household_detail", args=[household.pk]),
        {"declare_purpose": "1", "preset": "Quản lý cư trú", "detail": "Kiểm tra hộ"},
        follow=True,
    )
    [lookup] = citizen_own_lookups(resident=citizen)
    assert (lookup.action, lookup.purpose) == ("Xem thông tin hộ", "Quản lý cư trú — Kiểm tra hộ")
    assert lookup.who == f"{officer.full_name} ({commune.name})"
