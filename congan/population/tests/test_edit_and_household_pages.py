"""Officers edit a resident and record household changes through forms backed by the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from congan.core.models import AuditEvent
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.population.models import Household, HouseholdChange, Relationship, Resident, ResidentChange
from congan.population.tests.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(commune):
    return OfficerFactory(unit=commune, roles=[roles.PROCESSING])


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def family(commune):
    head = ResidentFactory(unit=commune, full_name="Đặng Văn Hùng", sex="male", birth_year=1960)
    household = HouseholdFactory(unit=commune, head=head)
    spouse = ResidentFactory(unit=commune, full_name="Mai Thị Lan", sex="female", birth_year=1962)
    son = ResidentFactory(unit=commune, full_name="Đặng Văn Nam", sex="male", birth_year=1988)
    Resident.objects.filter(pk=head.pk).update(household=household, relationship=Relationship.HEAD)
    Resident.objects.filter(pk=spouse.pk).update(household=household, relationship=Relationship.SPOUSE)
    Resident.objects.filter(pk=son.pk).update(household=household, relationship=Relationship.CHILD)
    return household, head, spouse, son


def _edit_data(resident, **change):
    data = {
        "full_name": resident.full_name, "birth_month": resident.birth_month or "",
        "birth_day": resident.birth_day or "",
        "nationality": resident.nationality, "status": resident.status, "phone": resident.phone,
        "permanent_commune": resident.permanent_commune, "current_commune": resident.current_commune,
        "ethnicity": resident.ethnicity, "reason": "Hồ sơ CT01 số 123",
    }  # fmt: skip
    return {**data, **change}


def test_editing_a_resident_writes_only_changed_fields_to_the_history(clerk_client, commune):
    resident = ResidentFactory(unit=commune, phone="0905000001")
    response = clerk_client.post(
        reverse("population:resident_edit", args=[resident.pk]), _edit_data(resident, phone="+84 912 345 678")
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.phone == "0912345678"
    change = ResidentChange.objects.get(resident=resident)
    assert (change.field, change.old_value, change.new_value) == ("phone", "0905000001", "0912345678")
    assert change.source == "Cán bộ cập nhật: Hồ sơ CT01 số 123"
    assert AuditEvent.objects.filter(action="population.resident.edit_view", target_id=str(resident.pk)).exists()


def test_bad_input_on_the_edit_form_is_a_field_error(clerk_client, commune):
    resident = ResidentFactory(unit=commune)
    response = clerk_client.post(
        reverse("population:resident_edit", args=[resident.pk]),
        _edit_data(resident, phone="12345", birth_month="", birth_day="9", reason=""),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"phone", "birth_month", "reason"}
    assert not ResidentChange.objects.exists()


def test_residents_of_other_communes_cannot_be_edited(clerk_client, other_commune):
    resident = ResidentFactory(unit=other_commune)
    assert clerk_client.get(reverse("population:resident_edit", args=[resident.pk])).status_code == 404


def test_officers_without_the_change_permission_get_403(officer_client, commune):
    resident = ResidentFactory(unit=commune)
    assert officer_client.get(reverse("population:resident_edit", args=[resident.pk])).status_code == 403


def test_household_page_lists_members_and_records_a_new_member(clerk_client, family, commune):
    household, _head, _spouse, _son = family
    page = clerk_client.get(reverse("population:household_detail", args=[household.pk]))
    assert page.status_code == 200
    assert "Mai Thị Lan" in page.content.decode()
    newborn = ResidentFactory(unit=commune, full_name="Đặng Bảo Ngọc", sex="female", birth_year=2024)
    response = clerk_client.post(
        reverse("population:household_change", args=[household.pk, "them"]),
        {
            "them-personal_id": newborn.personal_id,
            "them-relationship": "grandchild",
            "them-effective_date": "01/06/2024",
        },
    )
    assert response.status_code == 302
    newborn.refresh_from_db()
    assert (newborn.household_id, newborn.relationship) == (household.pk, "grandchild")
    change = HouseholdChange.objects.get(household=household, kind="add_member")
    assert str(change.effective_date) == "2024-06-01"


def test_changing_the_head_and_splitting_a_household(clerk_client, family):
    household, _head, spouse, son = family
    url = reverse("population:household_change", args=[household.pk, "chu-ho"])
    response = clerk_client.post(
        url,
        {
            "chu-ho-new_head": spouse.pk,
            "chu-ho-former_head_relationship": "spouse",
            "chu-ho-effective_date": "2025-01-02",
        },
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.head_id == spouse.pk

    response = clerk_client.post(
        reverse("population:household_change", args=[household.pk, "tach"]),
        {
            "tach-members": [son.pk],
            "tach-new_head": son.pk,
            "tach-new_code": "HK-TACH-01",
            "tach-effective_date": "2025-03-04",
        },
    )
    new_household = Household.objects.get(code="HK-TACH-01")
    assert response["Location"] == reverse("population:household_detail", args=[new_household.pk])
    son.refresh_from_db()
    assert (son.household_id, son.relationship) == (new_household.pk, Relationship.HEAD)


def test_a_refused_change_shows_the_reason_on_the_page(clerk_client, family, commune):
    household, _head, _spouse, _son = family
    stranger = ResidentFactory(unit=commune)
    other = HouseholdFactory(unit=commune, head=stranger)
    Resident.objects.filter(pk=stranger.pk).update(household=other, relationship=Relationship.HEAD)
    response = clerk_client.post(
        reverse("population:household_change", args=[household.pk, "them"]),
        {"them-personal_id": stranger.personal_id, "them-relationship": "other", "them-effective_date": "2025-01-01"},
    )
    assert response.status_code == 400
    assert "Công dân đang thuộc hộ khác" in response.content.decode()
    assert not HouseholdChange.objects.filter(household=household).exists()


def test_households_of_other_communes_are_not_found(clerk_client, other_commune):
    household = HouseholdFactory(unit=other_commune)
    assert clerk_client.get(reverse("population:household_detail", args=[household.pk])).status_code == 404
