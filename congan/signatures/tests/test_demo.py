"""The demo PKI: built once (idempotent), the demo leader signs with their key and their unit's seal,
and verification trusts the demo CA only as a demo."""

from __future__ import annotations

import pytest

from congan.org import roles
from congan.org.tests.factories import OfficerFactory, UnitFactory
from congan.signatures.demo import demo_build_signatures
from congan.signatures.models import SigningKey
from congan.signatures.selectors import verify_pdf
from congan.signatures.services import sign_for_officer
from congan.signatures.trust import demo_ca_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def lanhdao(province, commune):
    UnitFactory(parent=province, kind="department", code="CA48-PV01", name="Phòng Tham mưu")
    return OfficerFactory(username="lanhdao", unit=province, roles=[roles.LEADER], full_name="Nguyễn Văn Thắng")


def test_the_demo_gives_the_leader_a_key_and_each_unit_a_seal_once(province, lanhdao):
    created = demo_build_signatures(province=province)

    assert created["officer_keys"] == 1
    assert created["seal_keys"] == 3  # the province, its department and the commune
    assert demo_ca_path().exists()
    assert demo_build_signatures(province=province) == {"officer_keys": 0, "seal_keys": 0}
    assert SigningKey.objects.count() == 4


def test_the_demo_leader_signs_and_the_result_is_trusted_only_as_a_demo(province, lanhdao, pdf):
    demo_build_signatures(province=province)

    signed = sign_for_officer(pdf=pdf, officer=lanhdao, page=0, box=(300, 320, 480, 400), reason="Ban hành")

    person, organisation = verify_pdf(signed).signatures
    assert person.valid and organisation.valid
    assert person.trust == organisation.trust == "trusted_demo"
    assert person.signer_name == "Nguyễn Văn Thắng"
    assert organisation.signer_name == province.name


def test_long_unit_names_are_cut_to_the_64_bytes_a_certificate_name_holds(province):
    long_name = "Công an phường Hòa Khánh Bắc thuộc thành phố Đà Nẵng mới sáp nhập năm 2025"
    UnitFactory(parent=province, kind="commune", code="CA48-LONG", name=long_name)

    demo_build_signatures(province=province)

    key = SigningKey.objects.get(unit__code="CA48-LONG")
    assert key.label.startswith("Chữ ký số của Công an phường Hòa Khánh Bắc")
