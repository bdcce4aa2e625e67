"""The purpose gate (issue 16, item 4): every officer page that shows a named person's personal data
asks for a purpose first (once per person per sign-in) and audits each view with that purpose;
the administrator's lists show no personal data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from congan.core.models import AuditEvent
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.org.tests.otp import verified_login
from congan.population.models import Relationship, Resident
from congan.population.tests.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db
PURPOSE = {"declare_purpose": "1", "preset": "Quản lý cư trú", "detail": "Hồ sơ CT01 số 7"}
DECLARED = "Quản lý cư trú — Hồ sơ CT01 số 7"


def declare(client: Client, url: str, data: dict | None = None):
    return client.post(url, data or PURPOSE, follow=True)


@pytest.fixture
def clerk(commune):
    return OfficerFactory(unit=commune, roles=[roles.PROCESSING])


@pytest.fixture
def clerk_client(clerk):
    client = Client()
    client.force_login(clerk)
    return client


@pytest.fixture
def family(commune):
    head = ResidentFactory(unit=commune, full_name="Đỗ Văn Hải", birth_year=1961, phone="0905777111")
    household = HouseholdFactory(unit=commune, head=head)
    child = ResidentFactory(unit=commune, full_name="Đỗ Thị Mai", birth_year=1990)
    Resident.objects.filter(pk=head.pk).update(household=household, relationship=Relationship.HEAD)
    Resident.objects.filter(pk=child.pk).update(household=household, relationship=Relationship.CHILD)
    return household, head, child


def _views(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


# --- the household page ---------------------------------------------------------------------------


def test_the_household_page_asks_for_a_purpose_before_showing_its_members(officer_client, family):
    household, head, child = family
    page = officer_client.get(reverse("population:household_detail", args=[household.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Lý do tra cứu" in body
    assert head.personal_id not in body and child.personal_id not in body and child.full_name not in body
    assert not _views("population.household.view")


def test_the_household_page_after_a_purpose_is_audited_once_with_the_members_shown(officer_client, officer, family):
    household, head, child = family
    url = reverse("population:household_detail", args=[household.pk])
    page = declare(officer_client, url)
    assert page.redirect_chain == [(url, 302)]
    body = page.content.decode()
    assert head.personal_id in body and child.personal_id in body
    [event] = _views("population.household.view")
    assert (event.target_type, event.target_id, event.purpose) == ("population.household", str(household.pk), DECLARED)
    assert (event.actor_id, event.unit_id) == (str(officer.pk), officer.unit_id)
    assert sorted(event.details["residents"]) == sorted([head.pk, child.pk])


def test_an_empty_purpose_is_a_field_error_and_shows_nothing(officer_client, family):
    household, head, _child = family
    url = reverse("population:household_detail", args=[household.pk])
    page = officer_client.post(url, {"declare_purpose": "1", "preset": "", "detail": ""})
    assert page.status_code == 400
    assert "Phải nêu lý do tra cứu." in page.content.decode()
    assert head.personal_id not in page.content.decode()
    assert "Lý do tra cứu" in officer_client.get(url).content.decode()


def test_another_communes_household_is_not_found_before_any_purpose(officer_client, other_commune):
    household = HouseholdFactory(unit=other_commune)
    url = reverse("population:household_detail", args=[household.pk])
    assert officer_client.get(url).status_code == 404
    assert officer_client.post(url, PURPOSE).status_code == 404


def test_a_household_change_needs_the_purpose_declared_first(clerk_client, family):
    household, _head, child = family
    url = reverse("population:household_change", args=[household.pk, "xoa"])
    data = {"xoa-member": child.pk, "xoa-effective_date": "2025-01-01"}
    refused = clerk_client.post(url, data)
    assert refused.status_code == 403
    assert child.personal_id not in refused.content.decode()
    child.refresh_from_db()
    assert child.household_id == household.pk
    declare(clerk_client, reverse("population:household_detail", args=[household.pk]))
    assert clerk_client.post(url, data).status_code == 302
    child.refresh_from_db()
    assert child.household_id is None


# --- the resident edit page -------------------------------------------------------------------------


def test_the_edit_page_asks_for_a_purpose_before_showing_the_record(clerk_client, family):
    _household, head, _child = family
    page = clerk_client.get(reverse("population:resident_edit", args=[head.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Lý do tra cứu" in body
    assert head.personal_id not in body and "0905777111" not in body
    assert not _views("population.resident.edit_view")


def test_the_edit_page_after_a_purpose_is_audited_with_it(clerk_client, family):
    _household, head, _child = family
    url = reverse("population:resident_edit", args=[head.pk])
    page = declare(clerk_client, url)
    assert "0905777111" in page.content.decode()
    [event] = _views("population.resident.edit_view")
    assert (event.target_id, event.purpose) == (str(head.pk), DECLARED)


# --- once per person per sign-in ---------------------------------------------------------------------


def test_the_purpose_is_asked_once_per_person_per_sign_in(clerk_client, clerk, family):
    _household, head, child = family
    profile = reverse("population:resident_profile", args=[head.pk])
    declare(clerk_client, profile)
    again = clerk_client.get(profile)
    assert head.personal_id in again.content.decode()  # no second question for the same person
    edit = clerk_client.get(reverse("population:resident_edit", args=[head.pk]))
    assert "0905777111" in edit.content.decode()
    assert [e.purpose for e in _views("population.resident.view")] == [DECLARED, DECLARED]  # every view audited
    other = clerk_client.get(reverse("population:resident_profile", args=[child.pk]))
    assert child.personal_id not in other.content.decode()  # another person: asked again
    clerk_client.post(reverse("org:logout"))
    clerk_client.force_login(clerk)  # signed in again: asked again
    assert head.personal_id not in clerk_client.get(profile).content.decode()


# --- the administrator's lists ---------------------------------------------------------------------


@pytest.fixture
def admin_client(client, admin_officer):
    admin_officer.is_superuser = True
    admin_officer.save()
    verified_login(client, admin_officer)
    return client


def test_the_admins_resident_list_shows_no_personal_data(admin_client, family, commune):
    _household, head, _child = family
    listing = admin_client.get(reverse("admin:population_resident_changelist"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert commune.name in body
    for value in (head.personal_id, head.full_name, "0905777111", str(head.birth_year)):
        assert value not in body, value
    found = admin_client.get(reverse("admin:population_resident_changelist"), {"q": head.personal_id})
    assert head.full_name not in found.content.decode()


def test_the_admins_resident_page_sends_to_the_purpose_gate(admin_client, family):
    _household, head, _child = family
    page = admin_client.get(reverse("admin:population_resident_change", args=[head.pk]), follow=True)
    body = page.content.decode()
    assert "Lý do tra cứu" in body
    assert head.personal_id not in body and "0905777111" not in body


def test_the_admins_household_and_account_lists_show_no_personal_data(admin_client, family):
    from congan.population.models import CitizenAccount

    household, head, child = family
    CitizenAccount.objects.create(resident=child, phone="0905333444", password="!", level=1)
    for name in ("population_household", "population_citizenaccount"):
        body = admin_client.get(reverse(f"admin:{name}_changelist")).content.decode()
        for value in (head.full_name, head.personal_id, child.personal_id, child.full_name, "0905333444"):
            assert value not in body, (name, value)
    page = admin_client.get(reverse("admin:population_household_change", args=[household.pk]), follow=True)
    assert child.personal_id not in page.content.decode()


@pytest.mark.parametrize(
    ("preset", "detail", "message"),
    [
        ("", "Hồ sơ CT01 số 7", "Phải nêu lý do tra cứu."),
        ("Quản lý cư trú", "x", "ít nhất 5 chữ hoặc số"),
        ("Quản lý cư trú", "", "Ghi rõ hồ sơ, tin báo hoặc vụ việc cần tra cứu."),
    ],
)
def test_a_purpose_needs_a_legal_ground_and_a_reference_of_substance(officer_client, family, preset, detail, message):
    household, head, _child = family
    url = reverse("population:household_detail", args=[household.pk])
    page = officer_client.post(url, {"declare_purpose": "1", "preset": preset, "detail": detail})
    assert page.status_code == 400 and message in page.content.decode()
    assert head.personal_id not in officer_client.get(url).content.decode()
