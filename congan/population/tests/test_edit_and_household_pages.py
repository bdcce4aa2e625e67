"""Officers edit a resident and record household changes through forms backed by the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from congan.core.audit import buffer
from congan.core.errors import ValidationFailed
from congan.core.models import AuditEvent
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.population import services
from congan.population.forms import EDITABLE_FIELDS
from congan.population.models import Household, HouseholdChange, Relationship, Resident, ResidentChange
from congan.population.selectors import resident_lookup_history
from congan.population.services import UPDATABLE_FIELDS
from congan.population.tests.factories import HouseholdFactory, ResidentFactory
from congan.population.tests.purpose import DECLARED, declare

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
        "full_name": resident.full_name,
        "birth_month": resident.birth_month or "",
        "birth_day": resident.birth_day or "",
        "nationality": resident.nationality,
        "status": resident.status,
        "phone": resident.phone,
        "permanent_commune": resident.permanent_commune,
        "current_commune": resident.current_commune,
        "ethnicity": resident.ethnicity,
        "reason": "Hồ sơ CT01 số 123",
    }
    return {**data, **change}


def test_editing_a_resident_writes_only_changed_fields_to_the_history(clerk_client, commune):
    resident = ResidentFactory(unit=commune, phone="0905000001")
    declare(clerk_client, resident)
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
    declare(clerk_client, resident)
    response = clerk_client.post(
        reverse("population:resident_edit", args=[resident.pk]),
        _edit_data(resident, phone="12345", birth_month="", birth_day="9", reason=""),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"phone", "birth_month", "reason"}
    assert not ResidentChange.objects.exists()


def test_what_cannot_be_true_is_refused_field_by_field_and_nothing_is_written(clerk_client, commune):
    resident = ResidentFactory(unit=commune, birth_year=1990)
    declare(clerk_client, resident)
    response = clerk_client.post(
        reverse("population:resident_edit", args=[resident.pk]),
        _edit_data(
            resident,
            current_commune="99999",
            ethnicity="Xyzzy",
            nationality="XX",
            birth_month="13",
            id_card_issued_on="2031-01-05",
            id_card_expires_on="2020-01-01",
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"current_commune", "ethnicity", "nationality", "birth_month", "id_card_issued_on"}
    assert "Constraint" not in response.content.decode()
    assert not ResidentChange.objects.exists()


def test_a_day_the_month_does_not_have_and_an_expiry_before_issue_are_refused(clerk_client, commune):
    resident = ResidentFactory(unit=commune, birth_year=1990)
    declare(clerk_client, resident)
    response = clerk_client.post(
        reverse("population:resident_edit", args=[resident.pk]),
        _edit_data(
            resident, birth_month="2", birth_day="30", id_card_issued_on="2022-01-05", id_card_expires_on="2021-01-05"
        ),
    )
    assert set(response.context["form"].errors) == {"birth_day", "id_card_expires_on"}
    assert "Tháng 2 năm 1990 không có ngày 30." in response.content.decode()


def test_ethnicity_religion_and_communes_are_picked_from_their_lists(clerk_client, commune):
    resident = ResidentFactory(unit=commune, ethnicity="Kinh", religion="Không")
    declare(clerk_client, resident)
    form = clerk_client.get(reverse("population:resident_edit", args=[resident.pk])).context["form"]
    assert len([value for value, _label in form.fields["ethnicity"].choices if value]) == 54
    assert ("Công giáo", "Công giáo") in form.fields["religion"].choices
    assert ("20194", "Phường Hải Vân") in form.fields["current_commune"].choices
    assert form.fields["nationality"].choices[:1] == [("VN", "Việt Nam")]
    assert ("KR", "Hàn Quốc") in form.fields["nationality"].choices


def test_the_profile_names_the_nationality(clerk_client, commune):
    resident = ResidentFactory(unit=commune, nationality="LA")
    page = _open_profile(clerk_client, resident)
    assert "<dd>Lào</dd>" in page


def test_residents_of_other_communes_cannot_be_edited(clerk_client, other_commune):
    resident = ResidentFactory(unit=other_commune)
    assert clerk_client.get(reverse("population:resident_edit", args=[resident.pk])).status_code == 404


def test_officers_without_the_change_permission_get_403(officer_client, commune):
    resident = ResidentFactory(unit=commune)
    assert officer_client.get(reverse("population:resident_edit", args=[resident.pk])).status_code == 403


def test_household_page_lists_members_and_records_a_new_member(clerk_client, family, commune):
    household, _head, _spouse, _son = family
    declare(clerk_client, household)
    page = clerk_client.get(reverse("population:household_detail", args=[household.pk]))
    assert page.status_code == 200
    assert "Mai Thị Lan" in page.content.decode()
    newborn = ResidentFactory(
        unit=commune, full_name="Đặng Bảo Ngọc", sex="female", birth_year=2024, birth_month=2, birth_day=10
    )
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
    declare(clerk_client, household)
    url = reverse("population:household_change", args=[household.pk, "chu-ho"])
    response = clerk_client.post(
        url,
        {
            "chu-ho-new_head": spouse.pk,
            f"chu-ho-relationship_{_head.pk}": "spouse",
            f"chu-ho-relationship_{son.pk}": "child",
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
            "tach-effective_date": "2025-03-04",
        },
    )
    new_household = Household.objects.get(head=son)
    assert new_household.code == "HK201940001"  # generated: HK, the commune, its next number
    assert response["Location"] == reverse("population:household_detail", args=[new_household.pk])
    son.refresh_from_db()
    assert (son.household_id, son.relationship) == (new_household.pk, Relationship.HEAD)
    # the new household holds people already shown: it opens with the purpose declared
    assert son.personal_id in clerk_client.get(response["Location"]).content.decode()


def test_a_refused_change_shows_the_reason_on_the_page(clerk_client, family, commune):
    household, _head, _spouse, _son = family
    stranger = ResidentFactory(unit=commune)
    other = HouseholdFactory(unit=commune, head=stranger)
    Resident.objects.filter(pk=stranger.pk).update(household=other, relationship=Relationship.HEAD)
    declare(clerk_client, household)
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


# --- Resident edit --------------------------------------------------------------------------------


def test_the_edit_form_offers_only_fields_the_service_accepts():
    assert set(EDITABLE_FIELDS) <= UPDATABLE_FIELDS


def test_the_edit_form_opens_filled_with_the_record(clerk_client, commune):
    resident = ResidentFactory(unit=commune, phone="0905000002", hometown="Quảng Nam")
    declare(clerk_client, resident)
    response = clerk_client.get(reverse("population:resident_edit", args=[resident.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["phone"].value(), form["hometown"].value()) == ("0905000002", "Quảng Nam")
    assert "personal_id" not in form.fields


def test_saving_returns_to_the_profile_with_a_success_message(clerk_client, commune):
    resident = ResidentFactory(unit=commune, hometown="Quảng Nam")
    declare(clerk_client, resident)
    response = clerk_client.post(
        reverse("population:resident_edit", args=[resident.pk]), _edit_data(resident, hometown="Huế"), follow=True
    )
    assert response.redirect_chain == [(reverse("population:resident_profile", args=[resident.pk]), 302)]
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Đã cập nhật 1 trường."]
    assert resident.personal_id in response.content.decode()  # the purpose declared for the edit holds


def test_saving_without_changes_writes_no_history(clerk_client, commune):
    resident = ResidentFactory(unit=commune)
    declare(clerk_client, resident)
    response = clerk_client.post(reverse("population:resident_edit", args=[resident.pk]), _edit_data(resident))
    assert response.status_code == 302
    assert not ResidentChange.objects.exists()
    assert not AuditEvent.objects.filter(action="population.resident.update").exists()


def test_a_service_refusal_becomes_a_field_error(clerk_client, commune, monkeypatch):
    resident = ResidentFactory(unit=commune)

    def refuse(**kwargs):
        raise ValidationFailed(details={"hometown": ["Quê quán không hợp lệ."], "other": ["Lỗi chung."]})

    monkeypatch.setattr(services, "resident_update", refuse)
    declare(clerk_client, resident)
    response = clerk_client.post(
        reverse("population:resident_edit", args=[resident.pk]), _edit_data(resident, hometown="X")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["hometown"] == ["Quê quán không hợp lệ."]
    assert form.non_field_errors() == ["Lỗi chung."]


def test_opening_the_edit_form_is_listed_in_who_viewed(clerk_client, commune):
    resident = ResidentFactory(unit=commune)
    declare(clerk_client, resident)
    clerk_client.get(reverse("population:resident_edit", args=[resident.pk]))
    buffer.flush()
    [lookup] = resident_lookup_history(resident=resident)
    assert (lookup.action, lookup.purpose) == ("population.resident.edit_view", DECLARED)


def test_visitors_who_are_not_signed_in_are_sent_to_the_login_page(client, commune):
    resident = ResidentFactory(unit=commune)
    response = client.get(reverse("population:resident_edit", args=[resident.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("org:login"))


def _open_profile(client, resident):
    declare(client, resident)
    return client.get(reverse("population:resident_profile", args=[resident.pk])).content.decode()


def test_the_profile_links_to_edit_only_for_officers_who_may_change_residents(clerk_client, officer, client, commune):
    resident = ResidentFactory(unit=commune)
    edit_url = reverse("population:resident_edit", args=[resident.pk])
    assert edit_url in _open_profile(clerk_client, resident)
    client.force_login(officer)
    assert edit_url not in _open_profile(client, resident)


def test_the_profile_links_to_the_household_page(clerk_client, family):
    household, head, _spouse, _son = family
    assert reverse("population:household_detail", args=[household.pk]) in _open_profile(clerk_client, head)


# --- Household page and changes -----------------------------------------------------------------


def _change(client, household, action, **data):
    return client.post(
        reverse("population:household_change", args=[household.pk, action]),
        {f"{action}-{name}": value for name, value in data.items()},
    )


def test_the_change_forms_default_the_effective_date_to_today(clerk_client, family):
    household, *_ = family
    declare(clerk_client, household)
    page = clerk_client.get(reverse("population:household_detail", args=[household.pk]))
    forms = page.context["forms"]
    assert {name: form["effective_date"].value() for name, form in forms.items()} == dict.fromkeys(
        ["them", "xoa", "chu-ho", "tach"], timezone.localdate()
    )


def test_the_household_page_shows_the_change_history(clerk_client, family, commune):
    household, _head, _spouse, son = family
    declare(clerk_client, household)
    assert _change(clerk_client, household, "xoa", member=son.pk, effective_date="2025-05-06").status_code == 302
    son.refresh_from_db()
    assert (son.household_id, son.relationship) == (None, "")
    page = clerk_client.get(reverse("population:household_detail", args=[household.pk])).content.decode()
    assert "Xóa thành viên" in page and "06/05/2025" in page and son.full_name in page


def test_the_head_cannot_be_removed_from_the_household(clerk_client, family):
    household, head, _spouse, _son = family
    declare(clerk_client, household)
    response = _change(clerk_client, household, "xoa", member=head.pk, effective_date="2025-01-01")
    assert response.status_code == 400
    assert "member" in response.context["forms"]["xoa"].errors
    head.refresh_from_db()
    assert head.household_id == household.pk


def test_a_person_outside_the_officers_units_cannot_be_added(clerk_client, family, other_commune):
    household, *_ = family
    outsider = ResidentFactory(unit=other_commune)
    declare(clerk_client, household)
    response = _change(
        clerk_client,
        household,
        "them",
        personal_id=outsider.personal_id,
        relationship="other",
        effective_date="2025-01-01",
    )
    assert response.status_code == 400
    assert response.context["forms"]["them"].errors["personal_id"] == [
        "Không tìm thấy công dân này trong phạm vi đơn vị."
    ]
    outsider.refresh_from_db()
    assert outsider.household_id is None


def test_a_malformed_personal_id_is_a_field_error(clerk_client, family):
    household, *_ = family
    declare(clerk_client, household)
    response = _change(clerk_client, household, "them", personal_id="12AB", relationship="other")
    assert response.status_code == 400
    assert set(response.context["forms"]["them"].errors) == {"personal_id", "effective_date"}


def test_splitting_needs_the_new_head_among_the_chosen_members(clerk_client, family):
    household, _head, spouse, son = family
    declare(clerk_client, household)
    response = _change(
        clerk_client,
        household,
        "tach",
        members=[son.pk],
        new_head=spouse.pk,
        effective_date="2025-01-01",
    )
    assert response.status_code == 400
    assert "new_head" in response.context["forms"]["tach"].errors
    assert not Household.objects.filter(head=spouse).exists()


def test_a_split_skips_a_code_taken_by_another_officer_meanwhile(clerk_client, family, commune, monkeypatch):
    household, _head, _spouse, son = family
    HouseholdFactory(unit=commune, code="HK201940007")
    codes = iter(["HK201940007", "HK201940008"])  # the first one was taken between the read and the write
    monkeypatch.setattr("congan.population.household_rules.next_household_code", lambda commune: next(codes))
    declare(clerk_client, household)
    response = _change(clerk_client, household, "tach", members=[son.pk], new_head=son.pk, effective_date="2025-01-01")
    assert response.status_code == 302
    son.refresh_from_db()
    assert son.household.code == "HK201940008"


def test_the_head_change_form_shows_every_rule_broken_at_once(clerk_client, family, commune):
    household, head, spouse, son = family
    grandchild = ResidentFactory(unit=commune, full_name="Đặng Minh An", birth_year=2017)
    Resident.objects.filter(pk=grandchild.pk).update(household=household, relationship=Relationship.GRANDCHILD)
    declare(clerk_client, household)
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = _change(
        clerk_client,
        household,
        "chu-ho",
        new_head=grandchild.pk,
        **{f"relationship_{head.pk}": "grandparent"},
        effective_date=future,
    )
    assert response.status_code == 400
    errors = response.context["forms"]["chu-ho"].errors
    assert set(errors) == {"effective_date", f"relationship_{spouse.pk}", f"relationship_{son.pk}"}
    # once the form is complete, the service's rule on the head's age still refuses it
    data = {f"relationship_{pk}": "relative" for pk in (head.pk, spouse.pk, son.pk)}
    response = _change(clerk_client, household, "chu-ho", new_head=grandchild.pk, effective_date="2026-01-05", **data)
    assert response.status_code == 400
    assert "18 tuổi" in response.context["forms"]["chu-ho"].errors["new_head"][0]
    household.refresh_from_db()
    assert household.head_id == head.pk


def test_a_member_who_left_meanwhile_is_a_form_error_not_a_crash(clerk_client, family, monkeypatch):
    household, _head, spouse, _son = family

    def left_meanwhile(**kwargs):
        raise Resident.DoesNotExist

    monkeypatch.setattr(services, "household_change_head", left_meanwhile)
    declare(clerk_client, household)
    response = _change(
        clerk_client,
        household,
        "chu-ho",
        new_head=spouse.pk,
        **{f"relationship_{_head.pk}": "spouse", f"relationship_{_son.pk}": "child"},
        effective_date="2025-01-01",
    )
    assert response.status_code == 400
    assert "không còn thuộc hộ này" in response.context["forms"]["chu-ho"].non_field_errors()[0]


def test_officers_who_may_only_view_households_see_no_change_forms(officer_client, family):
    household, _head, _spouse, son = family
    declare(officer_client, household)
    page = officer_client.get(reverse("population:household_detail", args=[household.pk]))
    assert page.status_code == 200
    assert son.personal_id in page.content.decode()
    assert 'data-testid="household-them"' not in page.content.decode()
    assert _change(officer_client, household, "xoa", member=son.pk, effective_date="2025-01-01").status_code == 403
    son.refresh_from_db()
    assert son.household_id == household.pk


def test_changes_to_households_of_other_communes_are_not_found(clerk_client, other_commune):
    household = HouseholdFactory(unit=other_commune)
    response = _change(clerk_client, household, "them", personal_id="048190000001", relationship="other")
    assert response.status_code == 404


def test_an_unknown_change_is_not_found(clerk_client, family):
    household, *_ = family
    declare(clerk_client, household)
    assert _change(clerk_client, household, "gop", effective_date="2025-01-01").status_code == 404
