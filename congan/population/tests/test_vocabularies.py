"""The lists an officer picks from: 54 ethnic groups, the recognised religions, nationalities."""

from __future__ import annotations

import pytest
from django.utils import translation

from congan.population.importing.fields import CellError, clean_nationality
from congan.population.vocabularies import ethnicities, nationalities, nationality_name, religions


def test_the_lists_hold_the_54_ethnic_groups_and_no_religion_first():
    assert len(ethnicities()) == len(set(ethnicities())) == 54
    assert religions()[0] == "Không" and "Phật giáo Hòa Hảo" in religions()


def test_nationalities_list_viet_nam_first_then_the_alphabet_of_the_language():
    names = [name for _code, name in nationalities()]
    assert names[0] == "Việt Nam" and len(names) > 240
    assert names.index("Ấn Độ") < names.index("Bỉ") < names.index("Campuchia")  # Ă, Â follow A
    with translation.override("en"):
        assert nationality_name("KH") == "Cambodia"
        assert [name for _code, name in nationalities()][:2] == ["Vietnam", "Afghanistan"]
    assert nationality_name("TW") == "Đài Loan (Trung Quốc)"


@pytest.mark.parametrize(
    ("written", "code"), [("VN", "VN"), ("vn", "VN"), ("Viet Nam", "VN"), ("Hàn Quốc", "KR"), ("Japan", "JP")]
)
def test_an_import_takes_a_nationality_by_code_or_by_name(written, code):
    assert clean_nationality(written) == code


def test_an_import_refuses_a_nationality_not_on_the_list():
    with pytest.raises(CellError):
        clean_nationality("Xyzzy")
