"""The unit tree keeps materialised paths and depths right on creation and on moves."""

from __future__ import annotations

import pytest

from congan.core.errors import ValidationFailed
from congan.core.models import AuditEvent
from congan.org import services
from congan.org.models import Unit
from congan.org.services import _segment
from congan.org.tests.factories import UnitFactory


@pytest.fixture
def tree(db):
    """ministry → province → (ward A → team A1), (ward B)."""
    ministry = UnitFactory(code="BCA", name="Bộ Công an", kind="ministry")
    province = UnitFactory(code="CA48", name="Công an thành phố Đà Nẵng", kind="province", parent=ministry)
    ward_a = UnitFactory(code="CAP20242", name="Công an phường Hải Châu", parent=province)
    team = UnitFactory(code="CAP20242-D1", name="Tổ Cảnh sát khu vực 1", kind="team", parent=ward_a)
    ward_b = UnitFactory(code="CAP20194", name="Công an phường Hải Vân", parent=province)
    return {"ministry": ministry, "province": province, "ward_a": ward_a, "team": team, "ward_b": ward_b}


def test_unit_create_builds_path_from_parent_path_and_own_id(tree):
    ministry, province, ward_a, team = tree["ministry"], tree["province"], tree["ward_a"], tree["team"]
    assert ministry.path == _segment(ministry.pk) and ministry.depth == 0
    assert province.path == ministry.path + _segment(province.pk) and province.depth == 1
    assert ward_a.path == province.path + _segment(ward_a.pk) and ward_a.depth == 2
    assert team.path == ward_a.path + _segment(team.pk) and team.depth == 3
    assert team.path.count(".") == 4
    assert team.is_within(province) and not province.is_within(team)


def test_unit_create_is_audited_and_refuses_a_duplicate_code(tree):
    assert AuditEvent.objects.filter(action="org.unit.create", target_id=str(tree["team"].pk)).exists()
    with pytest.raises(ValidationFailed) as error:
        services.unit_create(by="system", code="CA48", name="Trùng mã", kind="province")
    assert "code" in error.value.details


def test_unit_create_rejects_a_bad_area_code(db):
    with pytest.raises(ValidationFailed) as error:
        services.unit_create(by="system", code="X1", name="Công an xã Thử", kind="commune", area_code="123")
    assert error.value.details == {"area_code": ["Mã gồm 2 hoặc 5 chữ số."]}
    assert not Unit.objects.filter(code="X1").exists()


def test_moving_a_unit_rewrites_the_paths_and_depths_of_its_subtree(tree):
    ward_a, team, ward_b, ministry = tree["ward_a"], tree["team"], tree["ward_b"], tree["ministry"]

    moved = services.unit_update(by="system", unit=ward_a, parent=ward_b)

    ward_a.refresh_from_db()
    team.refresh_from_db()
    assert moved.parent == ward_b and ward_a.parent_id == ward_b.pk
    assert ward_a.path == ward_b.path + _segment(ward_a.pk) and ward_a.depth == 3
    assert team.path == ward_a.path + _segment(team.pk) and team.depth == 4
    assert Unit.objects.filter(path__startswith=ward_b.path).count() == 3

    services.unit_update(by="system", unit=ward_a, parent=None)  # to the top of the tree
    ward_a.refresh_from_db()
    team.refresh_from_db()
    assert ward_a.path == _segment(ward_a.pk) and ward_a.depth == 0
    assert team.path == _segment(ward_a.pk) + _segment(team.pk) and team.depth == 1
    assert not team.is_within(ministry)


def test_moving_a_unit_leaves_other_branches_alone(tree):
    ward_b, province = tree["ward_b"], tree["province"]
    before = ward_b.path
    services.unit_update(by="system", unit=tree["ward_a"], parent=tree["ministry"])
    ward_b.refresh_from_db()
    province.refresh_from_db()
    assert ward_b.path == before and province.depth == 1


def test_a_unit_cannot_move_under_its_own_descendant(tree):
    province, team = tree["province"], tree["team"]
    paths = dict(Unit.objects.values_list("code", "path"))
    with pytest.raises(ValidationFailed) as error:
        services.unit_update(by="system", unit=province, parent=team)
    assert "parent" in error.value.details
    with pytest.raises(ValidationFailed):
        services.unit_update(by="system", unit=province, parent=province)
    assert dict(Unit.objects.values_list("code", "path")) == paths


def test_unit_update_records_the_changed_fields(tree):
    services.unit_update(by="system", unit=tree["ward_b"], phone="0236 3822 222", parent=tree["ministry"])
    event = AuditEvent.objects.filter(action="org.unit.update").latest("seq")
    assert event.details == {"fields": ["parent", "phone"]}


def test_unit_update_without_changes_records_nothing(tree):
    ward_b = tree["ward_b"]
    services.unit_update(by="system", unit=ward_b, name=ward_b.name, parent=ward_b.parent)
    assert not AuditEvent.objects.filter(action="org.unit.update").exists()
