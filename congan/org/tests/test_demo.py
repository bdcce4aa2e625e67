"""``congan demo``: the demo province from the real 2025 units, idempotent, with usable demo accounts."""

from __future__ import annotations

import io
import unicodedata
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from congan.core.models import AuditEvent
from congan.org import demo, roles
from congan.org.models import Officer, Rank, TrainingAttendance, TrainingCourse, Unit
from congan.org.services import _segment, otp_token_verify
from congan.org.tests.factories import OfficerFactory

# Each test builds a province (one to two seconds on SQLite).
pytestmark = pytest.mark.slow


@pytest.fixture
def built(db):
    return demo.demo_build()


def _snapshot() -> dict[str, object]:
    return {
        "units": sorted(Unit.objects.values_list("code", "path", "depth", "name")),
        "officers": sorted(Officer.objects.values_list("username", "full_name", "officer_number", "rank", "unit_id")),
        "courses": TrainingCourse.objects.count(),
        "attendances": sorted(TrainingAttendance.objects.values_list("course_id", "officer_id", "result")),
        "totp": TOTPDevice.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_demo_builds_the_police_of_every_commune_of_da_nang_except_hoang_sa(built):
    province = Unit.objects.get(code="CA48")
    assert province.name == "Công an thành phố Đà Nẵng" and province.area_code == "48"
    assert province.parent.name == "Bộ Công an" and province.parent.kind == Unit.Kind.MINISTRY
    kinds = Counter(Unit.objects.filter(parent=province).values_list("kind", flat=True))
    assert kinds == {Unit.Kind.COMMUNE: 70, Unit.Kind.WARD: 23, Unit.Kind.DEPARTMENT: 10}
    assert not Unit.objects.filter(area_code="20333").exists()  # đặc khu Hoàng Sa has no police unit
    hai_van = Unit.objects.get(area_code="20194")
    assert (hai_van.code, hai_van.name, hai_van.kind) == ("CAP20194", "Công an phường Hải Vân", Unit.Kind.WARD)
    assert round(float(hai_van.latitude), 4) == 16.1315 and round(float(hai_van.longitude), 3) == 107.972
    assert Unit.objects.get(code="CA48-PC08").name == "Phòng Cảnh sát giao thông"
    assert Unit.objects.filter(kind=Unit.Kind.COMMUNE, name__startswith="Công an xã ").count() == 70


def test_demo_units_have_materialised_paths_of_their_parents(built):
    for unit in Unit.objects.select_related("parent"):
        parent_path = unit.parent.path if unit.parent else ""
        assert unit.path == parent_path + _segment(unit.pk)
        assert unit.depth == (unit.parent.depth + 1 if unit.parent else 0)


def test_demo_officers_have_unique_numbers_plausible_names_and_fitting_ranks(built):
    officers = list(Officer.objects.exclude(username__in=[a.username for a in demo.DEMO_ACCOUNTS]))
    assert len(officers) == demo.DEFAULT_OFFICERS
    numbers = [o.officer_number for o in officers]
    assert all(len(n) == 6 and n.isdigit() for n in numbers) and len(set(numbers)) == len(numbers)
    surnames = {name for name, _weight in demo._SURNAMES}
    for officer in officers:
        words = officer.full_name.split(" ")
        assert len(words) == 3 and words[0] in surnames and len(set(words)) == 3
        assert unicodedata.is_normalized("NFC", officer.full_name)
        assert not officer.has_usable_password()
    ranks_by_position: dict[str, set[str]] = {}
    for officer in officers:
        ranks_by_position.setdefault(officer.position, set()).add(officer.rank)
    assert ranks_by_position["Giám đốc"] == {Rank.THIEU_TUONG}
    assert ranks_by_position["Trưởng phòng"] <= {Rank.THUONG_TA, Rank.DAI_TA}
    assert ranks_by_position["Trưởng Công an phường"] <= {Rank.THIEU_TA, Rank.TRUNG_TA}
    assert ranks_by_position["Cảnh sát khu vực"] <= {Rank.THIEU_UY, Rank.TRUNG_UY, Rank.THUONG_UY, Rank.DAI_UY}
    assert ranks_by_position["Chiến sĩ"] <= {Rank.HA_SI, Rank.TRUNG_SI, Rank.THUONG_SI}
    assert Officer.objects.filter(position="Trưởng Công an xã").count() == 70


def test_demo_training_courses_have_attendances_inside_the_province(built):
    province = built.province
    assert TrainingCourse.objects.filter(unit__path__startswith=province.path).count() == len(demo.COURSES)
    attendances = TrainingAttendance.objects.select_related("officer__unit")
    assert attendances.count() > 50
    assert all(a.officer.unit.is_within(province) for a in attendances)


def test_demo_runs_twice_without_changing_or_duplicating_anything(built):
    before = _snapshot()
    again = demo.demo_build()
    assert again.created == {"units": 0, "officers": 0, "courses": 0, "attendances": 0, "accounts": 0}
    assert _snapshot() == before


def test_demo_accounts_have_one_role_each_and_the_documented_password(built):
    places = {a.username: a for a in built.accounts}
    assert set(places) == {"quantri", "lanhdao", "tiepnhan", "xuly", "dieuphoi", "vanthu", "nghiepvu"}
    for spec in demo.DEMO_ACCOUNTS:
        officer = Officer.objects.get(username=spec.username)
        assert list(officer.groups.values_list("name", flat=True)) == [spec.role]
        assert officer.check_password(demo.DEMO_PASSWORD)
        assert places[spec.username].password == demo.DEMO_PASSWORD
    assert Officer.objects.get(username="quantri").is_staff
    assert Officer.objects.get(username="quantri").has_perm("org.view_all_units")
    assert Officer.objects.get(username="lanhdao").unit.code == "CA48"
    assert Officer.objects.get(username="tiepnhan").unit.name == "Công an phường Hải Châu"


@pytest.mark.parametrize("username", ["quantri", "lanhdao"])
def test_two_factor_demo_accounts_accept_the_printed_secret_and_recovery_codes(built, username):
    account = next(a for a in built.accounts if a.username == username)
    officer = Officer.objects.get(username=username)
    device = TOTPDevice.objects.get(user=officer)
    assert device.confirmed and account.totp_secret in account.otpauth_url
    code = f"{totp(device.bin_key):06d}"
    assert otp_token_verify(officer=officer, token=code).device == device
    assert len(account.recovery_codes) == 10
    assert otp_token_verify(officer=officer, token=account.recovery_codes[0]).device is not None
    other_roles = [a for a in built.accounts if a.role not in (roles.ADMIN, roles.LEADER)]
    assert all(not a.totp_secret for a in other_roles)


def test_demo_command_prints_the_accounts_table_and_secrets(db):
    out = io.StringIO()
    call_command("demo", "--officers", "20", "--residents", "0", stdout=out)
    text = out.getvalue()
    assert "Công an thành phố Đà Nẵng: created units 105, officers 20" in text
    assert "quantri" in text and "Quản trị hệ thống" in text and demo.DEMO_PASSWORD in text
    assert "otpauth://totp/" in text and demo.demo_recovery_codes("lanhdao")[0] in text
    assert Officer.objects.filter(username__startswith="cb48").count() == 20


def test_demo_command_builds_another_province_without_truong_sa(db):
    call_command("demo", "--province", "56", "--officers", "0", "--residents", "0", stdout=io.StringIO())
    province = Unit.objects.get(code="CA56")
    assert province.name == "Công an tỉnh Khánh Hòa"
    assert not Unit.objects.filter(area_code="22736").exists()  # đặc khu Trường Sa has no police unit
    communes = [row for row in demo.province_communes("56") if row.ward_code != "22736"]
    assert Unit.objects.filter(parent=province).exclude(kind=Unit.Kind.DEPARTMENT).count() == len(communes)
    assert Officer.objects.filter(username__startswith="cb56").count() == 0


def test_demo_gives_other_special_zones_a_police_unit(db):
    demo.demo_build(province_code="51", officers=0)
    ly_son = Unit.objects.get(area_code="21548")
    assert (ly_son.code, ly_son.name, ly_son.kind) == ("CADK21548", "Công an đặc khu Lý Sơn", Unit.Kind.SPECIAL_ZONE)
    assert ly_son.parent.name == "Công an tỉnh Quảng Ngãi"


def test_demo_leaves_an_existing_account_of_the_same_name_alone(db):
    real = OfficerFactory(username="quantri", full_name="Hồ Văn Thật", unit=None, roles=[roles.ADMIN])
    result = demo.demo_build(officers=0)
    real.refresh_from_db()
    assert real.full_name == "Hồ Văn Thật" and real.check_password("mat-khau-thu-nghiem-1")
    assert not TOTPDevice.objects.filter(user=real).exists()
    account = next(a for a in result.accounts if a.username == "quantri")
    assert account.totp_secret == "" and account.recovery_codes == []
    assert account.password != demo.DEMO_PASSWORD
    assert result.created["accounts"] == len(demo.DEMO_ACCOUNTS) - 1


def test_demo_keeps_an_authenticator_the_officer_enrolled_since(built):
    lanhdao = Officer.objects.get(username="lanhdao")
    TOTPDevice.objects.filter(user=lanhdao).update(key="ab" * 20)  # as if the officer re-enrolled a phone
    result = demo.demo_build()
    assert list(TOTPDevice.objects.filter(user=lanhdao).values_list("key", flat=True)) == ["ab" * 20]
    assert next(a for a in result.accounts if a.username == "lanhdao").totp_secret == ""


def test_demo_command_refuses_an_https_install_without_force(db, settings):
    settings.HTTPS = True
    with pytest.raises(CommandError, match="--force"):
        call_command("demo", "--officers", "0", stdout=io.StringIO())
    assert not Officer.objects.exists()
    call_command("demo", "--officers", "0", "--residents", "0", "--force", stdout=io.StringIO())
    assert Officer.objects.filter(username="quantri").exists()


@pytest.mark.parametrize("code", ["99", "4", "ab"])
def test_demo_command_refuses_an_unknown_province(db, code):
    with pytest.raises(CommandError, match="province"):
        call_command("demo", "--province", code, stdout=io.StringIO())
    assert not Unit.objects.exists()
