"""Search folds diacritics and respects unit scope; a profile read needs a purpose and is audited."""

from __future__ import annotations

import pytest

from congan.core.errors import NotFound, ValidationFailed
from congan.population import selectors
from congan.population.tests.factories import ResidentFactory


def test_search_ignores_diacritics_and_reads_d_for_dj(commune, officer):
    an = ResidentFactory(unit=commune, full_name="Nguyễn Văn An")
    anh = ResidentFactory(unit=commune, full_name="Đặng Thị Ánh")
    ResidentFactory(unit=commune, full_name="Lê Văn Bình")
    assert list(selectors.resident_search(viewer=officer, q="nguyen van an")) == [an]
    assert list(selectors.resident_search(viewer=officer, q="DANG")) == [anh]
    assert list(selectors.resident_search(viewer=officer, q=anh.personal_id)) == [anh]


def test_officer_never_sees_residents_of_another_commune(commune, other_commune, officer, leader):
    mine = ResidentFactory(unit=commune, full_name="Trần Văn Minh")
    theirs = ResidentFactory(unit=other_commune, full_name="Trần Văn Minh")
    assert list(selectors.resident_search(viewer=officer, q="tran van minh")) == [mine]
    assert set(selectors.resident_search(viewer=leader, q="tran van minh")) == {mine, theirs}
    with pytest.raises(NotFound):
        selectors.resident_profile(viewer=officer, resident_id=theirs.pk, purpose="Xác minh")


def test_profile_without_purpose_is_refused(commune, officer):
    resident = ResidentFactory(unit=commune)
    with pytest.raises(ValidationFailed) as raised:
        selectors.resident_profile(viewer=officer, resident_id=resident.pk, purpose="  ")
    assert "purpose" in raised.value.details
    assert selectors.resident_lookup_history(resident=resident) == []


def test_profile_read_is_audited_and_listed_in_who_viewed(commune, officer):
    resident = ResidentFactory(unit=commune)
    selectors.resident_profile(viewer=officer, resident_id=resident.pk, purpose="Xác minh đơn tố giác")
    history = selectors.resident_lookup_history(resident=resident)
    assert [(h.actor_label, h.purpose) for h in history] == [(officer.username, "Xác minh đơn tố giác")]
