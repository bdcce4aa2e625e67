"""Creating and updating residents: validation, duplicates, field history, audit."""

from __future__ import annotations

import pytest

from congan.core.errors import ValidationFailed
from congan.core.models import AuditEvent
from congan.population import services
from congan.population.models import Resident, ResidentChange
from congan.population.tests.factories import ResidentFactory


def test_create_normalises_the_name_and_audits(commune, officer):
    resident = services.resident_create(
        by=officer,
        unit=commune,
        personal_id="048084000999",
        full_name="  nguyễn  văn AN ",
        sex="male",
        birth_year=1984,
        current_commune="20194",
    )
    assert resident.full_name == "Nguyễn Văn An"
    assert resident.full_name_folded == "nguyen van an"
    assert AuditEvent.objects.filter(action="population.resident.create", target_id=str(resident.pk)).exists()


def test_create_keeps_an_unknown_birth_code_as_a_warning(commune, officer):
    resident = services.resident_create(
        by=officer, unit=commune, personal_id="003084000999", full_name="Lê Văn Bình", sex="male", birth_year=1984
    )
    event = AuditEvent.objects.get(action="population.resident.create", target_id=str(resident.pk))
    assert "003" in event.details["warnings"]["personal_id"][0]


def test_create_rejects_an_id_that_contradicts_sex_and_year(commune, officer):
    with pytest.raises(ValidationFailed) as raised:
        services.resident_create(
            by=officer, unit=commune, personal_id="048184000999", full_name="Lê Văn Bình", sex="male", birth_year=1990
        )
    assert set(raised.value.details) == {"sex", "birth_year"}
    assert not Resident.objects.exists()


def test_create_rejects_a_duplicate_id(commune, officer):
    existing = ResidentFactory(unit=commune)
    with pytest.raises(ValidationFailed) as raised:
        services.resident_create(
            by=officer,
            unit=commune,
            personal_id=existing.personal_id,
            full_name="Ai Đó",
            sex=existing.sex,
            birth_year=existing.birth_year,
        )
    assert "personal_id" in raised.value.details


def test_update_writes_only_changed_fields_with_their_history(commune, officer):
    resident = ResidentFactory(unit=commune, phone="0905111222", religion="Không")
    services.resident_update(
        by=officer, resident=resident, source="Sở Y tế", phone="0905999888", religion="Không", email="a@b.vn"
    )
    changes = {c.field: c for c in ResidentChange.objects.filter(resident=resident)}
    assert set(changes) == {"phone", "email"}
    assert (changes["phone"].old_value, changes["phone"].new_value) == ("0905111222", "0905999888")
    assert changes["phone"].source == "Sở Y tế"
    assert changes["phone"].changed_by == officer.username
    services.resident_update(by=officer, resident=resident, phone="0905999888")
    assert ResidentChange.objects.filter(resident=resident).count() == 2


def test_update_refuses_fields_that_are_not_editable(commune, officer):
    resident = ResidentFactory(unit=commune)
    with pytest.raises(ValidationFailed) as raised:
        services.resident_update(by=officer, resident=resident, personal_id="048084000111")
    assert "personal_id" in raised.value.details


def test_update_rejects_invalid_values_without_writing(commune, officer):
    resident = ResidentFactory(unit=commune, current_commune="20194")
    with pytest.raises(ValidationFailed) as raised:
        services.resident_update(by=officer, resident=resident, current_commune="2019")
    assert "current_commune" in raised.value.details
    resident.refresh_from_db()
    assert resident.current_commune == "20194"
    assert not ResidentChange.objects.filter(resident=resident).exists()


def test_partner_lock_is_recorded(commune, officer):
    resident = ResidentFactory(unit=commune)
    services.resident_set_partner_lock(by=officer, resident=resident, locked=True)
    resident.refresh_from_db()
    assert resident.partner_lookup_locked is True
    assert AuditEvent.objects.filter(action="population.resident.partner_lock", target_id=str(resident.pk)).exists()
